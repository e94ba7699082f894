"""Pages written by office staff, rendered through a sandboxed Jinja environment that takes every number from data.

The sandbox gives pages functions and nothing else: no attribute access to Python internals, no file access, no
imports. A function that cannot find its figure records a located problem instead of printing something wrong.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .blocks import Blocks, Link, template_environment
from .facts import Facts, MissingFigure
from .model import Edition, Report
from .numbers import format_change, format_growth, format_percent, format_value, share
from .pagesyntax import SpanChecker
from .problems import Problem
from .prosefigures import lint_figures

# A bound on arithmetic in pages: a page computes nothing big (figures come from the functions), so `9**99999999` or
# `"x" * 10**9` is an attempt to stall the build.
MAX_POWER, MAX_BASE, MAX_BITS, MAX_REPEAT = 100, 10**6, 4096, 10_000
# What `nianbao new-edition` writes where the office still has to write (templates/*.md, newedition.py).
PLACEHOLDER = re.compile(r"【待填写[^】\n]*】?")


@dataclass
class RenderedPage:
    markdown: str
    problems: list[Problem] = field(default_factory=list)
    uses_charts: bool = False


def lint_hand_typed_figures(source: str, label: str, line_offset: int = 0) -> list[Problem]:
    """Numbers with a unit written by hand outside any {{ … }}, without comparing them with data."""
    return lint_figures(source, label, None, line_offset)


def lint_placeholders(source: str, label: str, line_offset: int = 0) -> list[Problem]:
    """The new-edition templates' 【待填写…】 marks left in a page: a strict build (``make site``) must not publish them."""
    return [
        Problem(label, lineno + line_offset, None, "prose-placeholder", match.group(0)[:40])
        for lineno, line in enumerate(source.splitlines(), start=1)
        for match in PLACEHOLDER.finditer(line)
    ]


class ProseSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no attribute access to Python internals, no mutation), without any template loader
    (no ``include``/``import``/``extends``: no file access), with bounded ``**``, ``*`` and ``%``, and the resource
    limits of ``sandboxlimits``: a time and output budget per page (one ``from_string`` per page), loop and range
    limits, bounded sizes and widths, a short list of string methods and filters."""

    intercepted_binops = frozenset({"**", "*", "%"})

    def __init__(self, *args, **kwargs):
        from . import sandboxlimits

        super().__init__(*args, **kwargs)
        self.limits = sandboxlimits
        sandboxlimits.install(self)

    def get_template(self, *args, **kwargs):
        raise jinja2.exceptions.SecurityError("页面中不能引用其他模板或文件(include、import、extends)")

    select_template = get_or_select_template = get_template

    def from_string(self, source, *args, **kwargs):
        self.nb_budget = self.limits.Budget()  # each page gets its own time, loop and output budget
        return super().from_string(source, *args, **kwargs)

    def _parse(self, source, name, filename):
        return self.limits.guard(super()._parse(source, name, filename))

    def concat(self, pieces) -> str:
        return self.limits.concat_with_budget(self, pieces)

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return super().is_safe_attribute(obj, attr, value) and self.limits.check_method(obj, attr)

    def unsafe_undefined(self, obj, attribute):
        return self.undefined(f"页面中不能使用“{attribute}”", name=attribute, obj=obj,
                              exc=jinja2.exceptions.SecurityError)  # fmt: skip

    def wrap_str_format(self, value):
        # Jinja hands out str.format before asking is_safe_attribute: refuse it here (its widths are unbounded).
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args, **kwargs):
            raise jinja2.exceptions.SecurityError("页面中不能用 format();数字用 value() 等函数写出")

        return refused

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 — Jinja's own signature
        args = __self.limits.checked_call(__self, __obj, args)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator, left, right):
        if operator == "**" and not (isinstance(right, (int, float)) and abs(right) <= MAX_POWER
                                     and isinstance(left, (int, float)) and abs(left) <= MAX_BASE):  # fmt: skip
            raise jinja2.exceptions.SecurityError(f"乘方的底数或指数过大(指数最大 {MAX_POWER})")
        if operator == "*" and isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_BITS:
                raise jinja2.exceptions.SecurityError("乘积过大")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise jinja2.exceptions.SecurityError("重复的内容过长")
        if operator == "%" and isinstance(left, str):
            self.limits.check_percent(left)
        return self.limits.check_size(super().call_binop(context, operator, left, right))


def _template_line() -> int | None:
    """The line of the page being rendered that called the current function (Jinja keeps a line map per frame)."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


