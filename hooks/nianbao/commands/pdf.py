"""``nianbao pdf``: one PDF per edition, printed by a headless Chromium from an already built site.

Exit codes: 0 written (also: no browser with --allow-missing-browser, after saying how to install one), 1 failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..problems import DataError, format_table


def _error(message: str) -> None:
    sys.stderr.write(message + "\n")


def _say(printed) -> None:
    path = f"{printed.path.parent.name}/{printed.path.name}"  # inside the site; `nianbao build --pdf` prints elsewhere
    sys.stdout.write(f"已生成 {printed.year} 年报 PDF({path}):{printed.pages} 页,{printed.size / 1_000_000:.1f} MB,"
                     f"用时 {printed.seconds:.1f} 秒\n")
    sys.stdout.flush()
    if printed.blocked:  # the page asked for something outside the site: refused, and said so
        _error(f"提醒:打印 {printed.year} 年报时拦截了 {len(printed.blocked)} 个网站以外的请求(PDF 中不含这些内容):"
               + "、".join(printed.blocked[:5]) + ("…" if len(printed.blocked) > 5 else ""))


def print_pdfs(site: Path, root: Path, years: list[int] | None = None, keep_html: bool = False,
               allow_missing_browser: bool = False) -> int:  # fmt: skip
    """Print the editions' PDFs into ``site``/pdf; the exit code of ``nianbao pdf``. Also used by ``nianbao build
    --pdf``, which prints into the new site before it is swapped in."""
    from ..pdf.browser import BrowserMissing
    from ..pdf.document import PageNotBuilt
    from ..pdf.writer import PdfError, build_pdfs

    if not (site / "index.html").is_file():
        _error(f"没有找到已生成的网站 {site}:请先运行 make site(或 mkdocs build)。")
        return 1
    _error(f"正在用浏览器打印{'、'.join(map(str, years)) + '年' if years else '每一期'}年报的 PDF(每期几秒钟)…")
    try:
        build_pdfs(site, root, years, keep_html=keep_html, progress=_say)
    except BrowserMissing as exc:
        _error(str(exc))
        if allow_missing_browser:
            _error("网站已生成,只是没有 PDF;安装浏览器后运行 nianbao pdf 即可补上。")
            return 0
        return 1
    except (PdfError, PageNotBuilt) as exc:
        _error(f"没有生成 PDF:{exc}")
        return 1
    except DataError as exc:
        _error("数据检查未通过,没有生成 PDF:\n" + format_table(exc.problems))
        return 1
    except OSError as exc:  # a full disk, a read-only or locked site folder
        from ..publish import describe_os_error

        _error("没有生成 PDF:" + describe_os_error(exc, "写入 PDF"))
        return 1
    return 0


def run(args) -> int:
    years = [args.edition] if args.edition else None
    return print_pdfs(args.site.resolve(), args.root.resolve(), years, args.keep_html, args.allow_missing_browser)


def register(subparsers) -> None:
    parser = subparsers.add_parser("pdf", help="从已生成的网站打印每一期年报的 PDF(需要 Chromium)")
    parser.add_argument("--edition", type=int, metavar="YEAR", help="只生成这一期(年份),默认全部")
    parser.add_argument("--site", type=Path, default=Path("site"), help="已生成的网站文件夹(默认 site)")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目文件夹(含 data/ 和 docs/)")
    parser.add_argument("--keep-html", action="store_true", help="保留用于打印的 HTML(pdf/<年份>.html),便于排查")
    parser.add_argument("--allow-missing-browser", action="store_true",
                        help="没有浏览器时只提示怎样安装,不算失败(make site 使用)")  # fmt: skip
    parser.set_defaults(func=run)
