"""Every check against a project that breaks exactly it.

The broken projects are patches over tests/fixtures/mini (see tests/fixtures/bad/README.md). Each test asserts the
exact locations reported, as (file, row, column, code) tuples: a check that fires on the wrong row is as wrong as one
that does not fire.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from nianbao.cli import collect_problems, main
from nianbao.loader import load_report
from nianbao.problems import ERROR, WARNING, Problem
from nianbao.prose import lint_hand_typed_figures

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
BAD = FIXTURES / "bad"

CATALOG = "data/catalog.yml"
F23 = "data/editions/2023/figures.csv"
P23 = "data/editions/2023/projects.csv"
F24 = "data/editions/2024/figures.csv"
T24 = "data/editions/2024/targets.csv"
P24 = "data/editions/2024/projects.csv"
E24 = "data/editions/2024/edition.yml"
SUMMARY24 = "docs/2024/summary.md"

# case folder -> every problem load_report must return, as (file, row, column, code). Rows are line numbers, header = 1.
DATA_CASES: dict[str, list[tuple]] = {
    # --- shape of the CSV files (tables.py) ---
    "invalid-number": [(F24, 11, "value", "invalid-number")],  # 10.45亿
    "invalid-period": [(F24, 11, "period", "invalid-period")],  # 2024年
    "invalid-status": [(F24, 11, "status", "invalid-choice")],  # 初步
    "missing-value": [(F24, 11, "value", "missing-value")],
    "missing-qualifier": [(T24, 2, "qualifier", "missing-value")],
    "missing-column": [(F24, 1, "status", "missing-column")],
    "extra-column": [(F24, 1, "unit", "extra-column")],
    "duplicate-figure": [(F24, 23, "indicator,period,breakdown", "duplicate-figure")],  # repeats tax 2024 (row 11)
    "duplicate-target": [(T24, 4, "indicator,period,measure", "duplicate-target")],  # repeats tax 2025 总量 (row 3)
    # --- YAML files ---
    "yaml-invalid": [(E24, 2, None, "yaml-invalid")],  # "title: 年报: …" — a second colon
    "catalog-schema-invalid": [(CATALOG, 25, "indicators/tax/kind", "schema-invalid")],  # kind: money
    "edition-year-mismatch": [(E24, None, "year", "edition-year-mismatch")],  # folder 2024, year: 2025
    # --- the catalog (catalog.py) ---
    "unknown-unit": [(CATALOG, 23, "indicators/tax/unit", "unknown-unit")],  # 亿 instead of 亿元
    "unknown-relation": [(CATALOG, 71, "indicators/loans/parts", "unknown-relation")],  # parts: [loans_a, loans_c]
    "relation-cycle": [(CATALOG, 72, "indicators/loans/parts", "relation-cycle")],  # loans ⊃ loans_a ⊃ loans
    # --- what the figures mean (checks.py) ---
    "unknown-indicator": [(F24, 23, "indicator", "unknown-indicator")],  # profit
    "unknown-breakdown": [(F24, 23, "breakdown", "unknown-breakdown")],  # revenue 北区: not a zone
    "period-outside-edition": [(F24, 23, "period", "period-outside-edition")],  # 2021 in the 2024 edition
    "negative-count": [(F24, 15, "value", "negative-count")],  # incidents -9
    # 东区 150.00 + 西区 100.00 = 250.00 ≠ 243.10: reported on the total's row.
    "parts-not-total-zone": [(F24, 3, "value", "parts-not-total")],
    # 新材料 190.00 + 电子信息 59.85 = 249.85 > 243.10 (industry is not complete: only "exceeds" is an error).
    "industry-parts-exceed-total": [(F24, 3, "value", "parts-exceed-total")],
    # loans 9600 ≠ loans_a 6500 + loans_b 3000.
    "indicator-parts-not-total": [(F24, 21, "value", "parts-not-total")],
    # revenue_growth 12.0, but 221.00 → 243.10 is +10.0%.
    "growth-rate-mismatch": [(F24, 22, "value", "derived-mismatch")],
    # tax_share 5.0, but 10.45 / 243.10 is 4.3%.
    "share-mismatch": [(F24, 23, "value", "derived-mismatch")],
    # tax 2024 written in 万元 (104500) against 11.00 亿元 the year before: ratio 9500.
    "unit-slip-wan-yi": [(F24, 11, "value", "unit-slip")],
    # --- targets and projects ---
    "target-unknown-indicator": [(T24, 4, "indicator", "unknown-indicator")],
    "target-period-not-after-edition": [(T24, 3, "period", "period-outside-edition")],  # a 2024 target in 2024
    "project-unknown-zone": [(P24, 2, "zone", "unknown-member")],  # 北区
    "negative-investment": [(P24, 3, "investment", "negative-count")],
    # --- several errors at once: all of them are reported, not just the first ---
    "errors-in-two-files": [
        (P23, 3, "industry", "unknown-member"),  # 生物医药 is not an industry member
        (F24, 23, "indicator", "unknown-indicator"),
    ],
    "shape-errors-in-three-files": [
        (CATALOG, 23, "indicators/tax/unit", "unknown-unit"),
        (F23, 12, "value", "invalid-number"),  # 50家
        (P24, 4, "status", "invalid-choice"),  # 在建
    ],
}

# Files accepted with a warning (issue 6: "accept with normalisation and a warning, e.g. GBK decoded"). More such cases,
# with their decisions, are in tests/corpus/ and DATA_INPUT.md.
NORMALISED_CASES: dict[str, list[tuple]] = {
    "figures-gbk-encoded": [(F24, None, None, "encoding-converted")],  # saved from Excel as GBK: decoded, warned
}

# Cases that only show when the pages are rendered: checked through nianbao.cli.collect_problems.
PROSE_CASES: dict[str, list[tuple]] = {
    # value("revenue", breakdown="新能源") on line 8: no such figure.
    # Located at the call's column (value( starts at character 15).
    "prose-missing-figure": [(SUMMARY24, 8, "15", "prose-missing-figure")],
    # {{ growht("tax") }} on line 8: a typo for growth; its {{ is character 22 (after 税收{{ value("tax") }},).
    "prose-unknown-function": [(SUMMARY24, 8, "22", "prose-unknown-function")],
    # "全年新增就业岗位1200个。" on line 8: a statistic typed by hand.
    "prose-hand-typed-figure": [(SUMMARY24, 8, None, "prose-hand-typed-figure")],
}


def make_project(tmp_path: Path, case: str | None = None) -> Path:
    """A copy of the mini project, with the files of ``bad/<case>`` laid over it."""
    root = tmp_path / "project"
    shutil.copytree(MINI, root)
    if case is not None:
        patch = BAD / case
        assert patch.is_dir(), f"no fixture {patch}"
        shutil.copytree(patch, root, dirs_exist_ok=True)
    return root


def locations(problems: list[Problem]) -> list[tuple]:
    return sorted(
        ((p.file, p.row, p.column, p.code) for p in problems), key=lambda t: (t[0], t[1] or 0, t[2] or "", t[3])
    )


def expected(tuples: list[tuple]) -> list[tuple]:
    return sorted(tuples, key=lambda t: (t[0], t[1] or 0, t[2] or "", t[3]))


# --- the fixtures themselves --------------------------------------------------------------------------------------


def test_every_fixture_has_a_test():
    folders = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert folders == set(DATA_CASES) | set(PROSE_CASES) | set(NORMALISED_CASES)


def test_mini_is_clean(tmp_path):
    root = make_project(tmp_path)
    report, problems = load_report(root)
    assert problems == []
    assert report is not None
    assert sorted(report.editions) == [2023, 2024]
    assert collect_problems(root) == []


# --- data checks --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(DATA_CASES))
def test_data_check(tmp_path, case):
    report, problems = load_report(make_project(tmp_path, case))
    assert locations(problems) == expected(DATA_CASES[case])
    assert report is None  # every case holds an error, so no report is built
    for p in problems:
        assert p.severity == ERROR
        d = p.as_dict()  # the message template takes its detail
        assert d["message"] and "{" not in d["message"]
        assert d["advice"]


@pytest.mark.parametrize("case", sorted(NORMALISED_CASES))
def test_normalised_case(tmp_path, case):
    report, problems = load_report(make_project(tmp_path, case))
    assert locations(problems) == expected(NORMALISED_CASES[case])
    assert {p.severity for p in problems} == {WARNING}
    assert report is not None


def test_problem_details_name_the_numbers(tmp_path):
    """The message tells office staff what is wrong, with the figures involved, not just a code."""
    _, problems = load_report(make_project(tmp_path, "parts-not-total-zone"))
    (problem,) = problems
    assert "250.00亿元" in problem.message and "243.10亿元" in problem.message
    _, problems = load_report(make_project(tmp_path / "b", "growth-rate-mismatch"))
    (problem,) = problems
    assert "12.0" in problem.message and "10.0%" in problem.message
    _, problems = load_report(make_project(tmp_path / "c", "invalid-number"))
    (problem,) = problems
    assert "10.45亿" in problem.message


def _replace_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[line - 1].startswith(old), lines[line - 1]
    lines[line - 1] = new + lines[line - 1][len(old) :]
    path.write_text("".join(lines), encoding="utf-8")


def test_rounding_difference_in_parts_is_tolerated(tmp_path):
    # Parts published at 2 decimals may add up to 0.01 more than the total (each part rounded on its own):
    # 东区 143.11 + 西区 100.00 = 243.11 against a total of 243.10.
    root = make_project(tmp_path)
    _replace_line(root / F24, 6, "revenue,2024,东区,143.10,", "revenue,2024,东区,143.11,")
    report, problems = load_report(root)
    assert problems == []
    assert report is not None


def test_rounding_tolerance_is_one_half_unit_per_number(tmp_path):
    # Two parts and a total, each off by at most 0.005: at most 0.015 apart. 0.02 is a real mismatch.
    root = make_project(tmp_path)
    _replace_line(root / F24, 6, "revenue,2024,东区,143.10,", "revenue,2024,东区,143.12,")
    _, problems = load_report(root)
    assert locations(problems) == [(F24, 3, "value", "parts-not-total")]


def test_indicator_parts_tolerate_rounding(tmp_path):
    # loans_a + loans_b = 9500 at 0 decimals; 9501 is within 3 × 0.5.
    root = make_project(tmp_path)
    _replace_line(root / F24, 21, "loans,2024,,9500,", "loans,2024,,9501,")
    report, problems = load_report(root)
    assert problems == []
    assert report is not None


def test_incomplete_breakdown_of_a_complete_dimension_is_named(tmp_path):
    # The zones are declared complete (they partition the park). With 西区 2024 not given, 东区 143.10 alone falls
    # 100.00 short of the total: 分项不全, naming the zone that is missing, on the total's row.
    root = make_project(tmp_path)
    lines = (root / F24).read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[6].startswith("revenue,2024,西区,")
    del lines[6]
    (root / F24).write_text("".join(lines), encoding="utf-8")
    _, problems = load_report(root)
    assert locations(problems) == [(F24, 3, "value", "parts-incomplete")]
    assert "未列出:西区" in problems[0].message and "相差100.00亿元" in problems[0].message


def test_incomplete_breakdown_still_may_not_exceed_the_total(tmp_path):
    # 西区 missing and 东区 raised to 250.00 > 243.10: the listed part alone exceeds the total.
    root = make_project(tmp_path)
    lines = (root / F24).read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[6]
    (root / F24).write_text("".join(lines), encoding="utf-8")
    _replace_line(root / F24, 6, "revenue,2024,东区,143.10,", "revenue,2024,东区,250.00,")
    _, problems = load_report(root)
    assert locations(problems) == [(F24, 3, "value", "parts-exceed-total")]
    assert "分项不全" in problems[0].message


def test_missing_file_is_reported(tmp_path):
    root = make_project(tmp_path)
    (root / P24).unlink()
    report, problems = load_report(root)
    assert report is None
    assert locations(problems) == [(P24, None, None, "file-missing")]


def test_unquoted_thousands_separator_points_at_its_row(tmp_path):
    # 1,045 typed without quotes splits the row into 7 fields. The row is known, so the problem must carry it.
    root = make_project(tmp_path)
    _replace_line(root / F24, 11, "tax,2024,,10.45,", "tax,2024,,1,045,")
    report, problems = load_report(root)
    assert report is None
    assert [(p.file, p.row) for p in problems] == [(F24, 11)]


def test_quoted_thousands_separator_is_an_invalid_number(tmp_path):
    root = make_project(tmp_path)
    _replace_line(root / F24, 11, "tax,2024,,10.45,", 'tax,2024,,"1,045",')
    _, problems = load_report(root)
    assert locations(problems) == [(F24, 11, "value", "invalid-number")]


def test_checks_run_on_every_edition(tmp_path):
    # The same slip in the 2023 edition is found in that edition's file.
    root = make_project(tmp_path)
    _replace_line(root / F23, 11, "tax,2023,,11.00,", "tax,2023,,110000,")
    _, problems = load_report(root)
    assert locations(problems) == [(F23, 11, "value", "unit-slip")]


# --- prose checks -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(PROSE_CASES))
def test_prose_check(tmp_path, case):
    problems = collect_problems(make_project(tmp_path, case))
    assert locations(problems) == expected(PROSE_CASES[case])


PAGE_HEAD = '---\ntitle: 工作总结\n---\n\n# 工作总结\n\n全年完成营业收入{{ value("revenue") }}。\n'  # lines 1-7


@pytest.mark.parametrize(
    ("line8", "column", "code"),
    [
        # Mistakes found in the {{ }} before rendering are located at the {{; those found by a call, at the call.
        ('税收{{ growht("tax") }}。', "3", "prose-unknown-function"),  # an unknown name
        ('税收{{ value("tax", 2024, None, "多余") }}。', "6", "prose-unknown-function"),  # too many arguments
        ('税收{{ value(indicator="tax", year=2024) }}。', "6", "prose-unknown-function"),  # an unknown keyword
        ('税收{{ value("tax" }}。', "3", "prose-syntax-error"),  # a missing bracket
        ('税收{{ value("tax", period=2019) }}。', "6", "prose-missing-figure"),  # a year the edition does not state
        ('{{ completion("incidents") }}。', "4", "prose-missing-figure"),  # the 2023 plan set no target for incidents
        ('{{ value("profit") }}。', "4", "prose-missing-figure"),  # not in the catalog
    ],
    ids=[
        "unknown-name",
        "too-many-arguments",
        "unknown-keyword",
        "syntax-error",
        "period-not-stated",
        "no-target-due",
        "unknown-indicator",
    ],
)
def test_prose_problems_point_at_their_line(tmp_path, line8, column, code):
    root = make_project(tmp_path)
    (root / SUMMARY24).write_text(PAGE_HEAD + line8 + "\n\n正文结束。\n", encoding="utf-8")
    assert locations(collect_problems(root)) == [(SUMMARY24, 8, column, code)]


def test_prose_problem_severities(tmp_path):
    assert {p.severity for p in collect_problems(make_project(tmp_path / "a", "prose-missing-figure"))} == {ERROR}
    assert {p.severity for p in collect_problems(make_project(tmp_path / "b", "prose-unknown-function"))} == {ERROR}
    assert {p.severity for p in collect_problems(make_project(tmp_path / "c", "prose-hand-typed-figure"))} == {WARNING}


def test_prose_missing_figure_names_what_is_missing(tmp_path):
    (problem,) = collect_problems(make_project(tmp_path, "prose-missing-figure"))
    assert "新能源" in problem.message


def test_prose_checks_wait_for_clean_data(tmp_path):
    # With a data error the pages are not rendered: collect_problems returns the data problems.
    problems = collect_problems(make_project(tmp_path, "errors-in-two-files"))
    assert locations(problems) == expected(DATA_CASES["errors-in-two-files"])


@pytest.mark.parametrize(
    ("line", "figure"),
    [
        ("全年新增就业岗位1200个。", "1200个"),
        ("营业收入达到421.5亿元", "421.5亿元"),
        (",新增1200人", "1200人"),
        ("同比增长12.3%。", "12.3%"),
        ("同比增长１２.３％。", "１２.３％"),  # full-width digits and percent sign
        ("新签约项目 23 个", "23 个"),
        ("12.3%", "12.3%"),
    ],
)
def test_hand_typed_figure_lint_finds_numbers_in_chinese_prose(line, figure):
    problems = lint_hand_typed_figures(line, SUMMARY24)
    assert [(p.row, p.code, p.detail) for p in problems] == [(1, "prose-hand-typed-figure", figure)]


@pytest.mark.parametrize(
    "line",
    [
        '{{ value("revenue") }}',
        '2024年营业收入{{ value("revenue") }}',  # a year is not a statistic
        "一是部分企业增速放缓。",
        "G320国道",
    ],
)
def test_hand_typed_figure_lint_leaves_data_and_years_alone(line):
    assert lint_hand_typed_figures(line, SUMMARY24) == []


# --- the command --------------------------------------------------------------------------------------------------


def test_cli_check_passes_on_mini(tmp_path, capsys):
    assert main(["check", "--root", str(make_project(tmp_path))]) == 0
    assert "0 个错误" in capsys.readouterr().out


def test_cli_check_fails_on_an_error(tmp_path, capsys):
    assert main(["check", "--root", str(make_project(tmp_path, "parts-not-total-zone"))]) == 1
    out = capsys.readouterr().out
    assert F24 in out and "parts-not-total" in out
    assert "1 个错误" in out


def test_cli_json_lists_every_problem(tmp_path, capsys):
    code = main(["check", "--root", str(make_project(tmp_path, "shape-errors-in-three-files")), "--format", "json"])
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == 3
    got = sorted(((p["file"], p["row"], p["column"], p["code"]) for p in data["problems"]),
                 key=lambda t: (t[0], t[1] or 0, t[2] or "", t[3]))  # fmt: skip
    assert got == expected(DATA_CASES["shape-errors-in-three-files"])
    for p in data["problems"]:
        assert p["severity"] == "error"
        assert p["message"] and p["advice"]


def test_cli_json_on_mini(tmp_path, capsys):
    assert main(["check", "--root", str(make_project(tmp_path)), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"errors": 0, "problems": []}


def test_cli_reports_errors_of_several_files_together(tmp_path, capsys):
    assert main(["check", "--root", str(make_project(tmp_path, "errors-in-two-files"))]) == 1
    out = capsys.readouterr().out
    assert P23 in out and F24 in out
    assert "2 个错误" in out


def test_cli_github_annotations(tmp_path, capsys):
    root = make_project(tmp_path, "negative-count")
    assert main(["check", "--root", str(root), "--format", "github"]) == 1
    out = capsys.readouterr().out
    line15 = (root / F24).read_text(encoding="utf-8").splitlines()[14]
    column = len(",".join(line15.split(",")[:3])) + 2  # the value cell starts after three fields and their commas
    assert out.startswith(f"::error file={F24},line=15,col={column},title=negative-count::")


def test_cli_warning_passes_unless_strict(tmp_path, capsys):
    root = make_project(tmp_path, "prose-hand-typed-figure")
    assert main(["check", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "0 个错误,1 个提醒" in out
    assert main(["check", "--root", str(root), "--strict"]) == 1


def test_cli_wrong_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml"])
    assert exc.value.code == 2
