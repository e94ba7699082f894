"""Reproducible output: the sample park, committed once, cloned into two different folders and built in each, gives
byte-identical sites — HTML, search index, sitemap, data files and everything else — so a diff of two built sites
shows only real changes. Dates come from the commit (SOURCE_DATE_EPOCH), never from the clock or the folder.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE

COMMIT_DATE = "2025-01-22T10:00:00+08:00"
COMMIT_EPOCH = int(dt.datetime.fromisoformat(COMMIT_DATE).timestamp())
COMMIT_DAY_UTC = dt.datetime.fromtimestamp(COMMIT_EPOCH, dt.UTC).date()
GIT_ENV = {
    "GIT_AUTHOR_NAME": "园区办公室", "GIT_AUTHOR_EMAIL": "office@example.org", "GIT_COMMITTER_NAME": "园区办公室",
    "GIT_COMMITTER_EMAIL": "office@example.org", "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE,
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
}  # fmt: skip


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, **GIT_ENV)
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


def committed_project(folder: Path) -> Path:
    """The sample park as one commit of a new repository: data, docs, theme overrides, MkDocs adapter and config.

    Only the engine (the installed ``nianbao`` package) and node_modules come from this checkout.
    """
    for name in ("data", "docs"):
        shutil.copytree(SAMPLE / name, folder / name)
    shutil.copytree(REPO / "overrides", folder / "overrides")
    (folder / "hooks").mkdir()
    shutil.copy2(REPO / "hooks" / "mkdocs_hooks.py", folder / "hooks" / "mkdocs_hooks.py")
    shutil.copy2(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "2024年报")
    return folder


# Two builds that differ in everything that must not matter: folder and its depth, hash seed, time zone, and time;
# and in how they are started. The first is a plain `mkdocs build` told the date (SOURCE_DATE_EPOCH, as the Makefile
# passes it), then `nianbao pdf`; the second is `nianbao build --pdf` (what `make site` runs) with no date given, so
# the build must take it from the commit itself.
BUILDS = (("a", "1", "UTC", "mkdocs"), ("b/nested/deeper", "4242", "Asia/Shanghai", "nianbao"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> list[tuple[Path, Path]]:
    origin = committed_project(tmp_path_factory.mktemp("origin") / "park")
    out = []
    for folder, seed, tz, how in BUILDS:
        clone = tmp_path_factory.mktemp("clone") / folder / "park"
        clone.parent.mkdir(parents=True, exist_ok=True)
        git(clone.parent, "clone", "-q", str(origin), str(clone))
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        env.update(PYTHONHASHSEED=seed, TZ=tz, NO_MKDOCS_2_WARNING="1")
        if how == "mkdocs":
            env["SOURCE_DATE_EPOCH"] = git(clone, "log", "-1", "--format=%ct").strip()
            steps = [["-m", "mkdocs", "build", "--strict"]] + ([["-m", "nianbao.cli", "pdf"]] if _can_print_pdf() else [])
        else:
            steps = [["-m", "nianbao.cli", "build", "--strict", "--pdf", "--allow-missing-browser"]]
        for step in steps:
            result = subprocess.run([sys.executable, *step], cwd=clone, env=env, capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
        out.append((clone, clone / "site"))
    return out


def _can_print_pdf() -> bool:
    from nianbao.commands import COMMANDS

    return "pdf" in COMMANDS and any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))


def _files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def _contents(path: Path) -> list[bytes]:
    """A file's bytes, and for compressed files (gzip, XLSX/zip) the bytes of what they hold too."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        return [data, gzip.decompress(data)]
    if path.suffix in (".xlsx", ".zip"):
        with zipfile.ZipFile(path) as z:
            return [data] + [z.read(name) for name in z.namelist()]
    return [data]


def test_same_commit_in_two_folders_gives_byte_identical_sites(builds):
    (_, site_a), (_, site_b) = builds
    files = _files(site_a)
    assert files == _files(site_b)
    for required in ("index.html", "2024/summary.html", "search/search_index.json", "sitemap.xml", "sitemap.xml.gz",
                     "assets/javascripts/plotly.min.js"):  # fmt: skip
        assert required in files, required
    years = sorted(p.name for p in (SAMPLE / "data/editions").iterdir() if p.is_dir())
    for year in years:  # the published data files of every edition
        assert any(f.startswith(f"data/{year}/") for f in files), year
    different = [f for f in files if (site_a / f).read_bytes() != (site_b / f).read_bytes()]
    assert different == []


def test_no_build_folder_path_or_clock_date_in_the_output(builds):
    today = [dt.datetime.now(dt.UTC).date(), dt.date.today()]
    forbidden = {d.isoformat().encode() for d in today} | {f"{d.year}年{d.month}月{d.day}日".encode() for d in today}
    forbidden |= {d.strftime("D:%Y%m%d").encode() for d in today}  # PDF dates
    forbidden -= {
        COMMIT_DAY_UTC.isoformat().encode(),
        dt.datetime.fromisoformat(COMMIT_DATE).date().isoformat().encode(),
    }
    for clone, site in builds:
        for name in _files(site):
            for blob in _contents(site / name):
                assert str(clone).encode() not in blob, f"{name} contains the build folder"
                assert not [d for d in forbidden if d in blob], f"{name} contains today's date"


def test_sitemap_dates_come_from_the_commit(builds):
    for _, site in builds:
        header = (site / "sitemap.xml.gz").read_bytes()[:10]
        assert header[:2] == b"\x1f\x8b"
        # gzip's modification time: MkDocs stores the day of SOURCE_DATE_EPOCH (the pages' update date), in UTC
        stamp = dt.datetime.fromtimestamp(struct.unpack("<I", header[4:8])[0], dt.UTC)
        assert (stamp.date(), stamp.time()) == (COMMIT_DAY_UTC, dt.time(0, 0))
        name = (site / "sitemap.xml.gz").read_bytes()[10:].split(b"\0", 1)[0]
        assert name == b"sitemap.xml"  # the stored file name carries no folder


def _make_prints_epoch(folder: Path, env: dict) -> str:
    """What SOURCE_DATE_EPOCH the repository's Makefile exports to its recipes, run in ``folder``."""
    env = {k: v for k, v in env.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    probe = 'nianbao-probe: ; @echo "$$SOURCE_DATE_EPOCH"'
    result = subprocess.run(["make", "-s", "-f", str(REPO / "Makefile"), "--eval", probe, "nianbao-probe"],
                            cwd=folder, env=env, capture_output=True, text=True, check=True)  # fmt: skip
    return result.stdout.strip()


def test_makefile_takes_the_build_date_from_the_last_commit(tmp_path):
    folder = tmp_path / "park"
    folder.mkdir()
    (folder / "README.md").write_text("年报\n", encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "start")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    assert _make_prints_epoch(folder, env) == str(COMMIT_EPOCH)
    assert _make_prints_epoch(folder, dict(env, SOURCE_DATE_EPOCH="1700000000")) == "1700000000"  # the caller wins
