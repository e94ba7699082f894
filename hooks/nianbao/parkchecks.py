"""Checks of the organisation itself (park.yml): a real park carries no sample text and no blank identifiers.

A project that ``nianbao init`` made, or that an office rewrote by hand, is ``sample: false``. Then nothing of the
sample park (its fictional county, the word 示例) may be left in the data, the pages or the site's configuration,
and every footer identifier of 《政府网站发展指引》 left empty is a warning, so that a strict build does not publish a
government site without them by mistake.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .problems import Problem
from .prose import lint_placeholders

SAMPLE_WORDS = ("青溪", "示例")  # the sample park's fictional county, and the mark on its pages
CHECKED_FILES = ("data/**/*.yml", "data/**/*.csv", "docs/**/*.md", "mkdocs.yml")


def check_park(root: Path, park: dict) -> Iterator[Problem]:
    root = Path(root)
    yield from _placeholders(root / "data/park.yml", "data/park.yml")
    if park.get("sample"):
        return
    for label, path in _files(root):
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # unreadable files are reported where they are read
        for lineno, line in enumerate(lines, start=1):
            word = next((w for w in SAMPLE_WORDS if w in line), None)
            if word and not line.lstrip().startswith("#"):
                yield Problem(label, lineno, None, "sample-text-left", word)
    for key, value in (park.get("footer") or {}).items():
        if not str(value or "").strip():
            yield Problem("data/park.yml", None, f"footer/{key}", "footer-identifier-empty", key)


def _files(root: Path):
    seen = set()
    for pattern in CHECKED_FILES:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and not path.is_symlink() and path not in seen:
                seen.add(path)
                yield path.relative_to(root).as_posix(), path


def _placeholders(path: Path, label: str) -> list[Problem]:
    try:
        return lint_placeholders(path.read_text(encoding="utf-8-sig"), label)
    except (OSError, UnicodeDecodeError):
        return []
