"""Atomic publishing: build the site in a temporary folder next to ``site/`` and swap it in only if the build succeeded.

``mkdocs build`` writes into its output folder as it goes, and ``--strict`` aborts only after every page is written, so
a failed build run straight into ``site/`` leaves a half-new or unchecked site behind. Here a failed build leaves the
previous ``site/`` exactly as it was, byte for byte, and a successful one replaces it in one step: on Linux both folders
are exchanged with ``renameat2(RENAME_EXCHANGE)``, so a web server reading ``site/`` never sees it missing; elsewhere
two renames follow each other (the old folder is put back if the second fails).

The published folder gets ordinary permissions — folders 0755, files 0644, less what the umask takes away — so that a
web server running as another user can read it (``tempfile.mkdtemp`` makes 0700). A build holds a lock on the folder
that contains ``site/``, so that ``.site-new-*`` and ``.site-old-*`` folders found there belong to interrupted builds
and are removed. Faults of the machine (a read-only or full disk, a missing permission) raise ``PublishError`` with a
Chinese message instead of a traceback.

The engine never imports MkDocs: the build runs as ``python -m mkdocs build`` in a subprocess.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100
LEFTOVER_PREFIXES = (".site-new-", ".site-old-")


class PublishError(RuntimeError):
    """The site could not be written or swapped in for a reason of the machine; the message is Chinese."""


def describe_os_error(exc: OSError, doing: str) -> str:
    """A Chinese sentence for an OSError: what failed, why, and what to do."""
    where = exc.filename or ""
    reasons = {
        errno.ENOSPC: ("磁盘已满", "清理磁盘空间后重试"),
        errno.EDQUOT: ("超出了磁盘配额", "清理文件或请管理员提高配额后重试"),
        errno.EROFS: ("磁盘或文件夹是只读的", "换一个可以写入的文件夹,或请管理员取消只读"),
        errno.EACCES: ("没有写入权限", "检查这个文件夹的所有者和权限(ls -ld),或换一个文件夹"),
        errno.EPERM: ("操作不被允许(文件夹可能被设为不可修改,chattr +i)", "请管理员检查这个文件夹的属性(lsattr -d)"),
        errno.EBUSY: ("文件夹正被其他程序使用", "关闭正在使用它的程序(如网页服务器的挂载)后重试"),
    }  # fmt: skip
    reason, advice = reasons.get(exc.errno, (exc.strerror or type(exc).__name__, "检查磁盘和文件夹后重试"))
    return f"{doing}失败:{reason}{'(' + str(where) + ')' if where else ''}。{advice}。"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publishable_modes(folder: Path) -> None:
    """Folders 0755 and files 0644 (less the umask), the folder itself included; links are left alone."""
    mask = _umask()
    dir_mode, file_mode = 0o755 & ~mask, 0o644 & ~mask
    os.chmod(folder, dir_mode)
    for where, dirs, files in os.walk(folder):
        for name in dirs:
            path = os.path.join(where, name)
            if not os.path.islink(path):
                os.chmod(path, dir_mode)
        for name in files:
            path = os.path.join(where, name)
            if not os.path.islink(path):
                os.chmod(path, file_mode)


def remove_leftovers(parent: Path) -> list[str]:
    """The ``.site-new-*``/``.site-old-*`` folders of interrupted builds (call with the build lock held)."""
    removed = []
    for path in sorted(parent.iterdir()):
        if path.name.startswith(LEFTOVER_PREFIXES) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


class BuildLock:
    """An exclusive lock on the folder that holds site/: one build at a time publishes there."""

    def __init__(self, parent: Path):
        self.parent = parent
        self.fd: int | None = None

    def __enter__(self) -> BuildLock:
        self.fd = os.open(self.parent, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise PublishError(f"{self.parent} 中另一次网站生成正在进行:请等它结束后再试。") from None
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)


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
        shutil.rmtree(new, ignore_errors=True)  # now holds the previous site; what stays is removed by the next build
        return
    old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site.parent))
    old.rmdir()
    site.rename(old)
    try:
        new.rename(site)
    except OSError:
        old.rename(site)
        raise
    shutil.rmtree(old, ignore_errors=True)


def build(root: Path, site: Path | None = None, strict: bool = False, config: Path | None = None,
          extra_args: list[str] | None = None, stdout=None, stderr=None,
          before_swap: Callable[[Path], int] | None = None) -> int:  # fmt: skip
    """Run ``mkdocs build`` into a fresh folder next to ``site`` and swap it in on success. Returns MkDocs' exit code
    (or 1 if it reported success without writing a site). ``before_swap(new_folder)`` adds to the new site before it
    is published (the PDFs); a non-zero result keeps the old site, as a failed build does. Raises PublishError when the
    machine does not let the site be written (the previous site is then kept too)."""
    root = Path(root).resolve()
    site = (site if site is not None and Path(site).is_absolute() else root / (site or "site")).resolve()
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        with BuildLock(site.parent):
            remove_leftovers(site.parent)
            return _build_locked(root, site, strict, config, extra_args, stdout, stderr, before_swap)
    except OSError as exc:
        raise PublishError(describe_os_error(exc, f"写入网站文件夹 {site}")) from None


def _build_locked(root, site, strict, config, extra_args, stdout, stderr, before_swap) -> int:
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
            publishable_modes(new)
            swap_in(new, site)
        return code
    finally:
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)
