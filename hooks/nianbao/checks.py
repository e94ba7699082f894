"""Domain checks: what the figures mean, beyond the shape of the files.

Each check is a generator of problems over one edition, named for what it looks for. They run after every file has
loaded, so a report lists all problems of all editions at once. Sums and relations judge printed figures by the
intervals their typed digits allow (``precision.py``): a whole count is exact, 276.84 is 276.835–276.845, and only a
difference those digits cannot explain is an error.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal

from .catalog import Dimension, Indicator
from .model import Discrepancy, Edition, Figure, Report
from .numbers import format_number
from .precision import (
    Interval,
    growth_from_increase,
    growth_percent,
    printed,
    ratio_from_increase,
    ratio_percent,
    through,
    total,
)
from .problems import Problem
from .yamlfiles import with_rows

# A value ~10,000 times (or 1/10,000 of) the year before is a 万元/亿元 slip, not growth.
SLIP_LOW, SLIP_HIGH = Decimal(2000), Decimal(50000)


class EditionView:
    """One edition as the checks read it: figures by indicator, and each figure's interval in any unit."""

    def __init__(self, report: Report, edition: Edition):
        self.report, self.edition, self.catalog = report, edition, report.catalog
        self.by_indicator: dict[str, list[Figure]] = defaultdict(list)
        for fig in edition.figures.values():
            self.by_indicator[fig.indicator].append(fig)
        # The indicator that states each indicator's increase (change_of), for growth without a printed base.
        self.increase_of = {i.change_of: i for i in self.catalog.indicators.values() if i.change_of}

    def get(self, indicator: str, period: int, breakdown: str | None = None) -> Figure | None:
        return self.edition.figures.get((indicator, period, breakdown))

    def interval(self, fig: Figure, in_unit: str | None = None) -> Interval:
        ind = self.catalog.indicators[fig.indicator]
        found = printed(fig.value, exact=ind.is_count and _counts_things(ind, self.catalog.units))
        if in_unit is None or in_unit == ind.unit:
            return found
        return found.scaled(self.catalog.factor(ind.unit, in_unit))


def _counts_things(ind: Indicator, units) -> bool:
    u = units.get(ind.unit)
    return u is not None and u.counts_things


def check_report(report: Report, complete: bool = True) -> list:
    """Every domain problem of every edition.

    ``complete=False`` means rows were dropped for shape errors (a value that is not a number …): then only the checks
    that look at one row at a time run, so the office sees those problems in the same round, while sums and derived
    rates, which a dropped row would falsify, wait for the shape errors to be fixed.
    """
    checks = ROW_CHECKS + (TABLE_CHECKS if complete else ())
    problems = []
    for edition in report.editions.values():
        view = EditionView(report, edition)
        found = [problem for check in checks for problem in check(view)]
        problems.extend(acknowledge(report, edition, found, complete))
    return problems


def acknowledge(report: Report, edition: Edition, found: list[Problem], complete: bool) -> list[Problem]:
    """Turn the problems an edition acknowledges (edition.yml ``discrepancies``) into notices, and note them for the
    pages; an acknowledgement that matches nothing is stale. A new, unacknowledged problem stays an error."""
    kept, stale = [], []
    matched: set[Discrepancy] = set()
    by_key = {(d.subject, d.code): d for d in edition.discrepancies}
    for problem in found:
        d = by_key.get((problem.subject, problem.code))
        if d is None:
            kept.append(problem)
            continue
        matched.add(d)
        edition.discrepancy_notes[d.subject] = problem.detail
        kept.append(dataclasses.replace(problem, code="acknowledged-discrepancy", severity="",
                                        detail=f"{problem.detail}(原因:{d.reason})"))  # fmt: skip
    if complete:  # with rows dropped, the relation may not have been checked at all
        label = f"{edition.folder}/edition.yml"
        for d in edition.discrepancies:
            if d not in matched:
                where = f"{d.period}年{d.indicator}" + (f"({d.breakdown})" if d.breakdown else "")
                stale.append(Problem(label, None, f"discrepancies/{d.index}", "acknowledged-unused", f"{where} {d.code}"))
        kept += with_rows(report.root / label, stale)
    return kept


