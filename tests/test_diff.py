"""``nianbao diff`` on real git repositories: two commits of the mini fixture, the report asserted.

Expected values are computed here from the fixture's CSV files and the edits the test makes, never copied from output.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES
from nianbao.cli import main

MINI = FIXTURES / "mini"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "测试",
    "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
}  # fmt: skip

# The edits of the second commit: (file, old text, new text). Old texts are lines of the fixture.
TAX_2024 = ("data/editions/2024/figures.csv", "tax,2024,,10.45,正式,", "tax,2024,,10.80,正式,")
NEW_FIGURE = "revenue,2024,新材料,120.00,正式,新纳入统计"
REMOVED_LINE = "loans_b,2024,,3000,正式,"
TAX_2023 = ("data/editions/2023/figures.csv", "tax,2023,,11.00,正式,", "tax,2023,,11.20,正式,")
TARGET = ("data/editions/2024/targets.csv", "tax,2025,总量,12,确保,", "tax,2025,总量,12.5,确保,")
DEFINITION = (
    "data/catalog.yml",
    "definition: 园区企业缴纳的各项税收。",
    "definition: 园区企业缴纳的各项税收(不含海关代征)。",
)
UNIT = ("data/catalog.yml", "unit: 起", "unit: 件")


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, **GIT_ENV)
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def replace(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (file, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def fixture_value(edition: int, indicator: str, period: int, breakdown: str = "") -> Decimal:
    with (MINI / "data/editions" / str(edition) / "figures.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if (row["indicator"], int(row["period"]), row["breakdown"]) == (indicator, period, breakdown):
                return Decimal(row["value"])
    raise KeyError((edition, indicator, period, breakdown))


def published(edition: int) -> str:
    text = (MINI / "data/editions" / str(edition) / "edition.yml").read_text(encoding="utf-8")
    return next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("published:"))


def q(value: Decimal, places: str) -> str:
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def rate(cur: Decimal, prev: Decimal) -> str:
    """The growth rate as a page prints it after 同比增长/同比下降: unsigned, one decimal, half up."""
    return q(abs(cur - prev) / prev * 100, "0.1") + "%"


def signed_percent(new: Decimal, old: Decimal) -> str:
    rate = q((new - old) / old * 100, "0.1")
    return rate if rate.startswith("-") else "+" + rate


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose first commit is the mini fixture with 2024 still a draft (2023 is published)."""
    root = tmp_path / "park"
    for name in ("data", "docs"):
        shutil.copytree(MINI / name, root / name)
    replace(root, "data/editions/2024/edition.yml", f"published: {published(2024)}\n", "")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "data", "docs")
    git(root, "commit", "-q", "-m", "base")
    return root


def edit(root: Path) -> None:
    for change in (TAX_2024, TAX_2023, TARGET, DEFINITION, UNIT):
        replace(root, *change)
    figures = root / "data/editions/2024/figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines()
    lines.remove(REMOVED_LINE)
    figures.write_text("\n".join(lines + [NEW_FIGURE]) + "\n", encoding="utf-8")


def commit_edit(root: Path) -> None:
    edit(root)
    git(root, "commit", "-q", "-am", "edit")


def run_diff(root: Path, *args: str) -> tuple[int, str]:
    out = root.parent / "report.out"
    code = main(["diff", *args, "--root", str(root), "--output", str(out)])
    return code, out.read_text(encoding="utf-8") if out.exists() else ""


