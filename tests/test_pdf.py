"""The report PDF of every sample edition, printed by the real Chromium, read back with poppler-utils and pypdf; and
the browser print (Ctrl+P) of a live summary page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

pytestmark = pytest.mark.browser

DRAWN = "() => [...document.querySelectorAll('[data-nb-figure]')].every(el => el.dataset.nbDrawn === 'true')"
PARTS = ("summary", "problems", "plan")
DPI = 50
PT = DPI / 72  # PDF points to pixels of the rendered pages
A4_WIDTH_PT = 595.28
SIDE_MARGIN_PT = 18 / 25.4 * 72  # print.css
CJK = re.compile(r"[\u4e00-\u9fff]")
# Fonts that really draw Chinese (PostScript names as pdffonts shows them, less the subset tag "ABCDEF+") ...
CJK_FONT_NAMES = re.compile(
    r"^(WenQuanYi|NotoSans(Mono)?CJK|NotoSans(SC|TC|HK|JP|KR)|SourceHanSans|AR-?PL|LXGWWenKai|MicrosoftYaHei|PingFang|"
    r"SimHei|SimSun|HiraginoSans)", re.I)
# ... and the last resorts a missing font falls back to, whose boxes or odd glyphs are what "no tofu" rules out.
FALLBACK_FONT_NAMES = re.compile(r"Fallback|LastResort|Unifont|Symbola", re.I)


def run_pdf_command(site: Path, root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "nianbao.cli", "pdf", "--site", str(site), "--root", str(root), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env or dict(os.environ))


@pytest.fixture(scope="session")
def sample_pdfs(browser, sample_site) -> dict[int, Path]:
    """Every edition's PDF, made by `nianbao pdf` from the strictly built sample (``browser``: fail in CI without one)."""
    result = run_pdf_command(sample_site, sample_site.parent)
    assert result.returncode == 0, result.stderr
    years = sorted(int(p.name) for p in sample_site.iterdir() if p.is_dir() and p.name.isdigit())
    return {year: sample_site / "pdf" / f"{year}.pdf" for year in years}


# ---- reading PDFs back ----


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def body_lines(text: str) -> list[str]:
    """A page's lines without the running header (first line) and the footer (last line)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[1:-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdffonts(pdf: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    rule = out[1]  # "----- ----- ..." gives the columns
    spans, pos = [], 0
    for dashes in rule.split(" "):
        spans.append((pos, pos + len(dashes)))
        pos += len(dashes) + 1
    names = ["name", "type", "encoding", "emb", "sub", "uni", "object"]
    rows = []
    for line in out[2:]:
        cells = [line[a:b].strip() for a, b in spans]
        # the type column may hold two words ("CID TrueType"): re-split on the fixed columns only
        rows.append(dict(zip(names, cells, strict=False)))
    return rows


def unicode_targets(cmap: str) -> set[int]:
    """Code points a ToUnicode CMap maps glyphs to."""
    found: set[int] = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for _src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found.add(int(dst[:4], 16))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst[:4], 16)
            found.update(range(start, start + int(hi, 16) - int(lo, 16) + 1))
    return found


def notdef_drawn(content, fonts: dict) -> bool:
    """Whether a content stream shows glyph 0 (.notdef: the box of tofu) in one of its Type0 (Identity-H) fonts.

    ``fonts`` maps the resource names of the stream's fonts to the font dictionaries."""
    from pypdf.generic import ContentStream

    current = None
    for operands, operator in ContentStream(content, None).operations:
        if operator == b"Tf":
            current = fonts.get(str(operands[0]))
        elif operator in (b"Tj", b"TJ", b"'", b'"') and current is not None and current.get("/Subtype") == "/Type0":
            strings = operands[0] if operator == b"TJ" else operands[-1:]
            for item in strings:
                data = item.original_bytes if hasattr(item, "original_bytes") else b""
                if any(data[i:i + 2] == b"\0\0" for i in range(0, len(data) - 1, 2)):
                    return True
    return False