def _figures_file(edition: Edition) -> str:
    return f"{edition.folder}/figures.csv"


def _num(value: Decimal) -> str:
    """A printed value or a sum of printed values, with the digits they carry."""
    return f"{value:f}" if value != 0 else "0"


def _where(fig: Figure) -> str:
    return f"{fig.period}年" + (f"{fig.breakdown}" if fig.breakdown else "")


def check_known_indicators(view: EditionView) -> Iterator:
    for fig in view.edition.figures.values():
        if fig.indicator not in view.catalog.indicators:
            yield _at(view.edition, fig, "indicator", "unknown-indicator", fig.indicator)


def check_breakdowns(view: EditionView) -> Iterator:
    for fig in view.edition.figures.values():
        ind = view.catalog.indicators.get(fig.indicator)
        if ind and fig.breakdown is not None and view.catalog.dimension_of(ind, fig.breakdown) is None:
            yield _at(view.edition, fig, "breakdown", "unknown-breakdown", fig.breakdown)


def check_periods(view: EditionView) -> Iterator:
    for fig in view.edition.figures.values():
        if fig.period not in view.edition.periods:
            yield _at(view.edition, fig, "period", "period-outside-edition", str(fig.period))


def check_negative_counts(view: EditionView) -> Iterator:
    for fig in view.edition.figures.values():
        ind = view.catalog.indicators.get(fig.indicator)
        if ind and ind.is_count and not (ind.change_of or ind.gap_of) and fig.value < 0:  # 减少3起 is a change
            yield _at(view.edition, fig, "value", "negative-count", f"{ind.name} {fig.value}")


# --- sums: breakdowns and parts ------------------------------------------------------------------------------------


def check_dimension_totals(view: EditionView) -> Iterator:
    """Breakdown rows of each dimension against the total of the same indicator and period, and nested groups against
    their parent member. Listed parts never exceed their total; a complete dimension's parts equal it."""
    members_of: dict[tuple[str, int], dict[str, Figure]] = defaultdict(dict)
    for fig in view.edition.figures.values():
        if fig.breakdown is not None:
            members_of[(fig.indicator, fig.period)][fig.breakdown] = fig
    for (ind_id, period), members in sorted(members_of.items()):
        ind = view.catalog.indicators.get(ind_id)
        if ind is None or not ind.is_additive:  # rates and indices are never added across a breakdown
            continue
        whole = view.get(ind_id, period)
        for dim_id in ind.breakdowns:
            dim = view.catalog.dimensions.get(dim_id)
            if dim is None or not any(m in members for m in dim.members):
                continue
            if whole is not None and dim.overlapping:
                yield from _overlapping_members(view, ind, dim, whole, members)
            elif whole is not None:
                found = _compare_parts(view, ind, whole, dim.top_members, members, dim.complete, f"按{dim.name}")
                if found:
                    yield found
            for group in dim.groups:
                parent = members.get(group.parent)
                if parent is not None:
                    found = _compare_parts(view, ind, parent, group.members, members, group.complete, "")
                    if found:
                        yield found


def _overlapping_members(view, ind: Indicator, dim: Dimension, whole: Figure, members: dict) -> Iterator:
    ceiling = view.interval(whole)
    for name in dim.members:
        fig = members.get(name)
        if fig is not None and view.interval(fig).lo > ceiling.hi:
            yield _at(view.edition, fig, "value", "parts-exceed-total",
                      f"{fig.period}年{ind.name}中{name}{_num(fig.value)}{ind.unit},"
                      f"大于总计{_num(whole.value)}{ind.unit}")  # fmt: skip


