"""The preview (`mkdocs serve`) keeps the site's Content-Security-Policy: a page's hostile markup does not run there
either, and live reload still works, from a script file. The real `mkdocs serve` and the real Chromium."""

from __future__ import annotations

import pytest
from test_serve import REBUILD_TIMEOUT, START_TIMEOUT, _incidents, _set_incidents, _wait_for, served  # noqa: F401

WATCH = """
window.__nbViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__nbViolations.push(e.violatedDirective));
"""


@pytest.mark.browser
def test_preview_runs_no_page_script_and_still_reloads(browser, served):  # noqa: F811 — the fixture
    project, base, proc, log = served
    url = base + "2024/summary.html"
    summary = project / "docs/2024/summary.md"
    summary.write_text(summary.read_text(encoding="utf-8")
                       + "\n\n<img src=x onerror=\"alert('nb-xss')\">\n\n![x](data:,x){: onerror=\"alert('nb-xss')\" }\n",
                       encoding="utf-8")  # fmt: skip
    _wait_for(url, lambda html: "本页有" in html and _incidents(html) == "9", START_TIMEOUT)
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(WATCH)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    assert dialogs == []  # the handlers are refused by the policy ...
    assert any(v.startswith("script-src") for v in page.evaluate("window.__nbViolations"))  # ... which says so
    assert "prose-unsafe-html" in page.content()  # and the page lists the problem
    # Live reload: an edit of the data reloads the open page by itself.
    _set_incidents(project, "9", "8")
    page.wait_for_function("() => /处理涉污事件8起/.test(document.body.textContent)", timeout=REBUILD_TIMEOUT * 1000)
    assert dialogs == []
    context.close()
    assert proc.poll() is None
