"""Hostile input never runs: each attack is built into a real site and opened in the real Chromium.

An attack is a named edit of tests/fixtures/mini (the corpus' steps). For each, the site is built with MkDocs and every
page the hostile string reaches is opened twice: as published (with the Content-Security-Policy) and with the policy
switched off in the browser (``bypass_csp``), so that escaping alone is proved, not only the policy. Each time the test
asserts that no script ran (no dialog, no console marker, no injected element), that the policy reported no violation
(nothing had to be blocked), and that the hostile text is shown literally where it belongs.

The rest of the file checks the policy itself: present on every page, no inline script left for it to allow, Material's
moved scripts identical to Material's own, enforced by Chromium, and the charts and search working under it over
http:// and from file://.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, build, write_config
from openpyxl import load_workbook
from test_corpus import make_case

MARK = "nb-xss"  # every payload calls alert('nb-xss') or logs it, and carries data-nb-xss when it is an element
IMG = f"<img src=x data-nb-xss onerror=alert('{MARK}')>"
SCRIPT = f"<script data-nb-xss>alert('{MARK}')</script>"
DRAWN = "() => [...document.querySelectorAll('[data-nb-figure]')].every(el => el.dataset.nbDrawn === 'true')"
WATCH = """
window.__nbViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__nbViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


@dataclass
class Attack:
    name: str
    what: str  # for DATA_INPUT.md
    steps: list[dict]  # edits of tests/fixtures/mini, as in tests/corpus/cases.yml
    pages: dict[str, tuple[str, str]]  # page -> (CSS selector, hostile text that element must show literally)
    extra: Callable | None = None  # more checks on each page: (page, site folder) -> None
    warns: str | None = None  # a warning the strict build stops on (the lenient build must then pass)


def _legend(page, literal):
    page.wait_for_function(DRAWN, timeout=15000)
    texts = page.evaluate("[...document.querySelectorAll('.legendtext')].map(e => e.textContent)")
    assert literal in texts, texts  # Plotly drew the name as text, not as its pseudo-HTML
    assert page.evaluate("document.querySelectorAll('.js-plotly-plot a, .js-plotly-plot [data-nb-xss]').length") == 0


def _hover(page, literal):
    """The hover label of the first chart (Plotly's templates substitute %{…}; a name must not take part)."""
    texts = page.evaluate("""() => { const el = document.querySelector('[data-nb-figure]');
        Plotly.Fx.hover(el, el.data.map((_, n) => ({curveNumber: n, pointNumber: 0})));
        return [...el.querySelectorAll('.hoverlayer text')].map(t => t.textContent); }""")
    assert literal in texts, texts


def _ticks(page, literal):
    page.wait_for_function(DRAWN, timeout=15000)
    ticks = page.evaluate("[...document.querySelectorAll('.xtick text')].map(e => e.textContent)")
    assert literal in ticks, ticks


def _indicator_page(page, literal):
    assert page.title().startswith(literal)  # <title>: no markup, no entities shown
    assert page.locator("article h1").inner_text().rstrip("¶").strip() == literal


def _downloads(page, site):
    """The data page's CSV and XLSX links: formula-like cells are neutralised, other text is kept verbatim."""
    links = page.eval_on_selector_all("article a[href]", "els => els.map(a => a.getAttribute('href'))")
    csv_href = next(h for h in links if h.endswith("2024/projects.csv"))
    body = page.request.get(page.url.rsplit("/", 1)[0] + "/" + csv_href).body().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    names = [r[0] for r in rows[1:]]
    companies = [r[1] for r in rows[1:]]
    assert "'=1+2" in names and "'@SUM(1+1)" in companies, rows
    figures = page.request.get(page.url.rsplit("/", 1)[0] + "/data/2024/figures.csv").body().decode("utf-8-sig")
    assert """'=HYPERLINK(""http://evil.example/"",""点此"")""" in figures
    workbook = load_workbook(site / "data" / "2024" / "nianbao-2024.xlsx")
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if str(c.value).startswith(("=", "@"))]
    assert cells and all(c.data_type == "s" for c in cells)  # strings, never formulas


def _search(page, literal):
    """Type the hostile name into Material's search: results render as text (Material 9.7.7 fixed an XSS here)."""
    page.locator(".md-search__input").fill("营业收入")
    page.locator(".md-search__input").press("End")
    page.wait_for_function("() => { const m = document.querySelector('.md-search-result__meta');"
                           " return m && /\\d+/.test(m.textContent); }", timeout=15000)  # fmt: skip
    titles = page.eval_on_selector_all(".md-search-result__item h1, .md-search-result__item h2",
                                       "els => els.map(e => e.textContent.replaceAll('\\u200b', ''))")  # fmt: skip
    assert any(literal in t for t in titles), titles


