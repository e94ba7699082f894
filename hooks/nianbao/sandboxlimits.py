"""Resource limits of the page sandbox (``prose.ProseSandbox``): a page computes little, so anything big is an attempt
to stall or exhaust the build, and is a located error instead.

- **Time**: ``PAGE_SECONDS`` per page, checked at every function call, loop step and output piece.
- **Loops**: ``range()`` at most ``MAX_RANGE`` long, and ``MAX_STEPS`` loop iterations per page in all (nested
  ``range(10000)`` loops end after ``MAX_STEPS``, not 10⁸).
- **Sizes**: every value a call, filter, ``~`` or ``+`` makes is at most ``MAX_VALUE`` characters or items, checked
  as it is made (so doubling a string in a loop stops at the limit, not at memory's end); ``replace`` and ``join`` are
  measured before they run; the page's output is at most ``MAX_OUTPUT`` characters.
- **Widths**: no ``center``/``ljust``/``zfill`` or format width or precision above ``MAX_WIDTH``; ``%`` formatting
  checked the same way; ``str.format`` is not offered at all.
- **What is offered**: the string methods and filters a text needs, each bounded; no ``lipsum``, ``cycler`` or
  ``joiner``.

Each limit raises ``BudgetExceeded`` (a ``SecurityError``) from inside the template's own frame, so the renderer
reports it at the page line that caused it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.visitor import NodeTransformer

PAGE_SECONDS = 3.0  # the sample's pages take milliseconds
MAX_RANGE = 10_000
MAX_STEPS = 100_000
MAX_VALUE = 1_000_000  # characters of a string, items of a list
MAX_OUTPUT = 5_000_000  # characters a page's template writes (the sample's largest page: 27,000), nested blocks counted each time
MAX_WIDTH = 1_000

# The string methods a page may call (pages call the report's functions; these are for small text touches).
STR_METHODS = frozenset({"upper", "lower", "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "rsplit",
                         "title", "capitalize", "count", "find", "rfind", "isdigit", "replace", "join"})  # fmt: skip
# Filters offered to pages; the ones that can grow a value are replaced by bounded versions below.
FILTERS = frozenset("""
    abs attr batch capitalize center count d default dictsort e escape first float forceescape format groupby indent
    int items join last length list lower map max min reject rejectattr replace reverse round select selectattr slice
    sort string striptags sum title tojson trim truncate unique upper urlencode wordcount wordwrap
