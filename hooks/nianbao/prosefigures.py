"""Figures typed by hand in a page: found, and compared with the data where the sentence says which figure it is.

A page should take every number from the data. A number a writer types anyway is found here whatever its form —
43个, 5.2亿, 25万人, 50余家, 超300亿, 近3成, 三成, 同比增长12.3% — while years, dates, ordinals, list numbers and
the arguments of {{ … }} are not figures. When the words before it in the same clause name an indicator (and maybe a
breakdown member and a year), the figure is compared with the data's value: one that agrees says which function to
use instead, one that contradicts it is an error naming both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .catalog import Indicator
from .facts import Facts, MissingFigure
from .numbers import format_number
from .pagesyntax import JINJA_SPAN
from .precision import Interval, growth_percent, printed, through
from .problems import Problem
from .units import MEASURE_WORDS, UNITS

SCALES = {"亿": "亿元", "万": "万元"}  # a bare scale: 5.2亿 is compared with data as 亿元
APPROXIMATE_BEFORE = ("大约", "接近", "将近", "超过", "约", "超", "近", "逾")
_DIGITS = r"[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?"


@functools.lru_cache(maxsize=8)
def figure_pattern(units: frozenset[str] = frozenset(UNITS)) -> re.Pattern:
    """A typed figure, with the units of one catalog (the built-in ones and those it declares)."""
    words = "|".join(map(re.escape, sorted({*units, *MEASURE_WORDS}, key=len, reverse=True)))
    return re.compile(
        r"(?<![0-9A-Za-z０-９._第])"  # not inside a code, a word like G20, or an ordinal (第3个)
        r"(?P<before>" + "|".join(APPROXIMATE_BEFORE) + r")?"
        r"(?P<number>" + _DIGITS + r")[ \u3000]?"  # 新签约项目 23 个: a space typed around the number
        r"(?:(?P<after>[余多])?(?P<unit>" + words + r"|成)"  # 43个, 10620万元, 50余家, 3.2亿千瓦时, 近3成
        r"|(?P<scale>[亿万千])(?P<after2>[余多])?(?P<unit2>" + words + r")?)"  # 5.2亿, 3万余人
    )
CHINESE_SHARE = re.compile(r"(?P<before>" + "|".join(APPROXIMATE_BEFORE) + r")?(?P<number>[一二两三四五六七八九])成(?!不变)")
CHINESE_DIGITS = "一二三四五六七八九"
GROWTH_BEFORE = re.compile(r"(?:同比|比上年|较上年|比去年)?(?P<verb>增长|增加|提高|下降|减少|降低)$")
FALLING = ("下降", "减少", "降低")
# Words that may stand between an indicator's name and its figure: 实现营业收入421.5亿元, 跟踪洽谈项目共43个.
CONNECTOR = re.compile(r"^(?:全年|全园|园区)?(?:共|总计|合计|累计|共计)?(?:实现|完成|达到|达|为|是|有|突破|超过)?了?$")
# What may stand before an indicator's name when the sentence leaves no doubt whose figure it is: 2024年园区共实现….
# Anything else (规上企业营业收入, 其中来自新能源的营业收入 …) may narrow the scope: a mismatch is then no error.
PLAIN_SUBJECT = re.compile(r"^(?:\d{4}年)?(?:1—\d{1,2}月)?(?:全年|今年|本年|当年|上年|去年)?(?:园区|全园|全区|全县|全市|开发区)?"
                           r"(?:共|累计|合计|总计|共计)?(?:完成|实现|达到|达)?$")
MEMBER_SUFFIX = re.compile(r"^(?:产业|片区|园区|行业|板块)?")
SENTENCE_END = re.compile(r"[。!！?？\n]")
CLAUSE_END = re.compile(r"[,，。;；:：!！?？\n]")
YEAR = re.compile(r"(\d{4})年")
PREVIOUS_YEAR = ("上年", "去年")
LITERAL_CALL = re.compile(r"literal\(\s*(?P<q>[\"'])(?P<text>.*?)(?P=q)\s*\)", re.S)


@dataclass(frozen=True)
class TypedFigure:
    text: str
    number: Decimal
    unit: str  # a unit of units.UNITS, a measure word, 亿/万 for a bare scale, 成 for a share in tenths
    approximate: bool
    start: int  # offset in its line
    sentence: str  # the words before it in its sentence


def find_figures(line: str, units: frozenset[str] = frozenset(UNITS)) -> list[TypedFigure]:
    """Every figure typed in one line of text (Jinja spans already blanked)."""
    found = []
    for match in figure_pattern(units).finditer(line):
        number = _number(match.group("number"))
        if number is None:
            continue
        if match.group("unit"):
            unit_name = match.group("unit")
        else:
            unit_name = match.group("scale") + (match.group("unit2") or "")
        approximate = bool(match.group("before") or match.group("after") or match.group("after2"))
        found.append(TypedFigure(match.group(0), number, unit_name, approximate, match.start(),
                                 _sentence_before(line, match.start())))  # fmt: skip
    for match in CHINESE_SHARE.finditer(line):
        tenths = CHINESE_DIGITS.index(match.group("number").replace("两", "二")) + 1
        found.append(TypedFigure(match.group(0), Decimal(tenths), "成", True, match.start(),
                                 _sentence_before(line, match.start())))  # fmt: skip
    return sorted(found, key=lambda f: f.start)


def _number(text: str) -> Decimal | None:
    text = text.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")).replace(",", "").replace("，", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _sentence_before(line: str, start: int) -> str:
    head = line[:start]
    ends = [m.end() for m in SENTENCE_END.finditer(head)]
    return head[ends[-1]:] if ends else head


def _clause(sentence: str) -> str:
    ends = [m.end() for m in CLAUSE_END.finditer(sentence)]
    return sentence[ends[-1]:] if ends else sentence


def literal_figures(source: str) -> list[tuple[int, TypedFigure]]:
    """Figures inside ``literal("…")``: kept verbatim by the page, so never checked. (line, figure)."""
    found = []
    for match in LITERAL_CALL.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        found += [(line, fig) for fig in find_figures(match.group("text"))]
    return found


class FigureMatcher:
    """Compares typed figures with the data of one edition."""

    def __init__(self, facts: Facts):
        self.facts = facts
        catalog = facts.catalog
        # Longest names first, so that 工业增加值增速 is not read as 工业增加值.
        self.names = sorted(((ind.name, ind) for ind in catalog.indicators.values()), key=lambda p: -len(p[0]))
        self.members = sorted({m for d in catalog.dimensions.values() for m in d.members}, key=len, reverse=True)

    def judge(self, fig: TypedFigure, label: str, row: int) -> Problem:
        judged = None
        growth = GROWTH_BEFORE.search(_clause(fig.sentence))
        if growth and fig.unit in ("%", "％"):
            subject = self._last_named(fig.sentence)
            if subject is not None and subject[0].unit != "%":
                judged = self._judge_growth(fig, *subject, growth.group("verb"))
        elif fig.unit not in ("%", "％") or not growth:
            subject = self._named_right_before(_clause(fig.sentence))
            if subject is not None:
                judged = self._judge_value(fig, *subject)
        if judged is None:
            same = self._same_value_anywhere(fig)
            judged = ("prose-figure-in-data", f"{fig.text}”与数据中{same}一致") if same else None
        code, detail = judged or ("prose-hand-typed-figure", fig.text)
        return Problem(label, row, None, code, detail)

    # --- what the sentence names -------------------------------------------------------------------------------

    def _named_right_before(self, clause: str):
        """The indicator named just before the figure (only connecting words between), with member and period."""
        for name, ind in self.names:
            at = clause.rfind(name)
            if at >= 0 and CONNECTOR.match(clause[at + len(name):]):
                return ind, *self._scope(ind, clause[:at])
        return None

    def _last_named(self, sentence: str):
        """The indicator named last in the sentence before a rate (营业收入421.5亿元,同比增长12.3%)."""
        best = None
        for name, ind in self.names:
            at = sentence.rfind(name)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, ind)
        if best is None:
            return None
        return best[1], *self._scope(best[1], _clause(sentence[: best[0]]))

    def _scope(self, ind: Indicator, before: str) -> tuple[str | None, int, bool]:
        """The breakdown member and period the words before the name give, and whether they leave no doubt (only a
        year, a member, scope words such as 园区/全年/共/实现): only then can a mismatch be called a contradiction."""
        dims = self.facts.catalog.dimensions
        allowed = {m for d in ind.breakdowns if d in dims for m in dims[d].members}
        found = [(before.rfind(m), m) for m in self.members if m in allowed and m in before]
        member = max(found)[1] if found else None
        rest = before
        if member:
            at = before.rfind(member)
            tail = before[at + len(member):]
            rest = before[:at] + tail[MEMBER_SUFFIX.match(tail).end():]
        years = YEAR.findall(before)
        period = int(years[-1]) if years else self.facts.edition.year
        if any(word in before for word in PREVIOUS_YEAR):
            period -= 1
        return member, period, bool(PLAIN_SUBJECT.match(rest.strip()))

    # --- judging -----------------------------------------------------------------------------------------------

    def _judge_value(self, fig: TypedFigure, ind: Indicator, member: str | None, period: int, clear: bool):
        factor = self.facts.catalog.factor(ind.unit, SCALES.get(fig.unit, fig.unit))
        data = self.facts.edition.figure(ind.id, period, member)
        if factor is None or data is None:
            return None
        data_text = f"{_where(ind, period, member)}{data.value:f}{ind.unit}"
        if printed(fig.number).overlaps(Interval.exact(data.value * factor)):
            call = _call("value", ind.id, period, self.facts.edition.year, member)
            return "prose-figure-in-data", f"{fig.text}”与数据中{data_text}一致,改用 {call}"
        if fig.approximate or not clear:
            return None  # 约300亿 is not compared with the exact figure, nor a figure whose scope may be narrower
        return "prose-figure-contradicts", f"{fig.text}”与数据中的{data_text}不符"

    def _judge_growth(self, fig: TypedFigure, ind: Indicator, member: str | None, period: int, clear: bool,
                      verb: str):  # fmt: skip
        typed = printed(-fig.number if verb in FALLING else fig.number)
        stated = self._stated_rate(ind, period, member)
        call = _call("growth", ind.id, period, self.facts.edition.year, member)
        if stated is not None:
            rate_ind, rate_fig = stated
            expected = printed(rate_fig.value)
            data_text = f"{_where(rate_ind, period, member)}{rate_fig.value:f}%"
            call = _call("value", rate_ind.id, period, self.facts.edition.year, member)
        else:
            cur = self.facts.edition.figure(ind.id, period, member)
            prev = self.facts.edition.figure(ind.id, period - 1, member)
            if cur is None or prev is None or prev.value == 0:
                return None
            expected = through(growth_percent, printed(cur.value, ind.is_count), printed(prev.value, ind.is_count))
            if expected is None:
                return None
            rate = growth_percent(cur.value, prev.value)
            data_text = (f"{_where(ind, period, member)}由{prev.value:f}{ind.unit}变为{cur.value:f}{ind.unit},"
                         f"增速{format_number(rate, 1)}%")  # fmt: skip
        if typed.overlaps(expected):
            return "prose-figure-in-data", f"{verb}{fig.text}”与数据中{data_text}一致,改用 {call}"
        if fig.approximate or not clear:
            return None
        return "prose-figure-contradicts", f"{verb}{fig.text}”与数据中的{data_text}不符"

    def _stated_rate(self, ind: Indicator, period: int, member: str | None):
        """A growth rate the data states for ``ind``: one derived from it, or one named for it (工业增加值增速, often
        at comparable prices, which the values cannot reproduce)."""
        for rate_ind in self.facts.catalog.indicators.values():
            if rate_ind.unit != "%" or not (rate_ind.growth_of == ind.id or
                                            (rate_ind.name.startswith(ind.name) and "增" in rate_ind.name)):  # fmt: skip
                continue
            fig = self.facts.edition.figure(rate_ind.id, period, member)
            if fig is not None:
                return rate_ind, fig
        return None

    def _same_value_anywhere(self, fig: TypedFigure) -> str | None:
        """The one figure of this edition's year with the typed value and unit, if exactly one has them."""
        typed = printed(fig.number)
        hits = []
        for data in self.facts.edition.figures.values():
            ind = self.facts.catalog.indicators.get(data.indicator)
            factor = self.facts.catalog.factor(ind.unit, SCALES.get(fig.unit, fig.unit)) if ind else None
            if data.period == self.facts.edition.year and factor is not None and \
                    typed.overlaps(Interval.exact(data.value * factor)):  # fmt: skip
                hits.append(f"{_where(ind, data.period, data.breakdown)}{data.value:f}{ind.unit}")
        return hits[0] if len(hits) == 1 else None


