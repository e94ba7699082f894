"""The loaded report: park, catalog and editions, with the look-ups every page needs.

An edition states figures for its own year and the prior years it compares against. Two editions may state
different values for the same period (a revision); both are kept. Long series use the latest edition's value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .catalog import Catalog, Indicator

Key = tuple[str, int, str | None]  # indicator, period, breakdown (None = total)


@dataclass(frozen=True)
class Figure:
    indicator: str
    period: int
    breakdown: str | None
    value: Decimal
    status: str
    note: str
    edition: int
    row: int

    @property
    def estimated(self) -> bool:
        return self.status == "预计"


@dataclass(frozen=True)
class Target:
    indicator: str
    period: int
    measure: str  # 总量 | 增速
    value: Decimal
    qualifier: str
    note: str
    edition: int
    row: int

    @property
    def is_growth(self) -> bool:
        return self.measure == "增速"


@dataclass(frozen=True)
class SignedProject:
    name: str
    company: str
    industry: str
    zone: str
    investment: Decimal  # 万元
    status: str
    note: str
    row: int


@dataclass(frozen=True)
class Discrepancy:
    """A published figure that fails a check as printed, kept faithful to the report with the reason (edition.yml)."""

    indicator: str
    period: int
    breakdown: str | None
    code: str
    reason: str
    index: int  # position in edition.yml's list, to locate it

    @property
    def subject(self) -> Key:
        return (self.indicator, self.period, self.breakdown)


@dataclass
class Edition:
    year: int
    title: str
    published: str | None
    periods: tuple[int, ...]
    figures: dict[Key, Figure] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    projects: list[SignedProject] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    # A draft before the year is over (a December draft: 1—11月): every figure of the edition covers months 1 to
    # ``months`` of its period, the comparison year's the same months. None: whole years.
    months: int | None = None
    # What the checks found for each acknowledged discrepancy, shown beside the figure (filled by check_report).
    discrepancy_notes: dict[Key, str] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return f"data/editions/{self.year}"

    @property
    def partial(self) -> bool:
        return self.months is not None

    def period_label(self, period: int) -> str:
        """``2024年`` or, for a partial edition, ``2024年1—11月``."""
        return f"{period}年1—{self.months}月" if self.partial else f"{period}年"

    def figure(self, indicator: str, period: int | None = None, breakdown: str | None = None) -> Figure | None:
        return self.figures.get((indicator, self.year if period is None else period, breakdown))

    def target(self, indicator: str, period: int | None = None, measure: str | None = None) -> Target | None:
        period = self.year + 1 if period is None else period
        for t in self.targets:
            if t.indicator == indicator and t.period == period and (measure is None or t.measure == measure):
                return t
        return None


@dataclass(frozen=True)
class Revision:
    indicator: str
    period: int
    breakdown: str | None
    earlier_edition: int
    earlier_value: Decimal
    later_edition: int
    later_value: Decimal
    note: str


@dataclass
class Report:
    root: Path
    park: dict
    catalog: Catalog
    editions: dict[int, Edition]

    @property
    def years(self) -> list[int]:
        return sorted(self.editions)

    @property
    def latest_edition(self) -> Edition:
        return self.editions[max(self.editions)]

    def indicator(self, indicator_id: str) -> Indicator:
        return self.catalog.indicators[indicator_id]

    def previous_edition(self, year: int) -> Edition | None:
        earlier = [y for y in self.editions if y < year]
        return self.editions[max(earlier)] if earlier else None

    def _by_preference(self) -> list[int]:
        """Editions in the order their values win: oldest first, and whole-year editions after partial ones, so that a
        whole year's value is never replaced by the months a draft covers."""
        return sorted(self.editions, key=lambda y: (not self.editions[y].partial, y))

    def latest(self, indicator: str, period: int, breakdown: str | None = None) -> Figure | None:
        """The value of the newest whole-year edition that states this period (a partial one if none does)."""
        for year in reversed(self._by_preference()):
            fig = self.editions[year].figures.get((indicator, period, breakdown))
            if fig is not None:
                return fig
        return None

    def series(self, indicator: str, breakdown: str | None = None, until: int | None = None) -> list[Figure]:
        """Latest known value of each period, oldest first; ``until`` limits to editions up to that year. A partial
        edition's values (1—11月) stand only for periods no whole-year edition states."""
        best: dict[int, Figure] = {}
        for year in self._by_preference():
            if until is not None and year > until:
                continue
            for (ind, period, brk), fig in self.editions[year].figures.items():
                if ind == indicator and brk == breakdown:
                    best[period] = fig
        return [best[p] for p in sorted(best)]

    def period_label(self, fig: Figure) -> str:
        return self.editions[fig.edition].period_label(fig.period)

    def revisions(self, indicator: str | None = None) -> list[Revision]:
        """Every period whose value differs between two consecutive whole-year editions that state it (a partial
        edition's months are not a revision of a whole year)."""
        found = []
        stated: dict[Key, Figure] = {}
        for year in sorted(y for y in self.editions if not self.editions[y].partial):
            for key, fig in sorted(self.editions[year].figures.items(), key=lambda kv: str(kv[0])):
                if indicator is not None and key[0] != indicator:
                    continue
                before = stated.get(key)
                if before is not None and before.value != fig.value:
                    found.append(
                        Revision(key[0], key[1], key[2], before.edition, before.value, fig.edition, fig.value, fig.note)
                    )
                stated[key] = fig
        return found
