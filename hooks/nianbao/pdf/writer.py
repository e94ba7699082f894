"""Printing the editions of a built site: the print document in a headless Chromium, laid out for paper from the
start, printed twice (the second time with the table of contents' page numbers), then the PDF's metadata.

Page numbers of the headings come from the PDF itself: every table-of-contents entry links to its heading, so
Chromium writes a named destination for each, and its page is exact (no text search that a repeated phrase could
fool). The numbers are filled in and the document printed again until they no longer change.

The printer runs nothing but the site: the print document carries the site's Content-Security-Policy, and it is
loaded from a private origin (``PRINT_ORIGIN``) whose every request is routed here. A request is answered from a file
inside the site folder, or refused: no other host, no ``file://`` (the origin is not a file URL, so Chromium loads no
local file), no path outside the site folder (``..``, symbolic links), and no script but the document's own. A page
that slipped a handler past the checks can neither run nor read the build machine into the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..loader import load_report_or_raise
from ..site import template_dir_for
from . import PARTS, PDF_DIR, cover, pdf_path
from .browser import check_cjk_font, launch, playwright_entry
from .document import document_scripts, extract_part, render_document, toc_entries

# A4 (210 mm) less print.css's side margins (2 x 18 mm) = 174 mm = 657.6 CSS px: charts are drawn at the printed
# width from the start instead of being resized for print (PLATFORM.md: several times faster, never clipped).
VIEWPORT = {"width": 657, "height": 1000}
CHART_TIMEOUT_MS = 60_000
ALL_DRAWN = "() => [...document.querySelectorAll('[data-nb-figure]')].every(el => el.dataset.nbDrawn === 'true')"
FILL_TOC = """(pages) => {
  for (const el of document.querySelectorAll("[data-nb-toc-page]")) el.textContent = pages[el.dataset.nbTocPage] || "";
}"""
PDF_OPTIONS = {
    "prefer_css_page_size": True,  # A4 and margins from print.css
    "print_background": True,
    "display_header_footer": False,  # header and footer are print.css's page margin boxes
    "tagged": True,  # structure for screen readers, and /Lang from <html lang="zh-CN">
    "outline": True,  # bookmarks from the headings
}
MAX_PASSES = 4
# Never resolved: every request to it is answered from the site folder by the route handler, or refused.
PRINT_ORIGIN = "https://print.nianbao.invalid"


class PdfError(RuntimeError):
    """A PDF could not be made; the message is Chinese and says why."""


@dataclass(frozen=True)
class Printed:
    year: int
    path: Path
    pages: int
    seconds: float
    size: int
    blocked: tuple[str, ...] = ()  # requests the printer refused (another host, outside the site, a foreign script)


def build_pdfs(site: Path, root: Path, years: list[int] | None = None, keep_html: bool = False,
               progress: Callable[[Printed], None] | None = None) -> list[Printed]:  # fmt: skip
    """Print the editions (all by default) of the site built in ``site`` from the project in ``root``.

    Raises BrowserMissing (no browser or no Chinese font; nothing written), PdfError, or DataError for bad data.
    """
    report, _ = load_report_or_raise(root)
    years = sorted(years or report.editions)
    unknown = [str(y) for y in years if y not in report.editions]
    if unknown:
        raise PdfError(f"没有这一期年报:{'、'.join(unknown)}。现有:{'、'.join(str(y) for y in sorted(report.editions))}")
    covers = {}
    for year in years:  # before any browser starts: a bad date is a message, not a traceback half-way
        try:
            covers[year] = cover(report, year)
        except ValueError:  # a quoted date the schema lets through: "2025-02-30"
            raise PdfError(f"data/editions/{year}/edition.yml 的发布日期“{report.editions[year].published}”"
                           "不是实际存在的日期:按 年-月-日 填写,如 2025-01-20") from None  # fmt: skip
    check_cjk_font()
    template_dir = template_dir_for(root)
    printed: list[Printed] = []
    with playwright_entry()() as playwright:
        browser = launch(playwright)
        try:
            (site / PDF_DIR).mkdir(parents=True, exist_ok=True)
            blank_context = browser.new_context(java_script_enabled=True, service_workers="block")
            blank_context.route("**/*", lambda route: route.abort("blockedbyclient"))  # DOMParser loads nothing anyway
            blank = blank_context.new_page()
            for year in years:
                start = time.perf_counter()
                parts = [extract_part(blank, site, year, part) for part in PARTS]
                facts = covers[year]
                document = site / PDF_DIR / f"{year}.html"
                document.write_text(render_document(template_dir, facts, parts), encoding="utf-8")
                try:
                    data, pages, blocked = print_document(browser, site, document,
                                                          [entry["id"] for entry in toc_entries(parts)],
                                                          document_scripts(parts))  # fmt: skip
                finally:
                    if not keep_html:
                        document.unlink()
                data = with_metadata(data, facts)
                target = site / pdf_path(year)
                target.write_bytes(data)
                printed.append(Printed(year, target, pages, time.perf_counter() - start, len(data), blocked))
                if progress:
                    progress(printed[-1])
        finally:
            browser.close()  # closes the contexts too
    return printed


class SiteRoute:
    """The route handler of the print origin: files of the site folder, and of those only the allowed scripts."""

    def __init__(self, site: Path, scripts: list[str]):
        self.site = Path(site).resolve()
        self.scripts = {(self.site / path).resolve() for path in scripts}
        self.blocked: list[str] = []
        self.document: str | None = None  # the one URL the main frame may show
        self.navigations: list[str] = []  # attempts to replace it (<meta http-equiv="refresh">, location = …)

    def url(self, path: Path) -> str:
        return f"{PRINT_ORIGIN}/{Path(path).resolve().relative_to(self.site).as_posix()}"

    def file_for(self, url: str, resource_type: str) -> Path | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != PRINT_ORIGIN:
            return None
        path = (self.site / unquote(parts.path).lstrip("/")).resolve()  # resolve(): ".." and symbolic links
        if not path.is_relative_to(self.site) or not path.is_file():
            return None
        if resource_type == "script" and path not in self.scripts:
            return None
        return path

    def __call__(self, route) -> None:
        request = route.request
        path = self.file_for(request.url, request.resource_type)
        if request.is_navigation_request() and request.frame.parent_frame is None and request.url != self.document:
            self.navigations.append(request.url[:200])
            path = None
        if path is None:
            self.blocked.append(request.url[:200])
            route.abort("blockedbyclient")
        else:
            route.fulfill(path=str(path))


def print_document(browser, site: Path, document: Path, toc_ids: list[str],
                   scripts: list[str]) -> tuple[bytes, int, tuple[str, ...]]:  # fmt: skip
    """The PDF of a print document (a file inside ``site``) with its table of contents numbered, its page count, and
    the requests the printer refused. ``scripts``: site paths of the only scripts it may run."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport=VIEWPORT, color_scheme="light", locale="zh-CN", service_workers="block",
                                  accept_downloads=False)  # fmt: skip
    router = SiteRoute(site, scripts)
    context.route("**/*", router)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.emulate_media(media="print", color_scheme="light")  # before loading: charts laid out for paper
        router.document = router.url(document)
        page.goto(router.document, wait_until="load")
        try:
            page.wait_for_function(ALL_DRAWN, timeout=CHART_TIMEOUT_MS)
        except PlaywrightTimeout:
            raise PdfError(f"{document.name}:有图表在 {CHART_TIMEOUT_MS // 1000} 秒内没有画出来。"
                           f"{'页面脚本出错:' + ';'.join(errors) if errors else ''}") from None  # fmt: skip
        page.evaluate("() => document.fonts.ready.then(() => true)")
        numbers: dict[str, int] = {}
        for _ in range(MAX_PASSES):
            data = page.pdf(**PDF_OPTIONS)
            if router.navigations or page.url != router.document:
                raise PdfError(f"{document.name}:页面试图跳转到 {(router.navigations or [page.url])[0]},没有生成 PDF。"
                               "检查页面中是否有 <meta http-equiv=\"refresh\"> 或脚本。")  # fmt: skip
            found, pages = heading_pages(data, toc_ids)
            if found == numbers:
                return data, pages, tuple(dict.fromkeys(router.blocked))
            numbers = found
            page.evaluate(FILL_TOC, {key: str(value) for key, value in numbers.items()})
        raise PdfError(f"{document.name}:目录页码在 {MAX_PASSES} 次排版后仍在变化。")
    finally:
        context.close()


