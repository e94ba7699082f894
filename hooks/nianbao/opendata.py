"""Machine-readable downloads: the published CSV files, an XLSX workbook per edition, the catalog as CSV and a
Frictionless Data Package descriptor of all of them (each workbook sheet is a resource of its own).

Downloads are made for Excel and WPS: UTF-8 with a byte-order mark (without it Excel on Chinese Windows reads UTF-8
as GBK) and CRLF line ends. Text cells that start with = + - @ are prefixed with an apostrophe so that a spreadsheet
shows them as text instead of running them as formulas (OWASP "CSV injection"); numbers are left alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import normalize
from .model import Edition, Report
from .numbers import NUMBER_TEXT

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
BOLD = Font(bold=True)  # zip's earliest date: byte-identical workbooks on every build

FIGURE_HEADERS = {"indicator": "指标代码", "name": "指标名称", "unit": "单位", "period": "时期", "breakdown": "分组",
                  "value": "数值", "status": "状态", "note": "备注"}  # fmt: skip
TARGET_HEADERS = {"indicator": "指标代码", "name": "指标名称", "unit": "单位", "period": "目标年份", "measure": "口径",
                  "value": "目标值", "qualifier": "限定词", "note": "备注"}  # fmt: skip
PROJECT_HEADERS = {"name": "项目名称", "company": "企业", "industry": "产业", "zone": "片区", "investment": "投资额(万元)",
                   "status": "状态", "note": "备注"}  # fmt: skip
CATALOG_HEADERS = {"id": "指标代码", "name": "指标名称", "unit": "单位", "decimals": "小数位", "kind": "类别",
                   "definition": "统计口径", "source": "数据来源", "good": "方向"}  # fmt: skip
XLSX_MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Sheet(NamedTuple):
    """One sheet of an edition's workbook, as written and as the data package describes it."""

    key: str  # resource name part, and the CSV file the sheet repeats (indicators: catalog.csv)
    title: str
    headers: dict
    types: dict
    descriptions: dict


WORKBOOK_SHEETS = (
    Sheet("figures", "数据", FIGURE_HEADERS, {"period": "integer", "value": "number"},
          {"unit": "数值的计量单位", "breakdown": "空=合计;否则为产业或片区", "status": "正式 或 预计"}),
    Sheet("targets", "目标", TARGET_HEADERS, {"period": "integer", "value": "number"},
          {"unit": "目标值的单位;口径为“增速”时为 %", "qualifier": "以上、左右、力争、确保"}),
    Sheet("projects", "签约项目", PROJECT_HEADERS, {"investment": "number"}, {"investment": "万元"}),
    Sheet("indicators", "指标说明", CATALOG_HEADERS, {"decimals": "integer"}, {}),
)  # fmt: skip


def safe_cell(text: str) -> str:
    """Neutralise a text cell a spreadsheet would run as a formula; plain numbers (also negative) stay as they are."""
    if text and text.startswith(FORMULA_START) and not re.fullmatch(NUMBER_TEXT, text):
        return "'" + text
    return text


def excel_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def published_csv(path: Path) -> bytes:
    """A published CSV file of an edition, re-encoded for spreadsheets (same rows, same columns), as the engine read
    it: a GBK or UTF-16 source, full-width digits or padded cells are published normalised."""
    return excel_csv(normalize.published_rows(path))


def catalog_rows(report: Report) -> list[list[str]]:
    rows = [list(CATALOG_HEADERS)]
    for ind in report.catalog.indicators.values():
        rows.append([ind.id, ind.name, ind.unit, str(ind.decimals), ind.kind, ind.definition, ind.source, ind.good])
    return rows