NAME_IMG = f"营业收入{IMG}"
NAME_BREAKOUT = f"税收</script>{SCRIPT}"
NAME_PLOTLY = f"税收<a href='javascript:alert(`{MARK}`)'>链接</a><b>粗</b><br>换行%{{x}}"
MEMBER = "东区<b data-nb-xss>粗</b>"
HYPERLINK = '=HYPERLINK("http://evil.example/","点此")'
HYPERLINK_CSV = '"=HYPERLINK(""http://evil.example/"",""点此"")"'


def _on(fragment: str, check: Callable) -> Callable:
    """An extra check that runs only on pages whose URL contains ``fragment``."""
    return lambda page, site: check(page, site) if fragment in page.url else None


def _all(*checks: Callable) -> Callable:
    return lambda page, site: [check(page, site) for check in checks]


ATTACKS = [
    Attack(
        "script-in-indicator-name", "an indicator name with an <img onerror> element (catalog.yml)",
        [{"sub": "CAT", "old": "    name: 营业收入\n", "new": f'    name: "{NAME_IMG}"\n'}],
        {"indicators/revenue.html": ("article", NAME_IMG), "2024/summary.html": (".nb-cards", NAME_IMG),
         "indicators/index.html": ("article", NAME_IMG)},
        _all(_on("indicators/revenue", lambda page, site: _indicator_page(page, NAME_IMG)),
             _on("summary", lambda page, site: _legend(page, NAME_IMG))),
    ),
    Attack(
        "script-in-note", "a <script> element in a figure's note (figures.csv)",
        [{"line": "F24", "at": 2, "old": "按可比口径调整", "new": SCRIPT}],
        {"revisions.html": ("article", SCRIPT), "indicators/revenue.html": ("article", SCRIPT)},
    ),
    Attack(
        "script-in-project-name", "an <img onerror> element as a project name (projects.csv: in the downloads)",
        [{"line": "P24", "at": 2, "old": "丙项目", "new": IMG}],
        {"data.html": ("article h1", "数据下载")},
        lambda page, site: _project_download(page, IMG),
    ),
    Attack(
        "script-in-dimension-member", "a zone named with a <b> element (catalog, figures, projects)",
        [{"sub": key, "old": "东区", "new": MEMBER} for key in ("CAT", "F23", "F24", "P23", "P24")],
        {"2024/summary.html": (".nb-table-wrap", MEMBER)},
        lambda page, site: _ticks(page, MEMBER),
    ),
    Attack(
        "html-in-prose-functions", 'HTML handed to prose functions: {{ literal("<img …>") }}, {{ "<script>…" }}',
        [{"append": "S24", "text": f'\n攻击一:{{{{ literal("{IMG}") }}}}\n\n攻击二:{{{{ "{SCRIPT}" }}}}\n'}],
        {"2024/summary.html": ("article", IMG)},
        lambda page, site: _also(page, "article", SCRIPT),
    ),
    Attack(
        "script-breakout-in-chart-json", "</script> in an indicator name, inside the chart's JSON <script> block",
        [{"sub": "CAT", "old": "    name: 税收\n", "new": f'    name: "{NAME_BREAKOUT}"\n'}],
        {"2024/summary.html": (".nb-cards", NAME_BREAKOUT), "indicators/tax.html": ("article", NAME_BREAKOUT)},
        _on("summary", lambda page, site: _legend(page, NAME_BREAKOUT)),  # a one-line chart has no legend
    ),
    Attack(
        "plotly-html-in-label", "Plotly's pseudo-HTML (<a href=javascript:…>, <b>, <br>) and a %{x} template in a chart label",
        [{"sub": "CAT", "old": "    name: 税收\n", "new": f'    name: "{NAME_PLOTLY}"\n'}],
        {"indicators/tax.html": ("article h1", NAME_PLOTLY), "2024/summary.html": (".nb-cards", NAME_PLOTLY)},
        _on("summary", _all(lambda page, site: _legend(page, NAME_PLOTLY), lambda page, site: _hover(page, NAME_PLOTLY))),
    ),
    Attack(
        "formula-in-csv-download", "cells starting with = and @ (projects.csv, figures.csv), opened from the downloads",
        [{"line": "P24", "at": 3, "old": "丁项目", "new": "=1+2"},
         {"line": "P24", "at": 3, "old": "丁公司", "new": "@SUM(1+1)"},
         {"line": "F24", "at": 2, "old": "按可比口径调整", "new": HYPERLINK_CSV}],
        {"revisions.html": ("article", HYPERLINK), "data.html": ("article h1", "数据下载")},
        _on("data.html", lambda page, site: _downloads(page, site)),
        warns="formula-like-text",
    ),
    Attack(
        "script-in-park-name", "<script> in park.yml's name and <img onerror> in its issuer (banner and footer)",
        [{"sub": "PARK", "old": "name: 测试园区\n", "new": f'name: "{SCRIPT}测试园区"\n'},
         {"sub": "PARK", "old": "issuer: 测试园区管理委员会", "new": f'issuer: "{IMG}委员会"'}],
        {"index.html": (".nb-sample-banner", f"{SCRIPT}测试园区"), "2024/summary.html": (".nb-footer", f"{IMG}委员会")},
    ),
    Attack(
        "jinja-in-data", "Jinja syntax in an indicator name and in a note: {{ 7*7 }}, {{ config.site_name }}",
        [{"sub": "CAT", "old": "    name: 税收\n", "new": '    name: "{{ 7*7 }}税收"\n'},
         {"line": "F24", "at": 2, "old": "按可比口径调整", "new": "{{ config.site_name }}"}],
        {"indicators/tax.html": ("article h1", "{{ 7*7 }}税收"), "2024/summary.html": (".nb-cards", "{{ 7*7 }}税收"),
         "revisions.html": ("article", "{{ config.site_name }}")},
        lambda page, site: _absent(page, "49税收"),
    ),
    Attack(
        "script-in-search-results", "an indicator name with an <img onerror> element, typed into the site search",
        [{"sub": "CAT", "old": "    name: 营业收入\n", "new": f'    name: "{NAME_IMG}"\n'}],
        {"2024/problems.html": ("article h1", "存在的问题")},
        lambda page, site: _search(page, NAME_IMG),
    ),
]


