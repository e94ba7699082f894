"""`mkdocs serve` as office staff use it: edits show up within seconds, errors show on the page, the server lives on.

The real `mkdocs serve` runs as a subprocess on 127.0.0.1 with a free port; every wait is bounded and the server is
always stopped. The mini fixture's 涉污事件 (incidents) has no relations to other figures, so editing it changes one
number on the summary page and nothing else.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project

START_TIMEOUT = 90  # the first build, with a cold start of Python and jieba
REBUILD_TIMEOUT = 30  # generous for a loaded CI machine; the measured time is asserted separately
REFRESH_SECONDS = 10  # "within a couple of seconds" on a developer machine, with room for a busy CI


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, ""


def _wait_for(url: str, predicate, timeout: float) -> tuple[float, str]:
    """Poll until predicate(html) holds; returns (seconds waited, html). Fails the test at the deadline."""
    start = time.monotonic()
    html = ""
    while time.monotonic() - start < timeout:
        status, html = _get(url)
        if status == 200 and predicate(html):
            return time.monotonic() - start, html
        time.sleep(0.2)
    pytest.fail(f"no page at {url} satisfied the condition within {timeout} s; last page: {html[:300]!r}")


@pytest.fixture
def served(tmp_path):
    project = copy_project(FIXTURES / "mini", tmp_path / "project")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                            stdout=log, stderr=subprocess.STDOUT, env=env)  # fmt: skip
    try:
        yield project, f"http://127.0.0.1:{port}/", proc, tmp_path / "serve.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()


def _incidents(html: str) -> str | None:
    match = re.search(r"处理涉污事件(\d+)起", html)
    return match.group(1) if match else None


def _set_incidents(project: Path, old: str, new: str) -> None:
    path = project / "data/editions/2024/figures.csv"
    text = path.read_text(encoding="utf-8")
    assert f"\nincidents,2024,,{old}," in text
    path.write_text(text.replace(f"\nincidents,2024,,{old},", f"\nincidents,2024,,{new},"), encoding="utf-8")


def test_serve_picks_up_edits_and_survives_a_broken_csv(served):
    project, base, proc, log = served
    page = base + "2024/summary.html"
    _wait_for(page, lambda html: _incidents(html) == "9", START_TIMEOUT)
    # the preview keeps the site's policy (no inline script); live reload is a script file (tests/test_policy_preview.py)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', _get(page)[1])
    assert csp is not None and "'unsafe-inline'" not in csp.group(1).split("script-src")[1].split(";")[0]

    _set_incidents(project, "9", "8")
    seconds, _ = _wait_for(page, lambda html: _incidents(html) == "8", REBUILD_TIMEOUT)
    assert seconds < REFRESH_SECONDS, f"the edit took {seconds:.1f} s to show"

    _set_incidents(project, "8", "8起")  # a unit typed into a number cell
    _, html = _wait_for(page, lambda html: "数据检查未通过" in html, REBUILD_TIMEOUT)
    assert "invalid-number" in html and "“8起”不是数字" in html and "data/editions/2024/figures.csv" in html
    assert proc.poll() is None
    status, other = _get(base + "indicators/revenue.html")  # a generated page stays, showing the problem too
    assert status == 200 and "数据检查未通过" in other
    assert _get(base + "index.html")[0] == 200

    _set_incidents(project, "8起", "7")
    _wait_for(page, lambda html: _incidents(html) == "7" and "数据检查未通过" not in html, REBUILD_TIMEOUT)
    assert proc.poll() is None
    terminal = log.read_text(encoding="utf-8")
    assert "数据检查未通过" in terminal and "invalid-number" in terminal  # the terminal says it too
    assert "Traceback" not in terminal


def test_serve_shows_a_page_error_on_that_page(served):
    project, base, proc, log = served
    page = base + "2024/summary.html"
    _wait_for(page, lambda html: _incidents(html) == "9", START_TIMEOUT)
    summary = project / "docs/2024/summary.md"
    original = summary.read_text(encoding="utf-8")
    summary.write_text(original.replace('{{ value("incidents") }}', '{{ value("incident") }}'), encoding="utf-8")
    _, html = _wait_for(page, lambda html: "本页有 1 个错误" in html, REBUILD_TIMEOUT)
    assert "prose-missing-figure" in html and "未知指标“incident”" in html
    assert "本页有" not in _get(base + "2024/plan.html")[1]  # other pages are as they were
    summary.write_text(original, encoding="utf-8")
    _wait_for(page, lambda html: _incidents(html) == "9" and "本页有" not in html, REBUILD_TIMEOUT)
    assert proc.poll() is None
    assert "页面中的数据引用有误" in log.read_text(encoding="utf-8")


def test_a_build_still_stops_on_the_same_broken_csv(tmp_path):
    """The preview's leniency is for `mkdocs serve` only: the same data error stops `mkdocs build`, without traceback."""
    from conftest import build

    project = copy_project(FIXTURES / "mini", tmp_path / "project")
    _set_incidents(project, "9", "8起")
    result = build(project, strict=False)
    assert result.returncode != 0
    assert "数据检查未通过,网站没有生成" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "site/2024/summary.html").exists()


def test_a_built_site_never_allows_inline_scripts(mini_site):
    html = (mini_site / "2024/summary.html").read_text(encoding="utf-8")
    assert "script-src 'self' 'unsafe-inline'" not in html
