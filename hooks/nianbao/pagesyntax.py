"""The ``{{ … }}`` of a page, checked one by one before the page renders, so that every mistake comes in one round.

Jinja stops at the first syntax error of a template and at the first unknown name. Office staff then fix one mistake
per build. Here each expression is parsed on its own: Chinese quotes or commas are named and read as ASCII, a span
that does not parse or names an unknown function is reported (with line, column and the nearest known name) and
replaced by 【写法有误】, and the rest of the page renders as usual.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import jinja2
from jinja2 import nodes

from .problems import Problem

# Full-width punctuation typed inside {{ }} by an input method in Chinese mode, and what Jinja expects instead.
CHINESE_PUNCTUATION = {"“": '"', "”": '"', "‘": "'", "’": "'", "，": ",", "（": "(", "）": ")", "＝": "=", "：": ":"}
BAD = "【写法有误】"
OPEN, CLOSE = "{{", "}}"


def suggest(name: str, known: Iterable[str]) -> str:
    """``(是否应为 growth?)`` for a name close to a known one, else nothing."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f"(是否应为 {' / '.join(close)}?)" if close else ""


EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
JINJA_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)  # every Jinja span of a page: {{ }}, {% %}, {# #}
ASSIGNED = re.compile(r"\{%-?\s*(?:(?:for|set)\s+([\w\s,]+?)\s+(?:in\b|=)|macro\s+(\w+)\s*\(([^)]*)\))")
# Names Jinja itself gives inside loops and macros.
JINJA_NAMES = {"loop", "caller", "varargs", "kwargs"}


class SpanChecker:
    def __init__(self, environment: jinja2.Environment, functions: Iterable[str]):
        self.environment = environment
        self.functions = set(functions)

    def check(self, source: str, label: str, line_offset: int = 0) -> tuple[str, list[Problem], nodes.Template | None]:
        """The page with its unusable spans replaced, one problem per mistake found, and the page parsed whole when it
        has no mistake (the renderer compiles that tree instead of parsing the page again)."""
        assigned = set()
        for m in ASSIGNED.finditer(source):  # names a page's own {% for %}, {% set %} or {% macro %} gives
            assigned.update(n.strip() for n in (m.group(1) or m.group(2)).split(","))
            assigned.update(p.split("=")[0].strip() for p in (m.group(3) or "").split(",") if p.strip())
        self.known = self.functions | assigned | JINJA_NAMES | set(self.environment.globals)
        tree = self._whole(source)
        if tree is not None:
            return source, [], tree
        return (*self._span_by_span(source, label, line_offset), None)

    def _whole(self, source: str) -> nodes.Template | None:
        """The page parsed in one go, when that shows no mistake (the common case, and the fast one)."""
        if any(ch in span for span in EXPRESSION.findall(source) for ch in CHINESE_PUNCTUATION):
            return None
        try:
            tree = self.environment.parse(source)
        except jinja2.TemplateSyntaxError:
            return None
        if any(n.name not in self.known for n in tree.find_all(nodes.Name)):
            return None
        for output in tree.find_all(nodes.Output):
            if any(isinstance(c, nodes.Name) and c.name in self.functions for c in output.nodes):
                return None
        return tree

    def _span_by_span(self, source: str, label: str, line_offset: int) -> tuple[str, list[Problem]]:
        problems: list[Problem] = []
        out, pos = [], 0
        while True:
            start = source.find(OPEN, pos)
            if start < 0:
                out.append(source[pos:])
                break
            out.append(source[pos:start])
            end = source.find(CLOSE, start + 2)
            following = source.find(OPEN, start + 2)
            line, column = _place(source, start)
            where = (label, line + line_offset, str(column))
            if end < 0 or (0 <= following < end) or "\n\n" in source[start:end]:
                problems.append(Problem(*where, "prose-syntax-error", "“{{”没有配对的“}}”"))
                out.append(BAD)
                pos = start + 2
                continue
            expression = source[start + 2 : end]
            fixed, found = self._check_expression(expression, where)
            problems += found
            out.append(BAD if fixed is None else OPEN + fixed + CLOSE)
            pos = end + 2
        return "".join(out), problems

    def _check_expression(self, expression: str, where: tuple) -> tuple[str | None, list[Problem]]:
        problems = []
        typed = sorted({ch for ch in expression if ch in CHINESE_PUNCTUATION})
        if typed:
            problems.append(Problem(*where, "prose-chinese-punctuation", " ".join(typed)))
            expression = expression.translate(str.maketrans(CHINESE_PUNCTUATION))
        try:
            tree = self.environment.parse(OPEN + expression + CLOSE)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(*where, "prose-syntax-error", _syntax_message(expression, exc)))
            return None, problems
        unusable = False
        for output in tree.find_all(nodes.Output):
            for child in output.nodes:
                if isinstance(child, nodes.Name) and child.name in self.functions:
                    problems.append(Problem(*where, "prose-not-called", child.name))
                    unusable = True
        for name in tree.find_all(nodes.Name):
            if name.name not in self.known:
                problems.append(Problem(*where, "prose-unknown-function",
                                        f"没有名为“{name.name}”的函数{suggest(name.name, self.functions)}"))  # fmt: skip
                unusable = True
        return (None if unusable else expression), problems


def _place(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def _syntax_message(expression: str, exc: jinja2.TemplateSyntaxError) -> str:
    """The common mistakes in words an office understands; Jinja's own message only as a last resort."""
    if expression.count("(") != expression.count(")"):
        return "括号没有配对:左括号“(”和右括号“)”的个数不一样"
    if expression.count('"') % 2 or expression.count("'") % 2:
        return "引号没有配对:每个指标代码前后都要有一个英文双引号"
    if re.search(r"\w\s*\(\s*[^\"'\s)(=][^,)]*[\u4e00-\u9fff]", expression):
        return "函数中的文字要放在英文双引号里,如 value(\"revenue\", breakdown=\"城东片区\")"
    return f"函数写法不对({exc.message})"
