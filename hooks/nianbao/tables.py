"""Read an edition's CSV files and validate their shape with pandera.

Shape means: the columns, required cells, number and year syntax, allowed values and uniqueness. What the values
*mean* (known indicators, parts adding up …) is checked afterwards in ``checks.py``.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .problems import Problem

NUMBER = r"^-?\d+(\.\d+)?$"
YEAR = r"^\d{4}$"

STATUSES = ("正式", "预计")
MEASURES = ("总量", "增速")
QUALIFIERS = ("以上", "左右", "力争", "确保")
PROJECT_STATUSES = ("签约", "开工", "竣工投产")


def _text(required: bool = True, **kwargs) -> pa.Column:
    return pa.Column(str, nullable=not required, required=True, **kwargs)


def _matching(pattern: str, name: str, required: bool = True) -> pa.Column:
    return _text(required, checks=pa.Check.str_matches(pattern, name=name, error=name))


def _choice(values: tuple[str, ...], required: bool = True) -> pa.Column:
    return _text(required, checks=pa.Check.isin(list(values), name="invalid-choice", error="invalid-choice"))


@dataclass(frozen=True)
class TableSpec:
    file: str
    schema: pa.DataFrameSchema
    duplicate_code: str | None = None
    key: tuple[str, ...] = ()


FIGURES = TableSpec(
    "figures.csv",
    pa.DataFrameSchema(
        {
            "indicator": _text(),
            "period": _matching(YEAR, "invalid-period"),
            "breakdown": _text(required=False),
            "value": _matching(NUMBER, "invalid-number"),
            "status": _choice(STATUSES),
            "note": _text(required=False),
        },
        strict=True,
    ),
    "duplicate-figure",
    ("indicator", "period", "breakdown"),
)

TARGETS = TableSpec(
    "targets.csv",
    pa.DataFrameSchema(
        {
            "indicator": _text(),
            "period": _matching(YEAR, "invalid-period"),
            "measure": _choice(MEASURES),
            "value": _matching(NUMBER, "invalid-number"),
            "qualifier": _choice(QUALIFIERS),
            "note": _text(required=False),
        },
        strict=True,
    ),
    "duplicate-target",
    ("indicator", "period", "measure"),
)

PROJECTS = TableSpec(
    "projects.csv",
    pa.DataFrameSchema(
        {
            "name": _text(),
            "company": _text(),
            "industry": _text(),
            "zone": _text(),
            "investment": _matching(NUMBER, "invalid-number"),
            "status": _choice(PROJECT_STATUSES),
            "note": _text(required=False),
        },
        strict=True,
    ),
)

_CHECK_CODES = {"not_nullable": "missing-value", "column_in_dataframe": "missing-column"}


def read_table(path: Path, spec: TableSpec, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Return the rows that passed (index = line number in the file) and the problems of the others."""
    if not path.is_file():
        return None, [Problem(label, None, None, "file-missing", label)]
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=True)
    except UnicodeDecodeError:
        return None, [Problem(label, None, None, "file-unreadable", "文件不是 UTF-8 编码")]
    except pd.errors.ParserError as exc:
        # "Expected 6 fields in line 11, saw 7": usually a number typed with a thousands separator (1,045).
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            expected, line, saw = (int(g) for g in match.groups())
            detail = f"第{line}行有{saw}个字段,表头只有{expected}列(数字中是否带了千分位逗号?)"
            return None, [Problem(label, line, None, "file-unreadable", detail)]
        return None, [Problem(label, None, None, "file-unreadable", "CSV 格式无法解析")]
    except pd.errors.EmptyDataError:
        return None, [Problem(label, None, None, "file-unreadable", "文件是空的")]
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda col: col.str.strip()).replace("", None)
    frame.index = frame.index + 2  # line numbers: the header is line 1
    problems: list[Problem] = []
    bad_rows: set[int] = set()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spec.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            problems.append(_problem_from_case(case, label))
            if case.index is not None and not pd.isna(case.index):
                bad_rows.add(int(case.index))
    if any(p.code in ("missing-column", "extra-column") for p in problems):
        return None, problems
    if spec.key:
        dup = frame.duplicated(subset=list(spec.key), keep="first")
        for line in frame.index[dup]:
            problems.append(Problem(label, int(line), ",".join(spec.key), spec.duplicate_code))
            bad_rows.add(int(line))
    return frame.drop(index=sorted(bad_rows)), problems


def _problem_from_case(case, label: str) -> Problem:
    check = str(case.check)
    column = None if pd.isna(case.column) else str(case.column)
    row = None if case.index is None or pd.isna(case.index) else int(case.index)
    value = "" if case.failure_case is None or pd.isna(case.failure_case) else str(case.failure_case)
    if check == "column_in_schema":
        return Problem(label, 1, value, "extra-column", value)
    if check == "column_in_dataframe":
        return Problem(label, 1, value, "missing-column", value)
    code = _CHECK_CODES.get(check) or _named_check(check)
    return Problem(label, row, column, code, value)


def _named_check(check: str) -> str:
    match = re.match(r"^(invalid-[a-z]+)", check)
    if match:
        return match.group(1)
    return "invalid-choice"
