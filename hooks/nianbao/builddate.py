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

# The largest stamp gzip and the ZIP/PDF dates can hold is far beyond this; a larger one is a typing slip.
MAX_EPOCH = 253402300799  # 9999-12-31 23:59:59 UTC


class BuildDateError(ValueError):
    """``SOURCE_DATE_EPOCH`` is set but is not a time stamp; the message says what to do, in Chinese."""


def last_commit_epoch(root: Path) -> str | None:
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                                timeout=20)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = result.stdout.strip()
    return stamp if result.returncode == 0 and stamp.isdigit() else None


def checked_epoch(value: str) -> str:
    """A ``SOURCE_DATE_EPOCH`` as the specification allows it: decimal digits, seconds since 1970 (surrounding spaces
    dropped); anything else raises BuildDateError instead of a traceback deep in MkDocs or gzip."""
    stamp = value.strip()
    if not stamp.isascii() or not stamp.isdigit() or int(stamp) > MAX_EPOCH:
        raise BuildDateError(
            f"环境变量 SOURCE_DATE_EPOCH 的值“{value[:40]}”不是时间戳:应是 1970 年以来的秒数(只含数字),"
            "如 1735689600。取消这个变量(unset SOURCE_DATE_EPOCH)即可用最近一次提交的时间。"
        )
    return stamp


def ensure_source_date_epoch(root: Path) -> str | None:
    """Set ``SOURCE_DATE_EPOCH`` for this process (and the programs it starts) from git unless already set.
    Raises BuildDateError when the caller set it to something that is not a time stamp."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        os.environ["SOURCE_DATE_EPOCH"] = checked_epoch(os.environ["SOURCE_DATE_EPOCH"])
        return os.environ["SOURCE_DATE_EPOCH"]
    stamp = last_commit_epoch(root)
    if stamp:
        os.environ["SOURCE_DATE_EPOCH"] = stamp
    else:
        os.environ.pop("SOURCE_DATE_EPOCH", None)  # set but empty (make outside git): MkDocs would fail on it
    return stamp