def fonts_of(pdf: Path) -> list[dict]:
    """Every font the pages use (also inside form XObjects): name, subtype, embedded, whether it draws Chinese, and
    whether some text shows it as tofu (its glyph 0)."""
    reader = PdfReader(pdf)
    seen: dict[int, dict] = {}
    tofu: set[str] = set()

    def walk(resources, content=None) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return
        fonts = {str(name): ref.get_object() for name, ref in (resources.get("/Font") or {}).items()}
        if content is not None and notdef_drawn(content, fonts):
            tofu.update(str(f.get("/BaseFont", "")) for f in fonts.values() if f.get("/Subtype") == "/Type0")
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            key = id(font) if not hasattr(ref, "idnum") else ref.idnum
            if key in seen:
                continue
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = font.get("/Subtype") == "/Type3" or any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))  # fmt: skip
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1") if "/ToUnicode" in font else ""
            seen[key] = {
                "name": str(font.get("/BaseFont", "")),
                "subtype": str(font.get("/Subtype")),
                "embedded": embedded,
                "cjk": any(0x4E00 <= cp <= 0x9FFF for cp in unicode_targets(cmap)),
            }
            walk(font.get("/Resources"))
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"), xobject)

    for page in reader.pages:
        walk(page.get("/Resources"), page.get_contents())
    fonts = list(seen.values())
    for font in fonts:
        font["tofu"] = font["name"] in tofu
    return fonts


def base_font_name(name: str) -> str:
    """The PostScript name without the subset tag: "AAAAAA+WenQuanYiMicroHei" -> "WenQuanYiMicroHei"."""
    return re.sub(r"^/?[A-Z]{6}\+", "", name)