class PageRenderer:
    """Renders every page of one build; one instance per build (it caches the template environments)."""

    def __init__(self, report: Report, template_dir):
        self.report = report
        self.blocks_env = template_environment(template_dir)
        self.sandbox = ProseSandbox(autoescape=True, undefined=jinja2.StrictUndefined)

    def render(self, source: str, label: str, edition: Edition | None, link: Link, chart_prefix: str,
               line_offset: int = 0, authored: bool = True) -> RenderedPage:  # fmt: skip
        """``authored=False`` for the pages the engine writes itself: their figures all come from functions, and the
        names they print (工业产值3000万元以上企业) are data, not figures typed by hand."""
        edition = edition or self.report.latest_edition
        facts = Facts(self.report, edition)
        blocks = Blocks(facts, self.blocks_env, link, chart_prefix)
        page = RenderedPage(markdown="")
        if authored:
            page.problems += lint_figures(source, label, facts, line_offset)
        page.problems += lint_placeholders(source, label, line_offset)

        def located(fn):
            def call(*args, **kwargs):
                try:
                    return fn(*args, **kwargs)
                except MissingFigure as exc:
                    line = _template_line()
                    page.problems.append(Problem(label, (line or 0) + line_offset or None, _column(source, line, fn),
                                                 "prose-missing-figure", str(exc)))  # fmt: skip
                    return "【缺数】"
                except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
                    line = _template_line()
                    page.problems.append(Problem(label, (line or 0) + line_offset or None, _column(source, line, fn),
                                                 "prose-unknown-function", f"{fn.__name__}:{exc}"))  # fmt: skip
                    return "【写法有误】"

            call.__name__ = fn.__name__
            return call

        functions = _prose_functions(facts) | {
            "headline_cards": blocks.headline_cards,
            "chart": blocks.chart,
            "breakdown_table": blocks.breakdown_table,
            "target_review": blocks.target_review,
            "data_problems": blocks.data_problems,
            "target_table": blocks.target_table,
            "target_charts": blocks.target_charts,
            "edition_list": blocks.edition_list,
            "indicator_detail": blocks.indicator_detail,
            "indicator_index": blocks.indicator_index,
            "targets_overview": blocks.targets_overview,
            "revisions_overview": blocks.revisions_overview,
            "revision_notes": blocks.revision_notes,
            "downloads_page": blocks.downloads_page,
        }
        # Every {{ … }} on its own first: all the page's mistakes in one round, the rest of the page still renders.
        tree = None
        if authored:  # the engine's own pages hold only its own calls
            source, found, tree = SpanChecker(self.sandbox, functions).check(source, label, line_offset)
            page.problems += found
        try:
            template = self.sandbox.from_string(tree if tree is not None else source)
            page.markdown = template.render({name: located(fn) for name, fn in functions.items()})
        except jinja2.TemplateSyntaxError as exc:
            page.problems.append(Problem(label, exc.lineno + line_offset, None, "prose-unknown-function", exc.message or ""))
        except jinja2.UndefinedError as exc:
            line = _error_line(exc)
            page.problems.append(Problem(label, line + line_offset if line else None, None,
                                         "prose-unknown-function", str(exc.message)))  # fmt: skip
        except jinja2.exceptions.SecurityError as exc:
            line = _error_line(exc)
            page.problems.append(Problem(label, line + line_offset if line else None, None,
                                         "prose-unknown-function", str(exc)))  # fmt: skip
        except Exception as exc:  # noqa: BLE001 — a page must never stop the build with a traceback
            # 1/0, unbounded recursion, a range too big, a Jinja internal error …: located, never a traceback.
            line = _error_line(exc)
            page.problems.append(Problem(label, line + line_offset if line else None, None,
                                         "prose-unknown-function", f"{type(exc).__name__}:{exc}"[:200]))  # fmt: skip
        page.uses_charts = blocks.uses_charts
        return page


