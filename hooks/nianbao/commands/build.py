"""``nianbao build``: build the site atomically — a failed build leaves the previous ``site/`` exactly as it was.

Runs ``python -m mkdocs build`` into a temporary folder next to ``site/``, with ``--pdf`` prints every edition's PDF
into it too, and swaps it in only when all of that succeeded (see ``nianbao.publish``). ``make site`` uses it.
Exit codes: 0 built and published, 1 the build (or a PDF) failed (site/ untouched).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import publish
from ..builddate import BuildDateError, ensure_source_date_epoch
from .pdf import print_pdfs


def run(args) -> int:
    root = args.root.resolve()
    site = (root / args.site_dir) if not args.site_dir.is_absolute() else args.site_dir
    try:
        ensure_source_date_epoch(root)  # the same bytes for the same commit, also when run without make
        pdfs = (lambda new: print_pdfs(new, root, allow_missing_browser=args.allow_missing_browser)) if args.pdf else None
        code = publish.build(root, args.site_dir, strict=args.strict, before_swap=pdfs)
    except (BuildDateError, publish.PublishError) as exc:
        sys.stderr.write(f"{exc}\n网站没有生成,{site} 保持原样。\n")
        return 1
    if code == 0:
        sys.stderr.write(f"网站已生成并发布到 {site}。\n")
        return 0
    sys.stderr.write(f"网站没有生成,{site} 保持原样(上一次成功生成的版本)。请按上面的提示修改后重试。\n")
    return 1


def register(subparsers) -> None:
    parser = subparsers.add_parser("build", help="生成网站:先在临时文件夹中生成,成功后才替换 site/")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目文件夹(含 mkdocs.yml、data/ 和 docs/)")
    parser.add_argument("--site-dir", type=Path, default=Path("site"), help="发布到的文件夹(默认 site)")
    parser.add_argument("--strict", action="store_true", help="有提醒也不发布(make site 使用)")
    parser.add_argument("--pdf", action="store_true", help="同时打印每一期年报的 PDF;PDF 失败时也不发布")
    parser.add_argument("--allow-missing-browser", action="store_true",
                        help="与 --pdf 同用:没有浏览器时只提示怎样安装,网站照常发布")  # fmt: skip
    parser.set_defaults(func=run)
