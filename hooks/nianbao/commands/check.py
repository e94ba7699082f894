"""``nianbao check``: validate all data and prose without building.

Formats: ``text`` (a table for people), ``json``, ``github`` (workflow commands ``::error file=…,line=…,col=…::…`` that
GitHub shows on the changed line of a pull request), ``gitlab`` (a Code Quality report with line and column, shown in
a merge request). Paths are relative to the git repository that holds the project.

Exit codes: 0 no errors (warnings allowed), 1 errors found (or warnings with --strict), 2 wrong usage.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from ..escape import log_block
from ..problems import Problem, errors, failing, format_table
from ..site import collect_problems


def _escape_data(text: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData / escapeProperty)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@cache
def _repository_top(root: Path) -> Path | None:
    try:
        result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return Path(result.stdout.strip()).resolve() if result.returncode == 0 else None


def _repo_path(root: Path, file: str) -> str:
    """A problem's file as CI sees it: relative to the git repository holding the project (the project may be a
    sub-folder of it), else relative to the project."""
    path, top = root / file, _repository_top(root)
    if top is None or not path.exists():
        return file  # not in a repository, or a generated page that is no file
    return Path(os.path.relpath(path.resolve(), top)).as_posix()


def cell_column(root: Path, problem: Problem) -> int | None:
    """The character column (1-based) where the problem's CSV cell starts on its line, for an annotation."""
    path = root / problem.file
    if not (problem.row and problem.column and path.suffix == ".csv" and path.is_file()):
        return None
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if problem.row > len(lines) or not lines:
        return None
    header = next(csv.reader(io.StringIO(lines[0])), [])
    if problem.column not in header:
        return None
    index, line = header.index(problem.column), lines[problem.row - 1]
    start, field, quoted = 0, 0, False
    for position, char in enumerate(line):
        if field == index:
            return start + 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            field, start = field + 1, position + 1
    return start + 1 if field == index else None


def github_annotation(root: Path, p: Problem) -> str:
    """``::error file=…,line=…,col=…,title=code::message``. GitHub shows it under that line of the pull request's
    diff; ``col`` is the character where the CSV cell starts, and the message also names the column (the CSV header's
    name, the one office staff see in Excel)."""
    level = "error" if p.is_error else "notice" if p.is_notice else "warning"
    props = [f"file={_escape_property(_repo_path(root, p.file))}"]
    if p.row:
        props.append(f"line={p.row}")
        column = cell_column(root, p)
        if column:
            props.append(f"col={column}")
    props.append(f"title={_escape_property(p.code)}")
    where = f"{p.column} 列:" if p.column and p.row else ""
    return f"::{level} {','.join(props)}::{_escape_data(f'{where}{p.message}。{p.advice}')}"


def gitlab_code_quality(root: Path, problems: list[Problem]) -> list[dict]:
    """GitLab's Code Quality report (a subset of the Code Climate format), shown in the merge request."""
    issues = []
    for p in problems:
        path = _repo_path(root, p.file)
        fingerprint = hashlib.sha256(f"{path}|{p.row}|{p.column}|{p.code}|{p.detail}".encode()).hexdigest()
        column = cell_column(root, p)
        location = ({"path": path, "positions": {"begin": {"line": p.row, "column": column}}} if column
                    else {"path": path, "lines": {"begin": p.row or 1}})  # fmt: skip
        issues.append({
            "description": f"{p.message}。{p.advice}",
            "check_name": p.code,
            "fingerprint": fingerprint,
            "severity": "major" if p.is_error else "info" if p.is_notice else "minor",
            "location": location,
        })  # fmt: skip
    return issues


def print_problems(problems: list[Problem], fmt: str, out=None, root: Path | None = None) -> None:
    out = out or sys.stdout
    root = root or Path.cwd()
    if fmt == "json":
        json.dump({"errors": len(errors(problems)), "problems": [p.as_dict() for p in problems]}, out,
                  ensure_ascii=False, indent=2)  # fmt: skip
        out.write("\n")
    elif fmt == "github":
        for p in problems:
            out.write(github_annotation(root, p) + "\n")
    elif fmt == "gitlab":
        json.dump(gitlab_code_quality(root, problems), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        if problems:
            out.write(log_block(format_table(problems)) + "\n")  # a note's line break never starts "::error" in CI
        n_err = len(errors(problems))
        n_notice = sum(p.is_notice for p in problems)
        notices = f",{n_notice} 条说明" if n_notice else ""
        out.write(f"检查完成:{n_err} 个错误,{len(problems) - n_err - n_notice} 个提醒{notices}。\n")


def run(args) -> int:
    root = args.root.resolve()
    problems = collect_problems(root)
    if args.output:
        with args.output.open("w", encoding="utf-8") as out:
            print_problems(problems, args.format, out, root)
    else:
        print_problems(problems, args.format, root=root)
    return 1 if failing(problems, args.strict) else 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="检查数据和页面,不生成网站")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目文件夹(含 data/ 和 docs/)")
    parser.add_argument("--format", choices=("text", "json", "github", "gitlab"), default="text",
                        help="text 表格;json;github 为 GitHub Actions 注释;gitlab 为 GitLab 代码质量报告")  # fmt: skip
    parser.add_argument("--output", "-o", type=Path, help="写入文件而不是屏幕")
    parser.add_argument("--strict", action="store_true", help="提醒也视为错误")
    parser.set_defaults(func=run)
