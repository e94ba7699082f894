"""``make bench``: build the sample site and report time and page weight.

Prints the total build time, the share spent in the nianbao engine versus MkDocs itself, and the bytes (raw and
gzipped) of HTML, JavaScript and CSS that a browser loads for a chart page, a text page and the home page.
Then prints every edition's PDF (``nianbao pdf``) and reports seconds and bytes per edition.
Budgets (see the README): engine under a tenth of the build, a chart page under 450 KB of gzipped JavaScript.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin

ENGINE_SHARE_BUDGET = 0.10
CHART_PAGE_JS_GZ_BUDGET = 450 * 1024


def page_weight(site: Path, page: str) -> dict[str, tuple[int, int]]:
    """Raw and gzipped bytes of the page's HTML and of the scripts and stylesheets it references."""
    html_path = site / page
    html = html_path.read_text(encoding="utf-8")
    weights = {"html": _sizes(html_path.read_bytes())}
    for kind, pattern in (("js", r'<script[^>]+src="([^"]+)"'), ("css", r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')):
        raw = gz = 0
        for ref in dict.fromkeys(re.findall(pattern, html)):
            target = (site / urljoin(page, ref.split("?")[0])).resolve()
            if target.is_file():
                r, g = _sizes(target.read_bytes())
                raw, gz = raw + r, gz + g
        weights[kind] = (raw, gz)
    return weights


def _sizes(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))


def pdf_bench(site: Path, root: Path, out) -> None:
    """Seconds per edition PDF (browser start-up apart) and the PDF's size; a note instead when it cannot print."""
    from .pdf.browser import BrowserMissing
    from .pdf.writer import PdfError, build_pdfs

    start = time.perf_counter()
    try:
        printed = build_pdfs(site, root)
    except (BrowserMissing, PdfError) as exc:
        out.write(f"PDF: not measured: {str(exc).splitlines()[0]}\n")
        return
    wall = time.perf_counter() - start
    out.write(f"{'PDF per edition':<22}{'pages':>8}{'seconds':>10}{'bytes':>14}\n")
    for p in printed:
        out.write(f"{p.year:<22}{p.pages:>8}{p.seconds:>10.2f}{p.size:>14,}\n")
    mean = sum(p.seconds for p in printed) / len(printed)
    out.write(f"PDF: {len(printed)} editions in {wall:.2f} s incl. browser start, {mean:.2f} s per edition\n")


def main() -> int:
    root = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        site, timings = Path(tmp) / "site", Path(tmp) / "timings.json"
        env = dict(os.environ, NIANBAO_TIMINGS=str(timings), NO_MKDOCS_2_WARNING="1")
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=root,
                                env=env, capture_output=True, text=True)  # fmt: skip
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            return result.returncode
        wall = time.perf_counter() - start
        t = json.loads(timings.read_text())
        latest = max(int(p.name) for p in site.iterdir() if p.is_dir() and p.name.isdigit())
        pages = {"图表页 chart page": f"{latest}/summary.html", "文字页 text page": f"{latest}/problems.html",
                 "首页 home page": "index.html"}  # fmt: skip
        n_pages = sum(1 for _ in site.rglob("*.html"))
        share = t["engine_seconds"] / t["build_seconds"]
        out = sys.stdout
        out.write(f"build (wall, incl. start-up): {wall:.2f} s for {n_pages} HTML pages\n")
        out.write(f"build (inside MkDocs):        {t['build_seconds']:.2f} s\n")
        out.write(f"engine (nianbao):             {t['engine_seconds']:.2f} s = {share:.1%} of the build"
                  f" (budget {ENGINE_SHARE_BUDGET:.0%})\n")  # fmt: skip
        out.write(f"{'page':<22}{'HTML raw/gz':>20}{'JS raw/gz':>24}{'CSS raw/gz':>22}\n")
        over = []
        for label, page in pages.items():
            w = page_weight(site, page)
            out.write(f"{label:<22}" + "".join(f"{w[k][0]:>12,}/{w[k][1]:>9,}" for k in ("html", "js", "css")) + "\n")
            if "chart" in label and w["js"][1] > CHART_PAGE_JS_GZ_BUDGET:
                over.append(f"chart page JavaScript {w['js'][1]:,} B gz > {CHART_PAGE_JS_GZ_BUDGET:,} B")
        if share > ENGINE_SHARE_BUDGET:
            over.append(f"engine share {share:.1%} > {ENGINE_SHARE_BUDGET:.0%}")
        pdf_bench(site, root, out)
        for line in over:
            out.write(f"OVER BUDGET: {line}\n")
        return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
