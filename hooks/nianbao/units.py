"""Units of measure: which a figure may carry, what quantity each measures and its factor to that quantity's base.

Declared once here. Checks convert through these factors before comparing two figures (a share of 万元 in 亿元, a
bound between 平方米 and 万平方米), the prose lint knows every unit a report may type, and a whole number of a plain
counting word (个, 家 …) is exact: it has nothing to round.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

TEN_THOUSAND, HUNDRED_MILLION = Decimal(10**4), Decimal(10**8)


@dataclass(frozen=True)
class Unit:
    name: str
    quantity: str  # money, area, count … : two units convert only within one quantity
    factor: Decimal  # how many of the quantity's base unit one of this unit is

    @property
    def counts_things(self) -> bool:
        """A plain counting word (个, 家, 人 …): a whole number of it is exact."""
        return self.quantity == "count" and self.factor == 1


def _family(quantity: str, *pairs) -> dict[str, Unit]:
    return {name: Unit(name, quantity, Decimal(factor)) for name, factor in pairs}


COUNTING_WORDS = (
    "个", "家", "人", "人次", "名", "条", "起", "盏", "项", "次", "件", "户", "宗", "台", "辆", "套", "座", "所", "场",
    "批", "篇", "份", "处", "栋", "间", "株", "棵", "只", "头", "本", "部", "架", "艘", "根", "块", "张", "位", "支",
)  # fmt: skip

UNITS: dict[str, Unit] = {
    **_family("money", ("元", 1), ("万元", TEN_THOUSAND), ("亿元", HUNDRED_MILLION)),
    **_family("usd", ("美元", 1), ("万美元", TEN_THOUSAND), ("亿美元", HUNDRED_MILLION)),
    **_family("hkd", ("港元", 1), ("万港元", TEN_THOUSAND), ("亿港元", HUNDRED_MILLION)),
    **_family("area", ("平方米", 1), ("万平方米", TEN_THOUSAND), ("平方公里", 10**6), ("平方千米", 10**6),
              ("公顷", TEN_THOUSAND), ("亩", TEN_THOUSAND / 15), ("万亩", TEN_THOUSAND**2 / 15)),  # fmt: skip
    **_family("length", ("米", 1), ("公里", 1000), ("千米", 1000)),
    **_family("count", *((word, 1) for word in COUNTING_WORDS),
              ("万人", TEN_THOUSAND), ("万户", TEN_THOUSAND), ("万人次", TEN_THOUSAND), ("万件", TEN_THOUSAND)),  # fmt: skip
    **_family("mass", ("吨", 1), ("万吨", TEN_THOUSAND)),
    **_family("energy", ("千瓦时", 1), ("万千瓦时", TEN_THOUSAND), ("亿千瓦时", HUNDRED_MILLION)),
    **_family("power", ("千瓦", 1), ("兆瓦", 1000), ("万千瓦", TEN_THOUSAND)),
    **_family("volume", ("立方米", 1), ("万立方米", TEN_THOUSAND)),
    **_family("rate", ("%", 1)),
    **_family("intensity", ("吨标准煤/万元", 1)),
}

# Words a report writes after a figure that are not units of a single quantity: a multiple, a difference of rates.
MEASURE_WORDS = ("个百分点", "百分点", "倍", "％")


def factor_between(from_unit: str, to_unit: str, table: Mapping[str, Unit] = UNITS) -> Decimal | None:
    """The number that turns a value in ``from_unit`` into ``to_unit``; None when they measure different things."""
    a, b = table.get(from_unit), table.get(to_unit)
    if a is None or b is None or a.quantity != b.quantity:
        return None
    return a.factor / b.factor


def with_declared(declared: Mapping[str, Mapping]) -> tuple[dict[str, Unit], list[tuple[str, str]]]:
    """The built-in units and a catalog's own (``units:`` in catalog.yml), and the names that cannot be declared.

    ``{of: 千瓦时, times: 1000}`` is a multiple of a known unit; ``{quantity: 标准箱}`` starts a quantity of its own,
    whose base it is. A name that is a built-in cannot be redeclared: 亿元 means one thing in every park.
    """
    table, refused = dict(UNITS), []
    for name, spec in declared.items():
        if name in UNITS:
            refused.append((name, "与内置单位同名"))
        elif "of" in spec:
            base = table.get(spec["of"])
            if base is None:
                refused.append((name, f"换算依据的单位“{spec['of']}”不存在"))
                continue
            table[name] = Unit(name, base.quantity, base.factor * Decimal(str(spec["times"])))
        else:
            table[name] = Unit(name, str(spec["quantity"]), Decimal(1))
    return table, refused


def nearest_units(name: str, table: Mapping[str, Unit] = UNITS) -> list[str]:
    """The allowed units an unknown one was most likely meant to be (平方千米米 → 平方千米, 亿 → 亿元)."""
    close = difflib.get_close_matches(name, list(table), n=3, cutoff=0.5)
    starts = [u for u in table if u.startswith(name) or name.startswith(u)]
    return list(dict.fromkeys(close + sorted(starts, key=len)))[:3]


def allowed_units_text(table: Mapping[str, Unit] = UNITS) -> str:
    """The allowed units, grouped by quantity, for the message that refuses an unknown one and for GUIDE.md."""
    groups: dict[str, list[str]] = {}
    for u in table.values():
        groups.setdefault(u.quantity, []).append(u.name)
    return ";".join("、".join(names) for names in groups.values())
