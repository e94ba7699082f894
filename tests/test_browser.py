"""The built site in the real Chromium: charts draw, follow the palette, fit a phone, and nothing leaves the site."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import ARTIFACTS

pytestmark = pytest.mark.browser

DRAWN = "() => [...document.querySelectorAll('[data-nb-figure]')].every(el => el.dataset.nbDrawn === 'true')"


def _open(browser, url, **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    seen = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(url, wait_until="load")
    return ctx, page, seen


def _chart_report(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('[data-nb-figure]')].map(el => ({
        id: el.id,
        traces: el.querySelectorAll('g.trace').length,
        width: el.getBoundingClientRect().width,
        font: el._fullLayout ? el._fullLayout.font.color : null,
    }))""")


@pytest.mark.parametrize("page_path", ["2024/summary.html", "2024/plan.html", "indicators/revenue.html"])
def test_charts_draw_and_only_the_site_is_contacted(browser, mini_site, serve, page_path):
    base = serve(mini_site)
    ctx, page, seen = _open(browser, base + page_path)
    page.wait_for_function(DRAWN, timeout=15000)
    charts = _chart_report(page)
    assert charts and all(c["traces"] > 0 for c in charts), charts
    hosts = {urlparse(u).netloc for u in seen["requests"] if not u.startswith("data:")}
    assert hosts == {urlparse(base).netloc}
    assert seen["errors"] == []
    ctx.close()


def test_every_page_of_the_sample_requests_nothing_from_another_host(browser, sample_site, serve):
    base = serve(sample_site)
    pages = sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html"))
    ctx = browser.new_context()
    page = ctx.new_page()
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).netloc != urlparse(base).netloc else None)
    for path in pages:
        page.goto(base + path, wait_until="load")
    assert foreign == []
    ctx.close()


def test_charts_follow_dark_mode_and_fit_a_phone(browser, sample_site, serve):
    base = serve(sample_site)
    latest = max(int(p.name) for p in sample_site.iterdir() if p.is_dir() and p.name.isdigit())
    url = f"{base}{latest}/summary.html"
    ARTIFACTS.mkdir(exist_ok=True)
    fonts = {}
    for scheme, width in (("light", 1280), ("dark", 1280), ("light", 390)):
        ctx, page, seen = _open(browser, url, viewport={"width": width, "height": 900}, color_scheme=scheme)
        page.wait_for_function(DRAWN, timeout=15000)
        charts = _chart_report(page)
        assert charts and all(c["traces"] > 0 for c in charts)
        fonts.setdefault(scheme, charts[0]["font"])
        # Headline cards share rows: two to a row on a phone, all four in one row on a desktop.
        tops = page.evaluate("() => [...document.querySelectorAll('.nb-cards > li')].map(li => li.getBoundingClientRect().top)")
        per_row = max(tops.count(top) for top in tops)
        assert per_row == (2 if width == 390 else len(tops)), (width, tops)
        if width == 390:
            assert all(c["width"] <= 390 for c in charts)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / f"summary-{scheme}-{width}.png"), full_page=True)
        assert seen["errors"] == []
        ctx.close()
    assert fonts["light"] != fonts["dark"]


def test_palette_toggle_restyles_drawn_charts(browser, mini_site, serve):
    ctx, page, _ = _open(browser, serve(mini_site) + "2024/summary.html")
    page.wait_for_function(DRAWN, timeout=15000)
    before = _chart_report(page)[0]["font"]
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    page.wait_for_function(f"() => document.querySelector('[data-nb-figure]')._fullLayout.font.color !== {before!r}")
    ctx.close()


