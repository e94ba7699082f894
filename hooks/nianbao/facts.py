"""Facts about one edition: figures, growth, shares, targets and their judgement.

Values come from the edition itself (its figures for the prior year are its comparison base, 按可比口径), so a growth
rate always matches the two values the same edition publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .catalog import Indicator
from .model import Edition, Figure, Report, Target
from .numbers import format_number, format_percent, format_points, format_value, growth_rate, round_half_up
from .pagesyntax import suggest

# Punctuation inside Chinese text is full-width; check messages are written for terminals with ASCII punctuation.
FULL_WIDTH = str.maketrans({",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "(": "\uff08", ")": "\uff09"})
# How far below an "about" (左右) target an actual may fall and still count as met.
ABOUT_TOLERANCE_LEVEL = Decimal("0.01")  # 1% of a level target
ABOUT_TOLERANCE_POINTS = Decimal("0.5")  # 0.5 percentage points of a growth target


class MissingFigure(LookupError):
    """A page asked for a figure the data does not have. The message is Chinese: it reaches office staff."""


@dataclass(frozen=True)
class TargetResult:
    target: Target
    indicator: Indicator
    target_text: str
    actual: Decimal | None  # the level, or the growth rate for growth targets
    actual_text: str
    completion_text: str  # 103.2% for levels, +1.2个百分点 for growth
    met: bool | None  # None: no actual yet

    @property
    def status_text(self) -> str:
        return {True: "完成", False: "未完成", None: "待评估"}[self.met]


def target_text(target: Target, ind: Indicator) -> str:
    """``480亿元以上``, ``力争增长8%``: the target as the plan writes it, in its stated precision."""
    number = f"{target.value:f}"
    core = f"增长{number}%" if target.is_growth else f"{number}{ind.unit}"
    if target.qualifier in ("以上", "左右"):
        return core + target.qualifier
    return target.qualifier + core


class Facts:
    def __init__(self, report: Report, edition: Edition):
        self.report = report
        self.edition = edition
        self.catalog = report.catalog

    def indicator(self, indicator_id: str) -> Indicator:
        try:
            return self.catalog.indicators[indicator_id]
        except KeyError:
            by_name = {ind.name: ind.id for ind in self.catalog.indicators.values()}
            hint = suggest(str(indicator_id), self.catalog.indicators) or (
                f"(是否应为 {by_name[indicator_id]}?)" if indicator_id in by_name else suggest(str(indicator_id), by_name))
            raise MissingFigure(f"未知指标“{indicator_id}”{hint}") from None

    def figure(self, indicator_id: str, period: int | None = None, breakdown: str | None = None) -> Figure:
        ind = self.indicator(indicator_id)
        fig = self.edition.figure(indicator_id, period, breakdown)
        if fig is None:
            dims = self.catalog.dimensions
            members = [m for d in ind.breakdowns if d in dims for m in dims[d].members]
            if breakdown is not None and breakdown not in members:
                near = [m for m in members if str(breakdown) in m] or None
                hint = f"(是否应为 {' / '.join(near)}?)" if near else suggest(str(breakdown), members)
                raise MissingFigure(f"“{breakdown}”不是{ind.name}的分组{hint}")
            where = f"{period or self.edition.year}年{ind.name}" + (f"({breakdown})" if breakdown else "")
            stated = sorted({p for (i, p, b) in self.edition.figures if i == indicator_id and b == breakdown})
            years = f"(本期年报有{'、'.join(map(str, stated))}年的数)" if stated else ""
            raise MissingFigure(f"{self.edition.year}年报数据中没有{where}{years}")
        return fig

    def discrepancy_note(self, indicator_id: str, period: int | None = None, breakdown: str | None = None) -> str | None:
        """What an acknowledged discrepancy of this figure says, for the page: the figure stays as printed, and the
        reader sees that its parts or inputs do not agree with it (edition.yml ``discrepancies``)."""
        key = (indicator_id, self.edition.year if period is None else period, breakdown)
        note = self.edition.discrepancy_notes.get(key)
        return f"原报告数据:{note}".translate(FULL_WIDTH) if note else None

    def value_text(self, indicator_id: str, period: int | None = None, breakdown: str | None = None) -> str:
        ind = self.indicator(indicator_id)
        return format_value(self.figure(indicator_id, period, breakdown).value, ind.unit, ind.decimals)

    def number_text(self, indicator_id: str, period: int | None = None, breakdown: str | None = None) -> str:
        ind = self.indicator(indicator_id)
        return format_number(self.figure(indicator_id, period, breakdown).value, ind.decimals)

    def growth(self, indicator_id: str, period: int | None = None, breakdown: str | None = None) -> Decimal | None:
        """From this and last period's values; without last period's value (a first report, a yearbook), the growth
        rate the edition states for the indicator (an indicator ``growth_of`` it)."""
        period = self.edition.year if period is None else period
        current = self.figure(indicator_id, period, breakdown)
        if self.edition.figure(indicator_id, period - 1, breakdown) is None:
            stated = self.stated_growth(indicator_id, period, breakdown)
            if stated is not None:
                return stated
        previous = self.figure(indicator_id, period - 1, breakdown)
        return growth_rate(current.value, previous.value)

    def stated_growth(self, indicator_id: str, period: int, breakdown: str | None = None) -> Decimal | None:
        for rate_ind in self.catalog.indicators.values():
            if rate_ind.growth_of == indicator_id:
                fig = self.edition.figure(rate_ind.id, period, breakdown)
                if fig is not None:
                    return fig.value
        return None

    def points_change(self, indicator_id: str, period: int | None = None, breakdown: str | None = None) -> Decimal:
        """This year's rate minus last year's, for indicators that are themselves rates (unit %)."""
        period = self.edition.year if period is None else period
        return self.figure(indicator_id, period, breakdown).value - self.figure(indicator_id, period - 1, breakdown).value

    def growth_or_none(self, indicator_id: str, period: int | None = None, breakdown: str | None = None):
        try:
            return self.growth(indicator_id, period, breakdown)
        except MissingFigure:
            return None

    def gap_points(self, indicator_id: str, breakdown: str, period: int | None = None) -> Decimal:
        """Growth of a breakdown member minus growth of the total, from unrounded rates."""
        part = self.growth(indicator_id, period, breakdown)
        whole = self.growth(indicator_id, period)
        if part is None or whole is None:
            raise MissingFigure(f"{self.indicator(indicator_id).name}缺少上年数据或上年为零,无法比较增速")
        return part - whole

    def gap_text(self, indicator_id: str, breakdown: str, period: int | None = None) -> str:
        return format_points(self.gap_points(indicator_id, breakdown, period))

    # --- targets ----------------------------------------------------------------------------------------------
    def targets_set(self) -> list[Target]:
        """The targets this edition's plan sets (for next year)."""
        return list(self.edition.targets)

    def targets_due(self) -> list[Target]:
        """The previous edition's targets for this edition's year."""
        previous = self.report.previous_edition(self.edition.year)
        if previous is None:
            return []
        return [t for t in previous.targets if t.period == self.edition.year]

    def judge(self, target: Target) -> TargetResult:
        """Judge a target against the edition of its period, if it exists yet."""
        ind = self.indicator(target.indicator)
        actual_edition = self.report.editions.get(target.period)
        facts = Facts(self.report, actual_edition) if actual_edition else None
        actual = None
        if facts is not None:
            if target.is_growth:
                actual = facts.growth_or_none(target.indicator, target.period)
            else:
                fig = actual_edition.figure(target.indicator, target.period)
                actual = fig.value if fig else None
        text = target_text(target, ind)
        if actual is None:
            return TargetResult(target, ind, text, None, "—", "—", None)
        if target.is_growth:
            actual_text = format_percent(actual)
            difference = actual - target.value
            completion = ("持平" if round_half_up(difference, 1) == 0  # an exactly met growth target is no "+0.0"
                          else f"{'+' if difference > 0 else '-'}{format_number(abs(difference), 1)}个百分点")
            tolerance = ABOUT_TOLERANCE_POINTS
            shortfall = target.value - actual
        else:
            actual_text = format_value(actual, ind.unit, ind.decimals)
            completion = format_percent(actual / target.value * 100) if target.value else "—"
            tolerance = abs(target.value) * ABOUT_TOLERANCE_LEVEL
            shortfall = target.value - actual
        if ind.good == "down":
            shortfall = -shortfall
        met = shortfall <= (tolerance if target.qualifier == "左右" else 0)
        return TargetResult(target, ind, text, actual, actual_text, completion, met)

    def completion_text(self, indicator_id: str) -> str:
        due = [t for t in self.targets_due() if t.indicator == indicator_id]
        if not due:
            raise MissingFigure(f"{self.edition.year - 1}年报没有为{self.indicator(indicator_id).name}设定{self.edition.year}年目标")
        result = self.judge(due[0])
        if result.met is None:
            raise MissingFigure(f"无法评估{result.indicator.name}的目标完成情况")
        if due[0].is_growth:
            diff = result.actual - due[0].value
            if round_half_up(diff, 1) == 0:
                return "与年初增速目标持平"
            return f"{'高于' if diff > 0 else '低于'}年初增速目标{format_number(abs(diff), 1)}个百分点"
        return f"完成年初目标的{result.completion_text}"