""".split())
GLOBALS = ("range", "dict", "namespace")
PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")


class BudgetExceeded(jinja2.exceptions.SecurityError):
    pass


class Budget:
    """What one page has used."""

    def __init__(self):
        self.deadline = time.monotonic() + PAGE_SECONDS
        self.steps = 0
        self.output = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(f"页面的计算超过 {PAGE_SECONDS:g} 秒,已停止(循环或函数调用太多)")

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise BudgetExceeded(f"页面中的循环超过 {MAX_STEPS} 次,已停止")
        if not self.steps % 256:
            self.check_time()


def size_of(value) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else 0


def check_size(value):
    if size_of(value) > MAX_VALUE:
        raise BudgetExceeded(f"页面中算出的内容过长({size_of(value)} 个字符或项,上限 {MAX_VALUE})")
    return value


def check_width(width, what: str = "宽度") -> None:
    if isinstance(width, int) and abs(width) > MAX_WIDTH:
        raise BudgetExceeded(f"{what} {width} 过大(上限 {MAX_WIDTH})")


def check_replace(text: str, old, new, count=-1) -> None:
    if not isinstance(text, str) or not isinstance(old, str) or not isinstance(new, str):
        return
    hits = (len(text) + 1) if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    if len(text) + hits * max(len(new) - len(old), 0) > MAX_VALUE:
        raise BudgetExceeded(f"替换后的内容过长(上限 {MAX_VALUE} 个字符)")


def check_join(parts) -> list:
    parts = list(parts)
    if len(parts) > MAX_VALUE or sum(len(str(p)) for p in parts[:MAX_VALUE]) > MAX_VALUE:
        raise BudgetExceeded(f"连接后的内容过长(上限 {MAX_VALUE} 个字符)")
    return parts


def check_percent(template: str) -> None:
    """Widths and precisions of ``%`` formatting; ``*`` (a width from the arguments) is refused."""
    for match in PERCENT_SPEC.finditer(template):
        for spec in match.groups():
            if spec == "*":
                raise BudgetExceeded("格式中不能用 * 指定宽度")
            if spec is not None:
                check_width(int(spec), "格式宽度")


def bounded_range(*args) -> range:
    for arg in args:
        if not isinstance(arg, int):
            raise TypeError("range() 的参数应是整数")
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise BudgetExceeded(f"range() 最多 {MAX_RANGE} 个数")
    return result


def _bounded_filters(env: jinja2.Environment) -> dict:
    base = env.filters

    def center(value, width=80):
        check_width(width)
        return base["center"](value, width)

    def indent(value, width=4, *args, **kwargs):
        check_width(width if isinstance(width, int) else len(str(width)))
        check_size(str(value) * 2)
        return check_size(base["indent"](value, width, *args, **kwargs))

    def wordwrap(environment, value, width=79, *args, **kwargs):
        check_width(width)
        return check_size(base["wordwrap"](environment, value, width, *args, **kwargs))

    def truncate(environment, value, length=255, *args, **kwargs):
        check_width(length)
        return base["truncate"](environment, value, length, *args, **kwargs)

    def format_(value, *args, **kwargs):
        check_percent(str(value))
        return check_size(base["format"](value, *args, **kwargs))

    def replace(eval_ctx, value, old, new, count=None):
        check_replace(str(value), str(old), str(new), -1 if count is None else count)
        return base["replace"](eval_ctx, value, old, new, count)

    def join(eval_ctx, value, d="", attribute=None):
        return check_size(base["join"](eval_ctx, check_join(value), d, attribute))

    for fn, like in ((wordwrap, "wordwrap"), (truncate, "truncate")):
        fn.jinja_pass_arg = base[like].jinja_pass_arg  # pass the environment as the original does
    for fn, like in ((replace, "replace"), (join, "join")):
        fn.jinja_pass_arg = base[like].jinja_pass_arg
    bounded = {"center": center, "indent": indent, "wordwrap": wordwrap, "truncate": truncate, "format": format_,
               "replace": replace, "join": join}  # fmt: skip
    return {name: bounded.get(name, base[name]) for name in FILTERS if name in base}


def _steps(budget_of) -> callable:
    def nb_steps(iterable) -> Iterator:
        budget = budget_of()
        for item in iterable:
            budget.step()
            yield item

    return nb_steps


class _Guard(NodeTransformer):
    """Loop iterables counted; values made by calls, filters, ``~`` and ``+`` measured."""

    def _sized(self, node: nodes.Node) -> nodes.Node:
        return nodes.Filter(node, "nb_size", [], [], None, None, lineno=node.lineno)

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "nb_steps", [], [], None, None, lineno=node.iter.lineno)
        return node

    def visit_CallBlock(self, node: nodes.CallBlock) -> nodes.Node:
        call = node.call
        node = self.generic_visit(node)
        if isinstance(node.call, nodes.Filter):  # a {% call %} needs its Call node itself
            node.call = call
        return node

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        return self._sized(self.generic_visit(node))

    def visit_Filter(self, node: nodes.Filter) -> nodes.Node:
        node = self.generic_visit(node)
        return node if node.name in ("nb_size", "nb_steps") else self._sized(node)

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        return self._sized(self.generic_visit(node))

    def visit_Add(self, node: nodes.Add) -> nodes.Node:
        return self._sized(self.generic_visit(node))


def guard(tree: nodes.Template) -> nodes.Template:
    return _Guard().visit(tree)


def install(env: jinja2.Environment) -> None:
    """Give a sandbox environment the bounded globals and filters, and the filters the guard inserts."""
    env.nb_budget = Budget()
    env.globals = {name: env.globals[name] for name in GLOBALS if name in env.globals}
    env.globals["range"] = bounded_range
    env.filters = _bounded_filters(env)
    env.filters["nb_size"] = check_size
    env.filters["nb_steps"] = _steps(lambda: env.nb_budget)


def concat_with_budget(env, pieces: Iterable[str]) -> str:
    """``Environment.concat`` counting the output; an exceeded budget is thrown into the template's generator, so that
    the error carries the template line that was writing."""
    budget = env.nb_budget
    out: list[str] = []
    for piece in pieces:
        budget.output += len(piece)
        try:
            if budget.output > MAX_OUTPUT:
                raise BudgetExceeded(f"页面写出的内容超过 {MAX_OUTPUT} 个字符,已停止")
            budget.check_time()
        except BudgetExceeded as exc:
            if hasattr(pieces, "throw"):
                pieces.throw(exc)
            raise
        out.append(piece)
    return "".join(out)


def checked_call(env, obj, args: tuple) -> tuple:
    """Before a call: time, and the arguments that would make a string too big (an iterable to join is read into a
    list first, to be measured)."""
    env.nb_budget.check_time()
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, str):
        if name == "replace" and len(args) >= 2:
            check_replace(owner, *args[:3])
        elif name == "join" and args:
            args = (check_join(args[0]), *args[1:])
    return args


def check_method(obj, attr: str) -> bool:
    """Whether a page may reach ``obj.attr`` as far as the limits go (strings: the STR_METHODS only)."""
    return not isinstance(obj, str) or attr in STR_METHODS
