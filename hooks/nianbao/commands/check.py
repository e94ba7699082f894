"""``nianbao check``: validate all data and prose without building.

Exit codes: 0 no errors (warnings allowed), 1 errors found (or warnings with --strict).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..problems import DataError, Problem, errors, format_table
from ..site import Site, front_matter_lines


def collect_problems(root: Path) -> list[Problem]:
    """Check the data, then render every page (written and generated) to check the prose, without building."""
    try:
        site = Site(root)
    except DataError as exc:
        return exc.problems
    problems = list(site.warnings)
    docs = root / "docs"
    pages = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))}
    for src, raw in pages.items():
        offset = front_matter_lines(raw)
        body = "\n".join(raw.splitlines()[offset:]) if offset else raw
        problems += site.render_page(src, body, lambda target: target, offset).problems
    for src, body in site.generated_pages().items():
        problems += site.render_page(src, body, lambda target: target).problems
    return problems


def print_problems(problems: list[Problem], fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        json.dump({"errors": len(errors(problems)), "problems": [p.as_dict() for p in problems]}, out,
                  ensure_ascii=False, indent=2)  # fmt: skip
        out.write("\n")
    elif fmt == "github":
        for p in problems:
            level = "error" if p.is_error else "warning"
            location = f"file={p.file}" + (f",line={p.row}" if p.row else "")
            out.write(f"::{level} {location},title={p.code}::{p.message}。{p.advice}\n")
    else:
        if problems:
            out.write(format_table(problems) + "\n")
        n_err = len(errors(problems))
        out.write(f"检查完成:{n_err} 个错误,{len(problems) - n_err} 个提醒。\n")


def run(args) -> int:
    problems = collect_problems(args.root.resolve())
    print_problems(problems, args.format)
    failing = problems if args.strict else errors(problems)
    return 1 if failing else 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="检查数据和页面,不生成网站")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目文件夹(含 data/ 和 docs/)")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text")
    parser.add_argument("--strict", action="store_true", help="提醒也视为错误")
    parser.set_defaults(func=run)
