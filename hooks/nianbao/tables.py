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

from . import normalize
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
    "duplicate-project",
    ("name", "company"),
)

_CHECK_CODES = {"not_nullable": "missing-value", "column_in_dataframe": "missing-column"}


def read_table(path: Path, spec: TableSpec, label: str,
               data_dir: Path | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:  # fmt: skip
    """Return the rows that passed (index = line number in the file) and the problems of the others.

    Bytes are decoded, split and normalised by ``normalize.read_csv`` (encodings, full-width digits, spaces, blank
    rows …); pandera then validates the shape of what it returns.
    """
    table, problems = normalize.read_csv(path, label, tuple(spec.schema.columns), data_dir)
    if table is None:
        return None, problems
    frame = pd.DataFrame([cells for _, cells in table.rows], columns=table.header,
                         index=[line for line, _ in table.rows], dtype=str)  # fmt: skip
    frame = frame.replace("", None)
    bad_rows: set[int] = set(table.bad_lines)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spec.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            problem = _problem_from_case(case, label)
            if problem.row in table.bad_lines and problem.code != "missing-column":
                continue  # already reported by the reader (a number too long, a control character …)
            problems.append(problem)
            if case.index is not None and not pd.isna(case.index):
                bad_rows.add(int(case.index))
    if any(p.code in ("missing-column", "extra-column") for p in problems):
        return None, problems
    if spec.key:
        keyed = frame.drop(index=sorted(bad_rows & set(frame.index)))
        dup = keyed.duplicated(subset=list(spec.key), keep="first")
        for line in keyed.index[dup]:
            problems.append(Problem(label, int(line), ",".join(spec.key), spec.duplicate_code))
            bad_rows.add(int(line))
    return frame.drop(index=sorted(bad_rows & set(frame.index))), problems


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
