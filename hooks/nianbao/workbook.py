"""The data-entry workbook: one edition's three CSV files as one XLSX for Excel and WPS, and back again.

Export (``export_workbook``) writes a sheet per table with Chinese headers, each row's indicator name and unit (formulas
looking up the 指标 sheet, never imported), drop-down lists for indicator codes, periods, breakdowns, statuses,
measures, qualifiers, industries and zones, a number check on number columns, a locked header row, a locked 指标
reference sheet and a 说明 sheet. Import (``read_workbook`` then ``check_import``) turns the sheets back into CSV text,
runs the same checks as every build on a scratch copy of ``data/``, and places every problem at its sheet and cell
("数据!F12").

Unchanged cells give unchanged bytes: a number keeps the decimals it was written with (the cell's number format
carries them: 95.30 is exported as 95.3 shown as ``0.00``), and a file keeps its byte-order mark and line ends.
The workbook also records a fingerprint of each CSV file at export, so that importing an old workbook over files that
changed since (a colleague's correction) is refused unless asked for. Files this machine's earlier imports of a workbook
from the same export wrote do not count as changed (a small record in the user's cache folder): import, fix the cells
it lists, import again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from .catalog import Catalog
from .csvfiles import COLUMNS, CsvFile, csv_bytes, csv_text, fingerprint, read_csv_file
from .loader import EDITIONS_DIR
from .opendata import FIGURE_HEADERS, PROJECT_HEADERS, TARGET_HEADERS, _normalised_zip
from .problems import Problem, errors
from .tables import MEASURES, PROJECT_STATUSES, QUALIFIERS, STATUSES

FORMAT_VERSION = "nianbao-workbook 1"
INSTRUCTIONS, CATALOG_SHEET, LISTS_SHEET, META_SHEET = "说明", "指标", "选项", "_nianbao"
EXTRA_ROWS = 300  # empty, formatted rows below the data, ready to type into
NUMBER_RE = re.compile(r"-?\d+(\.\d+)?")
YEAR_RE = re.compile(r"\d{4}")
NUMBER_COLUMNS = frozenset({"value", "investment"})
YEAR_COLUMNS = frozenset({"period"})
MAX_ROWS = 20000  # a report has a few hundred rows; a sheet formatted to the bottom is not read to row 1 048 576
# A workbook is a zip of XML files. An exported one holds about 100 KB of XML; these bound what is parsed at all
# (a 3 MB file can expand to gigabytes) and what is held in memory.
MAX_UNCOMPRESSED = 30 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_CELLS = 400_000

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
HELPER_FILL = PatternFill("solid", fgColor="F2F2F2")
HELPER_FONT = Font(color="595959")
BOLD = Font(bold=True)
LOCKED, UNLOCKED = Protection(locked=True), Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Column:
    key: str  # the CSV column, or for a helper what it shows
    header: str
    width: int
    helper: bool = False  # shown for reading (a formula); never imported


@dataclass(frozen=True)
class Layout:
    file: str  # figures.csv
    title: str  # 数据
    columns: tuple[Column, ...]

    @property
    def csv_columns(self) -> tuple[str, ...]:
        return COLUMNS[self.file]

    def letter(self, key: str) -> str:
        return get_column_letter([c.key for c in self.columns].index(key) + 1)


def _col(headers: dict, key: str, width: int, helper: bool = False) -> Column:
    return Column(key, headers[key], width, helper)


FIGURES = Layout("figures.csv", "数据", (
    _col(FIGURE_HEADERS, "indicator", 22), _col(FIGURE_HEADERS, "name", 24, True), _col(FIGURE_HEADERS, "unit", 14, True),
    _col(FIGURE_HEADERS, "period", 8), _col(FIGURE_HEADERS, "breakdown", 14), _col(FIGURE_HEADERS, "value", 14),
    _col(FIGURE_HEADERS, "status", 8), _col(FIGURE_HEADERS, "note", 36),
))  # fmt: skip
TARGETS = Layout("targets.csv", "目标", (
    _col(TARGET_HEADERS, "indicator", 22), _col(TARGET_HEADERS, "name", 24, True), _col(TARGET_HEADERS, "unit", 14, True),
    _col(TARGET_HEADERS, "period", 10), _col(TARGET_HEADERS, "measure", 8), _col(TARGET_HEADERS, "value", 12),
    _col(TARGET_HEADERS, "qualifier", 8), _col(TARGET_HEADERS, "note", 36),
))  # fmt: skip
PROJECTS = Layout("projects.csv", "签约项目", (
    _col(PROJECT_HEADERS, "name", 30), _col(PROJECT_HEADERS, "company", 30), _col(PROJECT_HEADERS, "industry", 14),
    _col(PROJECT_HEADERS, "zone", 12), _col(PROJECT_HEADERS, "investment", 14), _col(PROJECT_HEADERS, "status", 10),
    _col(PROJECT_HEADERS, "note", 36),
))  # fmt: skip
LAYOUTS = (FIGURES, TARGETS, PROJECTS)


class WorkbookError(Exception):
    """The workbook cannot be imported at all (not a workbook, a sheet or header missing, files changed since …).

    The message is Chinese and says what to do; nothing has been written. ``problems`` are located problems of the
    CSV files, when those are the reason."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