def table_row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def test_markdown_report_of_two_commits(repo):
    commit_edit(repo)
    code, md = run_diff(repo, "HEAD~1", "HEAD")
    assert code == 0

    # a changed figure of the draft 2024 edition: old → new with unit, absolute and relative change
    old, new = fixture_value(2024, "tax", 2024), Decimal("10.80")
    assert table_row("税收", "2024年", "合计", f"{old}亿元", f"{new}亿元", f"+{q(new - old, '0.01')}亿元",
                     f"{signed_percent(new, old)}%", "") in md  # fmt: skip
    # an added and a removed figure
    assert table_row("营业收入", "2024年", "新材料", "120.00亿元", "说明:新纳入统计") in md
    loans_b = fixture_value(2024, "loans_b", 2024)
    assert table_row("还贷周转金", "2024年", "合计", f"{loans_b}万元", "") in md

    # the published 2023 edition was changed: a correction, flagged above the editions
    corrected_old, corrected_new = fixture_value(2023, "tax", 2023), Decimal("11.20")
    top = "\n".join(line for line in md.split("### ", 1)[0].splitlines() if line.startswith(">"))  # the notice
    assert "勘误" in top and f"**2023年报**({published(2023)} 发布)" in top
    assert "2024年报" not in top  # a draft edition's change is not a correction
    assert "note 列没有写明改动原因:税收 2023年" in top
    assert table_row("税收", "2023年", "合计", f"{corrected_old}亿元", f"{corrected_new}亿元",
                     f"+{q(corrected_new - corrected_old, '0.01')}亿元",
                     f"{signed_percent(corrected_new, corrected_old)}%", "") in md  # fmt: skip
    assert "### 2024年报(草稿,尚未发布)" in md and f"### 2023年报(已于 {published(2023)} 发布)" in md

    # a changed prose number: the sentence before and after, the changed numbers in bold
    prev = fixture_value(2024, "tax", 2023)  # the 2024 edition's comparison base; tax fell in both versions
    assert old < prev and new < prev
    before = f"税收<b>{old}亿元</b>,同比下降<b>{rate(old, prev)}</b>。"
    after = f"税收<b>{new}亿元</b>,同比下降<b>{rate(new, prev)}</b>。"
    assert table_row(before, after) in md
    prev = fixture_value(2023, "tax", 2022)  # in the published 2023 edition, tax grew in both versions
    assert table_row(f"税收<b>{corrected_old}亿元</b>,同比增长<b>{rate(corrected_old, prev)}</b>。",
                     f"税收<b>{corrected_new}亿元</b>,同比增长<b>{rate(corrected_new, prev)}</b>。") in md  # fmt: skip

    # the unit change of the catalog shows in the sentences that print the figure
    incidents = fixture_value(2024, "incidents", 2024)
    assert f"处理涉污事件<b>{incidents}起</b>" in md and f"处理涉污事件<b>{incidents}件</b>" in md

    # catalog changes: a definition and a unit
    assert (
        table_row("税收(`tax`)", "口径说明", "园区企业缴纳的各项税收。", "园区企业缴纳的各项税收(不含海关代征)。") in md
    )
    assert table_row("涉污事件(`incidents`)", "单位", "起", "件") in md

    # a target change, and the plan sentence that states it
    assert table_row("税收", "2025年", "确保12亿元", "确保12.5亿元", "") in md
    assert "税收确保<b>12亿元</b>。" in md and "税收确保<b>12.5亿元</b>。" in md


def test_summary_line(repo):
    commit_edit(repo)
    code, line = run_diff(repo, "HEAD~1", "--format", "summary")
    assert code == 0
    assert line.count("\n") == 1 and line.startswith("⚠️ 勘误:改动了已发布的2023年报;")
    assert "2024年报:数据改1项、增1项、删1项,目标改1项" in line
    assert "2023年报:数据改1项" in line and "指标目录改2处" in line


