"""Start a new year's edition: its data folder with every indicator listed, and its three pages from templates.

figures.csv lists each catalog indicator for the comparison year and the new year, with the breakdowns the last
edition reported for it (every member of its dimensions when there is no last edition). Comparison-year values and
statuses are carried from the last edition; the new year's values and statuses are blank, so the checks list exactly
what is left to fill. targets.csv carries the last plan's indicators, measures and qualifiers to the next year with
blank values. The pages (``templates/``) already use the expected headings and expressions: the headline indicators
with growth and, where the last plan set a target, completion; the breakdown chapters; the review of last year's
targets; the plan's targets sentence. Nothing existing is ever overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from .catalog import Catalog, Indicator
from .csvfiles import COLUMNS, CsvFile, csv_bytes, read_csv_file
from .loader import EDITIONS_DIR
from .problems import Problem

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGES = ("summary", "problems", "plan")


class EditionExists(Exception):
    """The edition's folder or pages exist already; nothing was written."""


@dataclass
class NewEdition:
    year: int
    previous: int | None
    files: dict[str, bytes] = field(default_factory=dict)  # path relative to the project → content
    blank_figures: int = 0
    carried_figures: int = 0
    estimates_carried: list[str] = field(default_factory=list)  # names of comparison-year figures still 预计
    targets: int = 0


def previous_edition_year(root: Path, year: int) -> int | None:
    folder = Path(root) / EDITIONS_DIR
    years = (
        [int(p.name) for p in folder.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)]
        if folder.is_dir()
        else []
    )
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else None


def existing_paths(root: Path, year: int) -> list[str]:
    return [label for label in (f"{EDITIONS_DIR}/{year}", f"docs/{year}") if (Path(root) / label).exists()]


def plan_edition(root: Path, year: int, catalog: Catalog) -> tuple[NewEdition | None, list[Problem]]:
    """Every file of the new edition, in memory. Problems if the last edition's files cannot be read."""
    root = Path(root)
    previous = previous_edition_year(root, year)
    last_figures: list[dict[str, str]] = []
    last_targets: list[dict[str, str]] = []
    problems: list[Problem] = []
    if previous is not None:
        for name, bucket in (("figures.csv", last_figures), ("targets.csv", last_targets)):
            label = f"{EDITIONS_DIR}/{previous}/{name}"
            table, found = read_csv_file(root / label, label)
            problems += found
            if table is not None:
                bucket += table.records()
    if problems:
        return None, problems
    new = NewEdition(year, previous)
    figures = _figure_rows(new, catalog, last_figures)
    targets = _target_rows(new, last_targets)
    folder = f"{EDITIONS_DIR}/{year}"
    new.files[f"{folder}/edition.yml"] = _template("edition.yml", year).encode()
    for name, rows in (("figures.csv", figures), ("targets.csv", targets), ("projects.csv", [])):
        columns = list(COLUMNS[name])
        new.files[f"{folder}/{name}"] = csv_bytes(CsvFile(columns, [[row.get(c, "") for c in columns] for row in rows]))
    breakdowns = {(r["indicator"], r["breakdown"]) for r in figures if r["period"] == str(year)}
    parts = {
        "headline": _headline_sentence(
            catalog, targets_due={t["indicator"] for t in last_targets if t["period"] == str(year)}
        ),  # fmt: skip
        "trend_chart": _trend_chart(catalog),
        "breakdown_sections": _breakdown_sections(catalog, breakdowns),
        "review": _review(catalog, [t for t in last_targets if t["period"] == str(year)], year),  # fmt: skip
        "targets": _targets_sentence(catalog, targets, year),
    }
    for page in PAGES:
        new.files[f"docs/{year}/{page}.md"] = _template(f"{page}.md", year, **parts).encode()
    return new, []


def write_edition(root: Path, new: NewEdition) -> list[str]:
    """Write every file; refuses (EditionExists) before writing anything if the edition or its pages exist."""
    found = existing_paths(root, new.year)
    if found:
        raise EditionExists("、".join(found))
    for relative, content in new.files.items():
        path = Path(root) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as f:  # "x": never replace a file, even one created meanwhile
            f.write(content)
    return list(new.files)


# --- data -----------------------------------------------------------------------------------------------------------
def _member_order(catalog: Catalog, ind: Indicator) -> list[str]:
    members: list[str] = []
    for dim_id in ind.breakdowns:
        dim = catalog.dimensions.get(dim_id)
        members += [m for m in (dim.members if dim else ()) if m not in members]
    return members


def _figure_rows(new: NewEdition, catalog: Catalog, last: list[dict[str, str]]) -> list[dict[str, str]]:
    year, prior = new.year, str(new.year - 1)
    stated = {(r.get("indicator", ""), r.get("breakdown", "")): r for r in last if r.get("period") == prior}
    reported = {(r.get("indicator", ""), r.get("breakdown", "")) for r in last}
    rows = []
    for ind in catalog.indicators.values():
        members = _member_order(catalog, ind)
        if new.previous is not None:
            members = [m for m in members if (ind.id, m) in reported]
        for period in (year - 1, year):
            for breakdown in [""] + members:
                row = {"indicator": ind.id, "period": str(period), "breakdown": breakdown, "value": "", "status": ""}
                source = stated.get((ind.id, breakdown)) if period == year - 1 else None
                if source is not None and source.get("value", "").strip():
                    row["value"], row["status"] = source["value"], source.get("status", "")
                    new.carried_figures += 1
                    if row["status"] == "预计":
                        new.estimates_carried.append(ind.name + (f"({breakdown})" if breakdown else ""))
                else:
                    new.blank_figures += 1
                rows.append(row)
    return rows


