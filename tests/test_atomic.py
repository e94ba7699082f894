"""Atomic publishing: a failed build leaves the previous site/ exactly as it was; a good one replaces it whole."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, copy_project
from nianbao import publish
from nianbao.cli import main


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every file and folder under ``folder`` with its content hash, size and modification time (in ns)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        out[path.relative_to(folder).as_posix()] = (digest, stat.st_size if path.is_file() else 0, stat.st_mtime_ns)
    return out


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(FIXTURES / "mini", tmp_path / "project")


def _nianbao_build(project: Path, *args: str) -> int:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600")
    cmd = [sys.executable, "-m", "nianbao.cli", "build", "--root", str(project), *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True).returncode


def test_failed_builds_leave_the_previous_site_exactly_as_it_was(project):
    assert main(["build", "--root", str(project), "--strict"]) == 0
    site = project / "site"
    assert (site / "2024" / "summary.html").is_file()
    before = snapshot(site)
    inode = site.stat().st_ino

    # 1. A data error: MkDocs stops in on_config, before writing anything.
    figures = project / "data/editions/2024/figures.csv"
    good = figures.read_text(encoding="utf-8")
    figures.write_text(good.replace("tax,2024,,10.45", "tax,2024,,abc"), encoding="utf-8")
    assert main(["build", "--root", str(project), "--strict"]) == 1
    assert snapshot(site) == before and site.stat().st_ino == inode
    assert leftovers(project) == []

    # 2. A warning under --strict: MkDocs writes every page, then aborts. Straight into site/ this would publish them.
    figures.write_text(good, encoding="utf-8")
    page = project / "docs/2024/summary.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n全年新增就业1200人。\n", encoding="utf-8")
    assert main(["build", "--root", str(project), "--strict"]) == 1
    assert snapshot(site) == before and site.stat().st_ino == inode
    assert leftovers(project) == []

    # 3. A broken configuration: MkDocs cannot even start.
    config = project / "mkdocs.yml"
    good_config = config.read_text(encoding="utf-8")
    config.write_text(good_config + "\nnot_an_option: [\n", encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 1
    assert snapshot(site) == before
    config.write_text(good_config, encoding="utf-8")

    # 4. Fixed: the new site replaces the old one whole (a page that changed, nothing left over).
    page.write_text(page.read_text(encoding="utf-8").replace("全年新增就业1200人。", "全年就业形势稳定。"), encoding="utf-8")
    assert main(["build", "--root", str(project), "--strict"]) == 0
    assert "全年就业形势稳定" in (site / "2024" / "summary.html").read_text(encoding="utf-8")
    assert leftovers(project) == []


def test_first_build_creates_site_and_removed_pages_disappear(project):
    site = project / "site"
    assert not site.exists()
    assert _nianbao_build(project) == 0 and (site / "index.html").is_file()
    (site / "stale.html").write_text("from an old build", encoding="utf-8")
    assert _nianbao_build(project) == 0
    assert not (site / "stale.html").exists()  # a fresh folder each time, never a build over the old one


def test_a_killed_build_changes_nothing(project, monkeypatch):
    """If MkDocs dies half-way (here: it writes a page and exits non-zero), the half-written folder is discarded."""
    assert main(["build", "--root", str(project)]) == 0
    before = snapshot(project / "site")

    def half_build(cmd, **kwargs):
        out = Path(cmd[cmd.index("--site-dir") + 1])
        (out / "index.html").write_text("half", encoding="utf-8")
        return subprocess.CompletedProcess(cmd, -9)

    monkeypatch.setattr(publish.subprocess, "run", half_build)
    assert publish.build(project) == -9
    assert snapshot(project / "site") == before and leftovers(project) == []


def test_swap_without_renameat2_falls_back_to_two_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    site, new = tmp_path / "site", tmp_path / "new"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    publish.swap_in(new, site)
    assert [p.name for p in site.iterdir()] == ["index.html"] and not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_swap_is_one_exchange_on_linux(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux only")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    (b / "x").write_text("b", encoding="utf-8")
    assert publish._exchange(a, b)
    assert (a / "x").read_text(encoding="utf-8") == "b" and (b / "x").read_text(encoding="utf-8") == "a"


def test_make_site_publishes_through_the_atomic_build():
    recipe = (REPO / "Makefile").read_text(encoding="utf-8").split("\nsite:", 1)[1].split("\n\n", 1)[0]
    assert "nianbao build --strict --pdf" in recipe and "mkdocs build" not in recipe and "nianbao pdf" not in recipe


def test_a_failed_pdf_keeps_the_previous_site(project):
    """`make site` builds the pages and the PDFs aside: when printing fails, nothing of the new build is published."""
    assert main(["build", "--root", str(project), "--strict"]) == 0
    site = project / "site"
    before = snapshot(site)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600", NIANBAO_BROWSER="/bin/false")  # a "browser" that fails
    cmd = [sys.executable, "-m", "nianbao.cli", "build", "--root", str(project), "--strict", "--pdf"]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "没有生成" in result.stderr
    assert snapshot(site) == before
    assert leftovers(project) == []
