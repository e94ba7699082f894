"""The indicator catalog: what each figure means, its unit, rounding, relations and good direction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem
from .units import UNITS, Unit, factor_between, nearest_units, with_declared
from .yamlfiles import load_yaml, with_rows


@dataclass(frozen=True)
class Group:
    """A member of a dimension that has parts of its own (a nested 其中: industries inside 主导产业)."""

    parent: str
    members: tuple[str, ...]
    complete: bool


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    members: tuple[str, ...]
    complete: bool
    overlapping: bool = False  # members may count one item twice: each is at most the total, no sum holds
    groups: tuple[Group, ...] = ()
    whole: str = ""  # what the total is called in tables (全园 → 占全园比重); empty: 占比

    @property
    def top_members(self) -> tuple[str, ...]:
        """The members that are parts of the total itself, not of another member."""
        nested = {m for g in self.groups for m in g.members}
        return tuple(m for m in self.members if m not in nested)


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    decimals: int
    kind: str
    definition: str
    source: str
    good: str
    breakdowns: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # this indicator is the sum of these
    includes: tuple[str, ...] = ()  # 其中: these add up to at most this indicator
    at_most: tuple[str, ...] = ()  # this indicator is a subset of each of these
    growth_of: str | None = None
    share_of: tuple[str, str] | None = None
    ratio_to_previous: str | None = None
    change_of: str | None = None
    gap_of: tuple[str, ...] | None = None  # one rate: member − total; two rates: first − second
    headline: bool = False
    chart_kind: str = "line"

    @property
    def is_count(self) -> bool:
        return self.kind == "count"

    @property
    def is_additive(self) -> bool:
        """Amounts, counts, areas and lengths add up across a breakdown; rates and indices never do."""
        return self.kind in ("amount", "count", "area", "length") and self.unit != "%"

    @property
    def is_derived(self) -> bool:
        return bool(self.growth_of or self.share_of or self.ratio_to_previous or self.change_of or self.gap_of)

    @property
    def derived_from(self) -> tuple[str, ...]:
        """The indicators a derived figure is computed from."""
        found = [self.growth_of, self.ratio_to_previous, self.change_of, *(self.share_of or ()), *(self.gap_of or ())]
        return tuple(i for i in found if i)


@dataclass
class Catalog:
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=lambda: dict(UNITS))  # built-in and declared (units:)

    def factor(self, from_unit: str, to_unit: str):
        """What turns a value in ``from_unit`` into ``to_unit``, or None when they measure different things."""
        return factor_between(from_unit, to_unit, self.units)

    def dimension_of(self, indicator: Indicator, member: str) -> Dimension | None:
        """The dimension of ``indicator`` that has ``member``, or None if the breakdown is not allowed."""
        for dim_id in indicator.breakdowns:
            dim = self.dimensions.get(dim_id)
            if dim and member in dim.members:
                return dim
        return None

    @property
    def headlines(self) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.headline]


CATALOG_FILE = "data/catalog.yml"


def load_catalog(path: Path) -> tuple[Catalog | None, list[Problem]]:
    raw, problems = load_yaml(path, "catalog", CATALOG_FILE)
    if raw is None:
        return None, problems
    catalog = Catalog()
    catalog.units, refused = with_declared(raw.get("units") or {})
    for name, why in refused:
        problems.append(Problem(CATALOG_FILE, None, f"units/{name}", "unit-invalid", f"{name}:{why}"))
    for dim_id, d in raw["dimensions"].items():
        catalog.dimensions[dim_id] = Dimension(dim_id, d["name"], tuple(d["members"]), d.get("complete", False),
                                               d.get("overlapping", False), _groups(d.get("within") or {}),
                                               d.get("whole", ""))  # fmt: skip
    for ind_id, d in raw["indicators"].items():
        derives = d.get("derives") or {}
        share_of = derives.get("share_of")
        gap_of = derives.get("gap_of")
        catalog.indicators[ind_id] = Indicator(
            id=ind_id,
            name=d["name"],
            unit=d["unit"],
            decimals=d["decimals"],
            kind=d["kind"],
            definition=d["definition"],
            source=d["source"],
            good=d["good"],
            breakdowns=tuple(d.get("breakdowns", ())),
            parts=tuple(d.get("parts", ())),
            includes=tuple(d.get("includes", ())),
            at_most=tuple(d.get("at_most", ())),
            growth_of=derives.get("growth_of"),
            share_of=tuple(share_of) if share_of else None,
            ratio_to_previous=derives.get("ratio_to_previous"),
            change_of=derives.get("change_of"),
            gap_of=((gap_of,) if isinstance(gap_of, str) else tuple(gap_of)) if gap_of else None,
            headline=d.get("headline", False),
            chart_kind=(d.get("chart") or {}).get("kind", "line"),
        )
    problems += with_rows(path, list(_check_catalog(catalog)))
    return catalog, problems


def _groups(within: dict) -> tuple[Group, ...]:
    """``within: {主导产业: [a, b]}`` (a partial 其中) or ``{主导产业: {members: [a, b], complete: true}}``."""
    groups = []
    for parent, spec in within.items():
        if isinstance(spec, dict):
            groups.append(Group(parent, tuple(spec.get("members", ())), spec.get("complete", False)))
        else:
            groups.append(Group(parent, tuple(spec), False))
    return tuple(groups)


def _check_catalog(catalog: Catalog):
    where = f"{CATALOG_FILE}"
    for dim in catalog.dimensions.values():
        for group in dim.groups:
            for member in (group.parent, *group.members):
                if member not in dim.members:
                    yield Problem(where, None, f"dimensions/{dim.id}/within", "unknown-member",
                                  f"{member}({dim.name})")  # fmt: skip
    for ind in catalog.indicators.values():
        if ind.unit not in catalog.units:
            nearest = nearest_units(ind.unit, catalog.units)
            hint = f",是否应为 {' / '.join(nearest)}?" if nearest else ""
            yield Problem(where, None, f"indicators/{ind.id}/unit", "unknown-unit", f"{ind.id}({ind.unit}){hint}")
        for dim_id in ind.breakdowns:
            if dim_id not in catalog.dimensions:
                yield Problem(where, None, f"indicators/{ind.id}/breakdowns", "unknown-relation", dim_id)
        for key, refs in (("parts", ind.parts), ("includes", ind.includes), ("at_most", ind.at_most),
                          ("derives", ind.derived_from)):  # fmt: skip
            for ref in refs:
                if ref not in catalog.indicators:
                    yield Problem(where, None, f"indicators/{ind.id}/{key}", "unknown-relation", ref)
                elif key != "derives" and catalog.factor(catalog.indicators[ref].unit, ind.unit) is None:
                    other = catalog.indicators[ref]
                    yield Problem(where, None, f"indicators/{ind.id}/{key}", "relation-unit-mismatch",
                                  f"{ind.name}({ind.unit})与{other.name}({other.unit})")  # fmt: skip
        if (ind.parts or ind.includes) and not ind.is_additive:
            yield Problem(where, None, f"indicators/{ind.id}/{'parts' if ind.parts else 'includes'}",
                          "relation-not-additive", f"{ind.name}({ind.unit})")  # fmt: skip
        if ind.change_of in catalog.indicators and catalog.factor(catalog.indicators[ind.change_of].unit, ind.unit) is None:
            other = catalog.indicators[ind.change_of]
            yield Problem(where, None, f"indicators/{ind.id}/derives", "relation-unit-mismatch",
                          f"{ind.name}({ind.unit})与{other.name}({other.unit})")  # fmt: skip
        for ref in dict.fromkeys(ind.gap_of or ()):
            rate = catalog.indicators.get(ref)
            if rate is not None and rate.unit != "%":  # a gap in 个百分点 is between two rates
                yield Problem(where, None, f"indicators/{ind.id}/derives", "relation-unit-mismatch",
                              f"{rate.name}({rate.unit})不是增速或比率")  # fmt: skip
        if ind.share_of and all(r in catalog.indicators for r in ind.share_of):
            num, den = (catalog.indicators[r] for r in ind.share_of)
            if catalog.factor(num.unit, den.unit) is None:
                yield Problem(where, None, f"indicators/{ind.id}/derives", "relation-unit-mismatch",
                              f"{num.name}({num.unit})与{den.name}({den.unit})")  # fmt: skip
    cycle = _find_parts_cycle(catalog)
    if cycle:
        yield Problem(where, None, f"indicators/{cycle[0]}/parts", "relation-cycle", " → ".join(cycle))


def _find_parts_cycle(catalog: Catalog) -> list[str] | None:
    """Depth-first search over `parts`; returns the first cycle found as a path of ids."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        ind = catalog.indicators.get(node)
        for nxt in (ind.parts + ind.includes) if ind else ():
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = 2
        return None

    for start in sorted(catalog.indicators):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None
