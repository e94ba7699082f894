"""Pure-function tests for nianbao.numbers and nianbao.facts.target_text.

Every expected value below is worked out by hand from the rule (half-up on the decimal value, Chinese report
phrasing), not copied from the code's output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from nianbao.catalog import Indicator
from nianbao.facts import target_text
from nianbao.model import Target
from nianbao.numbers import (
    format_change,
    format_growth,
    format_number,
    format_percent,
    format_points,
    format_value,
    growth_rate,
    round_half_up,
    share,
    to_decimal,
)

D = Decimal


# --- round_half_up ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        # The classic float traps: as binary floats these are just below the half and round() goes down.
        ("2.675", 2, "2.68"),
        ("0.125", 2, "0.13"),  # round() would give 0.12 (half to even)
        ("1.005", 2, "1.01"),
        ("0.05", 1, "0.1"),
        ("0.15", 1, "0.2"),
        ("0.25", 1, "0.3"),  # half to even would give 0.2
        ("2.5", 0, "3"),  # half to even would give 2
        ("3.5", 0, "4"),
        ("2.674999", 2, "2.67"),  # just below the half goes down
        ("2.6751", 2, "2.68"),
        # Negative values round half away from zero (mirror image of the positive case).
        ("-2.675", 2, "-2.68"),
        ("-0.125", 2, "-0.13"),
        ("-2.5", 0, "-3"),
        ("-2.674", 2, "-2.67"),
        # Padding to the stated precision.
        ("421.5", 2, "421.50"),
        ("7", 1, "7.0"),
        ("12.34", 0, "12"),
    ],
)
def test_round_half_up(value, decimals, expected):
    result = round_half_up(D(value), decimals)
    assert result == D(expected)
    assert str(result) == expected  # the exponent too: 421.50, not 421.5


# --- format_number / format_value / format_percent ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("421.5", 2, "421.50"),
        ("2.675", 2, "2.68"),
        ("1.005", 2, "1.01"),
        ("-2.675", 2, "-2.68"),
        ("10620", 0, "10620"),  # no thousands separator
        ("1234567.891", 2, "1234567.89"),
        ("100000", 0, "100000"),  # never scientific notation
        ("1E+5", 0, "100000"),
        ("0.00001", 2, "0.00"),
        ("0", 1, "0.0"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(D(value), decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("-0.04", 1, "0.0"),  # rounds to zero from below
        ("-0.0001", 2, "0.00"),
        ("-0.4", 0, "0"),
        ("-0", 2, "0.00"),  # a negative zero typed in the data
        ("-0.05", 1, "-0.1"),  # half-up: this one is not zero
    ],
)
def test_format_number_never_negative_zero(value, decimals, expected):
    assert format_number(D(value), decimals) == expected


def test_format_value_appends_unit_after_rounding():
    assert format_value(D("421.5"), "亿元", 2) == "421.50亿元"
    assert format_value(D("56"), "家", 0) == "56家"
    assert format_value(D("0.125"), "亿元", 2) == "0.13亿元"
    assert format_value(D("-0.001"), "万元", 0) == "0万元"


@pytest.mark.parametrize(
    ("rate", "decimals", "expected"),
    [
        ("23.45", 1, "23.5%"),
        ("23.449", 1, "23.4%"),
        ("-5.25", 1, "-5.3%"),
        ("-0.04", 1, "0.0%"),
        ("46.153846", 1, "46.2%"),  # 6 / 13
        ("10", 2, "10.00%"),
    ],
)
def test_format_percent(rate, decimals, expected):
    assert format_percent(D(rate), decimals) == expected


def test_format_percent_defaults_to_one_decimal():
    assert format_percent(D("12.345")) == "12.3%"


# --- growth_rate and share ----------------------------------------------------------------------------------------


def test_growth_rate_plain():
    assert growth_rate(D("110"), D("100")) == D(10)
    assert growth_rate(D("90"), D("100")) == D(-10)
    # 243.10 on 221.00 is exactly +10%.
    assert growth_rate(D("243.10"), D("221.00")) == D(10)


def test_growth_rate_is_unrounded():
    # 3 → 4 is +33.333…%, kept at full precision until written.
    rate = growth_rate(D("4"), D("3"))
    assert D("33.3333") < rate < D("33.3334")
    assert format_growth(rate) == "同比增长33.3%"


def test_growth_rate_zero_base_is_none():
    assert growth_rate(D("5"), D("0")) is None
    assert growth_rate(D("0"), D("0")) is None
    assert growth_rate(D("-5"), D("0.00")) is None


def test_growth_rate_negative_base_uses_absolute_base():
    # A loss of 100 shrinking to a loss of 50 is an improvement: +50%, not -50%.
    assert growth_rate(D("-50"), D("-100")) == D(50)
    # From a loss of 100 to a profit of 50: (50 - (-100)) / 100 = +150%.
    assert growth_rate(D("50"), D("-100")) == D(150)
    # A loss deepening from 100 to 150 is -50%.
    assert growth_rate(D("-150"), D("-100")) == D(-50)


def test_growth_rate_to_zero_is_minus_hundred():
    assert growth_rate(D("0"), D("12")) == D(-100)


def test_share():
    assert share(D("1"), D("4")) == D(25)
    assert share(D("63.00"), D("221.00")) == D("63.00") / D("221.00") * 100
    assert format_percent(share(D("6"), D("13"))) == "46.2%"
    assert share(D("0"), D("10")) == D(0)


def test_share_zero_whole_is_none():
    assert share(D("1"), D("0")) is None
    assert share(D("0"), D("0")) is None
    assert share(D("1"), D("0.00")) is None


# --- format_growth ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("12.34", "同比增长12.3%"),
        ("12.35", "同比增长12.4%"),  # half-up
        ("-5.25", "同比下降5.3%"),  # never 增长-5.3%, and the magnitude rounds half away from zero
        ("-5.3", "同比下降5.3%"),
        ("10", "同比增长10.0%"),
        ("0", "与上年持平"),
        ("0.04", "与上年持平"),  # rounds to 0.0
        ("-0.04", "与上年持平"),  # rounds to -0.0: still 持平, never 下降0.0%
        ("0.05", "同比增长0.1%"),  # rounds up, so not 持平
        ("-0.05", "同比下降0.1%"),
        ("150", "同比增长150.0%"),
    ],
)
def test_format_growth(rate, expected):
    assert format_growth(D(rate)) == expected


def test_format_growth_without_base():
    assert format_growth(None) == "无上年可比数据"
    assert format_growth(None, decimals=2, prefix="") == "无上年可比数据"


def test_format_growth_decimals_and_prefix():
    assert format_growth(D("2.675"), decimals=2) == "同比增长2.68%"
    assert format_growth(D("-0.004"), decimals=2) == "与上年持平"
    assert format_growth(D("8"), prefix="") == "增长8.0%"
    assert format_growth(D("-8"), prefix="较上年") == "较上年下降8.0%"
    assert format_growth(D("12.6"), decimals=0) == "同比增长13%"


def test_format_growth_from_computed_rate():
    # 26 → 12 incidents: (12 - 26) / 26 = -53.846…%
    assert format_growth(growth_rate(D("12"), D("26"))) == "同比下降53.8%"
    # 11.00 → 10.45: -5%
    assert format_growth(growth_rate(D("10.45"), D("11.00"))) == "同比下降5.0%"


# --- format_points ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("difference", "expected"),
    [
        ("4.55", "高于园区平均4.6个百分点"),
        ("4.549", "高于园区平均4.5个百分点"),
        ("-1.25", "低于园区平均1.3个百分点"),
        ("-15", "低于园区平均15.0个百分点"),
        ("0", "与园区平均持平"),
        ("0.04", "与园区平均持平"),
        ("-0.049", "与园区平均持平"),
        ("-0.05", "低于园区平均0.1个百分点"),
    ],
)
def test_format_points(difference, expected):
    assert format_points(D(difference)) == expected


def test_format_points_against_and_decimals():
    assert format_points(D("2.345"), decimals=2, against="全市平均") == "高于全市平均2.35个百分点"
    assert format_points(D("-0.001"), decimals=2, against="上年") == "与上年持平"
    assert format_points(D("0.6"), decimals=0) == "高于园区平均1个百分点"


# --- format_change ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("difference", "unit", "decimals", "expected"),
    [
        ("12", "家", 0, "增加12家"),
        ("-3", "起", 0, "减少3起"),
        ("0", "家", 0, "持平"),
        ("0.4", "家", 0, "持平"),
        ("-0.4", "家", 0, "持平"),
        ("0.5", "家", 0, "增加1家"),
        ("-0.5", "家", 0, "减少1家"),
        ("-2.675", "亿元", 2, "减少2.68亿元"),
        ("22.1", "亿元", 2, "增加22.10亿元"),
        ("500", "万元", 0, "增加500万元"),
    ],
)
def test_format_change(difference, unit, decimals, expected):
    assert format_change(D(difference), unit, decimals) == expected


# --- to_decimal ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", D("12.5")),
        (" 12.5 ", D("12.5")),  # surrounding whitespace from a CSV cell
        ("\t421.50\n", D("421.50")),
        ("-3", D("-3")),
        ("0", D("0")),
        ("0.125", D("0.125")),
    ],
)
def test_to_decimal_accepts_plain_numbers(text, expected):
    value = to_decimal(text)
    assert value == expected
    assert isinstance(value, Decimal)


def test_to_decimal_keeps_the_stated_precision():
    assert str(to_decimal("421.50")) == "421.50"


def test_to_decimal_accepts_exponent_notation_as_a_finite_number():
    # The function rejects only what Decimal cannot parse and non-finite values; 1e5 is a finite Decimal.
    # (The CSV reader is stricter: its NUMBER pattern rejects "1e5" as invalid-number.)
    assert to_decimal("1e5") == D(100000)


@pytest.mark.parametrize(
    "text",
    ["nan", "NaN", "sNaN", "inf", "-inf", "Infinity", "abc", "", "   ", "12.5亿元", "1,000", "12%", "1 000"],
)
def test_to_decimal_rejects(text):
    with pytest.raises(ValueError):
        to_decimal(text)


def test_to_decimal_rejects_non_text():
    with pytest.raises(ValueError):
        to_decimal(None)  # type: ignore[arg-type]


# --- target_text --------------------------------------------------------------------------------------------------


def _indicator(unit: str = "亿元") -> Indicator:
    return Indicator(
        id="revenue", name="营业收入", unit=unit, decimals=2, kind="amount",
        definition="营业收入", source="县统计局", good="up",
    )  # fmt: skip


def _target(measure: str, value: str, qualifier: str) -> Target:
    return Target("revenue", 2025, measure, D(value), qualifier, "", 2024, 2)


@pytest.mark.parametrize(
    ("measure", "value", "qualifier", "unit", "expected"),
    [
        # 以上 and 左右 follow the figure; 力争 and 确保 precede it.
        ("总量", "480", "以上", "亿元", "480亿元以上"),
        ("总量", "480", "左右", "亿元", "480亿元左右"),
        ("总量", "480", "力争", "亿元", "力争480亿元"),
        ("总量", "12", "确保", "亿元", "确保12亿元"),
        ("增速", "8", "以上", "亿元", "增长8%以上"),
        ("增速", "8", "左右", "亿元", "增长8%左右"),
        ("增速", "8", "力争", "亿元", "力争增长8%"),
        ("增速", "10", "确保", "亿元", "确保增长10%"),
        # The plan's own precision is kept: 480.00 stays 480.00, 8.0 stays 8.0.
        ("总量", "480.00", "以上", "亿元", "480.00亿元以上"),
        ("增速", "8.0", "力争", "亿元", "力争增长8.0%"),
        ("增速", "7.5", "左右", "亿元", "增长7.5%左右"),
        # The unit is the indicator's; a growth target is always in %.
        ("总量", "65", "力争", "家", "力争65家"),
        ("增速", "5", "以上", "家", "增长5%以上"),
        ("总量", "10620", "以上", "万元", "10620万元以上"),
    ],
)
def test_target_text(measure, value, qualifier, unit, expected):
    assert target_text(_target(measure, value, qualifier), _indicator(unit)) == expected


def test_format_point_change_of_a_rate():
    from nianbao.numbers import format_point_change

    assert format_point_change(Decimal("18.4") - Decimal("17.5")) == "提高0.9个百分点"
    assert format_point_change(Decimal("41.9") - Decimal("42.2")) == "降低0.3个百分点"
    assert format_point_change(Decimal("0.04")) == "持平"
    assert format_point_change(Decimal("0.05")) == "提高0.1个百分点"  # half-up, not banker's rounding
