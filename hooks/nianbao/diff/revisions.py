"""Read one revision of a project with git: ``git archive`` into a temporary folder, never a checkout.

The project may be a sub-folder of the repository (``--root``); the same sub-folder is read at the revision.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# What a revision needs for the comparison: the data and the pages. Templates only shape blocks, which the diff skips.
PROJECT_PATHS = ("data", "docs")


class RevisionError(Exception):
    """A revision cannot be read (not a repository, unknown name, no data/ folder). The message is Chinese."""


@dataclass(frozen=True)
class Revision:
    name: str | None  # as given by the user; None = the working tree
    commit: str | None  # full hash; None = the working tree
    head: str | None = None  # for the working tree: the commit it is based on
    dirty: bool = False  # for the working tree: data/ or docs/ differ from that commit

    @property
    def label(self) -> str:
        if self.commit is None:
            if self.head is None:
                return "工作区"
            state = "加未提交的修改" if self.dirty else "无未提交的修改"
            return f"工作区(HEAD {self.head[:10]},{state})"
        short = self.commit[:10]
        return short if self.name in (None, self.commit) else f"{self.name}({short})"

    def as_dict(self) -> dict:
        return {"name": self.name, "commit": self.commit, "label": self.label, "working_tree": self.commit is None,
                "dirty": self.dirty}  # fmt: skip


def _git(root: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("没有找到 git 命令:请先安装 git(Debian:apt-get install git)") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git {args[0]} 失败:{message[-1] if message else result.returncode}")
    return result.stdout


def resolve(root: Path, name: str | None) -> Revision:
    """The commit a name (branch, tag, hash, HEAD~1 …) points to; None means the working tree."""
    try:
        _git(root, "rev-parse", "--is-inside-work-tree")
    except RevisionError:
        raise RevisionError(f"{root} 不在 git 仓库中:nianbao diff 需要用 git 读取两个版本") from None
    if name is None:
        head = _git(root, "rev-parse", "HEAD").decode().strip()
        # Untracked files count too: a new page or edition not yet added is part of the working tree.
        status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *PROJECT_PATHS)
        return Revision(None, None, head, bool(status.strip()))
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    except RevisionError:
        raise RevisionError(f"找不到版本“{name}”:请写分支名、标签或提交号,如 main、origin/main、HEAD~1") from None
    return Revision(name, commit.decode().strip())


@contextmanager
def checked_out(root: Path, revision: Revision) -> Iterator[Path]:
    """A folder with the project's data/ and docs/ as they are at ``revision`` (the working tree itself for None)."""
    if revision.commit is None:
        yield root
        return
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip().rstrip("/")
    # ls-tree and archive limit themselves to the current folder when run inside one: run them at the top.
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    tree = f"{revision.commit}:{prefix}"
    names = set(_git(top, "ls-tree", "--name-only", tree).decode().splitlines())
    present = [name for name in PROJECT_PATHS if name in names]
    if "data" not in present:
        where = f"{prefix}/data/" if prefix else "data/"
        raise RevisionError(f"版本 {revision.label} 中没有 {where} 文件夹,无法比较")
    archive = _git(top, "archive", "--format=tar", tree, "--", *present)
    with tempfile.TemporaryDirectory(prefix="nianbao-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            # The "data" filter refuses links and paths outside the folder (Python >= 3.11.4).
            kwargs = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(folder, **kwargs)
        yield Path(folder)