def _where(ind: Indicator, period: int, member: str | None) -> str:
    return f"{period}年{ind.name}" + (f"({member})" if member else "")


def _call(function: str, indicator: str, period: int, year: int, breakdown: str | None) -> str:
    """The call a page should write instead, as GUIDE.md §三 writes it: value("revenue", breakdown="东区")."""
    args = [f'"{indicator}"']
    if period != year:
        args.append(f"period={period}")
    if breakdown:
        args.append(f'breakdown="{breakdown}"')
    return "{{ " + f"{function}({', '.join(args)})" + " }}"


def lint_figures(source: str, label: str, facts: Facts | None, line_offset: int = 0) -> list[Problem]:
    """Every figure typed outside {{ … }}, judged against the data; figures inside literal() listed as unchecked."""
    blanked = JINJA_SPAN.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    matcher = FigureMatcher(facts) if facts is not None else None
    units = frozenset(facts.catalog.units) if facts is not None else frozenset(UNITS)
    problems = []
    for lineno, line in enumerate(blanked.splitlines(), start=1):
        for fig in find_figures(line, units):
            row = lineno + line_offset
            if matcher is None:
                problems.append(Problem(label, row, None, "prose-hand-typed-figure", fig.text))
                continue
            try:
                problems.append(matcher.judge(fig, label, row))
            except MissingFigure:
                problems.append(Problem(label, row, None, "prose-hand-typed-figure", fig.text))
    for lineno, fig in literal_figures(source):
        problems.append(Problem(label, lineno + line_offset, None, "prose-literal-figure", fig.text))
    return problems
