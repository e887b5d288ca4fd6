"""Read a file only if it is a regular file inside a given root, and only up to a size cap.

Everything the dataset names is read through here, so that no record, symlink or special file can
make ipcoop read outside the dataset, block on a FIFO, or exhaust memory on ``/dev/zero``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Caps on what one file may cost. The largest bundled text is 55 KB and the largest YAML file of
#: the 100k-event benchmark about 30 MB; these leave ample room and still bound memory.
MAX_TEXT_BYTES = 16 * 1024 * 1024
MAX_YAML_BYTES = 256 * 1024 * 1024
MAX_BASELINE_BYTES = 256 * 1024 * 1024


class RefusedFile(Exception):
    """The file was not read: ``reason`` says why, in words a curator can act on."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symlink resolved, lies within ``root`` (also resolved)."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def refusal(path: Path, root: Path | None) -> str | None:
    """Why ``path`` may not be read, or None when it may (without reading it); ``root``, when given,
    is the folder it must lie inside once symlinks are resolved."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if os.path.islink(path):
            return "it is a symlink that leads nowhere (its target is missing, or it loops)"
        return f"it cannot be read ({exc.strerror})"
    if root is not None and not inside(path, root):
        return "it is a symlink to a file outside the dataset; only files inside the dataset are read"
    if stat.S_ISDIR(mode):
        return "it is a directory, not a file"
    if not stat.S_ISREG(mode):
        return "it is not a regular file (a device, FIFO or socket)"
    return None


def read_bytes(path: Path, root: Path | None, limit: int) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes, and inside
    ``root`` unless ``root`` is None (a file the user named, such as a baseline)."""
    reason = refusal(path, root)
    if reason is not None:
        raise RefusedFile(path, reason)
    try:
        # O_NONBLOCK: a FIFO swapped in after the check above must not hang the read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise RefusedFile(path, f"it cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise RefusedFile(path, "it is not a regular file (a device, FIFO or socket)")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise RefusedFile(path, f"it cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise RefusedFile(path, f"it is larger than {limit // (1024 * 1024)} MiB, the most a file may be")
    return data