def render_pages(pdf: Path, folder: Path) -> list[tuple[int, int, bytes]]:
    """Each page as (width, height, RGB bytes) at DPI, via pdftoppm's PPM output."""
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(DPI), str(pdf), str(prefix)], check=True)
    pages = []
    for path in sorted(folder.glob(f"{pdf.stem}-*.ppm"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        data = path.read_bytes()
        magic, width, height, maxval, pixels = re.match(rb"(P6)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)", data, re.S).groups()
        pages.append((int(width), int(height), pixels))
    return pages


def coloured_pixels(page: tuple[int, int, bytes], box: tuple[float, float, float, float]) -> tuple[int, int]:
    """(count, rightmost x in px) of saturated pixels — chart traces, not black text or grey grid — in a box (pt)."""
    width, height, pixels = page
    x0, y0, x1, y1 = (max(0, int(v * PT)) for v in box)
    x1, y1 = min(x1, width), min(y1, height)
    count, right = 0, -1
    for y in range(y0, y1):
        row = pixels[(y * width + x0) * 3:(y * width + x1) * 3]
        for i in range(0, len(row), 3):
            r, g, b = row[i], row[i + 1], row[i + 2]
            if max(r, g, b) - min(r, g, b) > 60:
                count += 1
                right = max(right, x0 + i // 3)
    return count, right


def chart_captions(pdf: Path) -> list[tuple[int, float, float, float]]:
    """(page index, caption centre x, caption top y, caption x min) of every figure caption "图N", in points."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    found = []
    for n, page in enumerate(out.split("<page ")[1:]):
        words = [(float(x0), float(y0), float(x1), text) for x0, y0, x1, _y1, text in word.findall(page)]
        for i, (x0, y0, x1, text) in enumerate(words):
            # "图3" is one word, or two when the digit comes from another font than the character
            if re.fullmatch(r"图\d+", text) or (text == "图" and i + 1 < len(words) and words[i + 1][3].isdigit()):
                right = x1 if text != "图" else words[i + 1][2]
                found.append((n, (x0 + right) / 2, y0, x0))
    return found


def printed_words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page index, x min, x max, text) of every word of a PDF, in points."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
    return [(n, float(x0), float(x1), text) for n, page in enumerate(out.split("<page ")[1:])
            for x0, x1, text in word.findall(page)]  # fmt: skip


def charts_in(site: Path, pages: list[str]) -> int:
    return sum(len(BeautifulSoup((site / p).read_text(encoding="utf-8"), "html.parser").select("[data-nb-figure]"))
               for p in pages)  # fmt: skip


# ---- the report PDF ----


def test_every_edition_has_a_pdf_and_every_page_of_it_links_there(sample_site, sample_pdfs):
    assert len(sample_pdfs) >= 5
    for year, pdf in sample_pdfs.items():
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-")
        for part in PARTS:
            soup = BeautifulSoup((sample_site / f"{year}/{part}.html").read_text(encoding="utf-8"), "html.parser")
            link = soup.select_one(".nb-pdf-link a[download]")
            assert link is not None, f"{year}/{part}.html"
            assert (sample_site / str(year) / link["href"]).resolve() == pdf.resolve()
            assert link["download"].endswith(".pdf") and CJK.search(link["download"])
    assert not list((sample_site / "pdf").glob("*.html"))  # the print documents are not left in the site


def test_fonts_are_all_embedded_and_a_named_cjk_font_draws_the_chinese(sample_pdfs):
    for year, pdf in sample_pdfs.items():
        rows = pdffonts(pdf)
        assert rows, year
        assert all(row["emb"] == "yes" for row in rows), (year, rows)
        # A named, subset TrueType CJK font: Chromium writes the CFF outlines of Noto Sans CJK as unnamed Type 3
        # fonts ("[none]"), which pdffonts cannot tell from anything else.
        named = {base_font_name(row["name"]) for row in rows if row["type"] == "CID TrueType" and row["sub"] == "yes"}
        assert any(CJK_FONT_NAMES.match(name) for name in named), (year, rows)
        assert not [row for row in rows if FALLBACK_FONT_NAMES.search(row["name"])], (year, rows)
        fonts = fonts_of(pdf)
        assert all(f["embedded"] for f in fonts), (year, fonts)
        # Chinese is set in a real CJK font, not in a last-resort one, and no glyph is the box of a missing one
        chinese = [f for f in fonts if f["cjk"] and f["subtype"] == "/Type0"]
        assert chinese and all(CJK_FONT_NAMES.match(base_font_name(f["name"])) for f in chinese), (year, chinese)
        assert not [f for f in fonts if f["tofu"]], (year, fonts)
        text = "".join(page_texts(pdf))
        assert CJK.search(text) and "\ufffd" not in text


def test_charts_of_the_pdf_use_the_font_stack_of_print_css():
    from nianbao.pdf.document import PRINT_FONT_STACK

    css = (Path(__file__).resolve().parents[1] / "overrides/assets/stylesheets/print.css").read_text(encoding="utf-8")
    stack = re.search(r"--md-text-font-family:\s*([^;]+);", css).group(1)
    families = [f.strip() for f in stack.split(",") if f.strip() != '"nb-print-symbols"']
    assert families == [f.strip() for f in PRINT_FONT_STACK.split(",")]


def test_text_has_every_headline_figure_exactly_as_the_page_shows_it(sample_site, sample_pdfs):
    for year, pdf in sample_pdfs.items():
        values = []
        for part in PARTS:
            soup = BeautifulSoup((sample_site / f"{year}/{part}.html").read_text(encoding="utf-8"), "html.parser")
            values += [el.get_text(strip=True) for el in soup.select(".nb-card__value")]
        assert values, year
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        missing = [v for v in values if v not in text]
        assert missing == [], (year, missing)


def test_contents_page_numbers_and_page_count_agree(sample_pdfs):
    for year, pdf in sample_pdfs.items():
        pages = page_texts(pdf)
        count = page_count(pdf)
        assert len(pages) == count
        assert "第1页" not in squash(pages[0])  # the cover has no footer
        for number, text in enumerate(pages[1:], start=2):
            assert f"第{number}页共{count}页" in squash(text), (year, number)  # pdftotext drops the spaces
        entries = [(m.group(1), int(m.group(2))) for line in body_lines(pages[1])
                   if (m := re.match(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", line))]  # fmt: skip
        first_part = entries[0][1]
        for toc_page in pages[2:first_part - 1]:  # a contents longer than one page
            entries += [(m.group(1), int(m.group(2))) for line in body_lines(toc_page)
                        if (m := re.match(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", line))]  # fmt: skip
        assert len(entries) >= 3, (year, entries)
        numbers = [n for _, n in entries]
        assert numbers == sorted(numbers) and numbers[-1] <= count, (year, entries)
        for title, number in entries:
            body = squash("".join(body_lines(pages[number - 1])))
            assert squash(title) in body, (year, title, number)


def article_of(site: Path, year: int, part: str):
    """The article of a built page as the PDF takes it: without the heading anchors and the chart data tables."""
    soup = BeautifulSoup((site / f"{year}/{part}.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner")
    for el in article.select(".headerlink, details.nb-chart__table, .nb-downloads, .nb-pdf-link"):
        el.decompose()
    return article


def raw_page_texts(pdf: Path) -> list[str]:
    """Each page's text in the order it is drawn (pdftotext -raw): a table's cells one after the other, row by row."""
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def test_no_heading_is_left_alone_at_the_foot_of_a_page(sample_site, sample_pdfs):
    for year, pdf in sample_pdfs.items():
        headings = {squash(h.get_text()) for part in PARTS for h in article_of(sample_site, year, part).select("h2, h3")}
        assert len(headings) >= 5, year
        for number, text in enumerate(page_texts(pdf), start=1):
            lines = [squash(line) for line in body_lines(text)]
            # the last line, or the last two when a long heading takes two
            endings = {lines[-1], "".join(lines[-2:])} if lines else set()
            assert not endings & headings, (year, number, lines[-3:])


def test_no_table_row_is_split_across_pages(sample_site, sample_pdfs):
    for year, pdf in sample_pdfs.items():
        pages = [squash(text) for text in raw_page_texts(pdf)]
        rows = [squash("".join(cell.get_text() for cell in tr.select("th, td")))
                for part in PARTS for tr in article_of(sample_site, year, part).select("table tr")]  # fmt: skip
        assert len(rows) >= 10, year
        split = [row for row in rows if not any(row in page for page in pages)]
        assert split == [], (year, split)


def test_metadata_title_author_language_and_bookmarks(sample_site, sample_pdfs):
    park = BeautifulSoup((sample_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    for year, pdf in sample_pdfs.items():
        reader = PdfReader(pdf)
        meta = reader.metadata
        assert str(year) in meta.title and CJK.search(meta.title)
        assert meta.author and meta.author in park.get_text()  # the issuing body, as the site's footer names it
        assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
        assert reader.outline  # bookmarks from the headings
        assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged: text selectable and in reading order


def test_every_chart_region_is_drawn(sample_site, sample_pdfs, tmp_path):
    for year, pdf in sample_pdfs.items():
        expected = charts_in(sample_site, [f"{year}/{part}.html" for part in PARTS])
        captions = chart_captions(pdf)
        assert len(captions) == expected, (year, captions)
        pages = render_pages(pdf, tmp_path)
        for page_index, centre, top, _left in captions:
            # the plot stands above its caption (print.css): 340 px high = 255 pt; look inside it
            count, _ = coloured_pixels(pages[page_index], (centre - 90, top - 235, centre + 90, top - 20))
            assert count > 40, (year, page_index + 1, centre, top, count)


# ---- Ctrl+P of a live page ----


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_browser_print_of_a_summary_page_keeps_its_charts_complete(browser, sample_site, serve, tmp_path, scheme):
    base = serve(sample_site)
    latest = max(int(p.name) for p in sample_site.iterdir() if p.is_dir() and p.name.isdigit())
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = ctx.new_page()
    page.goto(f"{base}{latest}/summary.html", wait_until="load")
    page.wait_for_function(DRAWN, timeout=15000)
    screen_width = page.evaluate("document.querySelector('[data-nb-figure]')._fullLayout.width")
    # Registered after the chart script's own listener, so it sees the charts as they are printed.
    page.evaluate("""() => addEventListener("beforeprint", () => {
        window.nbPrinted = [...document.querySelectorAll("[data-nb-figure]")].map(el => ({
            width: el._fullLayout.width, font: el._fullLayout.font.color }));
    })""")
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), format="A4")  # Chromium's print to PDF: print media, beforeprint and afterprint
    printed = page.evaluate("window.nbPrinted")
    ctx.close()

    column_px = (A4_WIDTH_PT - 2 * SIDE_MARGIN_PT) / 72 * 96
    assert printed and all(c["width"] <= column_px for c in printed), (printed, column_px)
    assert screen_width > column_px  # the test means something: on screen the charts are wider than paper
    assert all(c["font"] == "#222" for c in printed)  # print colours, also from the dark palette
    captions = chart_captions(pdf)
    assert len(captions) == charts_in(sample_site, [f"{latest}/summary.html"])
    pages = render_pages(pdf, tmp_path)
    for page_index, _centre, top, _left in captions:
        width_px = pages[page_index][0]
        count, right = coloured_pixels(pages[page_index], (0, top - 235, A4_WIDTH_PT, top - 20))
        assert count > 40, (scheme, page_index + 1, count)
        assert right < width_px - SIDE_MARGIN_PT * PT + 2, (scheme, page_index + 1, right)  # inside the column
    # the paper is white, not the dark palette's background
    width, height, pixels = pages[0]
    assert sum(pixels[::97]) / len(pixels[::97]) > 200
    # nothing is cut or runs off at the right: every word of the page (its wide revisions table too) in the column
    words = printed_words(pdf)
    assert "数据修订记录" in "".join(text for _n, _x0, _x1, text in words)  # the wide table is on the page
    right = A4_WIDTH_PT - SIDE_MARGIN_PT + 1
    outside = [(n + 1, x0, x1, text) for n, x0, x1, text in words if x1 > right or x0 < SIDE_MARGIN_PT - 1]
    assert outside == [], (scheme, outside[:10])


# In print media, at the width of the printed column: a table wider than a wrapper that clips or scrolls (Material's
# .md-typeset__scrollwrap, our .nb-table-wrap) is cut on paper; so is one wider than the text column.
TABLES_CUT = """() => {
  const article = document.querySelector("article").getBoundingClientRect();
  const cut = [];
  document.querySelectorAll("article table").forEach((table) => {
    const name = (table.caption ? table.caption.textContent : table.rows[0].textContent).trim().slice(0, 30);
    const box = table.getBoundingClientRect();
    if (box.width && (box.right > article.right + 1 || box.left < article.left - 1)) {
      cut.push([name, "wider than the column", Math.round(box.width), Math.round(article.width)]);
    }
    for (let el = table; el && el.tagName !== "ARTICLE"; el = el.parentElement) {
      const overflow = getComputedStyle(el).overflowX;
      if (overflow !== "visible" && el.scrollWidth > el.clientWidth + 1) {
        cut.push([name, el.tagName + "." + el.className, overflow, el.scrollWidth, el.clientWidth]);
      }
    }
  });
  return cut;
}"""
# Every text of the printed page, with its colour over white paper: none may be as faint as the dark palette's
# light-on-dark colours (#fbbf24 yellow of the 修订 badge, #6fdd8b green ...) are on white.
FAINT_TEXT = r"""() => {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const faint = [];
  document.querySelectorAll("article *").forEach((el) => {
    if (el.closest("svg") || !el.getClientRects().length) return;
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!own) return;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") return;
    const [r, g, b, a = 1] = rgb(style.color);
    const over = [r, g, b].map((v) => v * a + 255 * (1 - a));  // on white paper
    const contrast = 1.05 / (lum(over) + 0.05);
    if (contrast < 3) faint.push([el.tagName + "." + el.className, el.textContent.trim().slice(0, 20), style.color]);
  });
  return faint;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_browser_print_cuts_no_table_and_prints_dark_palette_pages_light(browser, sample_site, serve, scheme):
    base = serve(sample_site)
    latest = max(int(p.name) for p in sample_site.iterdir() if p.is_dir() and p.name.isdigit())
    column_px = round((A4_WIDTH_PT - 2 * SIDE_MARGIN_PT) / 72 * 96)
    ctx = browser.new_context(viewport={"width": column_px, "height": 1000}, color_scheme=scheme)
    page = ctx.new_page()
    for path in (f"{latest}/summary.html", f"{latest}/plan.html", "revisions.html", "data.html"):
        page.goto(f"{base}{path}", wait_until="load")
        page.wait_for_function(DRAWN, timeout=15000)
        if scheme == "dark":  # the test means something: the reader's palette is the dark one
            assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        page.emulate_media(media="print")
        assert page.evaluate(TABLES_CUT) == [], (scheme, path)
        assert page.evaluate(FAINT_TEXT) == [], (scheme, path)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), (scheme, path, background)
    # the test means something: a table too wide for a scrolling wrapper is found
    page.evaluate("""() => document.querySelector("article").insertAdjacentHTML("beforeend",
        '<div style="overflow-x: auto"><table style="min-width: 2000px"><tr><td>x</td></tr></table></div>')""")
    assert len(page.evaluate(TABLES_CUT)) == 2  # wider than the column, and cut by its wrapper
    ctx.close()


# ---- without a browser ----


def test_no_browser_says_how_to_install_one(mini_site, tmp_path):
    env = dict(os.environ, NIANBAO_BROWSER=str(tmp_path / "no-such-browser"))
    project = mini_site.parent
    failed = run_pdf_command(mini_site, project, env=env)
    assert failed.returncode == 1
    assert "apt-get install chromium" in failed.stderr and "playwright install chromium" in failed.stderr
    tolerated = run_pdf_command(mini_site, project, "--allow-missing-browser", env=env)
    assert tolerated.returncode == 0 and "网站已生成" in tolerated.stderr
    assert not (mini_site / "pdf").exists() or not list((mini_site / "pdf").glob("*.pdf"))


def test_tables_and_figures_are_numbered_in_order(sample_site, sample_pdfs):
    # Each table of an edition is counted once, in page order: 表1, 表2 … (a table inside a size container used to
    # restart the count, so every table read 表1), and the same for 图.
    for year, pdf in sample_pdfs.items():
        text = "\n".join(raw_page_texts(pdf))  # reading order: two captions side by side stay in order
        tables = [int(n) for n in re.findall(r"^\s*表(\d+)\s", text, re.M)]  # a caption starts its line
        figures = [int(n) for n in re.findall(r"^\s*图(\d+)\s", text, re.M)]
        captions = sum(len(article_of(sample_site, year, part).select("table > caption"))
                       for part in ("summary", "problems", "plan"))  # fmt: skip
        assert tables == list(range(1, captions + 1)), year
        assert figures == list(range(1, len(figures) + 1)) and figures, year
