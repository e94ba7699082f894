"""The print document of an edition: cover, table of contents and the three built pages' articles, in one HTML file.

The articles are taken from the built site (the very pages readers see) with the browser's own HTML parser; Python
assembles the context and the template ``print_document.html`` writes the markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..blocks import template_environment
from ..htmlpolicy import CONTENT_SECURITY_POLICY
from ..vendor import SITE_PATH as PLOTLY_SITE_PATH
from . import PARTS, css_string

CHARTS_SCRIPT = "assets/javascripts/nianbao-charts.js"
PRINT_STYLESHEET = "assets/stylesheets/print.css"
TOC_LEVELS = (1, 2)  # part titles and their sections
# The charts' text in the PDF: the font stack of print.css (a TrueType CJK font first, so that Chromium embeds named
# CIDFontType2 fonts instead of the unnamed Type 3 fonts it makes of the site's CFF Noto Sans CJK). Set in the
# figures' JSON rather than by CSS, so that Plotly measures its labels and legends in the font it draws them in.
PRINT_FONT_STACK = ('"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
                    '"Microsoft YaHei", sans-serif')

# Runs in a blank page: parse a built page, keep its article, make its heading ids unique (and ASCII, so that they
# survive as the PDF's named destinations), drop what means nothing on paper. Returns plain data.
EXTRACT_JS = """([html, part, font]) => {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const article = doc.querySelector("article.md-content__inner");
  if (!article) return null;
  article.querySelectorAll(
    ".headerlink, .md-content__button, .nb-toolbar, .nb-pdf-link, details.nb-chart__table, .nb-downloads"
  ).forEach((el) => el.remove());
  // Paper runs nothing and loads nothing but the site: what the page checks refuse (nianbao.htmlpolicy) is taken out
  // here as well, should a page have been built without them. The printer's policy and routing are the last guard.
  article.querySelectorAll(
    'script:not([type="application/json"]), iframe, frame, frameset, object, embed, applet, portal, meta, base, ' +
    'link, form, style, noscript, template'
  ).forEach((el) => el.remove());
  const scriptUrl = /^(?:javascript|vbscript|data):/i;
  article.querySelectorAll("*").forEach((el) => {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const url = attr.value.replace(/[\\u0000-\\u0020]/g, "");
      const image = el.tagName === "IMG" && name === "src" && /^data:image\\/(png|gif|jpe?g|webp);/i.test(url);
      if (name.startsWith("on") || name === "srcdoc" || (scriptUrl.test(url) && !image)) el.removeAttribute(attr.name);
    }
  });
  const headings = [];
  article.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach((h, n) => {
    const old = h.id;
    h.id = `${part}-h${n}`;
    if (old) {
      article.querySelectorAll("a[href]").forEach((a) => {
        if (a.getAttribute("href") === "#" + old) a.setAttribute("href", "#" + h.id);
      });
    }
    headings.push({ level: Number(h.tagName.slice(1)), id: h.id, text: h.textContent.trim() });
  });
  // A paragraph that is nothing but a link to another page is navigation: paper has none.
  article.querySelectorAll("p").forEach((p) => {
    const links = p.querySelectorAll("a[href]:not([href^='#'])");
    if (links.length === 1 && p.textContent.trim() === links[0].textContent.trim()) p.remove();
  });
  // A link to another page that closes a paragraph after its last sentence ("……的数值。全部修订记录") sends the web
  // reader on; on paper it would be a fragment of a sentence.
  const blank = (node) => node && node.nodeType === Node.TEXT_NODE && !node.textContent.trim();
  article.querySelectorAll("p > a[href]:not([href^='#'])").forEach((a) => {
    let after = a.nextSibling, before = a.previousSibling;
    while (blank(after)) after = after.nextSibling;
    while (blank(before)) before = before.previousSibling;
    if (!after && before && /[。!?;:.!?]$/.test(before.textContent.trim())) a.remove();
  });
  // Links to other pages and files lead nowhere on paper and would carry the build machine's paths into the PDF.
  article.querySelectorAll("a[href]").forEach((a) => {
    if (!a.getAttribute("href").startsWith("#")) { a.removeAttribute("href"); a.removeAttribute("download"); }
  });
  article.querySelectorAll('script[type="application/json"]').forEach((script) => {
    let figure;
    try { figure = JSON.parse(script.textContent); } catch (e) { return; }
    if (!figure || !figure.layout) return;
    figure.layout.font = Object.assign({}, figure.layout.font, { family: font });
    script.textContent = JSON.stringify(figure)
      .replace(/</g, "\\\\u003c").replace(/>/g, "\\\\u003e").replace(/&/g, "\\\\u0026");
  });
  const stylesheets = [...doc.querySelectorAll('link[rel="stylesheet"]')]
    .filter((l) => !l.media || l.media === "all" || l.media === "screen")
    .map((l) => l.getAttribute("href"));
  return { html: article.innerHTML, headings, stylesheets, charts: article.querySelectorAll("[data-nb-figure]").length };
}"""


@dataclass
class Part:
    name: str
    html: str
    headings: list[dict]
    stylesheets: list[str]
    charts: int


class PageNotBuilt(RuntimeError):
    pass


def extract_part(blank_page, site: Path, year: int, part: str) -> Part:
    """One built page's article, parsed by the browser (``blank_page`` is any Playwright page)."""
    path = site / str(year) / f"{part}.html"
    if not path.is_file():
        raise PageNotBuilt(f"网站中没有 {path.relative_to(site).as_posix()}:请先运行 mkdocs build(make site 会先生成网站)。")
    data = blank_page.evaluate(EXTRACT_JS, [path.read_text(encoding="utf-8"), part, PRINT_FONT_STACK])
    if data is None:
        raise PageNotBuilt(f"{path.relative_to(site).as_posix()} 中没有正文(article),不是本工具生成的页面。")
    return Part(part, data["html"], data["headings"], data["stylesheets"], data["charts"])


def toc_entries(parts: list[Part]) -> list[dict]:
    return [h for part in parts for h in part.headings if h["level"] in TOC_LEVELS]


def render_document(template_dir: Path, cover: dict, parts: list[Part]) -> str:
    """The print document's HTML, to be written in the site's PDF folder (as deep as the edition folders)."""
    env = template_environment(template_dir)
    stylesheets = list(dict.fromkeys(href for part in parts for href in part.stylesheets))
    return env.get_template("print_document.html").render(
        csp=CONTENT_SECURITY_POLICY,
        cover=cover,
        running_header=Markup(css_string(f"{cover['park']} {cover['title']}" + ("(示例数据)" if cover["sample"] else ""))),
        toc=toc_entries(parts),
        parts=[{"name": p.name, "html": Markup(p.html)} for p in parts],
        stylesheets=stylesheets,
        print_stylesheet="../" + PRINT_STYLESHEET,
        scripts=["../" + path for path in document_scripts(parts)],
    )


def document_scripts(parts: list[Part]) -> list[str]:
    """Site paths of the only scripts the print document may run (the printer refuses any other script)."""
    return [PLOTLY_SITE_PATH, CHARTS_SCRIPT] if any(p.charts for p in parts) else []


__all__ = ["PARTS", "PRINT_FONT_STACK", "Part", "PageNotBuilt", "document_scripts", "extract_part", "render_document",
           "toc_entries"]
