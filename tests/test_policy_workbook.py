"""Importer limits: a workbook that expands beyond what a report needs, a broken part inside it, or rows below the
row limit are refused with the sheet and the size — in seconds, in little memory, never a traceback, and never by
silently dropping rows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project
from nianbao import workbook
from nianbao.cli import main
from openpyxl import Workbook, load_workbook


@pytest.fixture
def book(tmp_path, monkeypatch) -> tuple[Path, Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = copy_project(FIXTURES / "mini", tmp_path / "project")
    out = tmp_path / "2024.xlsx"
    assert main(["export-xlsx", "--root", str(project), "--edition", "2024", "-o", str(out)]) == 0
    return project, out


def _rewrite(source: Path, target: Path, replace: dict[str, bytes] | None = None, add: dict | None = None) -> Path:
    """A copy of a workbook with some parts replaced and others added (name -> bytes, or a callable writing a stream)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, (replace or {}).get(item.filename, old.read(item.filename)))
        for name, content in (add or {}).items():
            with new.open(name, "w", force_zip64=True) as stream:
                content(stream) if callable(content) else stream.write(content)
    return target


def _import_in_child(project: Path, path: Path) -> tuple[float, int, int, str]:
    """(seconds, peak RSS in MB, exit code, stderr) of `nianbao import-xlsx` in a child process."""
    err = path.parent / "stderr.txt"
    env = dict(os.environ, XDG_CACHE_HOME=str(path.parent / "cache"))
    start = time.monotonic()
    with err.open("wb") as stderr:
        child = subprocess.Popen([sys.executable, "-m", "nianbao.cli", "import-xlsx", str(path), "--root", str(project)],
                                 stdout=subprocess.DEVNULL, stderr=stderr, env=env)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - start, usage.ru_maxrss // 1024, child.returncode, err.read_text("utf-8", "replace")


def test_a_workbook_that_expands_to_190_mb_of_xml_is_refused_at_once(book, tmp_path):
    project, exported = book
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>' * 1000

    def huge_sheet(stream):
        stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        for _ in range(190 * 2**20 // len(row)):
            stream.write(row)
        stream.write(b"</sheetData></worksheet>")

    bomb = _rewrite(exported, tmp_path / "bomb.xlsx", add={"xl/worksheets/sheet99.xml": huge_sheet})
    assert bomb.stat().st_size < 5 * 2**20  # small on disk
    before = {p: p.read_bytes() for p in (project / "data/editions/2024").iterdir()}
    seconds, megabytes, code, stderr = _import_in_child(project, bomb)
    assert code == 1 and "Traceback" not in stderr
    assert "解压后有 190 MB" in stderr and "xl/worksheets/sheet99.xml" in stderr
    assert seconds < 10 and megabytes < 500, (seconds, megabytes)
    assert {p: p.read_bytes() for p in (project / "data/editions/2024").iterdir()} == before


@pytest.mark.parametrize("broken", [b"<worksheet><sheetData><row>", b"\x00\x01 not xml", b""])
def test_malformed_xml_inside_the_workbook_is_a_message(book, tmp_path, broken):
    project, exported = book
    with zipfile.ZipFile(exported) as archive:
        sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    bad = _rewrite(exported, tmp_path / "bad.xlsx", replace={sheet: broken})
    _, _, code, stderr = _import_in_child(project, bad)
    assert code == 1 and "Traceback" not in stderr and "不是可以读取的 .xlsx 工作簿" in stderr


def test_rows_below_the_row_limit_are_refused_not_dropped(book, tmp_path):
    project, exported = book
    wb = load_workbook(exported)
    wb["数据"].cell(row=workbook.MAX_ROWS + 5, column=1).value = "revenue"
    edited = tmp_path / "long.xlsx"
    wb.save(edited)
    _, _, code, stderr = _import_in_child(project, edited)
    assert code == 1 and "Traceback" not in stderr
    assert f"数据!A{workbook.MAX_ROWS + 5}" in stderr and str(workbook.MAX_ROWS) in stderr


def test_a_sheet_with_more_cells_than_a_report_needs_is_refused_with_its_name():
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    for row in range(1, workbook.MAX_CELLS // 4 + 2):
        for column in range(1, 5):
            ws.cell(row=row, column=column, value=1)
    with pytest.raises(workbook.WorkbookError, match="工作表“数据”有 400004 个单元格"):
        workbook.check_cell_count(wb)


def test_an_exported_workbook_is_far_below_every_limit(book):
    _, exported = book
    with zipfile.ZipFile(exported) as archive:
        assert sum(i.file_size for i in archive.infolist()) < workbook.MAX_UNCOMPRESSED // 20
    workbook.check_cell_count(load_workbook(exported))
    shutil.rmtree(exported.parent / "cache", ignore_errors=True)
