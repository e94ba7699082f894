"""Data strings placed into text that is parsed again: YAML front matter, Markdown, Jinja.

Templates autoescape what they print, but a few pages are *written* by the engine as Markdown (an indicator's page
starts with its name as the title and heading). A name from catalog.yml must reach the reader as the same characters:
never as HTML, Markdown formatting, or a Jinja expression.
"""

from __future__ import annotations

import html
import json
import logging
import re

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


# Line breaks that a log reader, GitHub's runner or a terminal could take as the start of a new line.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
# What starts a GitHub Actions workflow command (::error …::, ::add-mask::, the older ##[command]) at a line's start.
_WORKFLOW_COMMAND = re.compile(r"(?m)^(\s*)(::|##\[)")


def log_text(text: str) -> str:
    """One log line made of data: line breaks shown as ⏎, so that a note can neither start a line of its own nor
    issue a workflow command (``::error …::``) in a CI log."""
    return _WORKFLOW_COMMAND.sub(r"\1 \2", _LINE_BREAKS.sub("⏎", str(text)))


def log_block(text: str) -> str:
    """Several log lines (a table of problems): each kept, none starting a workflow command."""
    return _WORKFLOW_COMMAND.sub(r"\1 \2", _LINE_BREAKS.sub("\n", str(text)))


class LogLines(logging.Filter):
    """A logging filter: the message, with its arguments, as ``log_block`` makes it."""

    @classmethod
    def install(cls, logger: logging.Logger) -> None:
        """Once per logger (mkdocs serve loads the hooks again for each build)."""
        if not any(isinstance(f, cls) for f in logger.filters):
            logger.addFilter(cls())

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = log_block(record.getMessage()), ()
        return True