def _sheet(wb: Workbook, title: str, headers: dict, rows: list[list]) -> None:
    """One sheet in write-only mode (about twice as fast as the normal mode for the whole site)."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for col, header in enumerate(headers.values(), start=1):
        ws.column_dimensions[get_column_letter(col)].width = max(10, len(header) * 2 + 2)
    head = []
    for header in headers.values():
        cell = WriteOnlyCell(ws, value=header)
        cell.font = BOLD
        head.append(cell)
    ws.append(head)
    for row in rows:
        ws.append([_cell(ws, value) for value in row])


def _cell(ws, value):
    if isinstance(value, Decimal):
        return float(value)
    cell = WriteOnlyCell(ws, value=None if value is None else str(value))
    # Set as a string explicitly: openpyxl would store "=…" as a formula.
    cell.data_type = "s"
    return cell


def edition_workbook(report: Report, edition: Edition) -> bytes:
    cat = report.catalog.indicators
    wb = Workbook(write_only=True)
    figures = [[f.indicator, cat[f.indicator].name, cat[f.indicator].unit, str(f.period), f.breakdown or "",
                f.value, f.status, f.note] for f in edition.figures.values()]  # fmt: skip
    targets = [[t.indicator, cat[t.indicator].name, "%" if t.is_growth else cat[t.indicator].unit, str(t.period),
                t.measure, t.value, t.qualifier, t.note] for t in edition.targets]  # fmt: skip
    projects = [[p.name, p.company, p.industry, p.zone, p.investment, p.status, p.note] for p in edition.projects]
    rows = {"figures": figures, "targets": targets, "projects": projects, "indicators": catalog_rows(report)[1:]}
    for sheet in WORKBOOK_SHEETS:
        _sheet(wb, sheet.title, sheet.headers, rows[sheet.key])
    stamp = dt.datetime(edition.year + 1, 1, 1)
    wb.properties.creator = report.park.get("issuer", "")
    wb.properties.title = f"{report.park.get('name', '')}{edition.title}数据"
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return _normalised_zip(buffer.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _normalised_zip(data: bytes, stamp: str) -> bytes:
    """Rewrite a workbook with fixed timestamps, so that the same data gives the same bytes.

    openpyxl stamps "modified" with the time of saving and zip entries with the current time.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def workbook_path(year: int) -> str:
    return f"data/{year}/nianbao-{year}.xlsx"


def download_name(report: Report, year: int, suffix: str) -> str:
    return f"{report.park.get('short_name') or report.park.get('name', '')}{year}年报数据{suffix}"


def _fields(headers: dict, types: dict, descriptions: dict) -> list[dict]:
    return [{"name": key, "title": title, "type": types.get(key, "string"), **(
        {"description": descriptions[key]} if key in descriptions else {})} for key, title in headers.items()]  # fmt: skip


def _sheet_resource(edition: Edition, sheet: Sheet) -> dict:
    """A sheet of the edition's workbook as a tabular resource: the same path for the four sheets, told apart by the
    Excel dialect's sheet name. The header row is Chinese, so the field names are the Chinese headers (Frictionless
    checks them against the header row); each field's description names the CSV column it repeats."""
    source = "catalog.csv" if sheet.key == "indicators" else f"{edition.year}/{sheet.key}.csv"
    fields = []
    for key, title in sheet.headers.items():
        looked_up = sheet.key in ("figures", "targets") and key in ("name", "unit")  # not in the CSV: from the catalog
        origin = f"取自 catalog.csv 中同一指标代码的 {key} 列" if looked_up else f"即 {source} 的 {key} 列"
        description = ";".join(filter(None, [sheet.descriptions.get(key), origin]))
        fields.append({"name": title, "type": sheet.types.get(key, "string"), "description": description})
    schema: dict = {"fields": fields}
    if sheet.key != "projects":
        schema["foreignKeys"] = [{"fields": [sheet.headers["indicator" if "indicator" in sheet.headers else "id"]],
                                  "reference": {"resource": "catalog", "fields": ["id"]}}]  # fmt: skip
    return {
        "name": f"workbook-{edition.year}-{sheet.key}", "path": workbook_path(edition.year).removeprefix("data/"),
        "format": "xlsx", "mediatype": XLSX_MEDIATYPE, "dialect": {"excel": {"sheet": sheet.title}},
        "title": f"{edition.title}:Excel 工作簿“{sheet.title}”表",
        "description": f"与 {source} 相同的行,中文表头" + (",并列出指标名称和单位。" if sheet.key in ("figures", "targets") else "。"),
        "schema": schema,
    }  # fmt: skip


