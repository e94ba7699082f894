"""The report on paper: one PDF per edition, printed by a real headless Chromium from the built site.

This module is pure (names, cover facts, CSS strings) and imports no browser library, so the site builds without
one and the MkDocs adapter can name each edition's PDF for its links. ``writer.build_pdfs`` does the printing.
"""

from __future__ import annotations

import datetime as dt
import re

from ..model import Report

PDF_DIR = "pdf"  # one level deep, like the edition folders: relative asset paths of the built pages stay valid
PARTS = ("summary", "problems", "plan")  # report order
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


def pdf_path(year: int) -> str:
    """Site path of an edition's PDF."""
    return f"{PDF_DIR}/{year}.pdf"


def report_title(report: Report, year: int) -> str:
    return report.editions[year].title


def download_name(report: Report, year: int) -> str:
    """The Chinese file name offered on download: park name and report title."""
    name = f"{report.park.get('name', '')}{report_title(report, year)}"
    return _UNSAFE_IN_FILE_NAMES.sub("", name) + ".pdf"


def downloads(report: Report) -> dict[int, dict[str, str]]:
    """Edition year -> the PDF's site path and download name, for the link on every page of the edition."""
    return {year: {"path": pdf_path(year), "filename": download_name(report, year)} for year in report.editions}


def chinese_date(value) -> str | None:
    """2025-01-22 (a date or an ISO string) -> 2025年1月22日; None stays None (a draft)."""
    if value is None or value == "":
        return None
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{day.year}年{day.month}月{day.day}日"


def cover(report: Report, year: int) -> dict:
    """What the cover and the running header say."""
    park = report.park
    title = report_title(report, year)
    return {
        "park": park.get("name", ""),
        "issuer": park.get("issuer", ""),
        "sample": bool(park.get("sample")),
        "year": year,
        "title": title,
        "date": chinese_date(report.editions[year].published),
        "document_title": f"{park.get('name', '')}{title}",
    }


def css_string(text: str) -> str:
    """A CSS string literal (quotes included) safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{escaped}"'
