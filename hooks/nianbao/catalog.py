"""The indicator catalog: what each figure means, its unit, rounding, relations and good direction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .numbers import UNITS
from .problems import Problem
from .yamlfiles import load_yaml, with_rows


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    members: tuple[str, ...]
    complete: bool


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
    parts: tuple[str, ...] = ()
    growth_of: str | None = None
    share_of: tuple[str, str] | None = None
    headline: bool = False
    chart_kind: str = "line"

    @property
    def is_count(self) -> bool:
        return self.kind == "count"


@dataclass
class Catalog:
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)

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
    for dim_id, d in raw["dimensions"].items():
        catalog.dimensions[dim_id] = Dimension(dim_id, d["name"], tuple(d["members"]), d.get("complete", False))
    for ind_id, d in raw["indicators"].items():
        derives = d.get("derives") or {}
        share_of = derives.get("share_of")
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
            growth_of=derives.get("growth_of"),
            share_of=tuple(share_of) if share_of else None,
            headline=d.get("headline", False),
            chart_kind=(d.get("chart") or {}).get("kind", "line"),
        )
    problems += with_rows(path, list(_check_catalog(catalog)))
    return catalog, problems


def _check_catalog(catalog: Catalog):
    where = f"{CATALOG_FILE}"
    for ind in catalog.indicators.values():
        if ind.unit not in UNITS:
            yield Problem(where, None, f"indicators/{ind.id}/unit", "unknown-unit", f"{ind.id}({ind.unit})")
        for dim_id in ind.breakdowns:
            if dim_id not in catalog.dimensions:
                yield Problem(where, None, f"indicators/{ind.id}/breakdowns", "unknown-relation", dim_id)
        referenced = list(ind.parts)
        if ind.growth_of:
            referenced.append(ind.growth_of)
        if ind.share_of:
            referenced.extend(ind.share_of)
        for ref in referenced:
            if ref not in catalog.indicators:
                yield Problem(where, None, f"indicators/{ind.id}", "unknown-relation", ref)
    cycle = _find_parts_cycle(catalog)
    if cycle:
        yield Problem(where, None, f"indicators/{cycle[0]}/parts", "relation-cycle", " → ".join(cycle))


def _find_parts_cycle(catalog: Catalog) -> list[str] | None:
    """Depth-first search over `parts`; returns the first cycle found as a path of ids."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        ind = catalog.indicators.get(node)
        for nxt in ind.parts if ind else ():
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
