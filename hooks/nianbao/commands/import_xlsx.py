"""``nianbao import-xlsx FILE``: read a filled-in data-entry workbook back into the edition's CSV files.

The same checks as every build run on the result; each problem is reported at its sheet and cell (数据!F12). The files
are written even when the data still has errors (so that preview and review show the state of the work), unless
``--check`` is given; nothing is written when the workbook itself cannot be used (wrong file, sheet or header missing,
files changed since the export without ``--force``). Exit codes: 0 imported without errors (warnings allowed),
1 errors found or nothing imported, 2 wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..loader import EDITIONS_DIR
from ..problems import format_table
from ..workbook import WorkbookError, format_located, import_workbook


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def run(args) -> int:
    root = args.root.resolve()

    def progress(message: str) -> None:
        _err(f"  {message}")

    try:
        result = import_workbook(args.file, root, args.edition, write=not args.check, force=args.force,
                                 progress=progress)  # fmt: skip
    except WorkbookError as exc:
        _err(f"没有导入:{exc}")
        if exc.problems:
            _err(format_table(exc.problems))
        return 1
    folder = f"{EDITIONS_DIR}/{result.year}"
    if args.check:
        _out(f"只检查,没有写入。会改变的文件:{'、'.join(result.changed) or '无'}")
    elif result.changed:
        _out(f"已写入 {folder}/ 下的 {'、'.join(result.changed)}。")
    else:
        _out(f"{folder}/ 下的 CSV 文件与工作簿一致,没有改动。")
    if result.located:
        _out(format_located(result.located))
    n_err = len(result.errors)
    _out(f"检查完成:{n_err} 个错误,{len(result.located) - n_err} 个提醒。"
          + ("改正工作簿中列出的单元格后再导入一次。" if n_err else ""))  # fmt: skip
    return 1 if n_err else 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("import-xlsx", help="把填好的数据录入表导回 CSV 文件,并检查")
    parser.add_argument("file", type=Path, help="nianbao export-xlsx 导出并填写好的 .xlsx 文件")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目文件夹(含 data/ 和 docs/)")
    parser.add_argument("--edition", type=int, help="年报年份(默认取工作簿中记录的年份)")
    parser.add_argument("--check", action="store_true", help="只检查,不写入文件")
    parser.add_argument("--force", action="store_true", help="CSV 文件在导出后被改过时,仍然用工作簿的内容覆盖")
    parser.set_defaults(func=run)
