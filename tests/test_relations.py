"""Each relation of the catalog and the tolerance rule, at its boundary: the last consistent value and the first
inconsistent one.

Every case is a small real project (catalog.yml, edition.yml, figures.csv) loaded by ``load_report``; the figures are
written as a report prints them and the rule is the one of precision.py: a printed value stands for the interval its
typed digits allow, a whole count is exact, and a claim is wrong only when the intervals cannot meet.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from nianbao.loader import load_report
from nianbao.precision import Interval, printed

FIGURES = "data/editions/2024/figures.csv"


def indicator(ind_id: str, name: str, unit: str, kind: str = "amount", **extra) -> str:
    lines = [f"  {ind_id}:", f"    name: {name}", f'    unit: "{unit}"', "    decimals: 1", f"    kind: {kind}",
             f"    definition: {name}。", "    source: 测试", "    good: up"]  # fmt: skip
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def project(tmp_path: Path, catalog: str, rows: list[str], dimensions: str = "{}", edition_extra: str = "") -> Path:
    data = tmp_path / "data"
    folder = data / "editions" / "2024"
    folder.mkdir(parents=True)
    (data / "park.yml").write_text("name: 测试园区\nissuer: 测试园区管委会\n", encoding="utf-8")
    (data / "catalog.yml").write_text(f"dimensions: {dimensions}\nindicators:\n{catalog}", encoding="utf-8")
    (folder / "edition.yml").write_text(f"year: 2024\nperiods: [2023, 2024]\n{edition_extra}", encoding="utf-8")
    body = "".join(f"{row},正式,\n" for row in rows)
    (folder / "figures.csv").write_text("indicator,period,breakdown,value,status,note\n" + body, encoding="utf-8")
    (folder / "targets.csv").write_text("indicator,period,measure,value,qualifier,note\n", encoding="utf-8")
    (folder / "projects.csv").write_text("name,company,industry,zone,investment,status,note\n", encoding="utf-8")
    return tmp_path


def findings(root: Path) -> list[tuple]:
    _, problems = load_report(root)
    return sorted((p.file, p.row, p.column, p.code) for p in problems)


# --- the tolerance rule ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "exact", "low", "high"), [
    ("276.84", False, "276.835", "276.845"),
    ("1.50", False, "1.495", "1.505"),  # the trailing zero was typed: it is a digit
    ("300", False, "299.5", "300.5"),  # 300亿元: rounded to the unit
    ("43", True, "43", "43"),  # 43 projects: nothing to round
    ("12.5", True, "12.45", "12.55"),  # a count with a decimal (万人 …) is rounded
])  # fmt: skip
def test_printed_value_stands_for_the_interval_its_digits_allow(typed, exact, low, high):
    assert printed(Decimal(typed), exact=exact) == Interval(Decimal(low), Decimal(high))


COUNTS = (indicator("tracked", "跟踪洽谈项目", "个", "count", breakdowns="[site]")
          + indicator("signed", "签约项目", "个", "count", breakdowns="[site]"))  # fmt: skip
SITES = "{site: {name: 园区, complete: true, members: [甲园, 乙园, 丙园]}}"


@pytest.mark.parametrize(("total", "found"), [
    ("41", []),  # 12 + 13 + 16 = 41 exactly
    ("42", [(FIGURES, 2, "value", "parts-not-total")]),  # counts are exact: one project off is an error
    ("40", [(FIGURES, 2, "value", "parts-not-total")]),
])  # fmt: skip
def test_whole_counts_add_up_exactly(tmp_path, total, found):
    rows = [f"tracked,2024,,{total}", "tracked,2024,甲园,12", "tracked,2024,乙园,13", "tracked,2024,丙园,16"]
    assert findings(project(tmp_path, COUNTS, rows, SITES)) == found


AMOUNTS = indicator("revenue", "营业收入", "亿元", breakdowns="[site]")


@pytest.mark.parametrize(("total", "found"), [
    ("243.12", []),  # parts 143.10 + 100.00 + 0.00 ∈ [243.085, 243.115]; 243.12 ∈ [243.115, 243.125]: they meet
    ("243.13", [(FIGURES, 2, "value", "parts-not-total")]),  # [243.125, 243.135] is above 243.115
    ("243.08", []),
    ("243.07", [(FIGURES, 2, "value", "parts-not-total")]),
])  # fmt: skip
def test_amount_sum_allows_what_the_typed_digits_explain(tmp_path, total, found):
    rows = [f"revenue,2024,,{total}", "revenue,2024,甲园,143.10", "revenue,2024,乙园,100.00", "revenue,2024,丙园,0.00"]
    assert findings(project(tmp_path, AMOUNTS, rows, SITES)) == found


def test_tolerance_comes_from_each_cell_not_the_catalog(tmp_path):
    # Parts 143.14 + 100.00 + 0.00 ∈ [243.125, 243.155]. A total typed 243.10 ([243.095, 243.105]) cannot meet them;
    # typed 243.1, one digit less, it stands for [243.05, 243.15] and can, whatever the catalog's decimals say.
    parts = ["revenue,2024,甲园,143.14", "revenue,2024,乙园,100.00", "revenue,2024,丙园,0.00"]
    wrong = findings(project(tmp_path / "a", AMOUNTS, ["revenue,2024,,243.10"] + parts, SITES))
    right = findings(project(tmp_path / "b", AMOUNTS, ["revenue,2024,,243.1"] + parts, SITES))
    assert (wrong, right) == ([(FIGURES, 2, "value", "parts-not-total")], [])


# --- partial, nested and overlapping breakdowns ---------------------------------------------------------------------


def test_complete_dimension_with_members_missing_is_incomplete_when_short(tmp_path):
    # 甲园 and 乙园 listed (25) against 43, 丙园 not listed: 分项不全, on the total's row.
    rows = ["tracked,2024,,43", "tracked,2024,甲园,12", "tracked,2024,乙园,13"]
    assert findings(project(tmp_path, COUNTS, rows, SITES)) == [(FIGURES, 2, "value", "parts-incomplete")]


def test_complete_dimension_with_members_missing_passes_when_the_listed_ones_make_the_total(tmp_path):
    # The members not listed are then zero: 28 + 16 = 44.
    rows = ["signed,2024,,44", "signed,2024,甲园,28", "signed,2024,丙园,16"]
    assert findings(project(tmp_path, COUNTS, rows, SITES)) == []


PARTIAL = "{industry: {name: 产业, members: [新材料, 电子信息]}}"


@pytest.mark.parametrize(("second", "found"), [
    ("43.0", []),  # 200.0 + 43.0 = 243.0 ≤ 243.1 (a partial list may fall short by any amount)
    ("43.2", []),  # 243.2 ∈ [243.1, 243.3] meets 243.1 ∈ [243.05, 243.15]
    ("43.3", [(FIGURES, 2, "value", "parts-exceed-total")]),  # [243.25, 243.35] is above 243.15
])  # fmt: skip
def test_partial_list_never_exceeds_its_total(tmp_path, second, found):
    catalog = indicator("revenue", "营业收入", "亿元", breakdowns="[industry]")
    rows = ["revenue,2024,,243.1", "revenue,2024,新材料,200.0", f"revenue,2024,电子信息,{second}"]
    assert findings(project(tmp_path, catalog, rows, PARTIAL)) == found


NESTED = ("{industry: {name: 产业, complete: true, members: [主导产业, 新材料, 电子信息, 其他],"
          " within: {主导产业: [新材料, 电子信息]}}}")  # fmt: skip


@pytest.mark.parametrize(("electronics", "found"), [
    ("40.0", []),  # 主导产业 150.0 ≥ 110.0 + 40.0; the total is 主导产业 + 其他 = 243.1 (children are not added again)
    ("40.1", []),  # 150.1 ∈ [150.05, 150.15] meets 150.0 ∈ [149.95, 150.05]
    ("40.2", [(FIGURES, 3, "value", "parts-exceed-total")]),  # on 主导产业's row
])  # fmt: skip
def test_nested_list_is_checked_against_its_parent_member(tmp_path, electronics, found):
    catalog = indicator("revenue", "营业收入", "亿元", breakdowns="[industry]")
    rows = ["revenue,2024,,243.1", "revenue,2024,主导产业,150.0", "revenue,2024,新材料,110.0",
            f"revenue,2024,电子信息,{electronics}", "revenue,2024,其他,93.1"]  # fmt: skip
    assert findings(project(tmp_path, catalog, rows, NESTED)) == found


OVERLAPPING = "{category: {name: 类别, overlapping: true, members: [政策文件, 转载, 解读]}}"


@pytest.mark.parametrize(("reposts", "found"), [
    ("120", []),  # 80 + 120 + 40 > 120, but reposts are counted inside other categories: no sum holds
    ("121", [(FIGURES, 4, "value", "parts-exceed-total")]),  # one member alone above the total, on its row
])  # fmt: skip
def test_overlapping_members_are_each_at_most_the_total(tmp_path, reposts, found):
    catalog = indicator("published", "主动公开信息", "条", "count", breakdowns="[category]")
    rows = ["published,2024,,120", "published,2024,政策文件,80", f"published,2024,转载,{reposts}", "published,2024,解读,40"]
    assert findings(project(tmp_path, catalog, rows, OVERLAPPING)) == found


def test_rates_are_never_added_across_a_breakdown(tmp_path):
    # Each zone grew faster than 15.0%: rates of parts are not parts of the total's rate.
    catalog = indicator("growth", "营业收入增速", "%", "ratio", breakdowns="[site]")
    rows = ["growth,2024,,15.0", "growth,2024,甲园,20.0", "growth,2024,乙园,18.0", "growth,2024,丙园,16.0"]
    assert findings(project(tmp_path, catalog, rows, SITES)) == []


# --- relations between indicators -----------------------------------------------------------------------------------

PARTS = (indicator("land", "清理闲置用地", "亩", "area", parts="[land_a, land_b]")
         + indicator("land_a", "收回供而未用", "亩", "area") + indicator("land_b", "收回供多建少", "亩", "area"))  # fmt: skip


@pytest.mark.parametrize(("total", "found"), [
    ("594", []),  # 500 + 93 ∈ [592, 594] meets [593.5, 594.5]
    ("595", [(FIGURES, 2, "value", "parts-not-total")]),
])  # fmt: skip
def test_indicator_parts(tmp_path, total, found):
    rows = [f"land,2024,,{total}", "land_a,2024,,500", "land_b,2024,,93"]
    assert findings(project(tmp_path, PARTS, rows)) == found


INCLUDES = (indicator("investment", "固定资产投资", "亿元", includes="[industrial]")
            + indicator("industrial", "工业投资", "万元"))  # fmt: skip


@pytest.mark.parametrize(("industrial", "found"), [
    ("1205000", []),  # 120.50亿元 ∈ [120.495, 120.505] ≤ 120.5 ∈ [120.45, 120.55]: units converted first
    ("1205501", [(FIGURES, 2, "value", "parts-exceed-total")]),  # 120.55005亿元 > 120.55
])  # fmt: skip
def test_includes_converts_units(tmp_path, industrial, found):
    rows = ["investment,2024,,120.5", f"industrial,2024,,{industrial}"]
    assert findings(project(tmp_path, INCLUDES, rows)) == found


BOUND = indicator("industrial", "工业投资", "亿元", at_most="[investment]") + indicator("investment", "固定资产投资", "亿元")


@pytest.mark.parametrize(("industrial", "found"), [
    ("120.5", []),  # [120.45, 120.55] meets 120.4 ∈ [120.35, 120.45] at 120.45
    ("120.6", [(FIGURES, 2, "value", "exceeds-bound")]),  # on the subset's row
])  # fmt: skip
def test_at_most(tmp_path, industrial, found):
    rows = [f"industrial,2024,,{industrial}", "investment,2024,,120.4"]
    assert findings(project(tmp_path, BOUND, rows)) == found


GROWTH = indicator("revenue", "营业收入", "亿元") + indicator("growth", "营业收入增速", "%", "ratio",
                                                             derives="{growth_of: revenue}")  # fmt: skip


@pytest.mark.parametrize(("rate", "found"), [
    ("12.3", []),  # 421.5 / 375.3 − 1 ∈ [12.2867%, 12.3300%] meets [12.25, 12.35]
    ("12.2", [(FIGURES, 4, "value", "derived-mismatch")]),  # [12.15, 12.25] is below 12.2867
    ("12.4", [(FIGURES, 4, "value", "derived-mismatch")]),  # [12.35, 12.45] is above 12.3300
])  # fmt: skip
def test_growth_rate(tmp_path, rate, found):
    rows = ["revenue,2023,,375.3", "revenue,2024,,421.5", f"growth,2024,,{rate}"]
    assert findings(project(tmp_path, GROWTH, rows)) == found


@pytest.mark.parametrize(("rate", "found"), [
    ("11.8", []),  # 1.42 / 1.28 − 1 ∈ [10.12%, 11.7647%] (1.425 / 1.275): with two decimals in 亿元, 11.8% may be true
    ("11.9", [(FIGURES, 4, "value", "derived-mismatch")]),  # [11.85, 11.95] is above 11.7647
    ("10.0", [(FIGURES, 4, "value", "derived-mismatch")]),  # [9.95, 10.05] is below 10.1176 (1.415 / 1.285)
])  # fmt: skip
def test_growth_rate_tolerance_follows_the_digits_of_the_amounts(tmp_path, rate, found):
    rows = ["revenue,2023,,1.28", "revenue,2024,,1.42", f"growth,2024,,{rate}"]
    assert findings(project(tmp_path, GROWTH, rows)) == found


def test_growth_rate_in_wan_yuan_is_caught_to_the_tenth(tmp_path):
    # The same amounts in 万元: 14200 / 12800 − 1 ∈ [10.933%, 10.945%]; 10.9 ✓, 11.0 ✗.
    catalog = indicator("revenue", "营业收入", "万元") + indicator("growth", "营业收入增速", "%", "ratio",
                                                               derives="{growth_of: revenue}")  # fmt: skip
    ok = findings(project(tmp_path / "a", catalog, ["revenue,2023,,12800", "revenue,2024,,14200", "growth,2024,,10.9"]))
    bad = findings(project(tmp_path / "b", catalog, ["revenue,2023,,12800", "revenue,2024,,14200", "growth,2024,,11.0"]))
    assert (ok, bad) == ([], [(FIGURES, 4, "value", "derived-mismatch")])


SHARE = (indicator("tax", "税收", "万元") + indicator("revenue", "营业收入", "亿元")
         + indicator("tax_share", "税收占营业收入比重", "%", "ratio", derives="{share_of: [tax, revenue]}"))  # fmt: skip


@pytest.mark.parametrize(("rate", "found"), [
    ("4.3", []),  # 104500万元 = 10.45亿元; 10.45 / 243.10 = 4.2986%
    ("4.4", [(FIGURES, 4, "value", "derived-mismatch")]),
    ("4.2", [(FIGURES, 4, "value", "derived-mismatch")]),
])  # fmt: skip
def test_share_converts_units(tmp_path, rate, found):
    rows = ["tax,2024,,104500", "revenue,2024,,243.10", f"tax_share,2024,,{rate}"]
    assert findings(project(tmp_path, SHARE, rows)) == found


RATIO = indicator("events", "涉污事件", "起", "count") + indicator("events_ratio", "涉污事件为上年的比例", "%", "ratio",
                                                               derives="{ratio_to_previous: events}")  # fmt: skip


@pytest.mark.parametrize(("rate", "found"), [
    ("46.2", []),  # 12 / 26 = 46.1538% (counts exact) ∈ [46.15, 46.25]
    ("46.1", [(FIGURES, 4, "value", "derived-mismatch")]),  # [46.05, 46.15] stops just below 46.1538
    ("-53.8", [(FIGURES, 4, "value", "derived-mismatch")]),  # the growth rate is not the ratio
])  # fmt: skip
def test_ratio_to_previous_period(tmp_path, rate, found):
    rows = ["events,2023,,26", "events,2024,,12", f"events_ratio,2024,,{rate}"]
    assert findings(project(tmp_path, RATIO, rows)) == found


INCREASE = (indicator("tax", "上缴税金", "万元") + indicator("tax_increase", "上缴税金增收额", "万元",
                                                              derives="{change_of: tax}")
            + indicator("tax_growth", "上缴税金增幅", "%", "ratio", derives="{growth_of: tax}"))  # fmt: skip


@pytest.mark.parametrize(("rate", "found"), [
    ("47.6", []),  # base = 5644 − 1820: 1820 / 3824 ∈ [47.569%, 47.620%] (each ± 0.5万元)
    ("47.5", [(FIGURES, 4, "value", "derived-mismatch")]),  # [47.45, 47.55] is below 47.569
    ("47.7", [(FIGURES, 4, "value", "derived-mismatch")]),  # [47.65, 47.75] is above 47.620
])  # fmt: skip
def test_growth_from_value_and_its_increase(tmp_path, rate, found):
    # "上缴税金5644万元,比上年增收1820万元,增幅47.6%": the previous value is not printed.
    rows = ["tax,2024,,5644", "tax_increase,2024,,1820", f"tax_growth,2024,,{rate}"]
    assert findings(project(tmp_path, INCREASE, rows)) == found


@pytest.mark.parametrize(("increase", "found"), [
    ("1821", []),  # 5644 − 3824 ∈ [1819, 1821]
    ("1822", [(FIGURES, 4, "value", "derived-mismatch")]),
    ("-1820", [(FIGURES, 4, "value", "derived-mismatch")]),  # a decrease is not an increase
])  # fmt: skip
def test_increase_against_both_values(tmp_path, increase, found):
    rows = ["tax,2023,,3824", "tax,2024,,5644", f"tax_increase,2024,,{increase}"]
    assert findings(project(tmp_path, INCREASE, rows)) == found


# A report names one zone's figures without the others: the zones are listed partially here (complete: false).
ZONES = "{site: {name: 园区, members: [甲园, 乙园, 丙园]}}"
GAP = (indicator("revenue", "营业收入", "亿元", breakdowns="[site]")
       + indicator("growth", "营业收入增速", "%", "ratio", breakdowns="[site]", derives="{growth_of: revenue}")
       + indicator("gap", "增速高于全园", "%", "ratio", breakdowns="[site]", derives="{gap_of: growth}"))  # fmt: skip


@pytest.mark.parametrize(("gap", "found"), [
    ("5.0", []),  # 20.0 − 15.0, each ± 0.05: [4.9, 5.1]
    ("5.1", []),
    ("5.2", [(FIGURES, 4, "value", "derived-mismatch")]),  # [5.15, 5.25] is above 5.1
])  # fmt: skip
def test_gap_in_points_between_a_member_and_the_total(tmp_path, gap, found):
    rows = ["growth,2024,,15.0", "growth,2024,甲园,20.0", f"gap,2024,甲园,{gap}"]
    assert findings(project(tmp_path, GAP, rows, ZONES)) == found


def test_gap_uses_rates_computed_from_amounts_when_not_printed(tmp_path):
    # 甲园 100.0 → 120.0 (+20.0%), the park 200.0 → 230.0 (+15.0%): 高于全园5.0个百分点; 6.0 is wrong.
    base = ["revenue,2023,,200.0", "revenue,2024,,230.0", "revenue,2023,甲园,100.0", "revenue,2024,甲园,120.0"]
    ok = findings(project(tmp_path / "a", GAP, base + ["gap,2024,甲园,5.0"], ZONES))
    bad = findings(project(tmp_path / "b", GAP, base + ["gap,2024,甲园,6.0"], ZONES))
    assert (ok, bad) == ([], [(FIGURES, 6, "value", "derived-mismatch")])


TWO_RATES = (indicator("park_growth", "园区工业增加值增速", "%", "ratio")
             + indicator("county_growth", "全县工业增加值增速", "%", "ratio")
             + indicator("lead", "高于全县", "%", "ratio", derives="{gap_of: [park_growth, county_growth]}"))  # fmt: skip


@pytest.mark.parametrize(("lead", "found"), [
    ("4.6", []),  # 12.8 − 8.2
    ("4.8", [(FIGURES, 4, "value", "derived-mismatch")]),  # [4.75, 4.85] is above [4.5, 4.7]
])  # fmt: skip
def test_gap_between_two_rates(tmp_path, lead, found):
    rows = ["park_growth,2024,,12.8", "county_growth,2024,,8.2", f"lead,2024,,{lead}"]
    assert findings(project(tmp_path, TWO_RATES, rows)) == found


def test_relation_between_quantities_that_do_not_convert_is_a_catalog_error(tmp_path):
    catalog = indicator("land", "用地", "亩", "area", at_most="[investment]") + indicator("investment", "投资", "亿元")
    root = project(tmp_path, catalog, ["land,2024,,5"])
    assert [(f, c, code) for f, _, c, code in findings(root)] == [
        ("data/catalog.yml", "indicators/land/at_most", "relation-unit-mismatch")]


def test_rates_cannot_be_declared_as_sums(tmp_path):
    catalog = (indicator("growth", "增速", "%", "ratio", parts="[growth_a, growth_b]")
               + indicator("growth_a", "甲增速", "%", "ratio") + indicator("growth_b", "乙增速", "%", "ratio"))  # fmt: skip
    root = project(tmp_path, catalog, ["growth,2024,,15.0"])
    assert [code for *_, code in findings(root)] == ["relation-not-additive"]


# --- acknowledged discrepancies ---------------------------------------------------------------------------------------

ZHANGSHU = Path(__file__).parent / "realreports" / "zhangshu-2014"
ACKNOWLEDGED = """discrepancies:
  - indicator: tracked_projects
    period: 2014
    code: parts-incomplete
    reason: 原报告如此,所列六处合计41个
