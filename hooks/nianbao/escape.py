"""Data strings placed into text that is parsed again: YAML front matter, Markdown, Jinja.

Templates autoescape what they print, but a few pages are *written* by the engine as Markdown (an indicator's page
starts with its name as the title and heading). A name from catalog.yml must reach the reader as the same characters:
never as HTML, Markdown formatting, or a Jinja expression.
"""

from __future__ import annotations

import html
import json

# Characters with a meaning in HTML, Markdown (inline and at the start of a line) or Jinja.
_SPECIAL = set("&<>\"'`*_{}[]()#+-!|~\\=:.%")


def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders to exactly these characters (specials become numeric character references,
    which neither Markdown nor Jinja reads as syntax)."""
    return "".join(f"&#{ord(ch)};" if ch in _SPECIAL else ch for ch in text.replace("\n", " "))


def front_matter_text(text: str) -> str:
    """``text`` as a YAML scalar for a page's ``title``. MkDocs themes print titles without escaping, so the value is
    HTML-escaped first; it is then a JSON string, which YAML reads as a double-quoted scalar."""
    return json.dumps(html.escape(text.replace("\n", " ")), ensure_ascii=False)
