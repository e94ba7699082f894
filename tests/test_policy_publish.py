"""Publishing hygiene and the machine's faults: site/ readable by a web server running as another user, leftovers of
interrupted builds removed, and a read-only, locked or full disk, a bad SOURCE_DATE_EPOCH or an impossible published
date each a Chinese message with exit code 1 — never a traceback. The faults are real: the kernel refuses (an
immutable folder, /dev/full), nothing is mocked."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, build, copy_project
from nianbao.publish import BuildLock

ENV = dict(os.environ, SOURCE_DATE_EPOCH="1735689600", NO_MKDOCS_2_WARNING="1")


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(FIXTURES / "mini", tmp_path / "project")


def _run(*args: str, env: dict | None = None, umask: int | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "nianbao.cli", *args]
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run(cmd, env=env or ENV, capture_output=True, text=True, preexec_fn=preexec)


def _modes(folder: Path) -> set[tuple[str, int]]:
    found = {("dir", stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        if not path.is_symlink():
            found.add(("dir" if path.is_dir() else "file", stat.S_IMODE(path.stat().st_mode)))
    return found


def _immutable(path: Path, on: bool) -> None:
    subprocess.run(["chattr", "+i" if on else "-i", str(path)], check=True, capture_output=True)


def _can_make_immutable(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.mkdir()
    try:
        _immutable(probe, True)
    except (OSError, subprocess.CalledProcessError):
        return False
    _immutable(probe, False)
    return True


@pytest.mark.parametrize("umask, folder, file", [(0o022, 0o755, 0o644), (0o002, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_the_published_site_has_ordinary_modes_less_the_umask(project, umask, folder, file):
    result = _run("build", "--root", str(project), umask=umask)
    assert result.returncode == 0, result.stderr
    assert _modes(project / "site") == {("dir", folder), ("file", file)}


def test_a_web_server_running_as_another_user_can_read_every_file(project, tmp_path):
    assert _run("build", "--root", str(project)).returncode == 0
    site = project / "site"
    if os.geteuid() != 0 or shutil.which("runuser") is None:  # reading as nobody needs root to switch users
        assert all(p.stat().st_mode & stat.S_IROTH for p in site.rglob("*"))
        return
    served = Path("/tmp") / f"nianbao-served-{os.getpid()}"  # pytest's own folders are 0700: publish a copy outside
    shutil.rmtree(served, ignore_errors=True)
    try:
        os.rename(site, served) if site.stat().st_dev == Path("/tmp").stat().st_dev else shutil.copytree(
            site, served, copy_function=shutil.copyfile)  # fmt: skip
        os.chmod(served, stat.S_IMODE(os.stat(served).st_mode))
        files = [str(p) for p in served.rglob("*") if p.is_file()]
        assert len(files) > 20
        read = subprocess.run(["runuser", "-u", "nobody", "--", "cat", *files], capture_output=True)
        assert read.returncode == 0, read.stderr.decode("utf-8", "replace")[:500]
    finally:
        shutil.rmtree(served, ignore_errors=True)


def test_leftovers_of_interrupted_builds_are_removed(project):
    for name in (".site-new-abc123", ".site-old-def456"):
        (project / name / "2024").mkdir(parents=True)
        (project / name / "2024" / "summary.html").write_text("half", encoding="utf-8")
    (project / ".site-notes").write_text("not a build folder", encoding="utf-8")  # a file: left alone
    assert _run("build", "--root", str(project)).returncode == 0
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == [".site-notes"]


def test_a_second_build_at_the_same_time_is_refused_with_a_message(project):
    with BuildLock(project):
        result = _run("build", "--root", str(project))
    assert result.returncode == 1 and "另一次网站生成正在进行" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_a_read_only_parent_folder_is_a_message(project, tmp_path):
    if not _can_make_immutable(tmp_path):
        pytest.skip("chattr +i is not allowed here (needs CAP_LINUX_IMMUTABLE)")
    parent = tmp_path / "public"
    parent.mkdir()
    _immutable(parent, True)
    try:
        result = _run("build", "--root", str(project), "--site-dir", str(parent / "site"))
    finally:
        _immutable(parent, False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "写入网站文件夹" in result.stderr and "不被允许" in result.stderr


def test_an_immutable_site_folder_is_a_message_and_stays_as_it_was(project, tmp_path):
    if not _can_make_immutable(tmp_path):
        pytest.skip("chattr +i is not allowed here (needs CAP_LINUX_IMMUTABLE)")
    assert _run("build", "--root", str(project)).returncode == 0
    site = project / "site"
    before = sorted(p.name for p in site.iterdir())
    _immutable(site, True)
    try:
        result = _run("build", "--root", str(project))
        assert sorted(p.name for p in site.iterdir()) == before
    finally:
        _immutable(site, False)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "chattr" in result.stderr
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site-")) == []


@pytest.mark.parametrize("value", ["abc", "2025-01-20", "1.5e9", "-1", "99999999999999999999", "١٢٣"])
def test_a_bad_source_date_epoch_is_a_message(project, value):
    env = dict(ENV, SOURCE_DATE_EPOCH=value)
    result = _run("build", "--root", str(project), env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "SOURCE_DATE_EPOCH" in result.stderr and "unset SOURCE_DATE_EPOCH" in result.stderr
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(project / "plain")], cwd=project,
                           env=env, capture_output=True, text=True)  # fmt: skip
    assert plain.returncode != 0 and "Traceback" not in plain.stderr and "SOURCE_DATE_EPOCH" in plain.stderr


def test_an_empty_source_date_epoch_means_the_last_commit(project):
    result = _run("build", "--root", str(project), env=dict(ENV, SOURCE_DATE_EPOCH=""))
    assert result.returncode == 0, result.stderr


def test_an_impossible_quoted_published_date_is_a_message(project):
    # Quoted, the date is text to YAML: the data check refuses it at its line, so neither the build nor the PDF of a
    # site built before the edit gets as far as printing it.
    assert build(project, strict=False).returncode == 0
    edition = project / "data/editions/2024/edition.yml"
    text = edition.read_text(encoding="utf-8")
    edition.write_text(text.replace("published: 2025-01-20", 'published: "2025-02-30"'), encoding="utf-8")
    built = build(project, strict=False)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert "yaml-invalid-date" in built.stderr and "2025-02-30" in built.stderr
    result = _run("pdf", "--site", str(project / "site"), "--root", str(project))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "2025-02-30" in result.stderr


@pytest.mark.browser
def test_a_full_disk_while_writing_a_pdf_is_a_message(browser, mini_site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(mini_site.parent, project, symlinks=True)
    pdf = project / "site" / "pdf"
    pdf.mkdir(exist_ok=True)
    (pdf / "2024.pdf").unlink(missing_ok=True)
    (pdf / "2024.pdf").symlink_to("/dev/full")  # every write there fails with ENOSPC, as on a full disk
    result = _run("pdf", "--site", str(project / "site"), "--root", str(project), "--edition", "2024")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "磁盘已满" in result.stderr