"""


def _zhangshu(tmp_path: Path, edition_extra: str) -> Path:
    import shutil

    root = tmp_path / "zhangshu"
    shutil.copytree(ZHANGSHU / "data", root / "data")
    edition = root / "data/editions/2014/edition.yml"
    edition.write_text(edition.read_text(encoding="utf-8") + edition_extra, encoding="utf-8")
    return root


def test_acknowledged_discrepancy_builds_and_is_listed_as_such(tmp_path):
    from nianbao.site import Site, collect_problems

    root = _zhangshu(tmp_path, ACKNOWLEDGED)
    problems = collect_problems(root)
    assert [(p.row, p.code, p.severity) for p in problems] == [(6, "acknowledged-discrepancy", "notice")]
    assert "41个" in problems[0].message and "原报告如此" in problems[0].message
    page = Site(root).render_page("2014/summary.md", "跟踪洽谈项目{{ value('tracked_projects') }}。\n\n"
                                  "{{ breakdown_table('tracked_projects', 'place') }}\n", lambda t: t)  # fmt: skip
    assert page.problems == []
    note = "原报告数据\uff1a2014年跟踪洽谈项目按园区的分项合计41个\uff0c与总计43个相差2个"
    assert f"跟踪洽谈项目43个\uff08{note}" in page.markdown
    assert page.markdown.count(note) == 2  # beside the figure, and under the breakdown table
    assert "四舍五入" not in page.markdown  # rounding cannot explain a count


def test_a_new_error_still_fails_beside_an_acknowledged_one(tmp_path):
    root = _zhangshu(tmp_path, ACKNOWLEDGED)
    figures = root / "data/editions/2014/figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace("signed_projects,2014,盐化基地,3,",
                                                                   "signed_projects,2014,盐化基地,4,"), encoding="utf-8")
    report, problems = load_report(root)
    # 28 + 13 + 4 = 45 signed projects exceed the 44 printed (the other five places are not listed).
    assert sorted((p.row, p.code) for p in problems) == [(2, "parts-exceed-total"), (6, "acknowledged-discrepancy")]
    assert report is None


def test_an_acknowledgement_that_matches_nothing_is_stale(tmp_path):
    root = _zhangshu(tmp_path, ACKNOWLEDGED.replace("parts-incomplete", "parts-not-total"))
    _, problems = load_report(root)
    assert sorted((p.file, p.row, p.code) for p in problems) == [
        ("data/editions/2014/edition.yml", 5, "acknowledged-unused"),  # the list item's line
        ("data/editions/2014/figures.csv", 6, "parts-incomplete"),  # the wrong code acknowledges nothing
    ]


# --- units a catalog declares -------------------------------------------------------------------------------------


def test_declared_unit_converts_like_a_built_in_one(tmp_path):
    # 光伏发电量 2.5 兆瓦时 (declared as 1000 千瓦时) is 2500 千瓦时, more than the 2400 千瓦时 it is part of.
    catalog = (indicator("generated", "光伏发电量", "兆瓦时", at_most="[consumed]")
               + indicator("consumed", "总用电量", "千瓦时"))  # fmt: skip
    root = project(tmp_path, catalog, ["generated,2024,,2.5", "consumed,2024,,2400"])
    (root / "data/catalog.yml").write_text("units:\n  兆瓦时: {of: 千瓦时, times: 1000}\n"
                                           + (root / "data/catalog.yml").read_text(encoding="utf-8"), encoding="utf-8")
    assert findings(root) == [(FIGURES, 2, "value", "exceeds-bound")]


@pytest.mark.parametrize(("typed", "suggested"), [("平方千米米", "平方千米"), ("亿", "亿元"), ("万千瓦小时", "万千瓦时")])
def test_unknown_unit_names_the_nearest_allowed_one(tmp_path, typed, suggested):
    root = project(tmp_path, indicator("x", "某指标", typed), ["x,2024,,1"])
    _, problems = load_report(root)
    (problem,) = problems
    assert problem.code == "unknown-unit" and suggested in problem.message


@pytest.mark.parametrize(("extra", "words"), [
    ({"kind": "money"}, "“money”不是允许的取值,可选:amount、count"),
    ({"decimals": "two"}, "“two”应当是整数"),
    ({"colour": "red"}, "不认识的项 colour"),
])  # fmt: skip
def test_catalog_format_errors_are_in_chinese(tmp_path, extra, words):
    text = indicator("tax", "税收", "亿元")
    for key, value in extra.items():
        text = text.replace(f"    {key}: ", f"    {key}_old: ") if f"    {key}: " in text else text
        text += f"    {key}: {value}\n"
    text = "\n".join(line for line in text.splitlines() if "_old:" not in line) + "\n"
    _, problems = load_report(project(tmp_path, text, ["tax,2024,,1.0"]))
    assert [p.code for p in problems] == ["schema-invalid"] and words in problems[0].message


def test_a_gap_in_points_is_between_rates(tmp_path):
    catalog = indicator("revenue", "营业收入", "亿元") + indicator("gap", "高于全县", "%", "ratio",
                                                              derives="{gap_of: [revenue, revenue]}")  # fmt: skip
    _, problems = load_report(project(tmp_path, catalog, ["revenue,2024,,1.0"]))
    assert [(p.column, p.code) for p in problems] == [("indicators/gap/derives", "relation-unit-mismatch")]


def test_a_quoted_impossible_published_date_is_located(tmp_path):
    root = project(tmp_path, indicator("tax", "税收", "亿元"), ["tax,2024,,1.0"], edition_extra='published: "2025-02-30"\n')
    _, problems = load_report(root)
    assert [(p.file, p.row, p.column, p.code) for p in problems] == [
        ("data/editions/2024/edition.yml", 3, "published", "yaml-invalid-date")]


def test_check_output_never_starts_a_workflow_command(tmp_path, capsys):
    # An acknowledged discrepancy whose reason carries a line break and a forged GitHub command: the table printed by
    # nianbao check keeps it inside its row, so no line of the log starts with "::".
    from nianbao.cli import main

    reason = ACKNOWLEDGED.splitlines()[-1]  # "    reason: …"
    root = _zhangshu(tmp_path, ACKNOWLEDGED.replace(reason, '    reason: "原报告如此\\n::error file=x::审核通过"'))
    assert main(["check", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "审核通过" in out and not [line for line in out.splitlines() if line.startswith("::")]
