"""Compare the rendered prose of two revisions, sentence by sentence, and keep the sentences whose numbers changed.

Pages are rendered by the engine exactly as the site renders them, so a sentence shows the numbers a reader will see.
Blocks (cards, charts, tables) are HTML in the rendered Markdown and are left out: they show the same data as the
figure tables of the report. A "sentence" is a clause up to 。;!? — the unit a reader checks a number in.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..site import Site, front_matter_lines
from ..units import MEASURE_WORDS, UNITS

# A number as pages print it, with the unit that follows it: "243.10亿元", "12.3%", "5个百分点", "12起".
_UNITS = sorted({*UNITS, *MEASURE_WORDS}, key=len, reverse=True)
FIGURE = re.compile(r"(\d+(?:\.\d+)?(?:" + "|".join(map(re.escape, _UNITS)) + r")?)")
SENTENCE_END = re.compile(r"(?<=[。;!?;!?])")
HTML_START = re.compile(r"^ {0,3}<([A-Za-z][A-Za-z0-9-]*)")
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "source", "wbr"}
INLINE_CLEANUP = (
    (re.compile(r"<!--.*?-->"), ""),
    (re.compile(r"<[^>]+>"), ""),  # inline tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"\{:[^}]*\}"), ""),  # attr_list
    (re.compile(r"\*\*|__|`"), ""),
    (re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)"), ""),  # heading, quote and list markers
    (re.compile(r"\s+"), " "),
)


@dataclass(frozen=True)
class SentenceChange:
    kind: str  # changed | added | removed
    before: str
    after: str
    numbers: tuple[tuple[str, str], ...]  # (before, after) of the figures that differ; "" for none

    def marked(self) -> tuple[str, str]:
        """Markdown of before and after with the differing figures in bold."""
        return mark_differences(self.before, self.after)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "before": self.before, "after": self.after,
                "numbers": [list(pair) for pair in self.numbers]}  # fmt: skip


@dataclass
class PageChanges:
    path: str  # docs/2024/summary.md
    state: str  # changed | added | removed
    sentences: list[SentenceChange] = field(default_factory=list)
    reworded: int = 0  # sentences whose wording changed but not their numbers

    def __bool__(self) -> bool:
        return self.state != "changed" or bool(self.sentences) or self.reworded > 0

    def as_dict(self) -> dict:
        return {"page": self.path, "state": self.state, "sentences": [s.as_dict() for s in self.sentences],
                "reworded": self.reworded}  # fmt: skip


def rendered_pages(site: Site, root: Path) -> dict[str, str]:
    """Every written page (docs/**/*.md) rendered by the engine, keyed by its path under docs/."""
    docs = root / "docs"
    pages = {}
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        raw = path.read_text(encoding="utf-8-sig")
        offset = front_matter_lines(raw)
        body = "\n".join(raw.splitlines()[offset:]) if offset else raw
        src = path.relative_to(docs).as_posix()
        pages[src] = site.render_page(src, body, lambda target: target, offset).markdown
    return pages


def sentences(markdown: str) -> list[str]:
    """The prose of a rendered page as a list of sentences, without HTML blocks and Markdown markup."""
    out = []
    for paragraph in _prose_paragraphs(markdown):
        for piece in SENTENCE_END.split(paragraph):
            text = piece
            for pattern, replacement in INLINE_CLEANUP:
                text = pattern.sub(replacement, text)
            text = text.strip()
            if text and re.search(r"\w", text):
                out.append(text)
    return out


def _prose_paragraphs(markdown: str) -> list[str]:
    """Paragraphs outside HTML blocks; lines of one paragraph are joined (Chinese needs no space between them)."""
    paragraphs: list[str] = []
    current: list[str] = []
    open_tag, depth = None, 0
    for line in markdown.splitlines():
        if open_tag is not None:
            depth += _count_tags(line, open_tag)
            if depth <= 0:
                open_tag = None
            continue
        start = HTML_START.match(line)
        if start:
            tag = start.group(1).lower()
            opened = _count_tags(line, tag)
            if tag not in VOID_TAGS and opened > 0:
                open_tag, depth = tag, opened
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            if current:
                paragraphs.append("".join(current))
                current = []
            if line.strip():
                paragraphs.append(line.strip())  # a heading is a paragraph of its own
            continue
        current.append(line.strip())
    if current:
        paragraphs.append("".join(current))
    return paragraphs


def _count_tags(line: str, tag: str) -> int:
    """Opening minus closing tags of one name on a line (self-closing ones cancel out)."""
    opened = len(re.findall(rf"<{tag}(?=[\s>/])[^>]*(?<!/)>", line, re.I))
    closed = len(re.findall(rf"</{tag}\s*>", line, re.I))
    return opened - closed


def figures_in(sentence: str) -> list[str]:
    return FIGURE.findall(sentence)


def _skeleton(sentence: str) -> str:
    return FIGURE.sub("#", sentence)


def compare_page(path: str, before: str | None, after: str | None) -> PageChanges:
    """Sentences of one page: pairs whose figures differ, sentences with figures added or removed, a reword count."""
    if before is None or after is None:
        return PageChanges(path, "added" if before is None else "removed")
    old, new = sentences(before), sentences(after)
    page = PageChanges(path, "changed")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs, lone_old, lone_new = _pair(old[i1:i2], new[j1:j2])
        for a, b in pairs:
            numbers = _number_pairs(a, b)
            if numbers:
                page.sentences.append(SentenceChange("changed", a, b, numbers))
            else:
                page.reworded += 1
        for a in lone_old:
            if figures_in(a):
                page.sentences.append(SentenceChange("removed", a, "", tuple((f, "") for f in figures_in(a))))
            else:
                page.reworded += 1
        for b in lone_new:
            if figures_in(b):
                page.sentences.append(SentenceChange("added", "", b, tuple(("", f) for f in figures_in(b))))
            else:
                page.reworded += 1
    return page


def _pair(old: list[str], new: list[str]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Match the sentences of a replaced stretch: same wording with other numbers first, then the most similar."""
    pairs, used = [], set()
    unmatched = []
    for a in old:
        choice = next((j for j, b in enumerate(new) if j not in used and _skeleton(a) == _skeleton(b)), None)
        if choice is None:
            scored = [(difflib.SequenceMatcher(None, _skeleton(a), _skeleton(b)).ratio(), j)
                      for j, b in enumerate(new) if j not in used]  # fmt: skip
            best = max(scored, default=(0.0, None))
            choice = best[1] if best[0] >= 0.6 else None
        if choice is None:
            unmatched.append(a)
        else:
            used.add(choice)
            pairs.append((a, new[choice]))
    pairs.sort(key=lambda pair: new.index(pair[1]))
    return pairs, unmatched, [b for j, b in enumerate(new) if j not in used]


def _number_pairs(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """The figures that differ between two versions of a sentence, aligned in order."""
    a, b = figures_in(before), figures_in(after)
    found = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            found.append((olds[k] if k < len(olds) else "", news[k] if k < len(news) else ""))
    return tuple(found)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def escape_markdown(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def mark_differences(before: str, after: str) -> tuple[str, str]:
    """Escape both sentences for Markdown and put the differing pieces (figures or words) in bold.

    ``<b>`` rather than ``**``: CommonMark does not open ``**`` between a Han character and punctuation.
    """
    a, b = _tokens(before), _tokens(after)
    out_a, out_b = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        for tokens, out, lo, hi in ((a, out_a, i1, i2), (b, out_b, j1, j2)):
            text = escape_markdown("".join(tokens[lo:hi]))
            out.append(text if op == "equal" or not text.strip() else f"<b>{text}</b>")
    return "".join(out_a), "".join(out_b)


def _tokens(sentence: str) -> list[str]:
    """Figures as single tokens, every other character on its own (Chinese has no spaces to split words on)."""
    tokens = []
    for piece in FIGURE.split(sentence):
        if FIGURE.fullmatch(piece):
            tokens.append(piece)
        else:
            tokens.extend(piece)
    return tokens