def _compare_parts(view, ind: Indicator, whole: Figure, names: tuple[str, ...], figures: dict,
                   complete: bool, by: str) -> Problem | None:  # fmt: skip
    """One sum rule: the figures of ``names`` (those present) against ``whole``, located on the whole's row."""
    listed = [figures[n] for n in names if n in figures]
    if not listed:
        return None
    missing = [n for n in names if n not in figures]
    parts, ceiling = total(view.interval(f) for f in listed), view.interval(whole)
    shown = sum((f.value for f in listed), Decimal(0))
    difference = shown - whole.value
    owner = f"{whole.period}年{ind.name}" + (f"中{whole.breakdown}" if whole.breakdown else "")
    detail = (f"{owner}{by}的分项合计{_num(shown)}{ind.unit},与总计{_num(whole.value)}{ind.unit}"
              f"相差{_num(abs(difference))}{ind.unit}")  # fmt: skip
    if complete and missing:
        detail += f"(分项不全,未列出:{'、'.join(missing)})"
    if complete and not missing and not parts.overlaps(ceiling):
        return _at(view.edition, whole, "value", "parts-not-total", detail)
    if parts.lo > ceiling.hi:
        return _at(view.edition, whole, "value", "parts-exceed-total", detail)
    if complete and missing and parts.hi < ceiling.lo:
        return _at(view.edition, whole, "value", "parts-incomplete", detail)
    return None


def check_indicator_parts(view: EditionView) -> Iterator:
    """An indicator declared as the sum of other indicators (``parts``), or as containing them (``includes``)."""
    for ind in view.catalog.indicators.values():
        for names, complete in ((ind.parts, True), (ind.includes, False)):
            if not names or not ind.is_additive:
                continue
            for whole in view.by_indicator.get(ind.id, ()):
                listed = [view.get(p, whole.period, whole.breakdown) for p in names]
                present = [(name, f) for name, f in zip(names, listed, strict=True) if f is not None]
                if not present:
                    continue
                parts = total(view.interval(f, ind.unit) for _, f in present)
                ceiling = view.interval(whole)
                text = "+".join(f"{view.catalog.indicators[n].name}{_num(f.value)}{view.catalog.indicators[n].unit}"
                                for n, f in present)  # fmt: skip
                shown = sum((f.value * view.catalog.factor(view.catalog.indicators[n].unit, ind.unit) for n, f in present),
                            Decimal(0))  # fmt: skip
                detail = f"{_where(whole)}{text},合计{_num(shown)}{ind.unit},而{ind.name}为{_num(whole.value)}{ind.unit}"
                if complete and len(present) == len(names) and not parts.overlaps(ceiling):
                    yield _at(view.edition, whole, "value", "parts-not-total", detail)
                elif parts.lo > ceiling.hi:
                    yield _at(view.edition, whole, "value", "parts-exceed-total", detail)


def check_bounds(view: EditionView) -> Iterator:
    """``at_most``: a figure that is a subset of another (工业投资 within 固定资产投资) is never larger than it."""
    for ind in view.catalog.indicators.values():
        for bound_id in ind.at_most:
            bound_ind = view.catalog.indicators[bound_id]
            for fig in view.by_indicator.get(ind.id, ()):
                bound = view.get(bound_id, fig.period, fig.breakdown)
                if bound is not None and view.interval(fig, bound_ind.unit).lo > view.interval(bound).hi:
                    yield _at(view.edition, fig, "value", "exceeds-bound",
                              f"{_where(fig)}{ind.name}{_num(fig.value)}{ind.unit}大于"
                              f"{bound_ind.name}{_num(bound.value)}{bound_ind.unit}")  # fmt: skip


# --- derived figures: rates, shares, ratios, increases, gaps --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Computed:
    """What a relation computes from the other printed figures: the value from the figures as printed, the interval
    their digits allow, and the words that say from what."""

    value: Decimal
    interval: Interval
    basis: str


def _computed(function: Callable, figures_and_intervals: list[tuple[Decimal, Interval]], basis: str,
              base: Interval | None = None) -> Computed | None:  # fmt: skip
    """``function`` over printed values; None when the base could be zero (no rate can be computed)."""
    if base is not None and base.contains_zero():
        return None
    interval = through(function, *(i for _, i in figures_and_intervals))
    if interval is None:
        return None
    try:
        value = function(*(v for v, _ in figures_and_intervals))
    except ArithmeticError:
        return None
    return Computed(value, interval, basis)