# --- numbers as text ------------------------------------------------------------------------------------------------
def _format_section(number_format: str | None) -> str:
    """The positive-number section of an Excel number format, without quoted text, escapes and [colour] blocks."""
    section = (number_format or "General").split(";")[0]
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", section)


def format_places(number_format: str | None) -> int | None:
    """Decimals an Excel number format shows: ``0.00`` → 2, ``0`` or ``#,##0`` → 0, ``General`` or ``@`` → None."""
    section = _format_section(number_format)
    match = re.search(r"\.([0#?]+)", section)
    if match:
        return len(match.group(1))
    return 0 if re.search(r"[0#?]", section) else None


def number_text(value: int | float | Decimal, number_format: str | None = None) -> str:
    """A number read from a cell, written as the cell shows it: ``95.3`` in a ``0.00`` cell is ``95.30``.

    Floats are taken to Excel's 15 significant digits. A value with more decimals than the format shows is written in
    full (nothing typed is lost to rounding); a percentage format (someone typed ``12.5%``) gives ``12.5``.
    """
    if isinstance(value, float):
        exact = Decimal(format(value, ".15g"))
    else:
        exact = Decimal(value)
    section = _format_section(number_format)
    if "%" in section:
        exact = exact.scaleb(2)
    places = format_places(number_format)
    if places is not None:
        shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if shown == exact:
            return f"{shown:f}"
    text = f"{exact.normalize():f}"
    return "0" if text == "-0" else text


def _places_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _number_format(places: int | None) -> str:
    return "General" if places is None else ("0." + "0" * places if places else "0")


def _number_cell_value(text: str) -> tuple[object, str | None]:
    """A CSV cell for a number column: (cell value, number format). Text that is not a plain number stays text."""
    if not NUMBER_RE.fullmatch(text):
        return text, None
    exact = Decimal(text)
    if "." not in text:
        number: object = int(text)
    else:
        number = float(exact)
        if Decimal(format(number, ".15g")) != exact:  # more digits than a spreadsheet keeps: keep it as text
            return text, None
    return number, _number_format(_places_of(text))


# --- export ---------------------------------------------------------------------------------------------------------
def edition_dir(root: Path, year: int) -> Path:
    return Path(root) / EDITIONS_DIR / str(year)


def read_edition_files(root: Path, year: int) -> tuple[dict[str, CsvFile], list[Problem]]:
    """The edition's three CSV files as written; a missing projects.csv or targets.csv counts as header only."""
    folder = edition_dir(root, year)
    tables: dict[str, CsvFile] = {}
    problems: list[Problem] = []
    for layout in LAYOUTS:
        label = f"{EDITIONS_DIR}/{year}/{layout.file}"
        path = folder / layout.file
        if not path.exists() and layout is not FIGURES:
            tables[layout.file] = CsvFile(list(layout.csv_columns))
            continue
        table, found = read_csv_file(path, label)
        problems += found
        if table is not None:
            for n, row in enumerate(table.rows):
                for column, cell in zip(table.header, row, strict=True):
                    if ILLEGAL_CHARACTERS_RE.search(cell):
                        problems.append(Problem(label, n + 2, column, "file-unreadable",
                                                "单元格中有控制字符,Excel 无法保存;删除这些看不见的字符"))  # fmt: skip
            tables[layout.file] = table
    return tables, problems


