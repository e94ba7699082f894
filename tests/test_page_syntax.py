"""The seven typical page mistakes, all reported in one `nianbao check` run, in Chinese, with line, column and a
suggestion; the page's other figures still render (tests/fixtures/mini, 2024 edition)."""

from __future__ import annotations

import shutil
from pathlib import Path

from nianbao.site import Site, collect_problems

MINI = Path(__file__).parent / "fixtures" / "mini"
PAGE = "docs/2024/summary.md"
MISTAKES = """# 2024年工作总结
营业收入{{ value(“revenue”) }}。
税收{{ value("tax" }}。
增速{{ grwoth("revenue") }}。
{{ value("revenu") }}。
{{ value("revenue", breakdown="东") }}。
{{ value("revenue", period=2019) }}。
{{ value }}。
最后一句{{ growth("revenue") }}。
"""


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    (root / PAGE).write_text(MISTAKES, encoding="utf-8")
    return root


def test_seven_mistakes_in_one_round(tmp_path):
    problems = sorted((p for p in collect_problems(_project(tmp_path)) if p.file == PAGE), key=lambda p: p.row)
    assert [(p.row, p.column, p.code) for p in problems] == [
        (2, "5", "prose-chinese-punctuation"),  # “revenue”
        (3, "3", "prose-syntax-error"),  # a missing bracket
        (4, "3", "prose-unknown-function"),  # grwoth
        (5, "4", "prose-missing-figure"),  # revenu
        (6, "4", "prose-missing-figure"),  # 东 for 东区
        (7, "4", "prose-missing-figure"),  # a year the edition has no figure for
        (8, "1", "prose-not-called"),  # {{ value }}
    ]
    messages = [p.message for p in problems]
    assert "括号没有配对" in messages[1]
    assert "是否应为 growth?" in messages[2]
    assert "是否应为 revenue" in messages[3]
    assert "是否应为 东区?" in messages[4]
    assert "2023、2024年" in messages[5]
    assert all(p.is_error for p in problems)
    assert all("DESIGN.md" not in p.advice for p in problems)  # office staff read GUIDE.md


def test_the_rest_of_the_page_still_renders(tmp_path):
    root = _project(tmp_path)  # the data is fine; only the page has mistakes
    site = Site(root)
    page = site.render_page("2024/summary.md", MISTAKES, lambda t: t)
    assert "营业收入243.10亿元" in page.markdown  # read with ASCII quotes after the warning
    assert "最后一句同比增长10.0%" in page.markdown
    assert page.markdown.count("【写法有误】") == 3  # the bracket, the unknown function, the uncalled one


def test_names_a_page_assigns_itself_are_known(tmp_path):
    root = _project(tmp_path)
    site = Site(root)
    page = site.render_page("2024/plan.md", '{% for code in ["revenue", "tax"] %}{{ value(code) }};{% endfor %}',
                            lambda t: t)  # fmt: skip
    assert page.problems == [] and page.markdown == "243.10亿元;10.45亿元;"


def test_macro_parameters_loop_and_globals_are_known(tmp_path):
    site = Site(_project(tmp_path))
    source = ('{% macro both(code, label="") %}{{ label }}{{ value(code) }}{% endmacro %}{{ both("tax", "税收") }};'
              '{% for c in ["revenue"] %}{{ loop.index }}{{ value(c) }}{% endfor %};{{ range(2) | list | length }}')
    page = site.render_page("2024/plan.md", source, lambda t: t)
    assert page.problems == [] and page.markdown == "税收10.45亿元;1243.10亿元;2"