def growth_of(view: EditionView, base_id: str, period: int, breakdown: str | None,
              ratio: bool = False) -> Computed | None:  # fmt: skip
    """The growth (or, with ``ratio``, the ratio to the previous period) of ``base_id``, in %: from this and the
    previous period's values, or, without a printed base, from the value and its printed increase."""
    base = view.catalog.indicators[base_id]
    cur = view.get(base_id, period, breakdown)
    if cur is None:
        return None
    cur_i = view.interval(cur)
    prev = view.get(base_id, period - 1, breakdown)
    if prev is not None:
        prev_i = view.interval(prev)
        return _computed(ratio_percent if ratio else growth_percent, [(cur.value, cur_i), (prev.value, prev_i)],
                         f"{base.name}由{_num(prev.value)}{base.unit}变为{_num(cur.value)}{base.unit}", prev_i)  # fmt: skip
    increase_ind = view.increase_of.get(base_id)
    increase = view.get(increase_ind.id, period, breakdown) if increase_ind else None
    if increase is None:
        return None
    factor = view.catalog.factor(increase_ind.unit, base.unit)
    inc_i = view.interval(increase, base.unit)
    inc_v = increase.value * factor
    return _computed(ratio_from_increase if ratio else growth_from_increase, [(cur.value, cur_i), (inc_v, inc_i)],
                     f"{base.name}{_num(cur.value)}{base.unit}、比上年增加{_num(increase.value)}{increase_ind.unit}"
                     f"(上年即{_num(cur.value - inc_v)}{base.unit})", cur_i - inc_i)  # fmt: skip


def rate_of(view: EditionView, rate_id: str, period: int, breakdown: str | None) -> Computed | None:
    """A rate as the report states it, else computed from the amounts it is the growth of."""
    rate_ind = view.catalog.indicators[rate_id]
    fig = view.get(rate_id, period, breakdown)
    if fig is not None:
        return Computed(fig.value, view.interval(fig), f"{rate_ind.name}{_num(fig.value)}{rate_ind.unit}")
    if rate_ind.growth_of:
        computed = growth_of(view, rate_ind.growth_of, period, breakdown)
        if computed is not None:
            return dataclasses.replace(computed, basis=f"{computed.basis},增速{format_number(computed.value, 2)}%")
    return None


def _derive(view: EditionView, ind: Indicator, fig: Figure) -> Computed | None:
    catalog = view.catalog
    if ind.growth_of:
        return growth_of(view, ind.growth_of, fig.period, fig.breakdown)
    if ind.ratio_to_previous:
        return growth_of(view, ind.ratio_to_previous, fig.period, fig.breakdown, ratio=True)
    if ind.share_of:
        num_ind, den_ind = (catalog.indicators[i] for i in ind.share_of)
        num = view.get(num_ind.id, fig.period, fig.breakdown)
        den = view.get(den_ind.id, fig.period, fig.breakdown)
        if num is None or den is None:
            return None
        den_i = view.interval(den)
        num_v = num.value * catalog.factor(num_ind.unit, den_ind.unit)
        return _computed(ratio_percent, [(num_v, view.interval(num, den_ind.unit)), (den.value, den_i)],
                         f"{num_ind.name}{_num(num.value)}{num_ind.unit}占{den_ind.name}{_num(den.value)}{den_ind.unit}",
                         den_i)  # fmt: skip
    if ind.change_of:
        base = catalog.indicators[ind.change_of]
        cur, prev = view.get(base.id, fig.period, fig.breakdown), view.get(base.id, fig.period - 1, fig.breakdown)
        if cur is None or prev is None:
            return None
        factor = catalog.factor(base.unit, ind.unit)
        return Computed((cur.value - prev.value) * factor, (view.interval(cur) - view.interval(prev)).scaled(factor),
                        f"{base.name}由{_num(prev.value)}{base.unit}变为{_num(cur.value)}{base.unit}")  # fmt: skip
    if ind.gap_of:
        if len(ind.gap_of) == 1:
            if fig.breakdown is None:
                return None
            part = rate_of(view, ind.gap_of[0], fig.period, fig.breakdown)
            whole = rate_of(view, ind.gap_of[0], fig.period, None)
            label = (fig.breakdown, "总体")
        else:
            part = rate_of(view, ind.gap_of[0], fig.period, fig.breakdown)
            whole = rate_of(view, ind.gap_of[1], fig.period, fig.breakdown)
            label = tuple(catalog.indicators[i].name for i in ind.gap_of)
        if part is None or whole is None:
            return None
        return Computed(part.value - whole.value, part.interval - whole.interval,
                        f"{label[0]}:{part.basis};{label[1]}:{whole.basis}")
    return None


