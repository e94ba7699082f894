"""What the live preview (``mkdocs serve``) shows instead of stopping: the problems, on the page being previewed.

A build stops on any error (``mkdocs build``, ``make site``). A preview must not: office staff save a CSV with a typo
and look at the browser, so the preview lists the problems where they look — the whole page when the data cannot be
loaded, a box at the top of a page whose own references are wrong — and recovers with the next save that fixes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from .problems import Problem, errors


def problems_block(problems: Iterable[Problem], title: str) -> str:
    """An HTML box (Material's "failure" admonition) with one row per problem: where, code, what to do."""
    rows = []
    for p in sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.code)):
        level = p.level_word
        rows.append(
            f"<tr><td>{escape(p.file)}</td><td>{p.row or ''}</td><td>{escape(p.column or '')}</td>"
            f"<td><code>{escape(p.code)}</code></td><td>[{level}] {escape(p.message)}。{escape(p.advice)}</td></tr>"
        )
    return (
        '<div class="admonition failure nb-preview-problems" role="alert">\n'
        f'<p class="admonition-title">{escape(title)}</p>\n'
        "<table><thead><tr><th>文件</th><th>行</th><th>列</th><th>代码</th><th>说明</th></tr></thead>\n"
        f"<tbody>{''.join(rows)}</tbody></table>\n"
        "<p>改正后保存文件,预览会自动刷新。这是本机预览才有的提示;正式生成网站(make site)时,这些错误会使生成停止。</p>\n"
        "</div>\n"
    )


def data_error_page(problems: list[Problem]) -> str:
    """The Markdown of every page while the data cannot be loaded."""
    count = len(errors(problems))
    return "# 数据检查未通过\n\n" + problems_block(problems, f"数据中有 {count} 个错误,网站暂时无法显示") + "\n"


def with_page_problems(markdown: str, problems: list[Problem]) -> str:
    """A page whose own references have errors: the rendered page, with its errors listed on top."""
    found = errors(problems)
    if not found:
        return markdown
    return problems_block(found, f"本页有 {len(found)} 个错误") + "\n" + markdown
