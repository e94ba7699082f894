"""The public site: open data, targets across years, revisions, Chinese search, accessibility, hosting anywhere."""

from __future__ import annotations

import shutil
from decimal import Decimal
from urllib.parse import urlparse

import openpyxl
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO, build, copy_project
from frictionless import Package, validate
from nianbao.loader import load_report
from nianbao.opendata import safe_cell

DRAWN = "() => [...document.querySelectorAll('[data-nb-figure]')].every(el => el.dataset.nbDrawn === 'true')"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def _soup(site, page):
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


# --- open data ---------------------------------------------------------------------------------------------------
def test_datapackage_validates_and_holds_every_published_figure(sample_site):
    descriptor = sample_site / "data" / "datapackage.json"
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(descriptor))
    in_package = set()
    for resource in package.resources:
        if resource.name.startswith("figures-"):
            edition = int(resource.name.removeprefix("figures-"))
            with resource:
                for row in resource.row_stream:
                    in_package.add((edition, row["indicator"], row["period"], row["breakdown"] or None,
                                    Decimal(str(row["value"]))))  # fmt: skip
    model, _ = load_report(REPO)
    published = {(f.edition, f.indicator, f.period, f.breakdown, f.value)
                 for e in model.editions.values() for f in e.figures.values()}  # fmt: skip
    assert in_package == published  # nothing lost, nothing added
    catalog = {row["id"]: row for row in _rows(package.get_resource("catalog"))}
    assert set(catalog) == set(model.catalog.indicators)
    assert all(catalog[i.id]["unit"] == i.unit for i in model.catalog.indicators.values())


def _rows(resource):
    with resource:
        return list(resource.row_stream)


def test_every_headline_figure_on_the_site_is_in_the_download(sample_site):
    model, _ = load_report(REPO)
    latest = model.latest_edition
    soup = _soup(sample_site, f"{latest.year}/summary.html")
    shown = [c.get_text(strip=True) for c in soup.select(".nb-card__value")]
    downloaded = (sample_site / f"data/{latest.year}/figures.csv").read_text(encoding="utf-8-sig")
    for text, ind in zip(shown, model.catalog.headlines, strict=True):
        number = text.removesuffix(ind.unit)
        assert f"{ind.id},{latest.year},,{number}," in downloaded


def test_xlsx_workbook_has_chinese_headers_units_and_numbers(sample_site):
    model, _ = load_report(REPO)
    edition = model.latest_edition
    wb = openpyxl.load_workbook(sample_site / f"data/{edition.year}/nianbao-{edition.year}.xlsx")
    assert wb.sheetnames == ["数据", "目标", "签约项目", "指标说明"]
    sheet = wb["数据"]
    header = [c.value for c in sheet[1]]
    assert header == ["指标代码", "指标名称", "单位", "时期", "分组", "数值", "状态", "备注"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(edition.figures)
    revenue = next(r for r in rows if r[0] == "revenue" and r[3] == str(edition.year) and not r[4])
    assert revenue[1] == "营业收入" and revenue[2] == "亿元"
    assert revenue[5] == float(edition.figure("revenue").value)


def test_csv_downloads_are_made_for_excel(sample_site):
    raw = (sample_site / "data/2024/figures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"), ("+8613800000000", "'+8613800000000"), ("@SUM(A1)", "'@SUM(A1)"), ("-cmd", "'-cmd"),
    ("-5.3", "-5.3"), ("12.50", "12.50"), ("电子信息", "电子信息"), ("", ""),
])  # fmt: skip
def test_formula_cells_are_neutralised_in_downloads(cell, safe):
    assert safe_cell(cell) == safe


# --- targets across years ------------------------------------------------------------------------------------------
def test_targets_page_judges_met_missed_about_and_growth_targets(mini_site):
    soup = _soup(mini_site, "targets.html")
    tables = {t.caption.get_text(strip=True): t for t in soup.select("table")}
    judged = tables["2023年报设定的2024年目标及完成情况"]
    rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in judged.select("tbody tr")}  # fmt: skip
    assert rows["营业收入"] == ["240亿元以上", "243.10亿元", "101.3%", "完成"]
    assert rows["税收"] == ["增长8%左右", "-5.0%", "-13.0个百分点", "未完成"]  # growth compared in 百分点
    assert rows["规上企业数"] == ["力争65家", "61家", "93.8%", "未完成"]
    assert rows["融资总额"] == ["9550万元左右", "9500万元", "99.5%", "完成"]  # within the 左右 tolerance
    pending = tables["2024年报设定的2025年目标及完成情况"]
    assert {tr.find_all("td")[-1].get_text(strip=True) for tr in pending.select("tbody tr")} == {"待评估"}


def test_targets_page_is_linked_from_both_editions(mini_site):
    for page in ("2023/plan.html", "2024/summary.html"):
        assert _soup(mini_site, page).select_one('a[href$="targets.html"]'), page


# --- revisions -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["2023/summary.html", "2024/summary.html", "revisions.html"])
def test_a_revision_is_shown_on_both_edition_pages(mini_site, page):
    rows = _soup(mini_site, page).select(".nb-revisions tbody tr")
    texts = [" ".join(td.get_text(" ", strip=True) for td in tr.find_all(["th", "td"])) for tr in rows]
    assert any("营业收入" in t and "220.00亿元( 2023年报 )" in t and "221.00亿元( 2024年报 )" in t for t in texts), texts