def datapackage(report: Report) -> dict:
    """A Frictionless Data Package describing every downloadable file, field and unit."""
    units = "; ".join(f"{i.id}={i.name}({i.unit})" for i in report.catalog.indicators.values())
    resources = [{
        "name": "catalog", "path": "catalog.csv", "format": "csv", "encoding": "utf-8-sig", "title": "指标说明",
        "description": "每个指标的名称、计量单位、小数位、统计口径和数据来源。",
        "schema": {"fields": _fields(CATALOG_HEADERS, {"decimals": "integer"}, {}), "primaryKey": ["id"]},
    }]  # fmt: skip
    for year in sorted(report.editions):
        edition = report.editions[year]
        figure_fields = {k: v for k, v in FIGURE_HEADERS.items() if k not in ("name", "unit")}
        target_fields = {k: v for k, v in TARGET_HEADERS.items() if k not in ("name", "unit")}
        resources += [
            {"name": f"figures-{year}", "path": f"{year}/figures.csv", "format": "csv", "encoding": "utf-8-sig",
             "title": f"{edition.title}:统计数据",
             "description": f"{year}年报发布的数值(含对比年份)。数值的单位见 catalog.csv 中同一指标代码的单位。",
             "schema": {"fields": _fields(figure_fields, {"period": "integer", "value": "number"},
                                          {"indicator": f"指标代码,单位:{units}", "breakdown": "空=合计;否则为产业或片区",
                                           "status": "正式 或 预计"}),
                        "foreignKeys": [{"fields": ["indicator"], "reference": {"resource": "catalog", "fields": ["id"]}}]}},
            {"name": f"targets-{year}", "path": f"{year}/targets.csv", "format": "csv", "encoding": "utf-8-sig",
             "title": f"{edition.title}:目标",
             "description": "本期工作规划设定的目标;口径为“增速”时目标值是百分比。",
             "schema": {"fields": _fields(target_fields, {"period": "integer", "value": "number"},
                                          {"qualifier": "以上、左右、力争、确保"}),
                        "foreignKeys": [{"fields": ["indicator"], "reference": {"resource": "catalog", "fields": ["id"]}}]}},
            {"name": f"projects-{year}", "path": f"{year}/projects.csv", "format": "csv", "encoding": "utf-8-sig",
             "title": f"{edition.title}:签约项目",
             "schema": {"fields": _fields(PROJECT_HEADERS, {"investment": "number"}, {"investment": "万元"})}},
        ]  # fmt: skip
        resources += [_sheet_resource(edition, sheet) for sheet in WORKBOOK_SHEETS]
    return {
        "name": "nianbao-data",
        "title": f"{report.park.get('name', '')}年度工作报告数据",
        "description": "各期年报发布的统计数据、目标和签约项目:CSV 文件及其 Excel 工作簿(每张工作表一项)。" + ("本数据为虚构的示例数据。" if report.park.get("sample") else ""),
        "contributors": [{"title": report.park.get("issuer", ""), "role": "publisher"}],
        "resources": resources,
    }


def downloads(report: Report) -> dict[str, bytes]:
    """Site path -> bytes of every file under data/ that the site offers."""
    files = {"data/catalog.csv": excel_csv(catalog_rows(report))}
    for year, edition in report.editions.items():
        for name in ("figures.csv", "targets.csv", "projects.csv"):
            files[f"data/{year}/{name}"] = published_csv(report.root / edition.folder / name)
        files[workbook_path(year)] = edition_workbook(report, edition)
    files["data/datapackage.json"] = (json.dumps(datapackage(report), ensure_ascii=False, indent=2) + "\n").encode()
    return files