def attacks_table() -> str:
    """The attack table of DATA_INPUT.md (written by tests/test_corpus.py --write, checked there)."""
    lines = ["| attack | hostile input | pages opened in Chromium (with and without the policy) |", "|---|---|---|"]
    for attack in ATTACKS:
        pages = ", ".join(f"`{page}`" for page in attack.pages)
        what = attack.what.replace("|", "\\|").replace("<", "&lt;")
        lines.append(f"| `{attack.name}` | {what} | {pages} |")
    return "\n".join(lines)


def _project_download(page, literal):
    body = page.request.get(page.url.rsplit("/", 1)[0] + "/data/2024/projects.csv").body().decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(body))][1] == literal  # kept verbatim: a CSV is not HTML


def _also(page, selector, literal):
    assert literal in page.locator(selector).first.inner_text()


def _absent(page, text):
    assert text not in page.locator("article").inner_text()


def _open(browser, url: str, bypass_csp: bool):
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    seen = {"dialogs": [], "console": [], "errors": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("console", lambda m: seen["console"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.add_init_script(WATCH)
    page.goto(url, wait_until="load")
    return context, page, seen


@pytest.fixture(scope="module")
def built_attacks(tmp_path_factory) -> dict[str, Path]:
    """One site per attack, built once for the module."""
    sites = {}
    for attack in ATTACKS:
        root = make_case(tmp_path_factory.mktemp(attack.name), {"steps": attack.steps})
        write_config(root)
        result = build(root)
        sites[attack.name] = (root / "site", result)
    return sites


@pytest.mark.browser
@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_does_not_run_and_is_shown_literally(browser, serve, built_attacks, attack):
    site, result = built_attacks[attack.name]
    assert "Traceback" not in result.stderr
    if attack.warns:  # accepted with a warning: the strict build stops, the lenient one publishes
        assert result.returncode != 0 and attack.warns in result.stderr
        lenient = build(site.parent, strict=False)
        assert lenient.returncode == 0, lenient.stderr
    else:  # text is only text: not even a warning
        assert result.returncode == 0, result.stderr
    base = serve(site)
    for path, (selector, literal) in attack.pages.items():
        for bypass in (False, True):
            context, page, seen = _open(browser, base + path, bypass)
            if page.locator("[data-nb-figure]").count():
                page.wait_for_function(DRAWN, timeout=15000)
            assert literal in page.locator(selector).first.inner_text(), (path, selector, bypass)
            if attack.extra:
                attack.extra(page, site)
            page.wait_for_timeout(100)  # time for the onerror of a broken image, had one got in
            assert seen["dialogs"] == [], (path, bypass)
            assert not [m for m in seen["console"] if MARK in m], (path, bypass, seen["console"])
            assert page.evaluate("document.querySelectorAll('[data-nb-xss]').length") == 0, (path, bypass)
            if not bypass:
                assert page.evaluate("window.__nbViolations") == [], path  # nothing had to be blocked
            assert seen["errors"] == [], (path, bypass, seen["errors"])
            context.close()


def test_prose_that_escapes_the_sandbox_stops_the_build(tmp_path):
    """A page that reaches for Python internals or a file is a located build error, never a traceback or output."""
    for n, line in enumerate(["{{ ''.__class__.__mro__[1].__subclasses__() }}", "{% include '/etc/passwd' %}",
                              "{{ cycler.__init__.__globals__.os.popen('id').read() }}"]):  # fmt: skip
        root = make_case(tmp_path / str(n), {"steps": [{"append": "S24", "text": f"\n{line}\n"}]})
        write_config(root)
        result = build(root, strict=False)
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert "docs/2024/summary.md" in result.stderr and "prose-unknown-function" in result.stderr
        assert not (root / "site" / "index.html").exists()


def test_raw_script_in_prose_stops_the_build(tmp_path):
    root = make_case(tmp_path, {"steps": [{"append": "S24", "text": f"\n{SCRIPT}\n"}]})
    write_config(root)
    result = build(root, strict=False)
    assert result.returncode != 0 and "prose-unsafe-html" in result.stderr and "Traceback" not in result.stderr


# --- the Content-Security-Policy ------------------------------------------------------------------------------------
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
MATERIAL = Path(__import__("material").__file__).parent / "templates" / "partials" / "javascripts"
MOVED = {  # our file -> (Material's partial, which inline script of it)
    "nianbao-md-base.js": ("base.html", 0),
    "nianbao-md-palette.js": ("palette.html", 0),
    "nianbao-md-tabs.js": ("content.html", 0),
    "nianbao-md-content.js": ("content.html", 1),
}


def _policy(html: str) -> dict[str, list[str]]:
    content = CSP.search(html).group(1)
    return {d.split()[0]: d.split()[1:] for d in content.split(";") if d.strip()}


def test_every_page_has_the_policy_first_and_no_inline_script(mini_site):
    pages = sorted(mini_site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        head = html[html.index("<head>"):html.index("</head>")]
        assert head.index("Content-Security-Policy") < min(head.index(t) for t in ("<script", "<link") if t in head)
        policy = _policy(html)
        assert policy["script-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"] and "'unsafe-inline'" not in policy.get("default-src", [])
        soup = BeautifulSoup(html, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/json", (path, str(script)[:80])
        handlers = [(tag.name, a) for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
        assert handlers == [], path
        assert not soup.select('a[href^="javascript:"]'), path


def test_moved_material_scripts_are_materials_own():
    """The inline scripts of Material's partials, moved to files: byte for byte, bar the page's base URL."""
    for ours, (partial, index) in MOVED.items():
        source = (MATERIAL / partial).read_text(encoding="utf-8")
        inline = re.findall(r"<script>(.*?)</script>", source, re.S)[index]
        inline = inline.replace('"{{ config.extra.scope | d(base_url) }}"', 'document.currentScript.getAttribute("data-scope")')
        code = (REPO / "overrides" / "assets" / "javascripts" / ours).read_text(encoding="utf-8")
        code = re.sub(r"^/\*.*?\*/\n", "", code, flags=re.S).strip()
        assert code == inline.strip(), ours
    # Every Material partial that holds an inline script and is used by this configuration is overridden.
    overridden = {p.name for p in (REPO / "overrides" / "partials" / "javascripts").glob("*.html")}
    assert {partial for partial, _ in MOVED.values()} <= overridden


def _violations_after_inline_attempt(page) -> tuple:
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__nbInline = true'; document.head.appendChild(s); return window.__nbInline === true; }""")
    page.wait_for_timeout(50)
    return ran, page.evaluate("window.__nbViolations")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["http", "file"])
def test_policy_is_enforced_and_charts_and_search_work_under_it(browser, mini_site, serve, scheme):
    base = serve(mini_site) if scheme == "http" else mini_site.as_uri() + "/"
    context, page, seen = _open(browser, base + "2024/summary.html", bypass_csp=False)
    page.wait_for_function(DRAWN, timeout=15000)
    assert page.evaluate("document.querySelectorAll('.js-plotly-plot .trace').length") > 0
    page.locator(".md-search__input").fill("营业收入")
    page.locator(".md-search__input").press("End")
    page.wait_for_function("() => { const m = document.querySelector('.md-search-result__meta');"
                           " return m && /\\d+/.test(m.textContent); }", timeout=15000)  # fmt: skip
    assert page.locator(".md-search-result__item").count() > 0
    assert page.evaluate("window.__nbViolations") == [] and seen["errors"] == []
    ran, violations = _violations_after_inline_attempt(page)  # the policy is really in force
    assert ran is False and any(v.startswith("script-src") for v in violations)
    context.close()


@pytest.mark.browser
def test_palette_and_preferences_survive_the_policy(browser, mini_site, serve):
    """Material's moved scripts still do their job: the chosen palette is restored on the next page."""
    context, page, seen = _open(browser, serve(mini_site) + "2024/summary.html", bypass_csp=False)
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    page.goto(page.url.replace("summary.html", "plan.html"))
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert page.evaluate("window.__nbViolations") == [] and seen["errors"] == []
    context.close()