def test_json_report(repo):
    commit_edit(repo)
    code, text = run_diff(repo, "HEAD~1", "HEAD", "--format", "json")
    assert code == 0
    report = json.loads(text)
    assert report["base"]["commit"] == git(repo, "rev-parse", "HEAD~1").strip()
    assert [c["edition"] for c in report["corrections"]] == [2023]
    assert report["corrections"][0]["published"] == published(2023)
    editions = {e["year"]: e for e in report["editions"]}
    assert editions[2024]["correction"] is False and editions[2023]["correction"] is True

    (changed,) = editions[2024]["figures"]["changed"]
    assert (changed["indicator"], changed["period"], changed["breakdown"]) == ("tax", 2024, None)
    assert Decimal(changed["old"]["value"]) == fixture_value(2024, "tax", 2024)
    assert Decimal(changed["new"]["value"]) == Decimal("10.80")
    assert changed["new"]["row"] == 11  # header is line 1; tax 2024 is the tenth data row
    (added,) = editions[2024]["figures"]["added"]
    assert (added["indicator"], added["breakdown"], added["new"]["value"]) == ("revenue", "新材料", "120.00")
    (removed,) = editions[2024]["figures"]["removed"]
    assert (removed["indicator"], Decimal(removed["old"]["value"])) == ("loans_b", fixture_value(2024, "loans_b", 2024))

    (target,) = editions[2024]["targets"]
    assert (target["indicator"], target["old_text"], target["new_text"]) == ("tax", "确保12亿元", "确保12.5亿元")

    pages = {p["page"]: p for p in editions[2024]["pages"]}
    numbers = [tuple(n) for s in pages["docs/2024/summary.md"]["sentences"] for n in s["numbers"]]
    assert (f"{fixture_value(2024, 'tax', 2024)}亿元", "10.80亿元") in numbers

    catalog = report["catalog"]
    changed_fields = {(c["id"], f["field"]): (f["old"], f["new"]) for c in catalog["changed"] for f in c["fields"]}
    assert changed_fields == {
        ("tax", "口径说明"): ("园区企业缴纳的各项税收。", "园区企业缴纳的各项税收(不含海关代征)。"),
        ("incidents", "单位"): ("起", "件"),
    }


def test_head_defaults_to_the_working_tree_and_nothing_is_disturbed(repo):
    edit(repo)  # not committed
    status = git(repo, "status", "--porcelain")
    contents = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    code, md = run_diff(repo, "HEAD")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert code == 0 and f"工作区(HEAD {head[:10]},加未提交的修改)" in md and "10.80亿元" in md
    assert git(repo, "status", "--porcelain") == status
    assert {p: p.read_bytes() for p in contents} == contents


def test_no_change(repo):
    code, line = run_diff(repo, "HEAD", "HEAD", "--format", "summary")
    assert (code, line) == (0, "数据和页面中的数字没有变化\n")


def test_published_date_in_the_base_decides_a_correction(repo):
    """Publishing the draft 2024 edition together with a change is not a correction: it was not published before."""
    replace(repo, "data/editions/2024/edition.yml", "year: 2024\n", f"year: 2024\npublished: {published(2024)}\n")
    replace(repo, *TAX_2024)
    report = json.loads(run_diff(repo, "HEAD", "--format", "json")[1])
    assert report["corrections"] == []
    (edition,) = report["editions"]
    assert edition["meta"] == [{"field": "发布日期", "old": "(未发布)", "new": published(2024)}]


def test_a_revision_with_data_errors_is_reported(repo):
    replace(repo, TAX_2024[0], TAX_2024[1], "tax,2024,,abc,正式,")
    code, md = run_diff(repo, "HEAD")
    assert code == 1
    assert "无法比较" in md and "data/editions/2024/figures.csv` 第 11 行" in md


def test_unknown_revision_is_a_usage_error(repo, capsys):
    assert main(["diff", "no-such-branch", "--root", str(repo)]) == 2
    assert "找不到版本“no-such-branch”" in capsys.readouterr().err


def test_project_in_a_subfolder_of_the_repository(tmp_path):
    repo = tmp_path / "repo"
    project = repo / "reports" / "park"
    for name in ("data", "docs"):
        shutil.copytree(MINI / name, project / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    replace(project, *TAX_2023)
    git(repo, "commit", "-q", "-am", "correct 2023 tax")
    report = json.loads(run_diff(project, "HEAD~1", "HEAD", "--format", "json")[1])
    assert [c["edition"] for c in report["corrections"]] == [2023]


def test_note_changes_read_as_added_removed_or_changed():
    from nianbao.diff.data import _note_change

    assert _note_change("", "勘误:据县税务局更正函") == "新增说明:勘误:据县税务局更正函"
    assert _note_change("按可比口径调整", "") == "删除说明:按可比口径调整"
    assert _note_change("初步数", "正式数") == "说明:初步数 → 正式数"
