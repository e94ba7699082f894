"""What a document nianbao renders may run and contain.

Two rules, one module:

- **The Content-Security-Policy** of every document: written into every page's head by ``overrides/main.html`` (a test
  keeps that literal equal to ``CONTENT_SECURITY_POLICY``), into the print document of the PDFs (``pdf.document``),
  and kept by the preview (``mkdocs serve``).
- **The page policy**, enforced on the *rendered HTML* of every page — after Jinja, Markdown and its extensions, so
  that ``![x](data:,x){: onerror="…" }`` (attr_list), a tag split over lines or a link whose target is a character
  reference are judged as the browser will see them. An allowlist of elements and attributes: no event-handler
  attribute, no URL scheme but http(s), mailto and tel in links, no resource from another host, no data: URL but
  an image's, no script, iframe, object, embed, meta, base, form. Each violation is a located ``prose-unsafe-html``
  error (file and line of the page), in ``nianbao check`` and in the build alike (``Site.render_page``).

Each page is checked twice. The page's *own text* (every ``{{ … }}`` replaced by a neutral word) against the
author's allowlist; and the *whole page*, with the output of the block functions, against the same allowlist plus
what the block templates write (``<script type="application/json">`` of the charts, ``data-nb-*`` attributes). The
second check catches what only data and text together make: ``[x]({{ literal("javascript:…") }})``.

HTML is parsed by the standard library's ``html.parser``. Where it could read markup otherwise than a browser does,
the markup is refused rather than trusted: comments that browsers end early (``<!-->``, ``--!>``), ``<![CDATA[``,
processing instructions, and any ``<`` that it did not read as a tag.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml

from .pagesyntax import JINJA_SPAN
from .problems import Problem

# Only the site's own script files run: no inline script, no event-handler attribute, no javascript: URL, no eval,
# nothing from another host. Styles keep 'unsafe-inline' (Plotly and Material set inline styles; a style cannot run
# script). DATA_INPUT.md explains each directive.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)

CODE = "prose-unsafe-html"

# --- the allowlist ------------------------------------------------------------------------------------------------
# What Markdown and its usual extensions write (tables, toc, footnotes, abbr, admonition, attr_list, md_in_html),
# and the plain HTML of text a report may need.
ELEMENTS = frozenset("""
    a abbr b bdi blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption figure
    h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby s samp section small span strong sub summary
    sup table tbody td tfoot th thead time tr u ul var wbr article aside header footer
""".split())
# Named so that the message says what they are; every element outside ELEMENTS is refused anyway.
DANGEROUS = frozenset("""
    script iframe frame frameset object embed applet portal meta base link form input button select textarea
    option style svg math template noscript audio video source track picture canvas dialog slot
