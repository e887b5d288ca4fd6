"""Write files atomically: to a temporary file beside the target, then rename over it.

The rules every exporter follows through here:
- a failure, Ctrl-C or SIGTERM while writing leaves the previous file as it was, never a
  half-written one, and removes the temporary file (it is always beside the target, never in the
  system's temporary directory, so a SIGKILL leaves it where the user looks: ``.NAME.*.tmp``);
- only a regular file is ever replaced: a device, a directory, a FIFO or a socket at the target
  is refused (``RefusedTarget``), so ``--out /dev/null`` cannot destroy ``/dev/null``;
- a symlink is written through: its target is replaced and the link stays;
- an existing file keeps its permission bits; a new one gets the usual ``0o666 & ~umask``;
- inside ``batch()``, the renames wait until the whole batch has been written, so that
  ``export all`` replaces the previous files only when every format succeeded (a batch inside a
  batch joins the outer one).
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


class RefusedTarget(OSError):
    """The target exists and is not a regular file: it is never replaced."""


@dataclass
class _Pending:
    renames: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary file, target)


_BATCH: contextvars.ContextVar[_Pending | None] = contextvars.ContextVar("ipcoop_atomic_batch", default=None)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def resolve_target(target: str | os.PathLike[str]) -> tuple[Path, int]:
    """The file to replace (a symlink's target) and the mode it must end with.

    Raises RefusedTarget when something other than a regular file is there.
    """
    path = Path(target)
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return real, 0o666 & ~_umask()
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "a device, FIFO or socket"
        raise RefusedTarget(
            errno.EEXIST, f"{kind} is there, not a regular file; ipcoop replaces only regular files", str(path)
        )
    return real, stat.S_IMODE(st.st_mode)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; it replaces ``target`` only if the block succeeds."""
    real, mode = resolve_target(target)
    real.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    pending = _BATCH.get()
    handed_over = False  # renamed into place, or owned by the batch
    try:
        yield tmp
        os.chmod(tmp, mode)
        if pending is not None:
            pending.renames.append((tmp, real))
        else:
            os.replace(tmp, real)
        handed_over = True
    finally:
        if not handed_over:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Hold back every atomic replacement made inside until the block succeeds; then make them all.

    On failure nothing is replaced and every temporary file is removed. Inside another batch it
    joins that one: an exporter that writes several files batches them, and ``export all`` still
    replaces nothing until every format has succeeded.
    """
    if _BATCH.get() is not None:
        yield
        return
    pending = _Pending()
    token = _BATCH.set(pending)
    try:
        yield
    except BaseException:
        for tmp, _ in pending.renames:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        raise
    finally:
        _BATCH.reset(token)
    done = 0
    try:
        for tmp, real in pending.renames:
            os.replace(tmp, real)
            done += 1
    finally:
        for tmp, _ in pending.renames[done:]:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


@contextlib.contextmanager
def atomic_text(target: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """Open a text file for writing (UTF-8, LF line ends) that appears only when complete."""
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


def write_text(target: str | os.PathLike[str], text: str) -> None:
    with atomic_text(target) as handle:
        handle.write(text)