def _column(source: str, line: int | None, fn) -> str | None:
    """The column (1-based, as text) where the call of ``fn`` starts on its page line, when it can be found."""
    lines = source.splitlines()
    if not line or line > len(lines):
        return None
    at = lines[line - 1].find(f"{fn.__name__}(")
    return str(at + 1) if at >= 0 else None


def _error_line(exc: Exception) -> int | None:
    """The page line of a render error: Jinja rewrites the traceback with frames whose file is "<template>" and whose
    line numbers are already those of the template."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _prose_functions(facts: Facts) -> dict:
    """The inline functions of DESIGN.md. Each returns plain text; autoescaping makes data strings safe."""
    edition = facts.edition

    def value(indicator, period=None, breakdown=None):
        text = facts.value_text(indicator, period, breakdown)
        note = facts.discrepancy_note(indicator, period, breakdown)
        return f"{text}\uff08{note}\uff09" if note else text  # (…), full-width in Chinese text

    def number(indicator, period=None, breakdown=None):
        return facts.number_text(indicator, period, breakdown)

    def growth(indicator, period=None, breakdown=None):
        rate = facts.growth(indicator, period, breakdown)
        if rate is None:
            raise MissingFigure(f"{facts.indicator(indicator).name}上年为零,无法计算增速")
        return format_growth(rate)

    def rate(indicator, period=None, breakdown=None):
        r = facts.growth(indicator, period, breakdown)
        if r is None:
            raise MissingFigure(f"{facts.indicator(indicator).name}上年为零,无法计算增速")
        return format_percent(r)

    def change(indicator, period=None, breakdown=None):
        period = edition.year if period is None else period
        ind = facts.indicator(indicator)
        cur = facts.figure(indicator, period, breakdown)
        prev = facts.figure(indicator, period - 1, breakdown)
        return format_change(cur.value - prev.value, ind.unit, ind.decimals)

    def share_(indicator, breakdown=None, period=None, of=None, of_breakdown=None, of_period=None):
        part = facts.figure(indicator, period, breakdown)
        whole = facts.figure(of or indicator, of_period if of_period is not None else period, of_breakdown)
        ratio = share(part.value, whole.value)
        if ratio is None:
            raise MissingFigure("分母为零,无法计算占比")
        return format_percent(ratio)

    def gap(indicator, breakdown, period=None):
        return facts.gap_text(indicator, breakdown, period)

    def completion(indicator):
        return facts.completion_text(indicator)

    def target(indicator, period=None, measure=None):
        from .facts import target_text

        t = edition.target(indicator, period, measure)
        if t is None:
            raise MissingFigure(f"{edition.year}年报没有设定{facts.indicator(indicator).name}的目标")
        return target_text(t, facts.indicator(indicator))

    def _projects(status=None, industry=None, zone=None, min_investment=None):
        chosen = edition.projects
        if status:
            chosen = [p for p in chosen if p.status == status]
        if industry:
            chosen = [p for p in chosen if p.industry == industry]
        if zone:
            chosen = [p for p in chosen if p.zone == zone]
        if min_investment is not None:
            chosen = [p for p in chosen if p.investment >= Decimal(str(min_investment))]
        return chosen

    def project_count(status=None, industry=None, zone=None, min_investment=None):
        return f"{len(_projects(status, industry, zone, min_investment))}个"

    def project_investment(status=None, industry=None, zone=None, min_investment=None):
        total = sum((p.investment for p in _projects(status, industry, zone, min_investment)), Decimal(0))
        return format_value(total / 10000, "亿元", 2)

    def literal(text):
        return str(text)

    share_.__name__ = "share"
    return {
        "value": value, "number": number, "growth": growth, "rate": rate, "change": change, "share": share_,
        "gap": gap, "completion": completion, "target": target, "project_count": project_count,
        "project_investment": project_investment, "literal": literal,
    }  # fmt: skip

