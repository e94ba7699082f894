"""Numbers the way a Chinese government report writes them.

All arithmetic is on ``Decimal``; rounding is half-up on the decimal value (``round()`` rounds half to even on the
binary value, so 2.675 becomes 2.67). Growth rates and differences are computed from unrounded values and rounded only
when written.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HUNDRED = Decimal(100)
NUMBER_TEXT = r"-?\d+(\.\d+)?"  # how a plain number is written in the CSV files

def to_decimal(text: str) -> Decimal:
    """Parse a plain decimal number (no units, no separators). Raises ValueError for anything else."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: Decimal, decimals: int) -> str:
    """``Decimal('421.5'), 2`` → ``421.50``. No thousands separator: reports write 10620万元."""
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0.0"
    return f"{rounded:f}"


def format_value(value: Decimal, unit: str, decimals: int) -> str:
    return f"{format_number(value, decimals)}{unit}"


def growth_rate(current: Decimal, previous: Decimal) -> Decimal | None:
    """Growth in percent; None when there is no base (zero) to grow from."""
    if previous == 0:
        return None
    return (current - previous) / abs(previous) * HUNDRED


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``; None for a zero whole."""
    if whole == 0:
        return None
    return part / whole * HUNDRED


def format_percent(rate: Decimal, decimals: int = 1) -> str:
    return f"{format_number(rate, decimals)}%"


def format_growth(rate: Decimal | None, decimals: int = 1, prefix: str = "同比") -> str:
    """``同比增长12.3%`` / ``同比下降5.3%`` / ``与上年持平`` — never ``增长-5.3%``."""
    if rate is None:
        return "无上年可比数据"
    rounded = round_half_up(rate, decimals)
    if rounded == 0:
        return "与上年持平"
    verb = "增长" if rounded > 0 else "下降"
    return f"{prefix}{verb}{format_number(abs(rounded), decimals)}%"


def format_points(difference: Decimal, decimals: int = 1, against: str = "园区平均") -> str:
    """A difference between two rates, in 百分点: ``高于园区平均4.6个百分点``."""
    rounded = round_half_up(difference, decimals)
    if rounded == 0:
        return f"与{against}持平"
    word = "高于" if rounded > 0 else "低于"
    return f"{word}{against}{format_number(abs(rounded), decimals)}个百分点"


def format_point_change(difference: Decimal, decimals: int = 1) -> str:
    """A change of a rate, in 百分点 (a rate going from 17.5% to 18.4% rose 0.9 points, not 5.1%)."""
    rounded = round_half_up(difference, decimals)
    if rounded == 0:
        return "持平"
    return f"{'提高' if rounded > 0 else '降低'}{format_number(abs(rounded), decimals)}个百分点"


def format_change(difference: Decimal, unit: str, decimals: int) -> str:
    """An absolute change: ``增加12家`` / ``减少3起`` / ``持平``."""
    rounded = round_half_up(difference, decimals)
    if rounded == 0:
        return "持平"
    word = "增加" if rounded > 0 else "减少"
    return f"{word}{format_number(abs(rounded), decimals)}{unit}"