def export_workbook(root: Path, year: int, catalog: Catalog, park: dict, progress: Progress | None = None) -> bytes:
    """The data-entry workbook for one edition, as bytes (the same data gives the same bytes).

    Raises WorkbookError when the edition's files cannot be read as they are (the caller reports the problems)."""
    progress = progress or (lambda message: None)
    tables, problems = read_edition_files(root, year)
    if errors(problems):
        raise WorkbookError("数据文件有误,无法导出", problems)
    periods = _edition_periods(root, year)
    wb = Workbook()
    wb.remove(wb.active)
    _instructions_sheet(wb, park, year, catalog)
    _catalog_sheet(wb, catalog)
    lists = _lists_sheet(wb, catalog)
    for layout in LAYOUTS:
        table = tables[layout.file]
        progress(f"{layout.title}:{len(table.rows)} 行")
        _data_sheet(wb, layout, table, catalog, lists, periods, year)
    _meta_sheet(wb, root, year)
    wb.security = WorkbookProtection(lockStructure=True)  # sheets cannot be renamed, deleted or added
    wb.active = 0
    stamp = dt.datetime(year + 1, 1, 1)
    wb.properties.creator = park.get("issuer", "")
    wb.properties.title = f"{park.get('name', '')}{year}年报数据录入表"
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return _normalised_zip(buffer.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _edition_periods(root: Path, year: int) -> list[int]:
    try:
        meta = yaml.safe_load((edition_dir(root, year) / "edition.yml").read_text(encoding="utf-8-sig")) or {}
        periods = [int(p) for p in meta.get("periods") or []]
    except (OSError, yaml.YAMLError, TypeError, ValueError, AttributeError):
        periods = []
    return periods or [year - 1, year]


def _header_row(ws, columns: list[tuple[str, int]]) -> None:
    for n, (header, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=n, value=header)
        cell.font, cell.fill, cell.protection, cell.alignment = BOLD, HEADER_FILL, LOCKED, Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"


def _protect(ws, editable: bool) -> None:
    """Lock the sheet; on a data sheet every cell but the header stays editable and rows can be added and removed."""
    ws.protection.sheet = True
    if editable:
        for attr in ("insertRows", "deleteRows", "formatColumns", "formatRows", "sort", "autoFilter"):
            setattr(ws.protection, attr, False)  # False = allowed


def _text_cell(ws, row: int, column: int, text: str):
    cell = ws.cell(row=row, column=column, value=text)
    cell.data_type = "s"  # "=…" stays text, never a formula
    return cell


def _instructions_sheet(wb: Workbook, park: dict, year: int, catalog: Catalog) -> None:
    ws = wb.create_sheet(INSTRUCTIONS)
    ws.column_dimensions["A"].width = 110
    name = park.get("name", "")
    lines = [
        (f"{name}{year}年报数据录入表", Font(bold=True, size=14)),
        (f"年报年份:{year}(对比年份和目标年份见各表的下拉列表)。本表由 nianbao export-xlsx 生成。", None),
        ("", None),
        ("怎样填写", BOLD),
        ("1. “数据”表:每行一个数。填“数值”和“状态”;“指标名称”“单位”两列是自动显示的,不用填,也不会导入。", None),
        (
            "2. “目标”表:下一年的目标。口径选“总量”时目标值用该指标的单位;选“增速”时填百分数的数字部分(增长8%填 8)。",
            None,
        ),
        ("3. “签约项目”表:本年签约的项目,投资额以万元为单位。", None),
        (
            "4. 指标代码、时期、分组、状态、口径、限定词、产业、片区都从下拉列表中选;各指标的含义和单位见“指标”表。",
            None,
        ),
        ("5. 数值只填数字:不带单位、不带百分号、不用千分位逗号;负数前加减号。分组留空表示园区合计。", None),
        ("6. 可以插入、删除、排序行;不要改表头,不要合并单元格。填完保存为 .xlsx(WPS 选“Excel 文件”)。", None),
        ("", None),
        ("导入", BOLD),
        (
            f"在仓库文件夹中运行:nianbao import-xlsx 本文件名.xlsx  —— 数据写回 data/editions/{year}/ 下的 CSV 文件,",
            None,
        ),
        (
            "并做与生成网站时相同的检查。有错误时按“工作表!单元格”列出(如 数据!F12 表示“数据”表 F 列第 12 行),改正后再导入一次。",
            None,
        ),
        ("只想检查不写入时加 --check。导出后 CSV 文件若被别人改过,导入会先停下来提醒,避免覆盖别人的修改。", None),
        ("", None),
        ("新增指标", BOLD),
        ("下拉列表里没有的指标,要先在 data/catalog.yml 中登记(名称、单位、小数位、口径、来源),再重新导出本表。", None),
        ("", None),
        (
            f"指标 {len(catalog.indicators)} 个;分组:"
            + ";".join(f"{d.name}({'、'.join(d.members)})" for d in catalog.dimensions.values()),
            None,
        ),
    ]
    for n, (text, font) in enumerate(lines, start=1):
        cell = _text_cell(ws, n, 1, text)
        cell.alignment = WRAP
        if font is not None:
            cell.font = font
    _protect(ws, editable=False)


def _catalog_sheet(wb: Workbook, catalog: Catalog) -> None:
    ws = wb.create_sheet(CATALOG_SHEET)
    _header_row(ws, [("指标代码", 24), ("指标名称", 24), ("单位", 14), ("小数位", 8), ("可用分组", 40),
                     ("统计口径", 60), ("数据来源", 14)])  # fmt: skip
    for n, ind in enumerate(catalog.indicators.values(), start=2):
        groups = ";".join(f"{catalog.dimensions[d].name}:{'、'.join(catalog.dimensions[d].members)}"
                          for d in ind.breakdowns if d in catalog.dimensions)  # fmt: skip
        for col, value in enumerate((ind.id, ind.name, ind.unit, ind.decimals, groups, ind.definition, ind.source), 1):
            cell = ws.cell(row=n, column=col, value=value) if col == 4 else _text_cell(ws, n, col, value)
            cell.alignment = WRAP if col in (5, 6) else Alignment(vertical="top")
    _protect(ws, editable=False)


def _lists_sheet(wb: Workbook, catalog: Catalog) -> dict[str, str]:
    """A hidden sheet holding the drop-down lists; returns list name → absolute range formula."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    columns: dict[str, list[str]] = {"breakdown": []}
    for dim in catalog.dimensions.values():
        columns["breakdown"] += [m for m in dim.members if m not in columns["breakdown"]]
        columns[f"dimension:{dim.id}"] = list(dim.members)
    ranges = {"indicator": f"'{CATALOG_SHEET}'!$A$2:$A${max(2, len(catalog.indicators) + 1)}"}
    for n, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(n)
        _text_cell(ws, 1, n, name)
        for row, value in enumerate(values, start=2):
            _text_cell(ws, row, n, value)
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(2, len(values) + 1)}"
    _protect(ws, editable=False)
    return ranges


def _validation(ws, sqref: str, kind: str, formula1: str, prompt: str, error: str, **kwargs) -> None:
    dv = DataValidation(type=kind, formula1=formula1, allow_blank=True, showErrorMessage=True, errorStyle="stop",
                        errorTitle="输入有误", error=error, showInputMessage=bool(prompt), prompt=prompt, **kwargs)  # fmt: skip
    dv.add(sqref)
    ws.add_data_validation(dv)


def _inline_list(values) -> str:
    return '"' + ",".join(values) + '"'


def _data_sheet(wb: Workbook, layout: Layout, table: CsvFile, catalog: Catalog, lists: dict[str, str],
                periods: list[int], year: int) -> None:  # fmt: skip
    ws = wb.create_sheet(layout.title)
    _header_row(ws, [(c.header, c.width) for c in layout.columns])
    last = len(table.rows) + 1 + EXTRA_ROWS
    for n, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(n)
        dim = ws.column_dimensions[letter]
        dim.protection = UNLOCKED  # rows typed below the prepared ones are editable too
        if column.helper:
            dim.fill, dim.font = HELPER_FILL, HELPER_FONT
    for r, record in enumerate(table.records(), start=2):
        for n, column in enumerate(layout.columns, start=1):
            if column.helper:
                continue
            text = record[column.key]
            cell = ws.cell(row=r, column=n)
            if text == "":
                cell.number_format = _blank_format(layout, column.key, record, catalog)
            elif column.key in NUMBER_COLUMNS:
                cell.value, fmt = _number_cell_value(text)
                if fmt is None:
                    cell.data_type = "s"
                else:
                    cell.number_format = fmt
            elif column.key in YEAR_COLUMNS and YEAR_RE.fullmatch(text):
                cell.value, cell.number_format = int(text), "0"
            else:
                cell.value = text
                cell.data_type = "s"
    for r in range(2, last + 1):
        for n, column in enumerate(layout.columns, start=1):
            cell = ws.cell(row=r, column=n)
            cell.protection = UNLOCKED
            if column.helper:
                cell.value = _helper_formula(layout, column.key, r)
                cell.fill, cell.font = HELPER_FILL, HELPER_FONT
    _sheet_validations(ws, layout, lists, periods, year, last)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(layout.columns))}{max(2, len(table.rows) + 1)}"
    _protect(ws, editable=True)


def _blank_format(layout: Layout, key: str, record: dict[str, str], catalog: Catalog) -> str:
    """A blank figure takes its indicator's decimals, so 300.5 typed into a 亿元 cell is written 300.50."""
    if layout is FIGURES and key == "value":
        ind = catalog.indicators.get(record.get("indicator", ""))
        if ind is not None:
            return _number_format(ind.decimals)
    if key in YEAR_COLUMNS:
        return "0"
    return "General"


def _helper_formula(layout: Layout, key: str, row: int) -> str:
    code = f"${layout.letter('indicator')}{row}"
    lookup = f"VLOOKUP({code},'{CATALOG_SHEET}'!$A:$C,{2 if key == 'name' else 3},FALSE)"
    if key == "name":
        return f'=IF({code}="","",IFERROR({lookup},"(未登记的指标)"))'
    if layout is TARGETS:
        return f'=IF({code}="","",IF(${layout.letter("measure")}{row}="增速","%",IFERROR({lookup},"")))'
    return f'=IF({code}="","",IFERROR({lookup},""))'


def _sheet_validations(ws, layout: Layout, lists: dict[str, str], periods: list[int], year: int, last: int) -> None:
    def where(key: str) -> str:
        letter = layout.letter(key)
        return f"{letter}2:{letter}{last}"

    pick = "请从下拉列表中选择"
    number_error = "只填数字:不带单位、百分号和千分位逗号"
    if layout is FIGURES or layout is TARGETS:
        _validation(ws, where("indicator"), "list", lists["indicator"], "",
                    f"{pick}指标代码;新指标要先在 data/catalog.yml 中登记,再重新导出本表")  # fmt: skip
        _validation(ws, where("value"), "decimal", "-1000000000000000", "", number_error,
                    operator="between", formula2="1000000000000000")  # fmt: skip
    if layout is FIGURES:
        _validation(ws, where("period"), "list", _inline_list(map(str, periods)), "", f"{pick}本期年报的年份")
        _validation(ws, where("breakdown"), "list", lists["breakdown"], "",
                    f"{pick}分组;合计行留空")  # fmt: skip
        _validation(ws, where("status"), "list", _inline_list(STATUSES), "", f"{pick}:正式 或 预计")
    elif layout is TARGETS:
        _validation(ws, where("period"), "whole", str(year + 1), "", f"目标年份应是{year + 1}年或以后",
                    operator="between", formula2="2200")  # fmt: skip
        _validation(ws, where("measure"), "list", _inline_list(MEASURES), "", f"{pick}:总量 或 增速")
        _validation(ws, where("qualifier"), "list", _inline_list(QUALIFIERS), "", f"{pick}:以上、左右、力争、确保")
    else:
        for key, dim_id in (("industry", "industry"), ("zone", "zone")):
            if f"dimension:{dim_id}" in lists:
                _validation(ws, where(key), "list", lists[f"dimension:{dim_id}"], "", pick)
        _validation(ws, where("investment"), "decimal", "0", "", "投资额以万元为单位,只填数字",
                    operator="between", formula2="1000000000000000")  # fmt: skip
        _validation(ws, where("status"), "list", _inline_list(PROJECT_STATUSES), "", f"{pick}:签约、开工、竣工投产")


def _meta_sheet(wb: Workbook, root: Path, year: int) -> None:
    """Hidden from the user interface: the format, the edition and a fingerprint of each file at export."""
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    rows = [("format", FORMAT_VERSION), ("edition", str(year))]
    rows += [(f"sha256:{layout.file}", fingerprint(edition_dir(root, year) / layout.file)) for layout in LAYOUTS]
    for n, (key, value) in enumerate(rows, start=1):
        _text_cell(ws, n, 1, key)
        _text_cell(ws, n, 2, value)
    _protect(ws, editable=False)


# --- import ---------------------------------------------------------------------------------------------------------
@dataclass
class SheetData:
    layout: Layout
    letters: dict[str, str]  # CSV column → column letter in the sheet as read
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (sheet row, cells), blank rows left out


@dataclass
class Located:
    """A problem placed where the person who typed it will look: ``数据!F12``, or the file when not in the workbook."""

    where: str
    problem: Problem
    order: tuple = ()


@dataclass
class ImportResult:
    year: int
    texts: dict[str, bytes]  # file name (figures.csv …) → the new bytes
    located: list[Located]
    changed: list[str]  # file names whose bytes differ from the repository's

    @property
    def errors(self) -> list[Located]:
        return [item for item in self.located if item.problem.is_error]


def cell_text(value, number_format: str | None = None) -> str:
    """What a cell holds, as CSV text. Text is kept exactly (the checks report stray spaces); empty is ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return number_text(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path, edition: int | None = None) -> tuple[int, dict[str, str], list[SheetData]]:
    """(edition year, fingerprints at export, the three sheets' rows). Raises WorkbookError if it cannot be read."""
    check_workbook_size(path)
    try:
        wb = load_workbook(path, data_only=True)  # a formula typed into a cell counts as the value Excel computed
    except FileNotFoundError:
        raise WorkbookError(f"找不到文件 {path}") from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, SyntaxError, TypeError,
            AttributeError, IndexError, EOFError, zlib.error) as exc:  # fmt: skip
        # SyntaxError: xml.etree's ParseError for malformed XML inside the zip; the others: broken parts openpyxl trips on
        raise WorkbookError(f"{path.name} 不是可以读取的 .xlsx 工作簿({type(exc).__name__});"
                            "WPS 或 Excel 中请“另存为”Excel 工作簿(*.xlsx)") from None  # fmt: skip
    check_cell_count(wb)
    meta: dict[str, str] = {}
    if META_SHEET in wb.sheetnames:
        for key, value in wb[META_SHEET].iter_rows(min_row=1, max_col=2, values_only=True):
            if key:
                meta[str(key)] = "" if value is None else str(value)
    stated = int(meta["edition"]) if meta.get("edition", "").isdigit() else None
    if edition is None and stated is None:
        raise WorkbookError("工作簿中没有记录年报年份(不是 nianbao export-xlsx 导出的?);请用 --edition 年份 指定")
    if edition is not None and stated is not None and edition != stated:
        raise WorkbookError(f"这个工作簿是 {stated} 年报的,不是 {edition} 年报的;请检查文件,或去掉 --edition")
    year = edition if edition is not None else stated
    sheets = [_read_sheet(wb, layout) for layout in LAYOUTS]
    fingerprints = {layout.file: meta[f"sha256:{layout.file}"] for layout in LAYOUTS if f"sha256:{layout.file}" in meta}
    return year, fingerprints, sheets


def check_workbook_size(path: Path) -> None:
    """Refuse a workbook whose parts would expand beyond MAX_UNCOMPRESSED before anything is parsed (a "zip bomb"),
    naming the largest part."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except FileNotFoundError:
        raise WorkbookError(f"找不到文件 {path}") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # load_workbook says what is wrong with it
    if len(entries) > MAX_ZIP_ENTRIES:
        raise WorkbookError(f"{path.name} 中有 {len(entries)} 个部件,超过上限 {MAX_ZIP_ENTRIES}:不像是年报的数据工作簿")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED:
        largest = max(entries, key=lambda entry: entry.file_size)
        raise WorkbookError(
            f"{path.name} 解压后有 {total / 2**20:.0f} MB(其中 {largest.filename} 有 {largest.file_size / 2**20:.0f} MB),"
            f"超过上限 {MAX_UNCOMPRESSED // 2**20} MB。年报的数据工作簿只有几百 KB:请用 nianbao export-xlsx 重新导出后"
            "只填数据,不要在表格下方或右侧留下大量格式或内容"
        )


def check_cell_count(wb) -> None:
    """Refuse a workbook with more cells than any report needs, naming the sheet, before its rows are read."""
    for ws in wb.worksheets:
        cells = len(getattr(ws, "_cells", ())) or ws.max_row * ws.max_column
        if cells > MAX_CELLS:
            raise WorkbookError(f"工作表“{ws.title}”有 {cells} 个单元格(到第 {ws.max_row} 行),超过上限 {MAX_CELLS}:"
                                "请删除表格下方和右侧多余的行、列和格式后重新保存")  # fmt: skip


def _rows_beyond_limit(ws) -> int | None:
    """The first row below MAX_ROWS that has content, if any (such rows are never dropped silently)."""
    if ws.max_row <= MAX_ROWS:
        return None
    cells = getattr(ws, "_cells", None)
    if cells is not None:
        rows = [row for (row, _), cell in cells.items() if row > MAX_ROWS and cell.value not in (None, "")]
        return min(rows) if rows else None
    for r, row in enumerate(ws.iter_rows(min_row=MAX_ROWS + 1, values_only=True), start=MAX_ROWS + 1):
        if any(value not in (None, "") for value in row):
            return r
    return None


def _read_sheet(wb, layout: Layout) -> SheetData:
    if layout.title not in wb.sheetnames:
        raise WorkbookError(
            f"工作簿中没有工作表“{layout.title}”;请在 nianbao export-xlsx 导出的工作簿中填写,不要改工作表名"
        )
    ws = wb[layout.title]
    by_header = {c.header: c for c in layout.columns}
    positions: dict[str, int] = {}
    header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    for n, value in enumerate(header, start=1):
        title = "" if value is None else str(value).strip()
        if not title:
            continue
        column = by_header.get(title)
        if column is None:
            raise WorkbookError(f"{layout.title}!{get_column_letter(n)}1:表头“{title}”不是这个表的列;"
                                "请不要改动表头(各列见“说明”表)")  # fmt: skip
        if column.key in positions and not column.helper:
            raise WorkbookError(f"{layout.title}!{get_column_letter(n)}1:列“{title}”出现了两次")
        positions.setdefault(column.key, n)
    missing = [c.header for c in layout.columns if not c.helper and c.key not in positions]
    if missing:
        raise WorkbookError(f"工作表“{layout.title}”缺少列:{'、'.join(missing)};请不要删除或改动表头")
    sheet = SheetData(layout, {key: get_column_letter(n) for key, n in positions.items()})
    beyond = _rows_beyond_limit(ws)
    if beyond is not None:
        raise WorkbookError(f"{layout.title}!A{beyond}:工作表有内容在第 {MAX_ROWS} 行以下,超过了可以导入的行数;"
                            "年报的数据不会有这么多行,请检查是否粘贴了多余的内容")  # fmt: skip
    for r, row in enumerate(ws.iter_rows(min_row=2, max_row=min(ws.max_row, MAX_ROWS)), start=2):
        cells = {}
        for key in layout.csv_columns:
            index = positions[key] - 1
            cell = row[index] if index < len(row) else None
            cells[key] = cell_text(cell.value, cell.number_format) if cell is not None else ""
        if any(text.strip() for text in cells.values()):
            sheet.rows.append((r, cells))
    return sheet


def plan_import(root: Path, year: int, fingerprints: dict[str, str], sheets: list[SheetData],
                force: bool = False) -> tuple[dict[str, bytes], dict[str, dict[int, int]], list[str]]:  # fmt: skip
    """The new bytes of each file, where each CSV line came from (line → sheet row), and the files that change.

    A file keeps its column order, byte-order mark and line ends. Raises WorkbookError when a file changed since the
    workbook was exported and the import would overwrite that change (unless ``force``)."""
    folder = edition_dir(root, year)
    if not folder.is_dir():
        raise WorkbookError(
            f"没有 {year} 年报的数据文件夹 {EDITIONS_DIR}/{year}/;新的一年请先运行 nianbao new-edition {year}"
        )
    texts, lines, changed, stale = {}, {}, [], []
    imported = _import_record()
    for sheet in sheets:
        layout = sheet.layout
        path = folder / layout.file
        current = path.read_bytes() if path.is_file() else None
        existing, _ = read_csv_file(path, layout.file) if current is not None else (None, [])
        header = list(layout.csv_columns)
        if existing is not None and sorted(existing.header) == sorted(header):
            header = existing.header
        table = CsvFile(header, [[cells[c] for c in header] for _, cells in sheet.rows],
                        bom=existing.bom if existing else False, newline=existing.newline if existing else "\n")  # fmt: skip
        data = csv_bytes(table)
        _, starts = csv_text(table.header, table.rows, table.newline)
        texts[layout.file] = data
        lines[layout.file] = {1: 1} | {line: r for line, (r, _) in zip(starts, sheet.rows, strict=True)}
        if data != current:
            changed.append(layout.file)
            exported, now = fingerprints.get(layout.file), fingerprint(path)
            ours = imported.get(_record_key(root, year, layout.file, exported or "")) == now
            if exported is not None and exported != now and not ours:
                stale.append(f"{EDITIONS_DIR}/{year}/{layout.file}")
    if stale and not force:
        raise WorkbookError("这些文件在导出工作簿之后被修改过(可能是同事的更正),导入会覆盖那些修改:"
                            + "、".join(stale) + "。请重新导出工作簿、把你的修改填进新的工作簿再导入;"
                            "确认要覆盖时加 --force")  # fmt: skip
    return texts, lines, changed


def check_import(root: Path, year: int, texts: dict[str, bytes], lines: dict[str, dict[int, int]],
                 sheets: list[SheetData]) -> list[Located]:  # fmt: skip
    """Run every check of ``nianbao check`` (data, then the pages that quote it) on a scratch copy of the project
    holding the new files; place each problem of the workbook's files on its cell."""
    from .site import collect_problems, template_dir_for  # the site layer renders pages; needed only here

    with tempfile.TemporaryDirectory(prefix="nianbao-import-") as scratch:
        shutil.copytree(Path(root) / "data", Path(scratch) / "data", symlinks=True)
        if (Path(root) / "docs").is_dir():
            shutil.copytree(Path(root) / "docs", Path(scratch) / "docs", symlinks=True)
        folder = edition_dir(Path(scratch), year)
        for name, data in texts.items():
            (folder / name).write_bytes(data)
        problems = collect_problems(Path(scratch), template_dir_for(Path(root)))
    return [locate(p, year, lines, sheets) for p in problems]


def locate(problem: Problem, year: int, lines: dict[str, dict[int, int]], sheets: list[SheetData]) -> Located:
    by_file = {f"{EDITIONS_DIR}/{year}/{s.layout.file}": s for s in sheets}
    sheet = by_file.get(problem.file)
    if sheet is None:
        where = problem.file + (f":{problem.row}" if problem.row else "")
        return Located(where, problem, (1, problem.file, problem.row or 0))
    title = sheet.layout.title
    index = [s.layout.file for s in sheets].index(sheet.layout.file)
    if not problem.row:
        return Located(title, problem, (0, index, 0, ""))
    mapping = lines[sheet.layout.file]
    starts = [line for line in mapping if line <= problem.row]
    row = mapping[max(starts)] if starts else problem.row
    letter = sheet.letters.get((problem.column or "").split(",")[0])
    if letter is None or "," in (problem.column or ""):
        return Located(f"{title}!第{row}行", problem, (0, index, row, ""))
    return Located(f"{title}!{letter}{row}", problem, (0, index, row, letter))


def format_located(located: list[Located]) -> str:
    """One plain-text table: 位置 | 代码 | 说明, in sheet order."""
    rows = [("位置", "代码", "说明")]
    for item in sorted(located, key=lambda x: x.order):
        p = item.problem
        level = p.level_word
        rows.append((item.where, p.code, f"[{level}] {p.message}。{p.advice}"))
    widths = [max(_width(r[i]) for r in rows) for i in range(2)]
    return "\n".join(" | ".join([r[i] + " " * (widths[i] - _width(r[i])) for i in range(2)] + [r[2]]) for r in rows)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_files(root: Path, year: int, texts: dict[str, bytes], changed: list[str],
                fingerprints: dict[str, str] | None = None) -> None:  # fmt: skip
    """Replace each changed file in one step (write beside it, then rename), so a reader never sees half a file, and
    note what was written for which export, so that importing the same workbook again is not taken for a conflict."""
    folder = edition_dir(root, year)
    record = _import_record()
    for name in changed:
        temporary = folder / f".{name}.importing"
        temporary.write_bytes(texts[name])
        temporary.replace(folder / name)
        if fingerprints and name in fingerprints:
            record[_record_key(root, year, name, fingerprints[name])] = hashlib.sha256(texts[name]).hexdigest()
    if fingerprints:
        try:
            _record_path().parent.mkdir(parents=True, exist_ok=True)
            _record_path().write_text(
                json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
            )
        except OSError:
            pass  # only a convenience: without it a second import asks for --force


def _record_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nianbao" / "imports.json"


def _record_key(root: Path, year: int, name: str, exported: str) -> str:
    return f"{Path(root).resolve()}|{year}|{name}|{exported}"


def _import_record() -> dict[str, str]:
    try:
        record = json.loads(_record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def import_workbook(path: Path, root: Path, edition: int | None = None, write: bool = True, force: bool = False,
                    progress: Progress | None = None) -> ImportResult:  # fmt: skip
    """Read, check and (if ``write``) write back. Raises WorkbookError when nothing could be imported."""
    progress = progress or (lambda message: None)
    progress(f"读取工作簿 {Path(path).name} …")
    year, fingerprints, sheets = read_workbook(Path(path), edition)
    progress(f"{year} 年报:" + ",".join(f"{s.layout.title} {len(s.rows)} 行" for s in sheets))
    texts, lines, changed = plan_import(root, year, fingerprints, sheets, force)
    progress("检查数据和引用数据的页面(与 nianbao check 和生成网站时的检查相同)…")
    located = check_import(root, year, texts, lines, sheets)
    if write and changed:
        progress("写入 " + "、".join(f"{EDITIONS_DIR}/{year}/{name}" for name in changed))
        write_files(root, year, texts, changed, fingerprints)
    return ImportResult(year, texts, located, changed)