# --- search ----------------------------------------------------------------------------------------------------------
SEARCHES = [
    ("营业收入", "indicators/revenue.html"),  # an indicator name
    ("电子信息", "电子信息"),  # an industry name: a page that mentions it
    ("招商引资", "summary.html"),  # a word of the prose
    ("事故", "indicators/safety_accidents.html"),  # the second half of the compound 安全事故
    ("厂房", "indicators/new_factory_area.html"),  # the second half of 标准厂房
    ("人员", "indicators/employees.html"),  # the second half of 从业人员
]


@pytest.mark.browser
def test_chinese_search_finds_the_right_pages(browser, sample_site, serve):
    page = browser.new_page()
    page.goto(serve(sample_site) + "index.html")
    page.wait_for_function("() => document.querySelector('.md-search__input') !== null")
    counted = "() => { const m = document.querySelector('.md-search-result__meta'); return m && /\\d+/.test(m.textContent); }"
    for query, expected in SEARCHES:
        # Empty the box first and wait for the count to go, so the results read below are this query's, not the last's.
        page.fill(".md-search__input", "")
        page.wait_for_function(f"() => !({counted})()", timeout=15000)
        page.fill(".md-search__input", query)
        page.locator(".md-search__input").press("End")
        page.wait_for_function(counted, timeout=15000)
        hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.slice(0, 5).map(a => a.href)")
        titles = page.eval_on_selector_all(".md-search-result__item > a",
                                           "els => els.slice(0, 5).map(a => a.innerText.replaceAll('\\u200b', ''))")  # fmt: skip
        assert any(expected in h or expected in t for h, t in zip(hrefs, titles, strict=True)), (query, hrefs)
    page.close()


# --- accessibility -------------------------------------------------------------------------------------------------
PAGE_TYPES = ["index.html", "2024/summary.html", "2024/problems.html", "2024/plan.html", "indicators/index.html",
              "indicators/revenue.html", "targets.html", "revisions.html", "data.html", "404.html"]  # fmt: skip


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_violations_on_any_page_type(browser, sample_site, serve, scheme):
    assert AXE.is_file(), "axe-core is installed by `make setup` (npm)"
    base = serve(sample_site)
    # axe-core is injected as an inline script, which the site's Content-Security-Policy blocks (tests/test_attacks.py
    # checks the policy); the audit is of accessibility, so it runs with the policy switched off.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in PAGE_TYPES:
        page.goto(base + path, wait_until="load")
        if page.locator("[data-nb-figure]").count():
            page.wait_for_function(DRAWN, timeout=15000)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})")
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


@pytest.mark.browser
def test_larger_text_survives_navigation(browser, mini_site, serve):
    context = browser.new_context()
    page = context.new_page()
    base = serve(mini_site)
    page.goto(base + "2024/summary.html")
    size = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
    normal = page.evaluate(size)
    page.get_by_role("button", name="大字号").click()
    assert page.evaluate(size) > normal * 1.2
    assert page.get_by_role("button", name="标准字号").get_attribute("aria-pressed") == "true"
    page.goto(base + "2024/plan.html")
    assert page.evaluate(size) > normal * 1.2
    context.close()


# --- hosting -------------------------------------------------------------------------------------------------------
@pytest.mark.browser
def test_site_works_from_a_sub_path(browser, mini_site, serve, tmp_path):
    portal = tmp_path / "portal"
    shutil.copytree(mini_site, portal / "zhuanlan" / "nianbao")
    base = serve(portal) + "zhuanlan/nianbao/"
    page = browser.new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    for path in ("index.html", "2024/summary.html", "indicators/revenue.html", "data.html"):
        page.goto(base + path, wait_until="load")
        if page.locator("[data-nb-figure]").count():
            page.wait_for_function(DRAWN, timeout=15000)
        for href in page.eval_on_selector_all("article a[href]", "els => els.map(a => a.href)"):
            assert urlparse(href).path.startswith("/zhuanlan/nianbao/") or not href.startswith("http"), href
    assert failed == []
    page.close()


@pytest.mark.browser
def test_site_works_from_file_url(browser, mini_site):
    page = browser.new_page()
    other = []
    page.on("request", lambda r: other.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
    page.goto((mini_site / "2024" / "summary.html").as_uri(), wait_until="load")
    page.wait_for_function(DRAWN, timeout=15000)
    assert other == []
    page.close()


def test_footer_identifiers_are_configurable_and_empty_by_default(tmp_path, mini_site):
    assert _soup(mini_site, "index.html").select(".nb-footer__ids") == []
    project = copy_project(FIXTURES / "mini", tmp_path / "project")
    park = project / "data" / "park.yml"
    park.write_text(park.read_text(encoding="utf-8").replace('网站标识码: ""', '网站标识码: "1234000001"'), encoding="utf-8")
    assert build(project).returncode == 0
    ids = _soup(project / "site", "index.html").select_one(".nb-footer__ids").get_text(strip=True)
    assert ids == "网站标识码:1234000001"
