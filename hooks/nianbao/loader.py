"""Load a project folder into a ``Report``: read, validate the shape, build the model, run the domain checks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import tables
from .catalog import Catalog, load_catalog
from .checks import check_report
from .model import Edition, Figure, Report, SignedProject, Target
from .problems import DataError, Problem, errors
from .yamlfiles import load_yaml

EDITIONS_DIR = "data/editions"


def load_report(root: Path) -> tuple[Report | None, list[Problem]]:
    """Everything that is wrong is returned at once; the report is None if an error was found."""
    root = Path(root)
    problems: list[Problem] = []
    park, found = load_yaml(root / "data" / "park.yml", "park", "data/park.yml")
    problems += found
    catalog, found = load_catalog(root / "data" / "catalog.yml")
    problems += found
    editions: dict[int, Edition] = {}
    editions_dir = root / EDITIONS_DIR
    folders = sorted(p for p in editions_dir.iterdir() if p.is_dir()) if editions_dir.is_dir() else []
    if not folders:
        problems.append(Problem(EDITIONS_DIR, None, None, "file-missing", f"{EDITIONS_DIR}/<年份>/"))
    for folder in folders:
        edition, found = _load_edition(folder, catalog)
        problems += found
        if edition is not None:
            editions[edition.year] = edition
    if catalog is None or park is None or errors(problems):
        return None, problems
    report = Report(root=root, park=park, catalog=catalog, editions=editions)
    problems += check_report(report)
    return (None if errors(problems) else report), problems


def load_report_or_raise(root: Path) -> tuple[Report, list[Problem]]:
    """For callers that stop on errors: raises DataError with every problem; returns warnings otherwise."""
    report, problems = load_report(root)
    if report is None:
        raise DataError(problems)
    return report, problems


def _load_edition(folder: Path, catalog: Catalog | None) -> tuple[Edition | None, list[Problem]]:
    label = f"{EDITIONS_DIR}/{folder.name}"
    meta, problems = load_yaml(folder / "edition.yml", "edition", f"{label}/edition.yml")
    if meta is None:
        return None, problems
    year = meta["year"]
    if folder.name != str(year):
        problems.append(Problem(f"{label}/edition.yml", None, "year", "edition-year-mismatch", str(year)))
        return None, problems
    edition = Edition(
        year=year,
        title=meta.get("title") or f"{year}年度工作总结暨{year + 1}年工作规划",
        published=meta.get("published"),
        periods=tuple(meta.get("periods") or (year - 1, year)),
    )
    figures, found = tables.read_table(folder / "figures.csv", tables.FIGURES, f"{label}/figures.csv")
    problems += found
    targets, found = tables.read_table(folder / "targets.csv", tables.TARGETS, f"{label}/targets.csv")
    problems += found
    projects, found = tables.read_table(folder / "projects.csv", tables.PROJECTS, f"{label}/projects.csv")
    problems += found
    for line, row in _rows(figures):
        fig = Figure(row["indicator"], int(row["period"]), row["breakdown"], Decimal(row["value"]),
                     row["status"], row["note"] or "", year, line)  # fmt: skip
        edition.figures[(fig.indicator, fig.period, fig.breakdown)] = fig
    for line, row in _rows(targets):
        edition.targets.append(Target(row["indicator"], int(row["period"]), row["measure"], Decimal(row["value"]),
                                      row["qualifier"], row["note"] or "", year, line))  # fmt: skip
    for line, row in _rows(projects):
        edition.projects.append(SignedProject(row["name"], row["company"], row["industry"], row["zone"],
                                              Decimal(row["investment"]), row["status"], row["note"] or "", line))  # fmt: skip
    return edition, problems


def _rows(frame: pd.DataFrame | None):
    if frame is None:
        return
    for line, row in frame.iterrows():
        yield int(line), {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in row.items()}
