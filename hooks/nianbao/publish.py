"""Atomic publishing: build the site in a temporary folder next to ``site/`` and swap it in only if the build succeeded.

``mkdocs build`` writes into its output folder as it goes, and ``--strict`` aborts only after every page is written, so
a failed build run straight into ``site/`` leaves a half-new or unchecked site behind. Here a failed build leaves the
previous ``site/`` exactly as it was, byte for byte, and a successful one replaces it in one step: on Linux both folders
are exchanged with ``renameat2(RENAME_EXCHANGE)``, so a web server reading ``site/`` never sees it missing; elsewhere
two renames follow each other (the old folder is put back if the second fails).

The engine never imports MkDocs: the build runs as ``python -m mkdocs build`` in a subprocess.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2). False when the system cannot; the caller then renames twice."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def swap_in(new: Path, site: Path) -> None:
    """Make ``new`` the site folder; the previous one (if any) is deleted afterwards."""
    if not site.exists():
        new.rename(site)
        return
    if _exchange(new, site):
        shutil.rmtree(new)  # now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site.parent))
    old.rmdir()
    site.rename(old)
    try:
        new.rename(site)
    except OSError:
        old.rename(site)
        raise
    shutil.rmtree(old)


def build(root: Path, site: Path | None = None, strict: bool = False, config: Path | None = None,
          extra_args: list[str] | None = None, stdout=None, stderr=None,
          before_swap: Callable[[Path], int] | None = None) -> int:  # fmt: skip
    """Run ``mkdocs build`` into a fresh folder next to ``site`` and swap it in on success. Returns MkDocs' exit code
    (or 1 if it reported success without writing a site). ``before_swap(new_folder)`` adds to the new site before it
    is published (the PDFs); a non-zero result keeps the old site, as a failed build does."""
    root = Path(root).resolve()
    site = (site if site is not None and Path(site).is_absolute() else root / (site or "site")).resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site.parent))
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(new)]
    cmd += ["--config-file", str(config or root / "mkdocs.yml")] + (["--strict"] if strict else []) + (extra_args or [])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    try:
        result = subprocess.run(cmd, cwd=root, env=env, stdout=stdout, stderr=stderr, check=False)
        code = result.returncode
        if code == 0 and not (new / "index.html").is_file():
            code = 1
        if code == 0 and before_swap is not None:
            code = before_swap(new)
        if code == 0:
            swap_in(new, site)
        return code
    finally:
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)