def check_derived_figures(view: EditionView) -> Iterator:
    """A figure derived from others (a growth rate, share, ratio to last year, increase, gap in 个百分点) must be what
    its inputs give, within what the printed digits of all of them allow."""
    for ind in view.catalog.indicators.values():
        if not ind.is_derived:
            continue
        for fig in view.by_indicator.get(ind.id, ()):
            computed = _derive(view, ind, fig)
            if computed is None or computed.interval.overlaps(view.interval(fig)):
                continue
            digits = max(-fig.value.as_tuple().exponent, 0)
            unit_text = "个百分点" if ind.gap_of else ind.unit
            low, high = (format_number(x, digits + 2) for x in (computed.interval.lo, computed.interval.hi))
            allowed = f"(计入四舍五入,应在{low}~{high}之间)" if low != high else ""  # exact counts: nothing to allow
            yield _at(view.edition, fig, "value", "derived-mismatch",
                      f"{_where(fig)}{ind.name}填报{_num(fig.value)}{unit_text},按{computed.basis}算得"
                      f"{format_number(computed.value, digits)}{unit_text}{allowed}")  # fmt: skip


def check_unit_slips(view: EditionView) -> Iterator:
    edition = view.edition
    for fig in edition.figures.values():
        ind = view.catalog.indicators.get(fig.indicator)
        if ind is None or not ind.is_additive or ind.is_derived:  # a rate near zero may well grow 3000-fold
            continue
        prev = edition.figure(fig.indicator, fig.period - 1, fig.breakdown)
        if prev is None or prev.value == 0 or fig.value == 0:
            continue
        ratio = abs(fig.value / prev.value)
        if SLIP_LOW <= ratio <= SLIP_HIGH or SLIP_LOW <= 1 / ratio <= SLIP_HIGH:
            yield _at(edition, fig, "value", "unit-slip", f"{fig.period - 1}年 {prev.value},{fig.period}年 {fig.value}")


def check_targets(view: EditionView) -> Iterator:
    report, edition = view.report, view.edition
    label = f"{edition.folder}/targets.csv"

    for t in edition.targets:
        if t.indicator not in report.catalog.indicators:
            yield Problem(label, t.row, "indicator", "unknown-indicator", t.indicator)
        if t.period <= edition.year:
            yield Problem(label, t.row, "period", "period-outside-edition", f"{t.period}(目标应是{edition.year}年以后的)")


def check_projects(view: EditionView) -> Iterator:
    report, edition = view.report, view.edition
    label = f"{edition.folder}/projects.csv"
    dims = report.catalog.dimensions
    for p in edition.projects:
        for column, dim_id in (("industry", "industry"), ("zone", "zone")):
            value = getattr(p, column)
            if dim_id in dims and value not in dims[dim_id].members:
                yield Problem(label, p.row, column, "unknown-member", f"{value}({dims[dim_id].name})")
        if p.investment < 0:
            yield Problem(label, p.row, "investment", "negative-count", f"投资额 {p.investment}")


def _at(edition: Edition, fig: Figure, column: str, code: str, detail: str):
    return Problem(_figures_file(edition), fig.row, column, code, detail,
                   subject=(fig.indicator, fig.period, fig.breakdown))


# Checks that judge a row on its own (or, for unit slips, a pair of rows that are both present): safe on a partial
# table. Checks that add up or derive across rows: only on complete tables.
ROW_CHECKS = (check_known_indicators, check_breakdowns, check_periods, check_negative_counts, check_unit_slips,
              check_targets, check_projects)  # fmt: skip
TABLE_CHECKS = (check_dimension_totals, check_indicator_parts, check_bounds, check_derived_figures)
