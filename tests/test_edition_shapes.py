"""Editions of another shape than the sample's: a one-year edition (a first report, a yearbook) states this year's
values and growth rates but no previous values; its pages use the stated rates and show no empty columns."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, build, copy_project
from nianbao.site import Site

CATALOG = """dimensions:
  zone: {name: 片区, complete: true, members: [东区, 西区]}
indicators:
  revenue: {name: 营业收入, unit: 亿元, decimals: 1, kind: amount, definition: 营业收入。, source: 统计局, good: up,
            breakdowns: [zone], headline: true}
  revenue_growth: {name: 营业收入增速, unit: "%", decimals: 1, kind: ratio, definition: 增速。, source: 统计局, good: up,
                   breakdowns: [zone], derives: {growth_of: revenue}}
"""
FIGURES = """indicator,period,breakdown,value,status,note
revenue,2024,,421.5,正式,
revenue,2024,东区,221.5,正式,
revenue,2024,西区,200.0,正式,
revenue_growth,2024,,12.3,正式,
revenue_growth,2024,东区,15.0,正式,
revenue_growth,2024,西区,-2.5,正式,
"""


def one_year_project(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "editions/2024").mkdir(parents=True)
    (data / "park.yml").write_text("name: 测试园区\nissuer: 测试园区管委会\nsample: true\n", encoding="utf-8")
    (data / "catalog.yml").write_text(CATALOG, encoding="utf-8")
    (data / "editions/2024/edition.yml").write_text("year: 2024\nperiods: [2024]\n", encoding="utf-8")
    (data / "editions/2024/figures.csv").write_text(FIGURES, encoding="utf-8")
    (data / "editions/2024/targets.csv").write_text("indicator,period,measure,value,qualifier,note\n", encoding="utf-8")
    (data / "editions/2024/projects.csv").write_text("name,company,industry,zone,investment,status,note\n",
                                                     encoding="utf-8")  # fmt: skip
    return tmp_path


def test_one_year_edition_uses_the_stated_growth(tmp_path):
    site = Site(one_year_project(tmp_path))
    page = site.render_page("2024/summary.md", '营业收入{{ value("revenue") }},{{ growth("revenue") }};'
                            '东区{{ growth("revenue", breakdown="东区") }}。\n\n{{ headline_cards() }}\n\n'
                            '{{ breakdown_table("revenue", "zone") }}\n', lambda t: t)  # fmt: skip
    assert page.problems == []
    assert "营业收入421.5亿元,同比增长12.3%;东区同比增长15.0%。" in page.markdown
    assert "无上年可比数据" not in page.markdown
    assert "2023年" not in page.markdown  # no empty last-year column
    assert ">下降2.5%<" in page.markdown  # 西区's stated fall, in the table's growth column


def test_a_draft_of_eleven_months_is_labelled_and_never_replaces_a_whole_year(tmp_path):
    # 2023: the whole year (its own edition). 2024: a December draft, 1—11月 of 2024 against 1—11月 of 2023.
    root = one_year_project(tmp_path)
    full = root / "data/editions/2023"
    full.mkdir()
    for name in ("targets.csv", "projects.csv"):
        (full / name).write_text((root / "data/editions/2024" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (full / "edition.yml").write_text("year: 2023\nperiods: [2023]\n", encoding="utf-8")
    (full / "figures.csv").write_text("indicator,period,breakdown,value,status,note\nrevenue,2023,,400.0,正式,\n"
                                      "revenue,2023,东区,210.0,正式,\nrevenue,2023,西区,190.0,正式,\n", encoding="utf-8")
    draft = root / "data/editions/2024"
    (draft / "edition.yml").write_text("year: 2024\nperiods: [2023, 2024]\nmonths: 11\n", encoding="utf-8")
    (draft / "figures.csv").write_text("indicator,period,breakdown,value,status,note\nrevenue,2023,,366.0,正式,\n"
                                       "revenue,2024,,386.4,预计,\nrevenue,2023,东区,190.0,正式,\nrevenue,2023,西区,176.0,正式,\n"
                                       "revenue,2024,东区,203.0,预计,\nrevenue,2024,西区,183.4,预计,\n", encoding="utf-8")  # fmt: skip
    site = Site(root)
    report = site.report
    assert [(f.period, str(f.value)) for f in report.series("revenue")] == [(2023, "400.0"), (2024, "386.4")]
    assert report.revisions("revenue") == []  # 366.0 is 1—11月 of 2023, not a revision of its whole year
    page = site.render_page("2024/summary.md", '{{ growth("revenue") }}\n\n{{ breakdown_table("revenue", "zone") }}\n'
                            '\n{{ chart("line", ["revenue"]) }}\n', lambda t: t)  # fmt: skip
    assert page.problems == []
    assert page.markdown.startswith("同比增长5.6%")  # 386.4 over the same months of 2023 (366.0), not over 400.0
    assert "2024年1—11月" in page.markdown and "2023年1—11月" in page.markdown  # the table's columns
    assert '"2024(1—11月)"' in page.markdown  # the chart's axis


def test_a_park_unlike_the_sample_builds_strictly(tmp_path):
    # tests/fixtures/energy: 兆瓦, 万千瓦时 and 辆, a declared unit, a one-year December draft (1—11月) with stated
    # growth rates, and information categories that overlap.
    project = copy_project(FIXTURES / "energy", tmp_path / "energy")
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    summary = (project / "site/2024/summary.html").read_text(encoding="utf-8")
    assert "发电量41230万千瓦时,同比增长18.6%" in summary and "12860辆,同比增长32.4%" in summary
    assert "2024年1—11月主动公开信息" in summary  # the table's caption names the months
    assert summary.count("同比增长18.6%") == 2 and summary.count("同比增长32.4%") == 2  # the sentence and the card


def test_the_total_row_of_a_breakdown_table_has_last_year_and_growth(tmp_path):
    from bs4 import BeautifulSoup

    site = Site(FIXTURES / "mini")
    page = site.render_page("2024/plan.md", '{{ breakdown_table("revenue", "zone") }}', lambda t: t)
    cells = [td.get_text() for td in BeautifulSoup(page.markdown, "html.parser").select("tfoot td")]
    assert cells == ["221.00", "243.10", "增长10.0%", "100%"]  # 2023, 2024, growth (221.00 → 243.10), share


def test_an_exactly_met_growth_target_reads_level(tmp_path):
    from decimal import Decimal

    from nianbao.facts import Facts
    from nianbao.model import Target

    site = Site(FIXTURES / "mini")
    facts = Facts(site.report, site.report.editions[2024])
    met = facts.judge(Target("revenue", 2024, "增速", Decimal("10.0"), "左右", "", 2023, 2))  # 221.00 → 243.10
    assert (met.completion_text, met.met) == ("持平", True)
