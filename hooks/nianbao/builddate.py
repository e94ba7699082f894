"""The build date of a reproducible build: ``SOURCE_DATE_EPOCH`` if the caller set it, else the last commit's time.

MkDocs (sitemap dates, the gzip header of sitemap.xml.gz) and the PDF metadata read ``SOURCE_DATE_EPOCH`` and fall
back to the clock. Taking the date from git when it is unset makes every way of building — ``make site``,
``nianbao build``, a plain ``mkdocs build`` — give the same bytes for the same commit.
https://reproducible-builds.org/specs/source-date-epoch/
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def last_commit_epoch(root: Path) -> str | None:
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                                timeout=20)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = result.stdout.strip()
    return stamp if result.returncode == 0 and stamp.isdigit() else None


def ensure_source_date_epoch(root: Path) -> str | None:
    """Set ``SOURCE_DATE_EPOCH`` for this process (and the programs it starts) from git unless already set."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    stamp = last_commit_epoch(root)
    if stamp:
        os.environ["SOURCE_DATE_EPOCH"] = stamp
    return stamp
