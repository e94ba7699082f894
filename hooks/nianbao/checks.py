"""Domain checks: what the figures mean, beyond the shape of the files.

Each check is a generator of problems over the whole report, named for what it looks for. They run after every file
has loaded, so a report lists all problems of all editions at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from .model import Edition, Figure, Report
from .numbers import format_number, growth_rate, share
from .problems import Problem

HALF = Decimal("0.5")
# A value ~10,000 times (or 1/10,000 of) the year before is a 万元/亿元 slip, not growth.
SLIP_LOW, SLIP_HIGH = Decimal(2000), Decimal(50000)


def check_report(report: Report, complete: bool = True) -> list:
    """Every domain problem of every edition.

    ``complete=False`` means rows were dropped for shape errors (a value that is not a number …): then only the checks
    that look at one row at a time run, so the office sees those problems in the same round, while sums and derived
    rates, which a dropped row would falsify, wait for the shape errors to be fixed.
    """
    checks = ROW_CHECKS + (TABLE_CHECKS if complete else ())
    problems = []
    for edition in report.editions.values():
        for check in checks:
            problems.extend(check(report, edition))
    return problems


def _half_unit(decimals: int) -> Decimal:
    return HALF * Decimal(1).scaleb(-decimals)


def _figures_file(edition: Edition) -> str:
    return f"{edition.folder}/figures.csv"


def check_known_indicators(report: Report, edition: Edition) -> Iterator:
    for fig in edition.figures.values():
        if fig.indicator not in report.catalog.indicators:
            yield _at(edition, fig, "indicator", "unknown-indicator", fig.indicator)


def check_breakdowns(report: Report, edition: Edition) -> Iterator:
    for fig in edition.figures.values():
        ind = report.catalog.indicators.get(fig.indicator)
        if ind and fig.breakdown is not None and report.catalog.dimension_of(ind, fig.breakdown) is None:
            yield _at(edition, fig, "breakdown", "unknown-breakdown", fig.breakdown)


def check_periods(report: Report, edition: Edition) -> Iterator:
    for fig in edition.figures.values():
        if fig.period not in edition.periods:
            yield _at(edition, fig, "period", "period-outside-edition", str(fig.period))


def check_negative_counts(report: Report, edition: Edition) -> Iterator:
    for fig in edition.figures.values():
        ind = report.catalog.indicators.get(fig.indicator)
        if ind and ind.is_count and fig.value < 0:
            yield _at(edition, fig, "value", "negative-count", f"{ind.name} {fig.value}")


def check_dimension_totals(report: Report, edition: Edition) -> Iterator:
    """Breakdown rows of one dimension against the total row of the same indicator and period."""
    groups: dict[tuple[str, int, str], list[Figure]] = defaultdict(list)
    for fig in edition.figures.values():
        ind = report.catalog.indicators.get(fig.indicator)
        dim = report.catalog.dimension_of(ind, fig.breakdown) if ind and fig.breakdown else None
        if dim:
            groups[(fig.indicator, fig.period, dim.id)].append(fig)
    for (ind_id, period, dim_id), parts in sorted(groups.items()):
        total = edition.figure(ind_id, period)
        if total is None:
            continue
        ind = report.catalog.indicators[ind_id]
        dim = report.catalog.dimensions[dim_id]
        parts_sum = sum((p.value for p in parts), Decimal(0))
        tolerance = _half_unit(ind.decimals) * (len(parts) + 1)
        detail = (f"{period}年{ind.name}按{dim.name}的分项合计 {format_number(parts_sum, ind.decimals)}{ind.unit},"
                  f"总计 {format_number(total.value, ind.decimals)}{ind.unit}")  # fmt: skip
        if dim.complete and len(parts) == len(dim.members) and abs(parts_sum - total.value) > tolerance:
            yield _at(edition, total, "value", "parts-not-total", detail)
        elif parts_sum - total.value > tolerance:
            yield _at(edition, total, "value", "parts-exceed-total", detail + ",分项之和大于总计")


def check_indicator_parts(report: Report, edition: Edition) -> Iterator:
    """An indicator declared as the sum of other indicators (catalog ``parts``)."""
    for ind in report.catalog.indicators.values():
        if not ind.parts:
            continue
        for period in edition.periods:
            total = edition.figure(ind.id, period)
            parts = [edition.figure(p, period) for p in ind.parts]
            if total is None or any(p is None for p in parts):
                continue
            parts_sum = sum((p.value for p in parts), Decimal(0))
            if abs(parts_sum - total.value) > _half_unit(ind.decimals) * (len(parts) + 1):
                names = "+".join(report.catalog.indicators[p].name for p in ind.parts)
                yield _at(edition, total, "value", "parts-not-total",
                          f"{period}年{names} = {format_number(parts_sum, ind.decimals)}{ind.unit},"
                          f"而{ind.name}填报 {format_number(total.value, ind.decimals)}{ind.unit}")  # fmt: skip


def check_derived_figures(report: Report, edition: Edition) -> Iterator:
    """A growth rate or share given as data must match the values it derives from (within rounding)."""
    catalog = report.catalog
    for fig in edition.figures.values():
        ind = catalog.indicators.get(fig.indicator)
        if ind is None or not (ind.growth_of or ind.share_of):
            continue
        if ind.growth_of:
            base = catalog.indicators[ind.growth_of]
            cur = edition.figure(base.id, fig.period, fig.breakdown)
            prev = edition.figure(base.id, fig.period - 1, fig.breakdown)
            if cur is None or prev is None or prev.value == 0:
                continue
            expected = growth_rate(cur.value, prev.value)
            h = _half_unit(base.decimals)
            tolerance = _half_unit(ind.decimals) + 100 * h * (1 / abs(prev.value) + abs(cur.value) / prev.value**2)
            what = f"{base.name}由{prev.value}增至{cur.value}"
        else:
            num_ind, den_ind = (catalog.indicators[i] for i in ind.share_of)
            num = edition.figure(num_ind.id, fig.period, fig.breakdown)
            den = edition.figure(den_ind.id, fig.period, fig.breakdown)
            if num is None or den is None or den.value == 0:
                continue
            expected = share(num.value, den.value)
            h = max(_half_unit(num_ind.decimals), _half_unit(den_ind.decimals))
            tolerance = _half_unit(ind.decimals) + 100 * h * (1 / abs(den.value) + abs(num.value) / den.value**2)
            what = f"{num_ind.name}{num.value}占{den_ind.name}{den.value}"
        if abs(expected - fig.value) > tolerance:
            yield _at(edition, fig, "value", "derived-mismatch",
                      f"{fig.period}年{ind.name}填报{fig.value}{ind.unit},按{what}算得"
                      f"{format_number(expected, ind.decimals)}{ind.unit}")  # fmt: skip


def check_unit_slips(report: Report, edition: Edition) -> Iterator:
    for fig in edition.figures.values():
        prev = edition.figure(fig.indicator, fig.period - 1, fig.breakdown)
        if prev is None or prev.value == 0 or fig.value == 0:
            continue
        ratio = abs(fig.value / prev.value)
        if SLIP_LOW <= ratio <= SLIP_HIGH or SLIP_LOW <= 1 / ratio <= SLIP_HIGH:
            yield _at(edition, fig, "value", "unit-slip", f"{fig.period - 1}年 {prev.value},{fig.period}年 {fig.value}")


def check_targets(report: Report, edition: Edition) -> Iterator:
    label = f"{edition.folder}/targets.csv"

    for t in edition.targets:
        if t.indicator not in report.catalog.indicators:
            yield Problem(label, t.row, "indicator", "unknown-indicator", t.indicator)
        if t.period <= edition.year:
            yield Problem(label, t.row, "period", "period-outside-edition", f"{t.period}(目标应是{edition.year}年以后的)")


def check_projects(report: Report, edition: Edition) -> Iterator:

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

    return Problem(_figures_file(edition), fig.row, column, code, detail)


# Checks that judge a row on its own (or, for unit slips, a pair of rows that are both present): safe on a partial
# table. Checks that add up or derive across rows: only on complete tables.
ROW_CHECKS = (check_known_indicators, check_breakdowns, check_periods, check_negative_counts, check_unit_slips,
              check_targets, check_projects)  # fmt: skip
TABLE_CHECKS = (check_dimension_totals, check_indicator_parts, check_derived_figures)
