"""What may live under docs/ besides pages: images of a safe type, nothing else.

MkDocs publishes every file of docs/ as it is. A raw ``.html`` page there has no Content-Security-Policy and runs its
scripts with the site's origin; a ``.js`` file would be "the site's own script" for the policy; an SVG opened on its
own is a document that runs its scripts too. So docs/ holds Markdown pages and images: PNG, JPEG, GIF and WebP whose
bytes are what their name says, and SVG only without script, event handlers, embedded HTML or references to other
files or hosts. Files whose name starts with a dot are not published by MkDocs and are left alone.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

# MkDocs reads these as pages too; nianbao checks pages named *.md only, so the others are refused.
OTHER_MARKDOWN = frozenset({".md", ".markdown", ".mdown", ".mkdn", ".mkd"})
# suffix -> what the file's first bytes must be
RASTER_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),  # and "WEBP" at offset 8
}
SVG_SUFFIX = ".svg"
MAX_SVG_BYTES = 2 * 1024 * 1024
ALLOWED_TEXT = "页面(.md)和图片(.png、.jpg、.gif、.webp、.svg)"

# SVG elements that run script, hold HTML or embed other documents.
SVG_DANGEROUS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio",
                           "video", "canvas", "html", "body", "meta", "link", "base", "form"})  # fmt: skip
ANIMATION = frozenset({"set", "animate", "animatemotion", "animatetransform", "animatecolor"})
REFERENCE_ATTRIBUTES = frozenset({"href", "src", "base"})  # href and xlink:href; xml:base
SCRIPT_VALUE = re.compile(r"(?:java|vb)script:|data:(?!image/(?:png|gif|jpeg|jpg|webp)[;,])", re.I)
STYLE_REFERENCE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(", re.I)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def refused(path: Path) -> tuple[str, str] | None:
    """(code, detail) when the file may not be published from docs/, else None."""
    suffix = path.suffix.lower()
    if path.name.endswith(".md"):
        return None
    if suffix in OTHER_MARKDOWN:
        return "docs-file-refused", f"页面的扩展名是 {path.suffix},请改为小写的 .md(只有 .md 页面会经过检查)"
    if suffix in RASTER_SIGNATURES:
        with path.open("rb") as handle:
            head = handle.read(16)
        ok = head.startswith(RASTER_SIGNATURES[suffix]) and (suffix != ".webp" or head[8:12] == b"WEBP")
        return None if ok else ("docs-file-refused", f"文件名是 {suffix},内容却不是这种图片")
    if suffix == SVG_SUFFIX:
        problem = svg_problem(path)
        return ("docs-svg-unsafe", problem) if problem else None
    kind = f"{suffix} 文件" if suffix else "没有扩展名的文件"
    return "docs-file-refused", f"{kind}不会被当作页面检查,会原样发布(只能放{ALLOWED_TEXT})"


def svg_problem(path: Path) -> str | None:
    """Why an SVG is unsafe to publish, or None. Refused rather than cleaned: the office re-exports the drawing."""
    if path.stat().st_size > MAX_SVG_BYTES:
        return f"文件过大({path.stat().st_size / 2**20:.1f} MB)"
    data = path.read_bytes()
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        return "有 DOCTYPE 或 ENTITY 声明"
    if b"<?xml-stylesheet" in lowered:
        return "引用了外部样式表(xml-stylesheet)"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"不是有效的 SVG(XML 格式错误:{exc})"
    if _local(root.tag) != "svg":
        return f"最外层是 <{_local(root.tag)}>,不是 <svg>"
    for element in root.iter():
        tag = _local(str(element.tag))
        if tag in SVG_DANGEROUS:
            return f"<{tag}> 元素"
        for name, value in element.attrib.items():
            attribute = _local(name)
            compact = re.sub(r"[\x00-\x20]", "", value)
            if attribute.startswith("on"):
                return f"<{tag}> 上的事件属性 {attribute}"
            if SCRIPT_VALUE.search(compact):
                return f"<{tag}> 的 {attribute} 中有 {value[:40]}"
            if attribute in REFERENCE_ATTRIBUTES and compact and not compact.startswith(("#", "data:image/")):
                return f"<{tag}> 引用了其他文件或网站:{value[:40]}"
            if attribute == "style" and STYLE_REFERENCE.search(value):
                return f"<{tag}> 的样式引用了其他文件:{value[:40]}"
            if tag in ANIMATION and attribute == "attributename" and (
                    compact.lower().startswith("on") or _local(compact) in REFERENCE_ATTRIBUTES):  # fmt: skip
                return f"<{tag}> 会改写 {value}"
        if tag == "style" and STYLE_REFERENCE.search("".join(element.itertext())):
            return "<style> 引用了其他文件(url()、@import)"
    return None
