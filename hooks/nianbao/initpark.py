"""Start an organisation's own report: its park.yml, a catalog from a preset, the first edition and its pages.

Everything is planned in memory first (``plan_park``), then written (``write_park``): in place, the sample park's data
and pages are replaced; into a new folder, the project's build files come along so that the folder builds on its own.
The first edition comes from ``newedition.plan_edition`` with no edition before it, so ``nianbao check`` right after
lists exactly the blanks to fill: every figure, the pages' 【待填写】 marks and the footer identifiers.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

import yaml

from .catalog import load_catalog
from .newedition import TEMPLATES, plan_edition
from .problems import Problem, errors

PRESETS = Path(__file__).resolve().parent / "presets"
PRESET_NAMES = {"park": "工业园区年度工作报告", "disclosure": "政府信息公开工作年度报告"}
REPORT_WORDS = {"park": "年度工作报告", "disclosure": "政府信息公开工作年度报告"}  # the site's title: name + these
FOOTER_KEYS = ("网站标识码", "ICP备案号", "公安机关备案号", "党政机关网站标识")
# What the sample owns and a new park replaces; the build files (mkdocs.yml, overrides/, hooks/) stay.
SAMPLE_PATHS = ("data", "docs")
# Not part of a new project folder: build output, environments, the sample's own data and pages.
NOT_COPIED = {".git", ".venv", "site", "node_modules", "data", "docs", "__pycache__", ".pytest_cache", ".lock-venv"}


class InitRefused(Exception):
    """The project already holds a real park, or the folder is not empty: nothing was written."""


@dataclass
class ParkSpec:
    name: str
    issuer: str
    year: int
    short_name: str = ""
    contact: str = ""
    preset: str = "park"
    industries: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    footer: dict[str, str] = field(default_factory=dict)


def default_year(today: dt.date | None = None) -> int:
    """The year being reported: a report is drafted in November or December of its year, or early the next year."""
    today = today or dt.date.today()
    return today.year if today.month >= 11 else today.year - 1


def plan_park(spec: ParkSpec) -> tuple[dict[str, bytes], list[Problem]]:
    """Every file of the new park, relative path → bytes, or the problems of the catalog the preset gives."""
    files: dict[str, bytes] = {"data/park.yml": _park_yaml(spec).encode(), "data/catalog.yml": _catalog(spec).encode()}
    scratch = Path(tempfile.mkdtemp(prefix="nianbao-init-"))  # plan_edition reads a project folder
    try:
        (scratch / "data").mkdir(parents=True)
        (scratch / "data/catalog.yml").write_bytes(files["data/catalog.yml"])
        catalog, problems = load_catalog(scratch / "data/catalog.yml")
        if catalog is None or errors(problems):
            return {}, problems
        edition, problems = plan_edition(scratch, spec.year, catalog)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if edition is None:
        return {}, problems
    files.update(edition.files)
    home = Template((TEMPLATES / "index.md").read_text(encoding="utf-8"))
    files["docs/index.md"] = home.substitute(name=spec.name, report=REPORT_WORDS[spec.preset]).encode()
    return files, []


def _park_yaml(spec: ParkSpec) -> str:
    park = {
        "name": spec.name,
        "short_name": spec.short_name or spec.name,
        "title": f"{spec.name}{REPORT_WORDS[spec.preset]}",
        "issuer": spec.issuer,
        "sample": False,
        "contact": spec.contact or "【待填写:联系方式,如 办公室电话 0000-0000000】",
        "footer": {key: spec.footer.get(key, "") for key in FOOTER_KEYS},
    }
    header = "# 本单位的基本信息:网站标题、页脚和 PDF 封面都从这里取。页脚的标识码和备案号见《政府网站发展指引》。\n"
    return header + yaml.safe_dump(park, allow_unicode=True, sort_keys=False)


def _catalog(spec: ParkSpec) -> str:
    text = (PRESETS / f"{spec.preset}.yml").read_text(encoding="utf-8")
    catalog = yaml.safe_load(text)
    chosen = {"industry": spec.industries, "zone": spec.zones}
    for dim_id, members in chosen.items():
        if dim_id not in catalog["dimensions"]:
            continue
        if members:
            catalog["dimensions"][dim_id]["members"] = list(members)
            continue
        del catalog["dimensions"][dim_id]  # no industries (zones) given: no breakdown by them
        for ind in catalog["indicators"].values():
            if dim_id in ind.get("breakdowns", ()):
                ind["breakdowns"] = [d for d in ind["breakdowns"] if d != dim_id]
                if not ind["breakdowns"]:
                    del ind["breakdowns"]
    header = next(line for line in text.splitlines() if line.startswith("#")) + "\n"
    return header + yaml.safe_dump(catalog, allow_unicode=True, sort_keys=False, width=200)


def project_files(repo: Path) -> list[Path]:
    """The build files of this project (tracked by git when it is a repository), relative to it."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=repo, capture_output=True, check=True).stdout
        paths = [Path(p) for p in listed.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        paths = [p.relative_to(repo) for p in repo.rglob("*") if p.is_file()]
    return [p for p in paths if p.parts and p.parts[0] not in NOT_COPIED and "__pycache__" not in p.parts
            and (repo / p).is_file()]  # fmt: skip


def write_park(target: Path, files: dict[str, bytes], repo: Path | None = None, force: bool = False) -> list[str]:
    """Write the new park. In place (``repo`` None): replaces the sample's data/ and docs/, refusing a real park unless
    ``force``. Into a new folder: copies the build files of ``repo`` first; the folder must be new or empty."""
    target = Path(target)
    if repo is not None:
        if target.exists() and any(target.iterdir()):
            raise InitRefused(f"文件夹 {target} 不是空的")
        for relative in project_files(repo):
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(repo / relative, destination)
    else:
        park = target / "data/park.yml"
        if park.is_file() and not force and not _is_sample(park):
            raise InitRefused("data/park.yml 不是示例园区,已经是一个真实的园区")
        for name in SAMPLE_PATHS:
            shutil.rmtree(target / name, ignore_errors=True)
    for relative, content in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return sorted(files)


def _is_sample(park: Path) -> bool:
    try:
        return bool((yaml.safe_load(park.read_text(encoding="utf-8")) or {}).get("sample"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
        return False
