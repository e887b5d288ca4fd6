"""A digest of everything a validation run reads, taken without parsing anything.

Two runs with the same digest read the same bytes: every YAML file's and every source text's
content, and the names, kinds and sizes of everything else under the dataset folder (a stray or
hidden file changes the findings too). When the folder holds anything that is not a plain file
or folder (a symlink, a FIFO, a file over the caps), there is no digest: such a run is checked in
full, every time, because what it reads depends on more than bytes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ipcoop_data.read.files import MAX_TEXT_BYTES, MAX_YAML_BYTES

_HASHED_SUFFIXES = (".yaml", ".yml")


def snapshot(root: Path, texts_dir: Path | None) -> str | None:
    """The digest of ``root`` (and of ``texts_dir`` when it lies elsewhere), or None (see above)."""
    digest = hashlib.sha256()
    real_root = os.path.realpath(root)
    if not _walk(Path(real_root), digest, texts_dir=None):
        return None
    if texts_dir is not None:
        real_texts = os.path.realpath(texts_dir)
        digest.update(b"\x00texts\x00" + os.fsencode(real_texts))
        inside = real_texts == real_root or real_texts.startswith(real_root.rstrip(os.sep) + os.sep)
        if not inside and os.path.isdir(real_texts) and not _walk(Path(real_texts), digest, texts_dir=Path(real_texts)):
            return None
    return digest.hexdigest()


def _walk(top: Path, digest: hashlib._Hash, texts_dir: Path | None) -> bool:
    texts = texts_dir if texts_dir is not None else top / "texts"
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        here = Path(dirpath)
        for name in sorted(filenames) + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = here / name
            try:
                st = os.lstat(path)
            except OSError:
                return False
            if not stat.S_ISREG(st.st_mode):
                return False
            rel = os.fsencode(path.relative_to(top).as_posix())
            digest.update(b"\x00f\x00" + rel + b"\x00" + str(st.st_size).encode())
            is_text = here == texts
            if is_text or path.suffix.lower() in _HASHED_SUFFIXES:
                if st.st_size > (MAX_TEXT_BYTES if is_text else MAX_YAML_BYTES):
                    return False
                try:
                    digest.update(_file_sha256(path))
                except OSError:
                    return False
            else:
                digest.update(str(st.st_mtime_ns).encode())
        for name in dirnames:
            digest.update(b"\x00d\x00" + os.fsencode((here / name).relative_to(top).as_posix()))
    return True


def _file_sha256(path: Path) -> bytes:
    # O_NONBLOCK: a FIFO swapped in after the lstat above must not hang the run.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError("not a regular file")
        return hashlib.file_digest(handle, "sha256").digest()
