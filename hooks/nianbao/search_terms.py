"""A user dictionary for the Chinese search index, built from the catalog.

Material segments page text with jieba at build time; the browser finds a query word when it is a prefix of an
indexed word. A compound that jieba keeps whole (安全事故, 电子信息, 标准厂房) therefore hides its second half: a
search for 事故 would miss 安全事故. For every such compound in an indicator, dimension or member name we tell jieba to
split it into its two-character words, so both halves are indexed; the whole name is still found through its first
word. Single-character remainders (增加值 → 增加 + 值) are left whole: a one-character word finds too much.
"""

from __future__ import annotations

from collections.abc import Iterable

from .catalog import Catalog


def catalog_terms(catalog: Catalog) -> list[str]:
    names = [i.name for i in catalog.indicators.values()]
    for dim in catalog.dimensions.values():
        names.append(dim.name)
        names.extend(dim.members)
    return list(dict.fromkeys(names))


def compound_splits(names: Iterable[str], jieba) -> list[tuple[str, ...]]:
    """The splits to force: each compound word of a name, as the sub-words that cover it exactly."""
    splits = []
    for name in names:
        for word in jieba.lcut(name, HMM=False):
            if len(word) < 3:
                continue
            subwords = {w for w in jieba.lcut_for_search(word, HMM=False) if len(w) >= 2 and w != word}
            parts = _cover(word, subwords)
            if parts:
                splits.append(parts)
    return list(dict.fromkeys(splits))


def _cover(word: str, subwords: set[str]) -> tuple[str, ...] | None:
    """Split ``word`` left to right into known sub-words of two or more characters, or None."""
    if not word:
        return ()
    for size in range(len(word), 1, -1):
        head = word[:size]
        if head in subwords:
            rest = _cover(word[size:], subwords)
            if rest is not None:
                return (head, *rest)
    return None


def initialize_segmenter() -> None:
    """Load jieba's dictionary (~0.5 s). The search plugin would do it anyway; doing it first keeps it out of the
    time measured for our own terms."""
    import jieba

    jieba.initialize()


def register_terms(catalog: Catalog) -> list[tuple[str, ...]]:
    """Apply the splits to jieba's global dictionary (the one Material's search plugin uses)."""
    import jieba  # imported here: only the site build needs it, `nianbao check` does not

    splits = compound_splits(catalog_terms(catalog), jieba)
    for parts in splits:
        jieba.suggest_freq(parts, tune=True)
    return splits
