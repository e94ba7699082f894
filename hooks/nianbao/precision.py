"""What a printed figure can stand for: the interval of true values its typed digits allow.

A report prints rounded figures. 276.84 may be anything in [276.835, 276.845]; 43 projects is exactly 43. A check
compares the interval a claim states with the interval its relation computes from the other printed figures, and
finds an error only when the two cannot overlap: the tolerance is what the digits actually typed can explain, never a
fixed allowance (DESIGN.md, "How the checks decide").
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

HALF = Decimal("0.5")


@dataclass(frozen=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value)

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scaled(self, factor: Decimal) -> Interval:
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    def overlaps(self, other: Interval) -> bool:
        """Bounds included: a true value exactly on a rounding boundary is explained by either printed figure."""
        return self.lo <= other.hi and other.lo <= self.hi

    def contains_zero(self) -> bool:
        return self.lo <= 0 <= self.hi


def half_step(value: Decimal) -> Decimal:
    """Half a unit of the last digit typed: ``276.84`` → 0.005, ``43`` → 0.5, ``1.50`` → 0.005."""
    exponent = value.as_tuple().exponent
    return HALF * Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def printed(value: Decimal, exact: bool = False) -> Interval:
    """The true values a printed ``value`` stands for; ``exact`` for whole counts, which have nothing to round."""
    if exact and value == value.to_integral_value():
        return Interval.exact(value)
    step = half_step(value)
    return Interval(value - step, value + step)


def total(intervals) -> Interval:
    found = Interval.exact(Decimal(0))
    for interval in intervals:
        found = found + interval
    return found


def through(function: Callable[..., Decimal], *intervals: Interval) -> Interval | None:
    """The range of ``function`` over the box of ``intervals``, or None where it is undefined (a zero base).

    Every relation the checks use (a sum, a difference, a ratio, a growth rate, an increase over its base) is
    monotone in each argument while the others are held, so its extremes lie on the corners of the box.
    """
    values = []
    for corner in itertools.product(*((i.lo, i.hi) for i in intervals)):
        try:
            values.append(function(*corner))
        except (ZeroDivisionError, DivisionByZero, InvalidOperation):
            return None
    return Interval(min(values), max(values))


def growth_percent(current: Decimal, previous: Decimal) -> Decimal:
    return (current - previous) / abs(previous) * 100


def growth_from_increase(current: Decimal, increase: Decimal) -> Decimal:
    """Growth when the report prints the value and its increase but not the base: base = value − increase."""
    return increase / abs(current - increase) * 100


def ratio_percent(part: Decimal, whole: Decimal) -> Decimal:
    return part / whole * 100


def ratio_from_increase(current: Decimal, increase: Decimal) -> Decimal:
    return current / (current - increase) * 100
