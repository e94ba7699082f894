"""The public site: open data, targets across years, revisions, Chinese search, accessibility, hosting anywhere."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlparse

import openpyxl
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO, SAMPLE, build, copy_project
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
    assert {t.name for t in report.tasks} >= {"workbook-2024-figures", "workbook-2024-indicators"}  # sheets were read
    package = Package(str(descriptor))
    model, _ = load_report(SAMPLE)
    published = {(f.edition, f.indicator, f.period, f.breakdown, f.value)
                 for e in model.editions.values() for f in e.figures.values()}  # fmt: skip
    in_csv, in_workbooks = set(), set()
    for resource in package.resources:
        if resource.name.startswith("figures-"):
            edition = int(resource.name.removeprefix("figures-"))
            in_csv |= {(edition, r["indicator"], r["period"], r["breakdown"] or None, Decimal(str(r["value"])))
                       for r in _rows(resource)}  # fmt: skip
        elif resource.name.startswith("workbook-") and resource.name.endswith("-figures"):
            edition = int(resource.name.split("-")[1])
            rows = _rows(resource)
            in_workbooks |= {(edition, r["指标代码"], r["时期"], r["分组"] or None, Decimal(str(r["数值"]))) for r in rows}
            units = {i.id: i.unit for i in model.catalog.indicators.values()}
            assert all(r["单位"] == units[r["指标代码"]] for r in rows), resource.name
    assert in_csv == published  # nothing lost, nothing added
    assert in_workbooks == published  # the workbooks hold the same figures
    catalog = {row["id"]: row for row in _rows(package.get_resource("catalog"))}
    assert set(catalog) == set(model.catalog.indicators)
    assert all(catalog[i.id]["unit"] == i.unit for i in model.catalog.indicators.values())


def test_datapackage_describes_every_download_file(sample_site):
    data = sample_site / "data"
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in descriptor["resources"]}
    offered = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()} - {"datapackage.json"}
    assert described == offered
    linked = {urlparse(a["href"]).path.removeprefix("data/") for a in _soup(sample_site, "data.html").select("article a[href^='data/']")}
    assert linked - {"datapackage.json"} <= described
    model, _ = load_report(SAMPLE)
    package = Package(str(data / "datapackage.json"))
    for year, edition in model.editions.items():
        sheets = {r["dialect"]["excel"]["sheet"]: r for r in descriptor["resources"]
                  if r["path"] == f"{year}/nianbao-{year}.xlsx"}  # fmt: skip
        assert set(sheets) == {"数据", "目标", "签约项目", "指标说明"}
        assert {r["mediatype"] for r in sheets.values()} == {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        counts = {name: len(_rows(package.get_resource(sheets[name]["name"]))) for name in sheets}
        assert counts == {"数据": len(edition.figures), "目标": len(edition.targets), "签约项目": len(edition.projects),
                          "指标说明": len(model.catalog.indicators)}, year  # fmt: skip


def _rows(resource):
    with resource:
        return list(resource.row_stream)


# Every number in the site's cards and tables, checked against the files a reader downloads: the edition's published
# figures.csv / targets.csv, formatted to catalog.csv's decimals here, independently of the engine.
def _read_csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _downloads(site):
    catalog = {r["id"]: r for r in _read_csv(site / "data/catalog.csv")}
    figures, targets = {}, {}
    for folder in (site / "data").iterdir():
        if folder.is_dir() and folder.name.isdigit():
            year = int(folder.name)
            figures[year] = {(r["indicator"], int(r["period"]), r["breakdown"]): r for r in _read_csv(folder / "figures.csv")}
            targets[year] = _read_csv(folder / "targets.csv")
    return catalog, figures, targets


def _fmt(value, decimals):
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    return f"{abs(rounded) if rounded == 0 else rounded:f}"


def _growth(current, previous):
    if previous is None:
        return "无上年可比数据"
    rate = Decimal(_fmt((Decimal(current) - Decimal(previous)) / abs(Decimal(previous)) * 100, 1))
    if rate == 0:
        return "与上年持平"
    return f"{'增长' if rate > 0 else '下降'}{_fmt(abs(rate), 1)}%"


def _target_text(t, unit):
    core = f"增长{t['value']}%" if t["measure"] == "增速" else f"{t['value']}{unit}"
    return core + t["qualifier"] if t["qualifier"] in ("以上", "左右") else t["qualifier"] + core


def _cells(tr):
    return {td["data-label"]: td.get_text("", strip=True) for td in tr.find_all("td") if td.get("data-label")}


def _indicator_of(cell):
    return cell.a["href"].rsplit("/", 1)[-1].removesuffix(".html")


def _check_target_rows(table, catalog, figures, actual_in, expected, shown, checked):
    for tr in table.select("tbody tr"):
        if tr.th is None:  # 上一期年报没有设定本年目标
            continue
        ind = _indicator_of(tr.th)
        target = next(t for t in expected if t["indicator"] == ind)
        cat, cells = catalog[ind], _cells(tr)
        shown.append((cells["目标"], _target_text(target, cat["unit"])))
        fig = figures.get(actual_in, {})
        cur, prev = fig.get((ind, actual_in, "")), fig.get((ind, actual_in - 1, ""))
        if target["measure"] == "增速":
            rate = (Decimal(cur["value"]) - Decimal(prev["value"])) / abs(Decimal(prev["value"])) * 100 if cur and prev else None
            actual = "—" if rate is None else _fmt(rate, 1) + "%"
            diff = None if rate is None else rate - Decimal(target["value"])
            completion = ("—" if diff is None else "持平" if _fmt(abs(diff), 1) == "0.0"
                          else f"{'+' if diff > 0 else '-'}{_fmt(abs(diff), 1)}个百分点")
        else:
            actual = _fmt(cur["value"], cat["decimals"]) + cat["unit"] if cur else "—"
            completion = _fmt(Decimal(cur["value"]) / Decimal(target["value"]) * 100, 1) + "%" if cur else "—"
        shown += [(cells["实际"], actual), (cells["完成情况"], completion)]
        checked["targets"] += 1


def test_every_number_in_cards_and_tables_is_in_the_editions_download(sample_site):
    catalog, figures, targets = _downloads(sample_site)
    by_name = {r["name"]: i for i, r in catalog.items()}
    shown, checked = [], dict.fromkeys(("cards", "breakdowns", "targets", "plans", "history", "revisions"), 0)
    for year, fig in figures.items():
        for part in ("summary", "problems", "plan"):
            soup = _soup(sample_site, f"{year}/{part}.html")
            for card in soup.select("a.nb-card"):
                ind = card["href"].rsplit("/", 1)[-1].removesuffix(".html")
                expected = _fmt(fig[(ind, year, "")]["value"], catalog[ind]["decimals"]) + catalog[ind]["unit"]
                shown.append((card.select_one(".nb-card__value").get_text(strip=True), expected))
                checked["cards"] += 1
            for wrap in soup.select(".nb-breakdown"):
                y, name = re.match(r"(\d{4})年(.+?)\(按", wrap.caption.get_text(strip=True)).groups()
                assert int(y) == year
                ind = by_name[name]
                decimals = catalog[ind]["decimals"]
                total = fig[(ind, year, "")]["value"]
                for tr in wrap.select("tbody tr"):
                    member, cells = tr.th.get_text(strip=True), _cells(tr)
                    cur = fig[(ind, year, member)]["value"]
                    prev = fig.get((ind, year - 1, member), {}).get("value")
                    shown += [(cells[f"{year}年"], _fmt(cur, decimals)),
                              (cells[f"{year - 1}年"], _fmt(prev, decimals) if prev is not None else "—"),
                              (cells["增速"], _growth(cur, prev)),
                              (cells["占全园比重"], _fmt(Decimal(cur) / Decimal(total) * 100, 1) + "%")]  # fmt: skip
                    checked["breakdowns"] += 1
                for tr in wrap.select("tfoot tr"):
                    shown.append((_cells(tr)[f"{year}年"], _fmt(total, decimals)))
            for table in soup.select(".nb-target-review table"):
                due = [t for t in targets.get(year - 1, []) if int(t["period"]) == year]
                _check_target_rows(table, catalog, figures, year, due, shown, checked)
            for tr in soup.select(".nb-target-table tbody tr"):
                ind, cells = _indicator_of(tr.th), _cells(tr)
                target = next(t for t in targets[year] if t["indicator"] == ind)
                unit, decimals = catalog[ind]["unit"], catalog[ind]["decimals"]
                base = fig.get((ind, year, ""))
                shown += [(cells["目标"], _target_text(target, unit)),
                          (cells[f"{year}年实际"], _fmt(base["value"], decimals) + unit if base else "—")]  # fmt: skip
                if base and target["measure"] == "增速":
                    implied = "约" + _fmt(Decimal(base["value"]) * (1 + Decimal(target["value"]) / 100), decimals) + unit
                    shown.append((cells["隐含增速或总量"], implied))
                elif base:
                    shown.append((cells["隐含增速或总量"], _growth(target["value"], base["value"])))
                checked["plans"] += 1
    for table in _soup(sample_site, "targets.html").select(".nb-targets-overview table"):
        set_in, actual_in = map(int, re.match(r"(\d{4})年报设定的(\d{4})年", table.caption.get_text(strip=True)).groups())
        due = [t for t in targets[set_in] if int(t["period"]) == actual_in]
        _check_target_rows(table, catalog, figures, actual_in, due, shown, checked)
    for ind, cat in catalog.items():
        for tr in _soup(sample_site, f"indicators/{ind}.html").select(".nb-history tbody tr"):
            period = int(tr.th.get_text(strip=True))
            value, status, source = tr.find_all("td")
            latest = max(y for y, fig in figures.items() if (ind, period, "") in fig)  # 每年取最新一期年报的数值
            row = figures[latest][(ind, period, "")]
            shown += [(value.select_one(".nb-nowrap").get_text(strip=True), _fmt(row["value"], cat["decimals"])),
                      (status.get_text(strip=True), row["status"]), (source.get_text(strip=True), f"{latest}年报")]  # fmt: skip
            checked["history"] += 1
    for tr in _soup(sample_site, "revisions.html").select(".nb-revisions tbody tr"):
        ind, cells = _indicator_of(tr.th), _cells(tr)
        period, breakdown = int(cells["年份"]), "" if cells["分组"] == "合计" else cells["分组"]
        for label in ("原值", "修订值"):
            edition = int(re.search(r"\((\d{4})年报\)$", cells[label]).group(1))
            value = _fmt(figures[edition][(ind, period, breakdown)]["value"], catalog[ind]["decimals"])
            shown.append((cells[label].removeprefix("修订"), f"{value}{catalog[ind]['unit']}({edition}年报)"))
        checked["revisions"] += 1
    assert all(checked.values()), checked  # every kind of table was found and read
    wrong = [(text, expected) for text, expected in shown if text != expected]
    assert wrong == [], wrong[:10]


def test_xlsx_workbook_has_chinese_headers_units_and_numbers(sample_site):
    model, _ = load_report(SAMPLE)
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
    texts = [[td.get_text("", strip=True) for td in tr.find_all(["th", "td"])] for tr in rows]
    assert ["营业收入", "2023", "合计", "220.00亿元(2023年报)", "修订221.00亿元(2024年报)"] in [t[:5] for t in texts], texts


# --- search ----------------------------------------------------------------------------------------------------------
# Each query and the page that must be among the first three results (compared by path, not by the result's text:
# any page that merely mentions the word would match its own text).
SEARCHES = [
    ("营业收入", "indicators/revenue.html"),  # an indicator name: its indicator page
    ("电子信息", "2022/plan.html"),  # an industry name: the plan whose section is 实施电子信息产业稳链强链行动
    ("招商引资", "2024/summary.html"),  # a word of the prose: the heading 狠抓招商引资,着力培育新质生产力
    ("事故", "indicators/safety_accidents.html"),  # the second half of the compound 安全事故
    ("厂房", "indicators/new_factory_area.html"),  # the second half of 标准厂房
    ("人员", "indicators/employees.html"),  # the second half of 从业人员
]


@pytest.mark.browser
def test_chinese_search_finds_the_right_pages(browser, sample_site, serve):
    page = browser.new_page()
    base = serve(sample_site)
    page.goto(base + "index.html")
    page.wait_for_function("() => document.querySelector('.md-search__input') !== null")
    counted = "() => { const m = document.querySelector('.md-search-result__meta'); return m && /\\d+/.test(m.textContent); }"
    for query, expected in SEARCHES:
        # Empty the box first and wait for the count to go, so the results read below are this query's, not the last's.
        page.fill(".md-search__input", "")
        page.wait_for_function(f"() => !({counted})()", timeout=15000)
        page.fill(".md-search__input", query)
        page.locator(".md-search__input").press("End")
        page.wait_for_function(counted, timeout=15000)
        hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(a => a.href)")
        pages = list(dict.fromkeys(urlparse(h).path for h in hrefs))[:3]  # a page and its sections count once
        assert urlparse(base).path + expected in pages, (query, pages)
    page.close()


# --- accessibility -------------------------------------------------------------------------------------------------
PAGE_TYPES = ["index.html", "2024/summary.html", "2024/problems.html", "2024/plan.html", "indicators/index.html",
              "indicators/revenue.html", "targets.html", "revisions.html", "data.html", "404.html"]  # fmt: skip


DESKTOP, PHONE = {"width": 1280, "height": 720}, {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.parametrize("scheme, viewport", [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE), ("dark", PHONE)],
                         ids=["light-1280", "dark-1280", "light-390", "dark-390"])  # fmt: skip
def test_axe_core_finds_no_violations_on_any_page_type(browser, sample_site, serve, scheme, viewport):
    assert AXE.is_file(), "axe-core is installed by `make setup` (npm)"
    base = serve(sample_site)
    # axe-core is injected as an inline script, which the site's Content-Security-Policy blocks (tests/test_attacks.py
    # checks the policy); the audit is of accessibility, so it runs with the policy switched off. On a phone the wide
    # tables are cards and must not leave a region that scrolls without taking focus (scrollable-region-focusable).
    context = browser.new_context(color_scheme=scheme, viewport=viewport, bypass_csp=True)
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
