"""``nianbao diff BASE [HEAD]``: what changed between two git revisions, written for the people who approve it.

Per edition: every changed, added and removed figure (old → new with unit, absolute and relative change), target and
project; the sentences of the pages whose numbers change, before and after; catalog and park changes; changes to
editions already published, flagged at the top as corrections (勘误). HEAD defaults to the working tree. Both
revisions are read with ``git archive``: the working tree and the index are never touched.

Formats: ``markdown`` (default, a pull-request comment, at most ``--limit`` characters: cut with a notice),
``json``, ``summary`` (the report's first line only).
Exit codes: 0 report written; 1 a revision's data has errors (the report says which); 2 wrong usage or unknown
revision.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..diff import RevisionError, compare_revisions
from ..diff.report import COMMENT_LIMIT
from ..escape import log_text


def run(args) -> int:
    try:
        report = compare_revisions(args.root, args.base, args.head)
    except RevisionError as exc:
        sys.stderr.write(log_text(f"nianbao diff:{exc}") + "\n")
        return 2
    if args.format == "json":
        text = json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "summary":
        text = log_text(report.summary) + "\n"  # one line, read in CI logs
    else:
        text = report.to_markdown(limit=args.limit or None)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if report.failed else 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("diff", help="比较两个 git 版本的数据和页面,写出供审核的变更报告")
    parser.add_argument("base", help="比较的基准版本:分支、标签或提交号,如 main、origin/main、HEAD~1")
    parser.add_argument("head", nargs="?", default=None, help="要审核的版本;省略时为当前工作区(含未提交的修改)")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目文件夹(含 data/ 和 docs/)")
    parser.add_argument("--format", choices=("markdown", "json", "summary"), default="markdown")
    parser.add_argument("--output", "-o", type=Path, help="写入文件而不是屏幕")
    parser.add_argument("--limit", type=int, default=COMMENT_LIMIT, metavar="CHARS",
                        help=f"Markdown 报告的长度上限(默认 {COMMENT_LIMIT},低于 GitHub 评论的上限;超出时截断并注明);"
                             "0 = 不限,用于保存完整报告")  # fmt: skip
    parser.set_defaults(func=run)
