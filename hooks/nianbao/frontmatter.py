"""The ``---`` block at the top of a page, read exactly as MkDocs 1.x reads it (``mkdocs.utils.meta.get_data``).

MkDocs takes the block off the page only when it is valid YAML giving a mapping, and then also drops the blank lines
after it; otherwise the block silently stays in the page as text. Knowing which happened lets problems point at the
right line of the file and lets a broken block be reported instead of published.

The theme prints some values of the block into every page without escaping them (Material: ``title`` into
``<title>``, the header, the navigation and the ``<h1>``; ``description`` into a ``<meta content="…">``; a
``subtitle`` and ``author`` likewise), and ``template`` picks the theme template a page is rendered with — Material's
``base.html`` has neither the site's Content-Security-Policy nor its moved scripts. ``unsafe_values`` finds what the
block must not hold: markup characters in the printed values, ``template``, and icon or status names that are not
plain names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .yamlfiles import SAFE_LOADER

# The same pattern as MkDocs 1.6's YAML_RE.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)


@dataclass(frozen=True)
class FrontMatter:
    lines: int  # lines of the file before the Markdown that MkDocs passes on (0 when the block stays in the page)
    error: str | None = None  # why a block that looks like front matter is not one
    error_line: int | None = None
    meta: dict = field(default_factory=dict)  # the block's values
    key_lines: dict = field(default_factory=dict)  # top-level key -> its line in the file


# Values the theme prints as HTML, unescaped: only text, without the characters that make markup or end an attribute.
PRINTED_KEYS = ("title", "description", "subtitle", "author")
MARKUP = re.compile(r"[<>\"&`]")
PLAIN_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*(?:/[a-z0-9][a-z0-9_\-]*)*$")  # material/weather-night, new


def unsafe_values(front: FrontMatter) -> list[tuple[int | None, str]]:
    """(line, detail) of each value the block must not hold."""
    found = []
    for key, value in front.meta.items():
        line = front.key_lines.get(key)
        if key in PRINTED_KEYS:
            if isinstance(value, (dict, list)):
                found.append((line, f"“{key}”应是一段文字,不是列表或多个设置项"))
                continue
            mark = MARKUP.search(str(value))
            if mark:
                found.append((line, f"“{key}”中有符号“{mark.group(0)}”(网页代码的符号):{str(value)[:40]}"))
        elif key == "template":
            found.append((line, f"“template: {str(value)[:30]}”不允许使用(页面会绕开网站模板中的安全设置)"))
        elif key in ("icon", "status") and not (isinstance(value, str) and PLAIN_NAME.match(value)):
            found.append((line, f"“{key}”的取值“{str(value)[:30]}”不是图标或状态的名称"))
    return found


def read_front_matter(raw: str) -> FrontMatter:
    match = FRONT_MATTER.match(raw)
    if not match:
        return FrontMatter(0)
    try:
        data = yaml.load(match.group(1), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = str(getattr(exc, "problem", None) or type(exc).__name__)
        return FrontMatter(0, detail, mark.line + 2 if mark else 1)  # +1 for the opening ---, +1 for 1-based
    except (ValueError, RecursionError) as exc:
        return FrontMatter(0, type(exc).__name__, 1)
    if not isinstance(data, dict):
        return FrontMatter(0, "不是“名称: 内容”的形式", 2)
    rest = raw[match.end():]
    stripped = len(rest) - len(rest.lstrip("\n"))
    return FrontMatter(raw.count("\n", 0, match.end()) + stripped, meta=data, key_lines=_key_lines(match.group(1)))


def _key_lines(block: str) -> dict:
    """Top-level key -> line in the file (the block starts on line 2, after the opening ---)."""
    try:
        node = yaml.compose(block, Loader=SAFE_LOADER)
    except (yaml.YAMLError, RecursionError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 2 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
