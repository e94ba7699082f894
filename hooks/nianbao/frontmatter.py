"""The ``---`` block at the top of a page, read exactly as MkDocs 1.x reads it (``mkdocs.utils.meta.get_data``).

MkDocs takes the block off the page only when it is valid YAML giving a mapping, and then also drops the blank lines
after it; otherwise the block silently stays in the page as text. Knowing which happened lets problems point at the
right line of the file and lets a broken block be reported instead of published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .yamlfiles import SAFE_LOADER

# The same pattern as MkDocs 1.6's YAML_RE.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)


@dataclass(frozen=True)
class FrontMatter:
    lines: int  # lines of the file before the Markdown that MkDocs passes on (0 when the block stays in the page)
    error: str | None = None  # why a block that looks like front matter is not one
    error_line: int | None = None


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
    return FrontMatter(raw.count("\n", 0, match.end()) + stripped)