def _target_rows(new: NewEdition, last: list[dict[str, str]]) -> list[dict[str, str]]:
    """The last plan's targets for this year, carried to next year with blank values."""
    rows, seen = [], set()
    for t in last:
        key = (t.get("indicator", ""), t.get("measure", ""))
        if t.get("period") != str(new.year) or key in seen:
            continue
        seen.add(key)
        rows.append({"indicator": key[0], "period": str(new.year + 1), "measure": key[1], "value": "",
                     "qualifier": t.get("qualifier", "")})  # fmt: skip
    new.targets = len(rows)
    return rows


# --- pages ----------------------------------------------------------------------------------------------------------
def _template(name: str, year: int, **parts: str) -> str:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return Template(text).substitute(year=year, prev_year=year - 1, next_year=year + 1, **parts)


def _call(function: str, indicator: str, **kwargs: str) -> str:
    args = "".join(f', {k}="{v}"' for k, v in kwargs.items())
    return f'{{{{ {function}("{indicator}"{args}) }}}}'


def _headline_sentence(catalog: Catalog, targets_due: set[str]) -> str:
    clauses = []
    for ind in catalog.headlines:
        if ind.is_count:
            clause = f"{ind.name}达到{_call('value', ind.id)},比上年{_call('change', ind.id)}"
        elif ind.unit == "%":  # a rate is stated, not "completed", and has no growth of its own
            clause = f"{ind.name}为{_call('value', ind.id)}"
        else:
            clause = f"完成{ind.name}{_call('value', ind.id)},{_call('growth', ind.id)}"
        if ind.id in targets_due:
            clause += f",{_call('completion', ind.id)}"
        clauses.append(clause)
    return ("园区" + ";".join(clauses) + "。") if clauses else ""


def _trend_chart(catalog: Catalog) -> str:
    amounts = [i for i in catalog.headlines if not i.is_count and not i.is_derived]
    same_unit = [i.id for i in amounts if amounts and i.unit == amounts[0].unit]
    if not same_unit:
        return ""
    return '\n{{ chart("line", [' + ", ".join(f'"{i}"' for i in same_unit) + "], years=6) }}\n"


def _breakdown_sections(catalog: Catalog, rows: set[tuple[str, str]]) -> str:
    """One chapter per dimension, for the first indicator (headline first) that the new edition breaks down by it."""
    order = catalog.headlines + [i for i in catalog.indicators.values() if not i.headline]
    sections = []
    for dim in catalog.dimensions.values():
        for ind in order:
            members = [m for m in dim.members if dim.id in ind.breakdowns and (ind.id, m) in rows]
            if not members:
                continue
            sentences = ";".join(f"{m}{ind.name}{_call('value', ind.id, breakdown=m)},"
                                 f"{_call('growth', ind.id, breakdown=m)},占园区的{_call('share', ind.id, breakdown=m)}"
                                 for m in members)  # fmt: skip
            block = f"\n## {dim.name}运行情况\n\n【待填写:一句话概括。】{sentences}。\n\n"
            block += f'{{{{ chart("bar", ["{ind.id}"], breakdown="{dim.id}") }}}}\n'
            if dim.complete:
                block += f'\n{{{{ breakdown_table("{ind.id}", "{dim.id}") }}}}\n'
            sections.append(block)
            break
    return "".join(sections)


def _review(catalog: Catalog, due: list[dict[str, str]], year: int) -> str:
    """The last plan's targets judged: the table, and a sentence for those the headline sentence does not judge."""
    names: list[tuple[str, str]] = []
    for t in due:
        ind = catalog.indicators.get(t.get("indicator", ""))
        if ind is not None and not ind.headline and ind.id not in [n for n, _ in names]:
            names.append((ind.id, ind.name))
    if not due:
        return ""
    judged = ";".join(f"{name}{_call('completion', ind_id)}" for ind_id, name in names)
    sentence = (
        f"{year - 1}年工作规划确定的目标中,{judged}。" if judged else f"{year - 1}年工作规划确定的目标完成情况见下表。"
    )
    return f"\n## 上年目标完成情况\n\n{sentence}【待填写:简要评价。】\n\n{{{{ target_review() }}}}\n"


def _targets_sentence(catalog: Catalog, targets: list[dict[str, str]], year: int) -> str:
    measures: dict[str, list[str]] = {}
    for t in targets:
        measures.setdefault(t["indicator"], []).append(t["measure"])
    clauses = []
    for ind_id, kinds in measures.items():
        ind = catalog.indicators.get(ind_id)
        if ind is None:
            continue
        for measure in kinds:
            call = _call("target", ind_id, measure=measure) if len(kinds) > 1 else _call("target", ind_id)
            clauses.append(f"{ind.name}{call}")
    if not clauses:
        return f'全年目标:【待填写。先在 data/editions/{year}/targets.csv 中填写{year + 1}年的目标,再用 target("指标代码") 引用。】'
    return "全年目标:" + ",".join(clauses) + "。"
