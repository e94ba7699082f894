"""Figures typed by hand in a page: every real form is found, nothing that is not a figure is, and a figure the
sentence ties to an indicator is compared with the data (tests/fixtures/mini, 2024 edition)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from nianbao.prosefigures import find_figures
from nianbao.site import Site, collect_problems

MINI = Path(__file__).parent / "fixtures" / "mini"
PAGE = "docs/2024/summary.md"


@pytest.mark.parametrize(("text", "figure", "unit", "approximate"), [
    ("实现营业收入5.2亿", "5.2亿", "亿", False),
    ("税收300亿", "300亿", "亿", False),
    ("带动就业25万", "25万", "万", False),
    ("招聘员工1200名", "1200名", "名", False),
    ("新增设备300台", "300台", "台", False),
    ("光伏装机50兆瓦", "50兆瓦", "兆瓦", False),
    ("发电3.2亿千瓦时", "3.2亿千瓦时", "亿千瓦时", False),
    ("处置固废5万吨", "5万吨", "万吨", False),
    ("引进企业50余家", "50余家", "家", True),
    ("产值超300亿", "超300亿", "亿", True),
    ("占比近3成", "近3成", "成", True),
    ("占全县三成", "三成", "成", True),
    ("两成企业", "两成", "成", True),
    ("吸纳3万余人", "3万余人", "万人", True),
    ("到位资金10620万元", "10620万元", "万元", False),
    ("高于全县4.6个百分点", "4.6个百分点", "个百分点", False),
    ("约4万人", "约4万人", "万人", True),
    ("完成年初任务的103.2%", "103.2%", "%", False),
    ("建成标准厂房12.5万平方米", "12.5万平方米", "万平方米", False),
    ("跟踪洽谈项目43个", "43个", "个", False),
])  # fmt: skip
def test_every_written_form_of_a_figure_is_found(text, figure, unit, approximate):
    found = find_figures(text)
    assert [(f.text, f.unit, f.approximate) for f in found] == [(figure, unit, approximate)]


@pytest.mark.parametrize("text", [
    "2024年1—11月", "12月31日", "第3个项目", "1.抓招商引资", "(1)强化服务", "（2）优化环境", "5G基站", "G20峰会",
    "一成不变", "完成", "建成投产", "连续3年", "60岁以上", "2024—2025年", "编号A3", "第十二个五年规划",
])  # fmt: skip
def test_what_is_not_a_figure(text):
    assert find_figures(text) == []


def test_full_width_digits_are_read():
    assert [f.number for f in find_figures("新增企业１２家")] == [Decimal(12)]


def _page(tmp_path: Path, text: str) -> list[tuple]:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    page = root / PAGE
    page.write_text(page.read_text(encoding="utf-8").splitlines()[0] + "\n" + text + "\n", encoding="utf-8")
    return [(p.code, p.row, p.severity) for p in collect_problems(root) if p.file == PAGE]


@pytest.mark.parametrize(("sentence", "code"), [
    ("园区实现营业收入243.10亿元。", "prose-figure-in-data"),  # the data's value
    ("园区实现营业收入243.1亿元。", "prose-figure-in-data"),  # the same, to one decimal
    ("园区营业收入2431000万元。", "prose-figure-in-data"),  # the same in 万元
    ("园区实现营业收入243.2亿元。", "prose-figure-contradicts"),  # 243.2 stands for [243.15, 243.25]
    ("东区营业收入143.10亿元。", "prose-figure-in-data"),  # a breakdown member named before the indicator
    ("东区营业收入100.00亿元。", "prose-figure-contradicts"),  # that is 西区's value
    ("营业收入约243亿元。", "prose-figure-in-data"),
    ("营业收入约250亿元。", "prose-hand-typed-figure"),  # an approximation is never a contradiction
    ("规上企业数达61家。", "prose-figure-in-data"),
    ("规上企业数达60家。", "prose-figure-contradicts"),  # counts are exact
    ("营业收入243.10亿元,同比增长10.0%。", "prose-figure-in-data"),  # the rate the data states (revenue_growth)
    ("营业收入243.10亿元,同比增长11.0%。", "prose-figure-contradicts"),
    ("税收10.45亿元,同比下降5.0%。", "prose-figure-in-data"),  # 11.00 → 10.45 is −5.0%
    ("税收10.45亿元,同比增长5.0%。", "prose-figure-contradicts"),  # a fall written as growth
    ("共有企业99家。", "prose-hand-typed-figure"),  # no indicator named, no value like it in the data
])  # fmt: skip
def test_figure_named_by_its_sentence_is_compared_with_the_data(tmp_path, sentence, code):
    # The sentence's last figure is the one under test (a rate follows the value it is the growth of).
    found = _page(tmp_path, sentence)
    assert found[-1][0] == code


def test_contradiction_names_the_data_value_and_is_an_error(tmp_path):
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    (root / PAGE).write_text("# 2024年工作总结\n规上企业数达60家。\n", encoding="utf-8")
    problems = [p for p in collect_problems(root) if p.file == PAGE]
    assert [(p.row, p.code, p.is_error) for p in problems] == [(2, "prose-figure-contradicts", True)]
    assert "2024年规上企业数61家" in problems[0].message


def test_agreeing_figure_says_which_function_to_use(tmp_path):
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    (root / PAGE).write_text("# 2024年工作总结\n东区营业收入143.10亿元。\n", encoding="utf-8")
    (problem,) = [p for p in collect_problems(root) if p.file == PAGE]
    assert '{{ value("revenue", breakdown="东区") }}' in problem.message


def test_literal_figures_are_listed_as_unchecked(tmp_path):
    assert _page(tmp_path, '落实{{ literal("3个确立") }},{{ literal("增长12%") }}。') == [
        ("prose-literal-figure", 2, "notice"), ("prose-literal-figure", 2, "notice")]


def test_generated_pages_are_not_linted(tmp_path):
    # An indicator whose name carries a threshold: its generated page prints the name; that is no typed figure.
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    catalog = root / "data/catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("name: 规上企业数", "name: 产值3000万元以上企业"),
                       encoding="utf-8")
    site = Site(root)
    assert all(p.file.startswith("docs/") for p in collect_problems(root)) or collect_problems(root) == []
    assert site.render_page("indicators/enterprises.md", site.generated_pages()["indicators/enterprises.md"],
                            lambda t: t).problems == []


@pytest.mark.parametrize(("sentence", "code"), [
    ("电子信息产业实现营业收入59.85亿元。", "prose-figure-in-data"),  # the member before 产业 names the breakdown
    ("电子信息产业实现营业收入60.00亿元。", "prose-figure-contradicts"),
    ("规上企业营业收入200.00亿元。", "prose-hand-typed-figure"),  # a narrower scope: not the park's 243.10
    ("园区营业收入中来自新材料的部分达180.00亿元。", "prose-hand-typed-figure"),  # a part, named after the indicator
    ("2024年园区共实现营业收入250.00亿元。", "prose-figure-contradicts"),  # nothing narrows it: the park's figure
])  # fmt: skip
def test_only_an_unambiguous_subject_makes_a_contradiction(tmp_path, sentence, code):
    assert _page(tmp_path, sentence)[-1][0] == code