def heading_pages(data: bytes, ids: list[str]) -> tuple[dict[str, int], int]:
    """Page (1-based) of each heading id, from the PDF's named destinations; and the page count."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found = {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
             for name, dest in reader.named_destinations.items()}  # fmt: skip
    missing = [i for i in ids if i not in found]
    if missing:
        raise PdfError(f"PDF 中找不到这些标题的位置:{'、'.join(missing)}")
    return {i: found[i] for i in ids}, len(reader.pages)


def with_metadata(data: bytes, facts: dict) -> bytes:
    """Title, author (the issuing body), subject, language zh-CN; bookmarks shown when the file opens."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    # Rewritten whole, not appended to: an incremental update would leave Chromium's clock dates in the file.
    writer = PdfWriter(clone_from=io.BytesIO(data))
    metadata = {
        "/Title": facts["document_title"],
        "/Author": facts["issuer"],
        "/Subject": f"{facts['park']}{facts['year']}年度工作报告",
        "/Creator": "nianbao",
    }
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():  # reproducible builds: the date of the sources, not of the clock
        stamp = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
        metadata |= {"/CreationDate": stamp, "/ModDate": stamp}
    writer.add_metadata(metadata)
    writer.root_object[NameObject("/Lang")] = TextStringObject("zh-CN")
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
