"""``nianbao export-xlsx [--edition YEAR]``: the data-entry workbook of one edition, for Excel and WPS.

Exit codes: 0 written, 1 the edition or the catalog cannot be read, 2 wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..catalog import load_catalog
from ..newedition import previous_edition_year
from ..problems import errors, format_table
from ..workbook import WorkbookError, edition_dir, export_workbook
from ..yamlfiles import load_yaml


def default_name(park: dict, year: int) -> str:
    return f"{park.get('short_name') or park.get('name') or 'nianbao'}{year}年报数据录入.xlsx"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def run(args) -> int:
    root = args.root.resolve()
    year = args.edition or previous_edition_year(root, 10000)
    if year is None or not edition_dir(root, year).is_dir():
        _err(f"没有{f' {year} ' if year else '任何'}年报的数据文件夹;新的一年请先运行 nianbao new-edition 年份")
        return 1
    catalog, problems = load_catalog(root / "data" / "catalog.yml")
    park, more = load_yaml(root / "data" / "park.yml", "park", "data/park.yml")
    problems += more
    if catalog is None or park is None or errors(problems):
        _err("无法导出,请先改正:\n" + format_table(problems))
        return 1

    def progress(message: str) -> None:
        _err(f"  {message}")

    _err(f"导出 {year} 年报数据录入表 …")
    try:
        data = export_workbook(root, year, catalog, park, progress)
    except WorkbookError as exc:
        _err(f"无法导出:{exc}\n" + format_table(exc.problems))
        return 1
    output = args.output or Path(default_name(park, year))
    output.write_bytes(data)
    _out(f"已写入 {output}。在 Excel 或 WPS 中填写后保存,再运行:nianbao import-xlsx {output}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("export-xlsx", help="导出一期年报的数据录入表(Excel 工作簿)")
    parser.add_argument("--edition", type=int, help="年报年份(默认最新一期)")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目文件夹(含 data/ 和 docs/)")
    parser.add_argument("--output", "-o", type=Path, help="工作簿文件名(默认“<园区简称><年份>年报数据录入.xlsx”)")
    parser.set_defaults(func=run)