def _tab_to(page, selector: str, presses: int) -> bool:
    """Press Tab until the focused element matches ``selector``; False if it never does within ``presses``."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return True
    return False


def test_table_alternative_is_reachable_by_keyboard(browser, mini_site, serve):
    ctx, page, _ = _open(browser, serve(mini_site) + "2024/summary.html")
    summary = page.locator(".nb-chart__table summary").first
    if not _tab_to(page, ".nb-chart__table summary", 200):
        pytest.fail("the chart's table alternative is not reachable with Tab")
    page.keyboard.press("Enter")
    assert summary.evaluate("el => el.parentElement.open")
    ctx.close()


TABLE_PAGES = ["targets.html", "revisions.html", "data.html", "2022/summary.html", "2024/plan.html", "indicators/revenue.html"]
TABLE_REPORT = """() => {
    const wraps = [...document.querySelectorAll('.nb-table-wrap, .nb-table-wrap .md-typeset__scrollwrap, .nb-table-wrap table, '
                                              + '.nb-chart__table .md-typeset__scrollwrap, .nb-chart__table table')];
    const hidden = c => c.closest('thead') && c.closest('thead').getBoundingClientRect().width <= 1;  // cards' headers
    const cells = [...document.querySelectorAll('.nb-table-wrap td, .nb-table-wrap th')].filter(c => c.offsetParent && !hidden(c));
    const labelled = [...document.querySelectorAll('.nb-table--cards td[data-label]')].filter(c => c.offsetParent);
    return {
        page: document.documentElement.scrollWidth,
        wide: wraps.filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.querySelector('caption').textContent),  // scrolls or clips
        cut: cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent),
        outside: labelled.filter(c => c.getBoundingClientRect().right > innerWidth).map(c => c.textContent),
        cards: labelled.length > 0 && getComputedStyle(labelled[0].closest('tr')).display === 'block',
        labels: labelled.every(c => getComputedStyle(c, '::before').content.includes(c.dataset.label)),
        headers: document.querySelectorAll('.nb-table--cards thead th').length,
    };
}"""


@pytest.mark.parametrize("text", ["normal", "large"])
@pytest.mark.parametrize("width", [390, 1280])
def test_wide_tables_are_read_whole_on_a_phone_and_a_desktop(browser, sample_site, serve, width, text):
    """No table needs sideways scrolling and no cell is cut; on a phone (and with the larger text) the wide tables are
    cards whose every cell shows its column's name, with the column headers still in the page for screen readers."""
    base = serve(sample_site)
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    if text == "large":
        ctx.add_init_script("localStorage.setItem('nianbao.text-size', 'large')")
    page = ctx.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    for path in TABLE_PAGES:
        page.goto(base + path, wait_until="load")
        page.evaluate("document.querySelectorAll('details.nb-chart__table').forEach(d => { d.open = true; })")  # charts' tables too
        page.evaluate("() => new Promise(requestAnimationFrame)")  # the toggle events are handled
        report = page.evaluate(TABLE_REPORT)
        assert report["page"] <= width, (path, report["page"])
        assert report["wide"] == [] and report["cut"] == [] and report["outside"] == [], (path, report)
        assert page.locator("[data-nb-scroll]").count() == 0, path  # nothing had to become a scroll region
        assert report["headers"] > 0, path
        if width == 390 or text == "large":
            assert report["cards"] and report["labels"], (path, report)
        else:
            assert not report["cards"], path
    page.goto(base + "targets.html", wait_until="load")
    result = page.locator(".nb-targets-overview td[data-label='结果']").nth(1)
    assert result.is_visible() and result.bounding_box()["x"] + result.bounding_box()["width"] <= width
    page.screenshot(path=str(ARTIFACTS / f"targets-{text}-{width}.png"), full_page=True)
    ctx.close()


def test_a_table_that_has_to_scroll_takes_keyboard_focus(browser, sample_site, serve):
    ctx, page, _ = _open(browser, serve(sample_site) + "revisions.html", viewport={"width": 1280, "height": 900})
    wrap = page.locator(".nb-table-wrap").first
    assert wrap.get_attribute("tabindex") is None  # it fits: no extra tab stop
    # Make the table wider than its column (as a long note or a narrow window would), then tell the page.
    page.add_style_tag(content=".nb-table-wrap td, .nb-table-wrap th { white-space: nowrap !important; min-width: 20em !important; }")
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    page.wait_for_function("() => document.querySelector('.nb-table-wrap').hasAttribute('data-nb-scroll')")
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
    assert wrap.get_attribute("aria-label").startswith("数据修订记录")
    if not _tab_to(page, ".nb-table-wrap", 100):
        pytest.fail("the scrolling table is not reachable with Tab")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.nb-table-wrap').scrollLeft > 0")
    page.evaluate("document.querySelectorAll('style').forEach(s => { if (s.textContent.includes('20em')) s.remove(); })")
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    page.wait_for_function("() => !document.querySelector('.nb-table-wrap').hasAttribute('tabindex')")
    ctx.close()
