"""The ``nianbao`` command: the engine without a site generator. Each subcommand lives in ``commands/``.

Exit codes: 0 success, 1 problems found or the command failed, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .commands import COMMANDS
from .site import collect_problems  # noqa: F401  (kept importable from here for callers and tests)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description="年报数据与页面的检查和生成工具")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"nianbao.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
