"""Shared test helpers: build a fixture project with the real MkDocs, serve it, drive the real Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The sample park the tests build: a copy of the shipped sample, so that an office that replaces data/ and docs/ with
# its own park (nianbao init) keeps a green make test.
SAMPLE = FIXTURES / "qingxi"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


def copy_project(source: Path, dest: Path) -> Path:
    """Copy a project's data/ and docs/ and give it a mkdocs.yml that uses this checkout's hooks and overrides."""
    for name in ("data", "docs"):
        shutil.copytree(source / name, dest / name)
    write_config(dest)
    return dest


def write_config(dest: Path) -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("hooks/mkdocs_hooks.py", str(REPO / "hooks" / "mkdocs_hooks.py"))
    config = config.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
    config = config.replace("  - hooks\n  - overrides\n", "")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")


def build(project: Path, site: Path | None = None, strict: bool = True) -> subprocess.CompletedProcess:
    site = site or project / "site"
    cmd = [sys.executable, "-m", "mkdocs", "build", "-d", str(site)] + (["--strict"] if strict else [])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1735689600")
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    project = copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("mini") / "project")
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample park (tests/fixtures/qingxi), built strictly from a copy."""
    project = copy_project(SAMPLE, tmp_path_factory.mktemp("sample") / "project")
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture
def serve():
    """serve(folder) -> base URL on 127.0.0.1; the server stops after the test."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium found: .ci/run installs Debian's chromium; install it.")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


ARTIFACTS = REPO / "tests" / "_artifacts"
