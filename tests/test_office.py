"""The office's year: new-edition, the data-entry workbook out and back in, and what a strict build says afterwards.

Expected rows and problems are derived here from the catalog and the last edition's CSV files, not from the output.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, SAMPLE, build, copy_project
from nianbao.cli import main
from nianbao.workbook import LAYOUTS, format_places, number_text
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

E25 = "data/editions/2025"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _write_rows(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def _located(out: str) -> dict[str, str]:
    """The import's table (位置 | 代码 | 说明) as location → code."""
    rows = [[cell.strip() for cell in line.split("|")] for line in out.splitlines() if line.count("|") >= 2]
    return {row[0]: row[1] for row in rows[1:]}


def _check_json(project: Path, capsys) -> dict:
    capsys.readouterr()
    main(["check", "--root", str(project), "--format", "json"])
    return json.loads(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    """import-xlsx notes what it wrote in the user's cache folder: keep the tests' notes to themselves."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def sample(tmp_path) -> Path:
    return copy_project(SAMPLE, tmp_path / "park")


@pytest.fixture
def new_2025(sample, capsys) -> Path:
    assert main(["new-edition", "2025", "--root", str(sample)]) == 0
    return sample


def _expected_figure_rows(project: Path) -> list[tuple]:
    """Each catalog indicator, for 2024 (carried from the 2024 edition) and 2025 (blank), with the breakdowns the 2024
    edition reported for it, members in catalog order."""
    catalog = yaml.safe_load((project / "data/catalog.yml").read_text(encoding="utf-8"))
    last = _rows(project / "data/editions/2024/figures.csv")
    stated = {(r["indicator"], r["breakdown"]): r for r in last if r["period"] == "2024"}
    rows = []
    for ind_id, ind in catalog["indicators"].items():
        members = [m for dim in ind.get("breakdowns", []) for m in catalog["dimensions"][dim]["members"]]
        members = [m for m in members if any(r["indicator"] == ind_id and r["breakdown"] == m for r in last)]
        for period in ("2024", "2025"):
            for breakdown in [""] + members:
                source = stated.get((ind_id, breakdown)) if period == "2024" else None
                rows.append(
                    (ind_id, period, breakdown, source["value"] if source else "", source["status"] if source else "")
                )
    return rows


def test_new_edition_creates_blanks_carried_figures_targets_and_pages(new_2025, capsys):
    out = capsys.readouterr().out
    project = new_2025
    got = [
        (r["indicator"], r["period"], r["breakdown"], r["value"], r["status"])
        for r in _rows(project / E25 / "figures.csv")
    ]
    assert got == _expected_figure_rows(project)
    assert all(r["note"] == "" for r in _rows(project / E25 / "figures.csv"))
    last_plan = [r for r in _rows(project / "data/editions/2024/targets.csv") if r["period"] == "2025"]
    targets = _rows(project / E25 / "targets.csv")
    assert [(t["indicator"], t["period"], t["measure"], t["value"], t["qualifier"]) for t in targets] == [
        (t["indicator"], "2026", t["measure"], "", t["qualifier"]) for t in last_plan
    ]
    assert (project / E25 / "projects.csv").read_text(
        encoding="utf-8"
    ) == "name,company,industry,zone,investment,status,note\n"
    edition = yaml.safe_load((project / E25 / "edition.yml").read_text(encoding="utf-8"))
    assert edition == {"year": 2025, "title": "2025年度工作总结暨2026年工作规划", "periods": [2024, 2025]}
    summary = (project / "docs/2025/summary.md").read_text(encoding="utf-8")
    assert summary.startswith("---\ntitle: 2025年工作总结\n---\n")
    assert '完成营业收入{{ value("revenue") }},{{ growth("revenue") }},{{ completion("revenue") }}' in summary
    assert "## 上年目标完成情况" in summary and "{{ target_review() }}" in summary
    assert '{{ completion("fixed_investment") }}' in summary  # a target of the last plan that is not a headline
    assert '{{ breakdown_table("revenue", "zone") }}' in summary  # zones cover the total: the table
    problems = (project / "docs/2025/problems.md").read_text(encoding="utf-8")
    assert "title: 2025年存在的主要困难和问题" in problems and "{{ data_problems() }}" in problems
    plan = (project / "docs/2025/plan.md").read_text(encoding="utf-8")
    assert "title: 2026年工作规划" in plan and '营业收入{{ target("revenue") }}' in plan
    assert "{{ target_table() }}" in plan and "{{ target_charts() }}" in plan
    blanks = sum(1 for r in got if r[3] == "")
    assert f"2025 年的数值和状态({blanks} 行,每行的数值和状态都要填)" in out and f"2026 年目标值({len(last_plan)} 个)" in out
    estimates = [r for r in got if r[1] == "2024" and r[4] == "预计"]
    assert f"其中 {len(estimates)} 个上期是预计数" in out


def test_new_edition_then_strict_build_lists_each_blank(new_2025, capsys):
    project = new_2025
    expected = set()
    for line, row in enumerate(_rows(project / E25 / "figures.csv"), start=2):
        for column in ("value", "status"):
            if row[column] == "":
                expected.add((f"{E25}/figures.csv", line, column, "missing-value"))
    for line, _ in enumerate(_rows(project / E25 / "targets.csv"), start=2):
        expected.add((f"{E25}/targets.csv", line, "value", "missing-value"))
    blank_rows = sum(1 for r in _expected_figure_rows(project) if r[1] == "2025")
    last_plan = [r for r in _rows(project / "data/editions/2024/targets.csv") if r["period"] == "2025"]
    assert len(expected) == 2 * blank_rows + len(last_plan)  # value and status of each 2025 row, each target's value
    marks = set()  # and, in the same round, what is left to write in the new pages
    for page in sorted((project / "docs/2025").glob("*.md")):
        for line, text in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            if "【待填写" in text:
                marks.add((f"docs/2025/{page.name}", line, None, "prose-placeholder"))
    assert marks
    report = _check_json(project, capsys)
    assert {(p["file"], p["row"], p["column"], p["code"]) for p in report["problems"]} == expected | marks
    result = build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "数据检查未通过,网站没有生成" in result.stderr
    table = [line for line in result.stderr.splitlines() if line.startswith("data/")]
    assert len(table) == len(expected)
    assert all(" missing-value " in line and "必填项为空" in line for line in table)
    for file, row, column, _ in sorted(expected)[:5]:
        assert any(line.split("|")[0].strip() == file and line.split("|")[1].strip() == str(row)
                   and line.split("|")[2].strip() == column for line in table)  # fmt: skip


def _q(value: Decimal, places: str) -> str:
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def test_new_edition_pages_build_strictly_once_the_blanks_are_filled(new_2025):
    """The template pages use only expressions that work: fill the data (2025 = 2024, targets = 1) and build."""
    project = new_2025
    figures = _rows(project / E25 / "figures.csv")
    prior = {(r["indicator"], r["breakdown"]): r["value"] for r in figures if r["period"] == "2024"}
    for row in figures:
        if row["period"] == "2025":
            unchanged = prior[(row["indicator"], row["breakdown"])]
            row["value"], row["status"] = ("0.0" if row["indicator"] == "value_added_growth" else unchanged), "正式"
    _write_rows(project / E25 / "figures.csv", figures)
    targets = _rows(project / E25 / "targets.csv")
    for row in targets:
        row["value"] = "1"
    _write_rows(project / E25 / "targets.csv", targets)
    # The data is complete, but the pages still carry the templates' 【待填写…】: a strict build names each one.
    pages = sorted((project / "docs/2025").glob("*.md"))
    marks = [(f"docs/2025/{p.name}", n) for p in pages
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) for _ in range(line.count("【待填写"))]  # fmt: skip
    assert marks
    result = build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    warned = re.findall(r"(docs/\S+):(\d+) prose-placeholder", result.stderr)
    assert sorted((file, int(line)) for file, line in warned) == sorted(marks)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"【待填写[^】]*】", "园区各项工作有序推进", text), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    from bs4 import BeautifulSoup

    text = BeautifulSoup((project / "site/2025/summary.html").read_text(encoding="utf-8"), "html.parser")
    text = text.select_one("article").get_text(" ", strip=True)
    revenue = Decimal(prior[("revenue", "")])
    target = next(
        Decimal(t["value"]) for t in _rows(project / "data/editions/2024/targets.csv") if t["indicator"] == "revenue"
    )
    assert (
        f"园区完成营业收入{_q(revenue, '0.01')}亿元,与上年持平,完成年初目标的{_q(revenue / target * 100, '0.1')}%"
        in text
    )
    assert "【待填写" not in text
    plan = BeautifulSoup((project / "site/2025/plan.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "营业收入1亿元以上" in plan  # target("revenue"): 1, qualifier 以上 carried from the 2024 plan


def test_new_edition_refuses_to_overwrite(new_2025, capsys):
    project = new_2025
    before = _hashes(project / "data") | {f"docs/{k}": v for k, v in _hashes(project / "docs").items()}
    capsys.readouterr()
    assert main(["new-edition", "2025", "--root", str(project)]) == 1
    assert "已经存在" in capsys.readouterr().err
    after = _hashes(project / "data") | {f"docs/{k}": v for k, v in _hashes(project / "docs").items()}
    assert after == before
    # pages alone are enough to refuse: no data folder is created beside them
    (project / "docs/2026").mkdir()
    (project / "docs/2026/summary.md").write_text("已有的草稿\n", encoding="utf-8")
    assert main(["new-edition", "2026", "--root", str(project)]) == 1
    assert not (project / "data/editions/2026").exists()
    assert (project / "docs/2026/summary.md").read_text(encoding="utf-8") == "已有的草稿\n"


# --- the workbook ---------------------------------------------------------------------------------------------------
def _export(project: Path, year: int, out: Path) -> Path:
    assert main(["export-xlsx", "--root", str(project), "--edition", str(year), "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("source", [SAMPLE, FIXTURES / "mini"], ids=["sample", "mini"])
def test_export_then_import_changes_no_byte(source, tmp_path, capsys):
    project = copy_project(source, tmp_path / "p")
    before = _hashes(project / "data")
    for year in sorted(int(p.name) for p in (project / "data/editions").iterdir()):
        book = _export(project, year, tmp_path / f"{year}.xlsx")
        assert main(["import-xlsx", str(book), "--root", str(project)]) == 0, capsys.readouterr()
        assert "没有改动" in capsys.readouterr().out
    assert _hashes(project / "data") == before


def test_round_trip_keeps_unusual_but_valid_files(tmp_path, capsys):
    """A byte-order mark and CRLF (Excel's CSV), quoted cells with commas, quotes and line breaks, text that looks like a
    formula, trailing zeros and long numbers: all come back as they were."""
    project = copy_project(FIXTURES / "mini", tmp_path / "p")
    folder = project / "data/editions/2024"
    figures = (folder / "figures.csv").read_text(encoding="utf-8")
    figures = figures.replace(
        "revenue,2023,,221.00,正式,按可比口径调整", 'revenue,2023,,221.00,正式,"按可比口径调整,含""两区"""'
    )
    figures = figures.replace("loans_a,2024,,6500,正式,", "loans_a,2024,,6500.000,正式,=来自台账")
    (folder / "figures.csv").write_bytes(b"\xef\xbb\xbf" + figures.replace("\n", "\r\n").encode("utf-8"))
    projects = (folder / "projects.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    projects[1] = projects[1].rstrip("\n").rsplit(",", 1)[0] + ',"分两期建设:\n一期2024年投产"\n'
    (folder / "projects.csv").write_text("".join(projects), encoding="utf-8")
    before = _hashes(project / "data")
    book = _export(project, 2024, tmp_path / "w.xlsx")
    assert main(["import-xlsx", str(book), "--root", str(project)]) in (0, 1)
    assert _hashes(project / "data") == before


def test_new_edition_round_trip_and_blank_cells_reported_by_sheet_and_cell(new_2025, tmp_path, capsys):
    project = new_2025
    before = _hashes(project / "data")
    book = _export(project, 2025, tmp_path / "w.xlsx")
    capsys.readouterr()
    assert main(["import-xlsx", str(book), "--root", str(project)]) == 1  # blanks are errors, nothing changes
    out = capsys.readouterr().out
    assert _hashes(project / "data") == before
    first_blank = next(n for n, r in enumerate(_rows(project / E25 / "figures.csv"), start=2) if r["value"] == "")
    ws = load_workbook(book)["数据"]
    letters = {c.value: c.column_letter for c in ws[1]}
    located = _located(out)
    assert (
        located[f"数据!{letters['数值']}{first_blank}"]
        == located[f"数据!{letters['状态']}{first_blank}"]
        == "missing-value"
    )
    assert located["目标!F2"] == "missing-value"  # 目标值 is the sixth column of 目标
    assert len(located) == len(_check_json(project, capsys)["problems"])  # the same problems as the checks, placed


def test_workbook_layout_for_office_staff(sample, tmp_path):
    book = load_workbook(_export(sample, 2024, tmp_path / "w.xlsx"))
    assert book.sheetnames[0] == "说明" and book.active.title == "说明"
    assert {"说明", "指标", "数据", "目标", "签约项目"} <= set(book.sheetnames)
    assert book.security.lockStructure
    catalog = yaml.safe_load((sample / "data/catalog.yml").read_text(encoding="utf-8"))
    for layout in LAYOUTS:
        ws = book[layout.title]
        headers = [c.value for c in ws[1]]
        assert headers == [c.header for c in layout.columns]
        assert all(c.protection.locked for c in ws[1]) and ws.protection.sheet
        assert not ws.protection.insertRows and not ws.protection.deleteRows  # rows can be added and removed
        assert not ws["A2"].protection.locked and ws.freeze_panes == "A2"
        sqrefs = {str(dv.sqref).split(":")[0][:1]: dv for dv in ws.data_validations.dataValidation}
        if layout.title in ("数据", "目标"):
            assert sqrefs["A"].type == "list" and "'指标'!$A$2" in sqrefs["A"].formula1  # indicator codes
            assert ws["C1"].value == "单位" and "VLOOKUP" in ws["C2"].value  # the unit shown on every row
    figures = book["数据"]
    letter = {c.value: c.column_letter for c in figures[1]}
    breakdown = next(dv for dv in figures.data_validations.dataValidation if str(dv.sqref).startswith(letter["分组"]))
    sheet, cells = breakdown.formula1.split("!")
    members = [c.value for row in book[sheet.strip("'")][cells.replace("$", "")] for c in row]
    assert members == [m for d in catalog["dimensions"].values() for m in d["members"]]
    qualifier = next(dv for dv in book["目标"].data_validations.dataValidation if str(dv.sqref).startswith("G"))
    assert qualifier.formula1 == '"以上,左右,力争,确保"'
    codes = [book["指标"].cell(row=n, column=1).value for n in range(2, len(catalog["indicators"]) + 2)]
    assert codes == list(catalog["indicators"])
    # 95.30 is stored as the number 95.3 shown with two decimals, so Excel shows what the CSV says
    first = _rows(sample / "data/editions/2024/figures.csv")[0]
    assert figures[f"{letter['数值']}2"].value == float(first["value"])
    assert format_places(figures[f"{letter['数值']}2"].number_format) == len(first["value"].split(".")[1])
    assert "import-xlsx" in " ".join(str(c.value) for c in book["说明"]["A"])


def _edit_sample_workbook(sample: Path, tmp_path: Path) -> tuple[Path, dict]:
    book_path = _export(sample, 2024, tmp_path / "w.xlsx")
    book = load_workbook(book_path)
    ws = book["数据"]
    col = {c.value: c.column_letter for c in ws[1]}
    ws[f"{col['数值']}3"] = "12%"  # text in a number cell
    ws.insert_rows(10)  # a blank row: sheet rows below it no longer match CSV lines
    ws[f"{col['状态']}13"] = None  # was sheet row 12, CSV line 12; now sheet row 13, CSV line 12
    ws[f"{col['数值']}20"] = 0.153  # someone typed 15.3% into a cell formatted as a percentage
    ws[f"{col['数值']}20"].number_format = "0.0%"
    targets = book["目标"]
    tcol = {c.value: c.column_letter for c in targets[1]}
    targets[f"{tcol['限定词']}4"] = "大约"
    projects = book["签约项目"]
    pcol = {c.value: c.column_letter for c in projects[1]}
    projects[f"{pcol['投资额(万元)']}5"] = "3亿"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    return edited, {"value": col["数值"], "status": col["状态"], "qualifier": tcol["限定词"],
                    "investment": pcol["投资额(万元)"]}  # fmt: skip


def test_edited_workbook_errors_are_reported_by_sheet_and_cell(sample, tmp_path, capsys):
    edited, col = _edit_sample_workbook(sample, tmp_path)
    before = _hashes(sample / "data")
    capsys.readouterr()
    assert main(["import-xlsx", str(edited), "--root", str(sample), "--check"]) == 1
    captured = capsys.readouterr()
    assert _hashes(sample / "data") == before  # --check writes nothing
    assert _located(captured.out) == {
        f"数据!{col['value']}3": "invalid-number",
        f"数据!{col['status']}13": "missing-value",
        f"目标!{col['qualifier']}4": "invalid-choice",
        f"签约项目!{col['investment']}5": "invalid-number",
    }
    assert "读取工作簿" in captured.err and "检查数据" in captured.err  # progress, on stderr
    # Without --check the files are written as the workbook says (errors included), and the checks see the same
    assert main(["import-xlsx", str(edited), "--root", str(sample)]) == 1
    figures = (sample / "data/editions/2024/figures.csv").read_text(encoding="utf-8").splitlines()
    original = _rows(SAMPLE / "data/editions/2024/figures.csv")
    assert figures[2].split(",")[3] == "12%"  # CSV line 3 = sheet row 3
    assert figures[11].split(",")[4] == "" and original[10]["status"] != ""  # CSV line 12 = sheet row 13
    assert figures[18].split(",")[3] == "15.3"  # sheet row 20 = CSV line 19: the percentage as typed
    report = _check_json(sample, capsys)
    assert {(p["row"], p["code"]) for p in report["problems"] if p["file"].endswith("figures.csv")} == {
        (3, "invalid-number"), (12, "missing-value")}  # fmt: skip


def test_import_checks_the_pages_that_quote_the_data(sample, tmp_path, capsys):
    """A row the data checks can do without, but a page quotes: the import reports the page's line, as check does."""
    book_path = _export(sample, 2024, tmp_path / "w.xlsx")
    book = load_workbook(book_path)
    ws = book["数据"]
    col = {c.value: c.column_letter for c in ws[1]}
    header = [c.value for c in ws[1]]
    key = (header.index("指标代码"), header.index("时期"), header.index("分组"))
    row = next(r[0].row for r in ws.iter_rows(min_row=2)
               if (r[key[0]].value, str(r[key[1]].value), r[key[2]].value) == ("revenue", "2024", "电子信息"))  # fmt: skip
    ws.delete_rows(row)
    book.save(book_path)
    summary = (sample / "docs/2024/summary.md").read_text(encoding="utf-8").splitlines()
    quoting = {n for n, line in enumerate(summary, start=1) if 'value("revenue", breakdown="电子信息")' in line}
    assert quoting and col
    capsys.readouterr()
    assert main(["import-xlsx", str(book_path), "--root", str(sample), "--check"]) == 1
    located = _located(capsys.readouterr().out)
    assert {where for where, code in located.items() if code == "prose-missing-figure"} == {
        f"docs/2024/summary.md:{n}" for n in quoting}  # fmt: skip


def test_import_again_after_fixing_the_listed_cells(sample, tmp_path, capsys):
    """Import, fix what it lists in the same workbook, import again: not taken for someone else's change. Restoring
    every edited cell gives back the original files, byte for byte (the blank row inserted in the sheet is skipped)."""
    original = _hashes(SAMPLE / "data")
    edited, col = _edit_sample_workbook(sample, tmp_path)
    assert main(["import-xlsx", str(edited), "--root", str(sample)]) == 1  # written, with its errors
    figures = _rows(SAMPLE / "data/editions/2024/figures.csv")
    book = load_workbook(edited)
    ws = book["数据"]
    ws[f"{col['value']}3"] = float(figures[1]["value"])  # CSV line 3
    ws[f"{col['status']}13"] = figures[10]["status"]  # CSV line 12, below the inserted blank row
    ws[f"{col['value']}20"] = float(figures[17]["value"])  # CSV line 19, back from the percentage format
    ws[f"{col['value']}20"].number_format = "0." + "0" * len(figures[17]["value"].split(".")[1])
    book["目标"][f"{col['qualifier']}4"] = _rows(SAMPLE / "data/editions/2024/targets.csv")[2]["qualifier"]
    book["签约项目"][f"{col['investment']}5"] = int(_rows(SAMPLE / "data/editions/2024/projects.csv")[3]["investment"])
    book.save(edited)
    capsys.readouterr()
    assert main(["import-xlsx", str(edited), "--root", str(sample)]) == 0, capsys.readouterr()
    assert _hashes(sample / "data") == original


def test_import_refuses_files_changed_since_export(sample, tmp_path, capsys):
    edited, _ = _edit_sample_workbook(sample, tmp_path)
    path = sample / "data/editions/2024/projects.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("原有企业扩产", "原有企业扩产(同事更正)"), encoding="utf-8"
    )
    corrected = _hashes(sample / "data")
    capsys.readouterr()
    assert main(["import-xlsx", str(edited), "--root", str(sample)]) == 1
    err = capsys.readouterr().err
    assert "没有导入" in err and "data/editions/2024/projects.csv" in err and "--force" in err
    assert _hashes(sample / "data") == corrected
    assert main(["import-xlsx", str(edited), "--root", str(sample), "--force"]) == 1  # written, with its errors
    assert "同事更正" not in path.read_text(encoding="utf-8")


def test_import_refuses_what_is_not_the_workbook(sample, tmp_path, capsys):
    book = load_workbook(_export(sample, 2024, tmp_path / "w.xlsx"))
    book.security.lockStructure = False
    del book["目标"]
    book.save(tmp_path / "no-targets.xlsx")
    (tmp_path / "not.xlsx").write_text("indicator,period\n", encoding="utf-8")
    before = _hashes(sample / "data")
    for name, says in (("no-targets.xlsx", "没有工作表“目标”"), ("not.xlsx", "不是可以读取的 .xlsx"),
                       ("missing.xlsx", "找不到文件")):  # fmt: skip
        capsys.readouterr()
        assert main(["import-xlsx", str(tmp_path / name), "--root", str(sample)]) == 1
        assert says in capsys.readouterr().err
    capsys.readouterr()
    assert main(["import-xlsx", str(tmp_path / "w.xlsx"), "--root", str(sample), "--edition", "2023"]) == 1
    assert "是 2024 年报的" in capsys.readouterr().err
    assert _hashes(sample / "data") == before


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (95.3, "0.00", "95.30"),
        (310, "0", "310"),
        (310, "General", "310"),
        (8.5, "General", "8.5"),
        (300.5, "0.00", "300.50"),
        (95.304, "0.00", "95.304"),  # more decimals than shown: nothing typed is lost
        (0.153, "0.0%", "15.3"),
        (-5.3, "0.0", "-5.3"),
        (0.30000000000000004, "General", "0.3"),  # Excel's 15 significant digits
        (1045, "#,##0", "1045"),
        (12.0, '0.0"亿元"', "12.0"),
        (1e16, "General", "10000000000000000"),
    ],
)
def test_number_text_writes_what_the_cell_shows(value, number_format, text):
    assert number_text(value, number_format) == text


def test_columns_of_the_sheets_are_the_csv_columns():
    from nianbao.tables import FIGURES, PROJECTS, TARGETS

    for layout, spec in zip(LAYOUTS, (FIGURES, TARGETS, PROJECTS), strict=True):
        assert layout.csv_columns == tuple(spec.schema.columns)
        assert [c.key for c in layout.columns if not c.helper] == list(spec.schema.columns)
        assert len({get_column_letter(n) for n in range(1, len(layout.columns) + 1)}) == len(layout.columns)