""".split())
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role", "hidden", "tabindex", "style"})
ATTRIBUTES = {
    "a": {"href", "name", "target", "rel", "hreflang", "type", "download"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "headers", "align"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr", "align"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "details": {"open"},
    "abbr": {"title"},
}
# Attributes whose value the browser reads as a URL.
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "data", "background", "ping",
                            "xlink:href", "srcset", "longdesc", "manifest", "codebase"})  # fmt: skip
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpeg|jpg|webp|avif|bmp)[;,]")
# The block templates (overrides/partials/nianbao/) write these too; a page's own text may not.
TEMPLATE_DATA_ATTRIBUTE = re.compile(r"^data-(?:nb|md)-")
UNSAFE_STYLE = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:|-moz-binding|behavior\s*:", re.I)
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
ROUGH_TAG = re.compile(r"<[a-zA-Z/!?]")


@dataclass(frozen=True)
class Violation:
    detail: str  # Chinese, for the message
    needle: re.Pattern  # what to look for in the page's source to find its line
    value: str | None = None  # a URL: also looked for with character references decoded


def _needle(text: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(text) + r"(?![\w-])", re.I)


def _short(text: str, size: int = 40) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= size else text[: size - 1] + "…"


def url_scheme(value: str) -> str | None:
    """The scheme of a URL as the browser reads it: spaces and control characters around it are dropped and tabs and
    line ends inside it removed (``java\\tscript:``), character references already decoded by the parser."""
    cleaned = re.sub(r"[\t\n\r]", "", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
                                                 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
    match = SCHEME.match(cleaned.lower())
    return match.group(1) if match else None


class _Checker(HTMLParser):
    def __init__(self, templates: bool):
        super().__init__(convert_charrefs=False)
        self.templates = templates
        self.found: list[Violation] = []
        self.in_raw = False  # inside <script> or <style>, whose text the parser does not read as markup

    def _add(self, detail: str, needle: re.Pattern, value: str | None = None) -> None:
        self.found.append(Violation(detail, needle, value))

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.in_raw = False

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        element_needle = re.compile(r"<\s*" + re.escape(tag) + r"(?![\w-])", re.I)
        if tag == "script" and self.templates and dict(attrs).get("type") == "application/json" \
                and set(dict(attrs)) <= {"type", "id"}:  # fmt: skip
            self.in_raw = True  # a chart's figure: data, never run (the charts script parses it as JSON)
            return
        if tag in ("script", "style"):
            self.in_raw = True
        if tag in DANGEROUS:
            self._add(f"<{tag}> 元素", element_needle)
            return
        if tag not in ELEMENTS:
            self._add(f"<{tag}> 元素不在允许的范围内", element_needle)
            return
        for name, value in attrs:
            self._attribute(tag, name.lower(), value or "")

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self._add(f"<{tag}> 上的事件属性 {name}", _needle(name))
            return
        if name in URL_ATTRIBUTES:
            self._url(tag, name, value)
        if name == "style" and UNSAFE_STYLE.search(re.sub(r"\\([0-9a-fA-F]{1,6}\s?|.)", _css_unescape, value)):
            self._add(f"<{tag}> 的 style 中有 {_short(value, 30)}(样式中不能引用地址或脚本)", _needle("style"))
            return
        allowed = name in GLOBAL_ATTRIBUTES or name in ATTRIBUTES.get(tag, ()) or name.startswith("aria-")
        if name.startswith("data-"):
            allowed = self.templates or not TEMPLATE_DATA_ATTRIBUTE.match(name)
        if not allowed:
            self._add(f"<{tag}> 上的属性 {name} 不在允许的范围内", _needle(name))

    def _url(self, tag: str, name: str, value: str) -> None:
        scheme = url_scheme(value)
        if tag == "img" and name == "src":
            compact = re.sub(r"[\x00-\x20]", "", value).lower()
            if scheme == "data" and DATA_IMAGE.match(compact):
                return
            if scheme is not None or compact.startswith("//"):
                self._add(f"<img> 的图片地址 {_short(value)}(只能用本站的图片文件或 data: 图片)", _needle(name), value)
            return
        if name in ("href",) and tag == "a":
            if scheme is not None and scheme not in LINK_SCHEMES:
                self._add(f"<a> 的链接 {_short(value)}(只能链接 http、https、mailto、tel 或本站页面)", _needle(name),
                          value)  # fmt: skip
            return
        if scheme is not None and scheme not in ("http", "https"):
            self._add(f"<{tag}> 的 {name} 地址 {_short(value)}", _needle(name), value)

    def handle_data(self, data):
        if self.in_raw:
            return
        rough = ROUGH_TAG.search(data)
        if rough:  # a "<" the parser did not read as a tag: a browser might
            snippet = data[rough.start():rough.start() + 30]
            self._add(f"无法解析的标记“{_short(snippet, 30)}”", re.compile(re.escape(snippet[:12]), re.I))

    def handle_comment(self, data):
        if data.startswith((">", "->")) or "--!>" in data or "<!--" in data:
            self._add("HTML 注释的写法(浏览器会提前结束注释)", re.compile(re.escape("<!--")))

    def handle_decl(self, decl):
        self._add(f"<!{_short(decl, 20)}> 声明", re.compile(re.escape("<!")))

    def unknown_decl(self, data):
        self._add(f"<![{_short(data, 20)}]> 声明", re.compile(re.escape("<![")))

    def handle_pi(self, data):
        self._add(f"<?{_short(data, 20)}> 处理指令", re.compile(re.escape("<?")))


def _css_unescape(match: re.Match) -> str:
    body = match.group(1)
    if re.fullmatch(r"[0-9a-fA-F]{1,6}\s?", body):
        code = int(body.strip(), 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    return body


def violations(markup: str, templates: bool = False) -> list[Violation]:
    """What the policy refuses in a piece of rendered HTML. ``templates=True`` for a whole page, whose block output
    may hold what the templates write (the charts' JSON, data-nb-* attributes)."""
    checker = _Checker(templates)
    try:
        checker.feed(markup)
        checker.close()
    except (AssertionError, ValueError) as exc:  # html.parser's own errors on very broken markup
        checker.found.append(Violation(f"无法解析的 HTML({type(exc).__name__})", re.compile("<")))
    return checker.found


# --- Markdown, as MkDocs renders it ---------------------------------------------------------------------------------
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")  # MkDocs adds these to any markdown_extensions list


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: Python tags (a slugify function) and !ENV or !relative read as None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def markdown_extensions(root: Path) -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions a project's mkdocs.yml enables, with MkDocs' built-in ones, and their settings (values
    that are Python objects left out: they shape ids, not what may run)."""
    names: list[str] = list(MKDOCS_BUILTINS)
    configs: dict[str, dict] = {}
    try:
        data = yaml.load((Path(root) / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = {}
    items = data.get("markdown_extensions") if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            name, config = item, {}
        elif isinstance(item, dict) and len(item) == 1:
            name, config = next(iter(item.items()))
            config = {k: v for k, v in (config or {}).items() if v is not None} if isinstance(config, dict) else {}
        else:
            continue
        if name not in names:
            names.append(name)
        if config:
            configs[name] = config
    return names, configs


# What markup a page's own text can make beyond plain Markdown: raw HTML and autolinks (<), link and image targets
# and reference definitions (](, ]:), attribute lists ({), character references (&). The inline functions print
# numbers, units and fixed words, escaped; literal() prints what the page hands it, so it counts as markup too.
MARKUP_SIGNS = re.compile(r"[<{&]|\]\(|\]\s*:")


def may_hold_markup(source: str) -> bool:
    """False when a page's text, its Jinja spans left out, holds no sign of markup and it calls no literal(): then its
    rendered HTML is plain Markdown around the engine's own escaped output, and the policy has nothing to judge."""
    return "literal" in source or bool(MARKUP_SIGNS.search(JINJA_SPAN.sub("", source)))


class PagePolicy:
    """The page policy of one project: its Markdown settings, read once."""

    def __init__(self, root: Path):
        import markdown

        names, configs = markdown_extensions(root)
        try:
            self.markdown = markdown.Markdown(extensions=names, extension_configs=configs)
        except Exception:  # noqa: BLE001 — an extension that is not installed: MkDocs itself reports that
            self.markdown = markdown.Markdown(extensions=list(MKDOCS_BUILTINS) + ["attr_list", "md_in_html"])

    def render(self, text: str) -> str:
        self.markdown.reset()
        return self.markdown.convert(text)

    def page_problems(self, source: str, rendered: str, label: str, line_offset: int = 0) -> list[Problem]:
        """``source``: the page as written (after its front matter); ``rendered``: its Markdown after Jinja."""
        own = JINJA_SPAN.sub(lambda m: ("nbx" if m.group(0).startswith("{{") else "") + "\n" * m.group(0).count("\n"), source)
        found = violations(self.render(own))
        seen = {v.detail for v in found}
        found += [v for v in violations(self.render(rendered), templates=True) if v.detail not in seen]
        return locate(found, source, label, line_offset)


def locate(found: list[Violation], source: str, label: str, line_offset: int = 0) -> list[Problem]:
    """Each violation at the line of the source that holds it: the first line with its needle (an attribute name,
    ``<tag``, a URL with character references decoded) not yet given to the same needle. Lines are found in the
    source as written, where a tag split over two lines is found at the line of its attribute."""
    lines = source.splitlines()
    decoded = [re.sub(r"[\x00-\x20]", "", html.unescape(line)).lower() for line in lines]
    used: dict[str, set[int]] = {}
    problems = []
    for violation in found:
        candidates = []
        if violation.value:  # a URL: the line that holds it, however it is written
            value = re.sub(r"[\x00-\x20]", "", violation.value).lower()[:40]
            candidates = [n for n, line in enumerate(decoded) if value and value in line]
        candidates += [n for n, line in enumerate(lines) if violation.needle.search(line) and n not in candidates]
        key = violation.needle.pattern + "\0" + (violation.value or "")
        taken = used.setdefault(key, set())
        free = [n for n in candidates if n not in taken]
        line = (free or candidates or [None])[0]
        if line is not None:
            taken.add(line)
        problem = Problem(label, line + 1 + line_offset if line is not None else None, None, CODE, violation.detail)
        if problem not in problems:
            problems.append(problem)
    return problems
