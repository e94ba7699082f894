"""Properties, checked by hypothesis over generated input, of reading CSV, parsing numbers and formatting them.

- Any bytes and any text give a table or located problems with registered codes — never another exception.
- Any cell gives a Decimal or the project's CellError — never another exception; what it accepts always formats.
- A valid table written in any encoding, line end or width form Excel and WPS produce reads back to the same numbers.
- Formatting round-trips: the written number parses back to the rounded value; growth words match the sign.

``make test`` runs the example counts set below (see EXAMPLES); ``pytest --hypothesis-show-statistics`` prints them.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao import normalize, tables
from nianbao.normalize import CellError, parse_number
from nianbao.numbers import (
    format_change,
    format_growth,
    format_number,
    format_percent,
    format_value,
    round_half_up,
    to_decimal,
)
from nianbao.problems import CODES

FIGURE_COLUMNS = tuple(tables.FIGURES.schema.columns)
LABEL = "data/editions/2024/figures.csv"
EXAMPLES = {"fast": 500, "files": 150}
FAST = settings(max_examples=EXAMPLES["fast"], deadline=None)
FILES = settings(max_examples=EXAMPLES["files"], deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip

# Text made of what CSV files from offices contain, so that generated input reaches the interesting paths.
CSV_ALPHABET = st.sampled_from(list(',"\n\r\t ;，、|') + list("0123456789.-+=@eE%") + list("０１２３４５６７８９．－　")
                               + list("indicatorvalueperiodstatusnotebreakdowntax") + list("正式预计亿元东区注")
                               + ["\x00", "\x07", "\ufeff", "\u200b", "\xa0", "\u2212", "\U00020bb7"])  # fmt: skip
CSV_TEXT = st.lists(CSV_ALPHABET, max_size=300).map("".join)
HEADER = ",".join(FIGURE_COLUMNS)


def _check_problems(problems, text_lines: int | None = None) -> None:
    for p in problems:
        assert p.code in CODES
        assert p.file == LABEL
        assert p.message and p.advice
        if p.row is not None and text_lines is not None:
            assert 1 <= p.row <= text_lines + 1, (p, text_lines)


# --- reading ----------------------------------------------------------------------------------------------------------
@FAST
@given(st.binary(max_size=400))
def test_any_bytes_decode_to_text_or_problems(data):
    text, problems = normalize.decode(data, LABEL)
    assert text is not None or problems
    _check_problems(problems)


@FAST
@given(CSV_TEXT)
def test_any_text_splits_into_a_table_or_problems(text):
    table, problems = normalize.split_csv(text, LABEL, FIGURE_COLUMNS)
    lines = len(text.splitlines()) + text.count("\r")
    _check_problems(problems, lines)
    if table is not None:
        for _line, cells in table.rows:
            assert len(cells) == len(table.header)
            assert all(isinstance(c, str) and c == normalize.trim(c) for c in cells)


@FAST
@given(CSV_TEXT)
def test_any_rows_under_the_real_header(text):
    table, problems = normalize.split_csv(HEADER + "\n" + text, LABEL, FIGURE_COLUMNS)
    _check_problems(problems, len((HEADER + "\n" + text).splitlines()) + text.count("\r"))


@FILES
@given(st.one_of(st.binary(max_size=600), CSV_TEXT.map(lambda t: (HEADER + "\n" + t).encode("utf-8"))))
def test_read_table_never_raises(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("prop") / "figures.csv"
    path.write_bytes(data)
    frame, problems = tables.read_table(path, tables.FIGURES, LABEL)
    _check_problems(problems)
    if frame is not None and len(frame):
        for value in frame["value"].dropna():
            assert isinstance(parse_number(value), Decimal)  # every row that passed has a readable number


# --- numbers ----------------------------------------------------------------------------------------------------------
@FAST
@given(st.one_of(st.text(max_size=40), st.text(alphabet="0123456789.-+eE ,%亿元０１２３．－nainfNaIF", max_size=30)))
def test_any_cell_is_a_number_or_a_cell_error(cell):
    try:
        value = parse_number(cell)
    except CellError as exc:
        assert exc.code in CODES
        return
    assert value.is_finite()
    for decimals in range(5):
        format_number(value, decimals)  # anything accepted can be written at any precision of the catalog


@FAST
@given(st.text(max_size=40))
def test_to_decimal_gives_a_decimal_or_value_error(text):
    try:
        value = to_decimal(text)
    except ValueError:
        return
    assert value.is_finite()


PLAIN = st.decimals(min_value=Decimal("-999999999999999"), max_value=Decimal("999999999999999"),
                    allow_nan=False, allow_infinity=False, places=4)  # fmt: skip


@FAST
@given(PLAIN)
def test_a_plain_number_parses_to_itself(value):
    text = f"{value:f}"
    assert parse_number(text) == value
    fullwidth = text.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    assert parse_number(fullwidth) == value  # full-width digits: the same number
    assert parse_number(f" {text}\u3000") == value


@FAST
@given(PLAIN, st.integers(min_value=0, max_value=4))
def test_formatting_round_trips(value, decimals):
    written = format_number(value, decimals)
    assert re.fullmatch(r"-?\d+(\.\d+)?", written)
    assert "," not in written and "e" not in written.lower()
    back = parse_number(written)
    assert back == round_half_up(value, decimals)
    assert format_number(back, decimals) == written  # writing is idempotent
    assert written.count(".") == (1 if decimals else 0) and len(written.partition(".")[2]) == decimals
    assert abs(back - value) <= Decimal("0.5") * Decimal(10) ** -decimals
    assert written != "-0" and not written.startswith("-0.") or back != 0
    assert format_value(value, "亿元", decimals) == written + "亿元"


@FAST
@given(st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), allow_nan=False, places=6))
def test_growth_words_match_the_sign_and_round_trip(rate):
    text = format_growth(rate)
    rounded = round_half_up(rate, 1)
    if rounded == 0:
        assert text == "与上年持平"
        return
    match = re.fullmatch(r"同比(增长|下降)(\d+\.\d)%", text)
    assert match, text
    assert (match.group(1) == "增长") == (rounded > 0)  # never "增长-5.3%"
    assert parse_number(match.group(2)) == abs(rounded)
    assert parse_number(format_percent(rate).removesuffix("%")) == rounded


@FAST
@given(st.decimals(min_value=Decimal("-100000"), max_value=Decimal("100000"), allow_nan=False, places=2),
       st.integers(min_value=0, max_value=2))  # fmt: skip
def test_change_words_match_the_sign(difference, decimals):
    text = format_change(difference, "家", decimals)
    rounded = round_half_up(difference, decimals)
    if rounded == 0:
        assert text == "持平"
    else:
        assert text.startswith("增加" if rounded > 0 else "减少") and text.endswith("家")
        assert parse_number(text[2:-1]) == abs(rounded)


# --- a valid table, written as Excel and WPS write it, reads back to the same numbers ---------------------------------
ROW = st.tuples(st.sampled_from(["revenue", "tax", "enterprises"]), st.integers(min_value=1990, max_value=2100),
                st.sampled_from(["", "东区", "西区"]), PLAIN, st.sampled_from(["正式", "预计"]),
                st.text(alphabet="备注说明按可比口径调整<>&{}\"', 　abc", max_size=12))  # fmt: skip
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"]


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text


@FILES
@given(st.lists(ROW, min_size=1, max_size=8, unique_by=lambda r: (r[0], r[1], r[2])),
       st.sampled_from(ENCODINGS), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), st.booleans())  # fmt: skip
def test_a_valid_table_reads_back_to_the_same_numbers(tmp_path_factory, rows, encoding, newline, fullwidth, padded):
    lines = [HEADER]
    for indicator, period, breakdown, value, status, note in rows:
        number = f"{value:f}"
        if fullwidth:
            number = number.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
        if padded:
            number = f" {number} "
        lines.append(",".join([indicator, str(period), breakdown, number, status, _csv_cell(note)]))
    path = tmp_path_factory.mktemp("prop") / "figures.csv"
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    frame, problems = tables.read_table(path, tables.FIGURES, LABEL)
    assert frame is not None, problems
    assert {p.severity for p in problems} <= {"warning"}, problems
    assert {p.code for p in problems} <= {"encoding-converted", "fullwidth-normalised", "whitespace-trimmed"}
    got = [(r.indicator, int(r.period), "" if pd.isna(r.breakdown) else r.breakdown, parse_number(r.value), r.status)
           for r in frame.itertuples()]  # fmt: skip
    want = [(i, p, b, v, s) for i, p, b, v, s, _ in rows]
    assert got == want
    assert list(frame.index) == list(range(2, len(rows) + 2))  # rows keep their line numbers
