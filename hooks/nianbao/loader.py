"""Load a project folder into a ``Report``: read, validate the shape, build the model, run the domain checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import normalize, tables
from .catalog import CATALOG_FILE, Catalog, load_catalog
from .checks import check_report
from .model import Discrepancy, Edition, Figure, Report, SignedProject, Target
from .parkchecks import check_park
from .problems import DataError, Problem, errors
from .yamlfiles import load_yaml, with_rows

EDITIONS_DIR = "data/editions"


def load_report(root: Path) -> tuple[Report | None, list[Problem]]:
    """Everything that is wrong is returned at once; the report is None if an error was found."""
    root = Path(root)
    data_dir = root / "data"
    problems: list[Problem] = []
    park, found = _load_yaml_safely(data_dir / "park.yml", "park", "data/park.yml", data_dir)
    problems += found
    found = normalize.check_yaml_file(data_dir / "catalog.yml", CATALOG_FILE, data_dir)
    catalog, more = load_catalog(data_dir / "catalog.yml") if not found else (None, [])
    problems += found + more
    editions: dict[int, Edition] = {}
    editions_dir = root / EDITIONS_DIR
    folders = []
    unsafe = normalize.unsafe_path(editions_dir, data_dir, EDITIONS_DIR)
    if unsafe is not None:
        problems.append(unsafe)
    elif editions_dir.is_dir():
        folders = sorted(p for p in editions_dir.iterdir() if p.is_dir() or p.is_symlink())
    if not folders and unsafe is None:
        problems.append(Problem(EDITIONS_DIR, None, None, "file-missing", f"{EDITIONS_DIR}/<年份>/"))
    for folder in folders:
        unsafe = normalize.unsafe_path(folder, data_dir, f"{EDITIONS_DIR}/{folder.name}")
        if unsafe is not None:
            problems.append(unsafe)
            continue
        edition, found = _load_edition(folder, catalog, data_dir)
        problems += found
        if edition is not None:
            editions[edition.year] = edition
    problems += normalize.check_pages(root / "docs", root)  # MkDocs reads them: refuse what it would fail on
    if park is not None:
        problems += with_rows(data_dir / "park.yml", list(check_park(root, park)))
    if catalog is None or park is None:
        return None, problems
    report = Report(root=root, park=park, catalog=catalog, editions=editions)
    shape_errors = bool(errors(problems))
    problems += check_report(report, complete=not shape_errors)
    return (None if errors(problems) else report), problems


def load_report_or_raise(root: Path) -> tuple[Report, list[Problem]]:
    """For callers that stop on errors: raises DataError with every problem; returns warnings otherwise."""
    report, problems = load_report(root)
    if report is None:
        raise DataError(problems)
    return report, problems


def _load_yaml_safely(path: Path, schema: str, label: str, data_dir: Path) -> tuple[dict | None, list[Problem]]:
    """load_yaml after the checks that must come before parsing: links, size, anchors and aliases."""
    problems = normalize.check_yaml_file(path, label, data_dir)
    return (None, problems) if problems else load_yaml(path, schema, label)


def _load_edition(folder: Path, catalog: Catalog | None,
                  data_dir: Path | None = None) -> tuple[Edition | None, list[Problem]]:  # fmt: skip
    label = f"{EDITIONS_DIR}/{folder.name}"
    data_dir = data_dir or folder.parent.parent
    meta, problems = _load_yaml_safely(folder / "edition.yml", "edition", f"{label}/edition.yml", data_dir)
    if meta is None:
        return None, problems
    year = meta["year"]
    if folder.name != str(year):
        problems.append(Problem(f"{label}/edition.yml", None, "year", "edition-year-mismatch", str(year)))
        return None, problems
    published = meta.get("published")
    if isinstance(published, str):  # quoted, so not read as a date: the schema checks its shape, this its existence
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            problems.append(Problem(f"{label}/edition.yml", None, "published", "yaml-invalid-date", published))
            return None, with_rows(folder / "edition.yml", problems)
    edition = Edition(
        year=year,
        title=meta.get("title") or f"{year}年度工作总结暨{year + 1}年工作规划",
        published=meta.get("published"),
        periods=tuple(meta.get("periods") or (year - 1, year)),
        months=meta.get("months"),
        discrepancies=[Discrepancy(d["indicator"], d["period"], d.get("breakdown") or None, d["code"], d["reason"], i)
                       for i, d in enumerate(meta.get("discrepancies") or ())],  # fmt: skip
    )
    figures, found = tables.read_table(folder / "figures.csv", tables.FIGURES, f"{label}/figures.csv", data_dir)
    problems += found
    targets, found = tables.read_table(folder / "targets.csv", tables.TARGETS, f"{label}/targets.csv", data_dir)
    problems += found
    projects, found = tables.read_table(folder / "projects.csv", tables.PROJECTS, f"{label}/projects.csv", data_dir)
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
