"""A content cache in the user's cache directory: signed entries, keyed by what went into them.

What is cached is what a run would compute again from the same bytes: the records of a file that
read cleanly (``read.load``) and the report of a whole unchanged dataset (``checks.cached``). An
entry is used only when its signature checks out with this machine's key and its key matches the
inputs exactly; anything else (a truncated, edited, foreign or older entry, an unreadable folder)
is ignored and recomputed, never trusted and never an error. Writes are atomic; a cache that
cannot be written is simply not written.

The signature (HMAC-SHA256 with a random key kept in the cache folder, readable by its owner only)
is what makes unpickling safe: only bytes this user's own runs wrote are ever loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sys
import tempfile
from pathlib import Path

from ipcoop_data.version import __version__

#: Bump when the layout of an entry changes: older entries then never match.
FORMAT = b"ipcoop-cache 2\n"
#: An entry larger than this is not read (nor written): the cache must not cost more than it saves.
MAX_ENTRY_BYTES = 1024 * 1024 * 1024
_KEY_FILE = "key"


def default_dir() -> Path:
    """``$IPCOOP_CACHE_DIR``, else the platform's user cache folder, ``ipcoop-data`` inside it."""
    given = os.environ.get("IPCOOP_CACHE_DIR")
    if given:
        return Path(given)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ipcoop-data"


def disabled_by_environment() -> bool:
    return os.environ.get("IPCOOP_NO_CACHE", "") not in ("", "0")


def code_identity() -> str:
    """What the cached results depend on besides the input: this package's code (its version, and
    the size and time of each module, so that an edited checkout never reuses an older run's
    results), the Python, and the versions of pydantic and PyYAML, whose messages findings quote."""
    parts = [__version__, sys.version, sys.platform]
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(package).as_posix()}:{st.st_size}:{st.st_mtime_ns}")
    parts.extend(_library_versions())
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _library_versions() -> list[str]:
    # The dist-info folder names carry the versions; listing site-packages is far cheaper than
    # importlib.metadata (about 80 ms) or importing the libraries themselves.
    import importlib.util

    found: list[str] = []
    for name in ("pydantic", "pydantic_core", "yaml"):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            found.append(f"{name}:missing")
            continue
        site = Path(spec.origin).parent.parent
        try:
            entries = sorted(e for e in os.listdir(site) if e.endswith((".dist-info", ".egg-info")))
        except OSError:
            entries = []
        prefix = {"pydantic": "pydantic-", "pydantic_core": "pydantic_core-", "yaml": "pyyaml-"}[name]
        found.extend(e for e in entries if e.lower().startswith(prefix))
        found.append(f"{name}:{spec.origin}")
    return found


class Cache:
    """Signed entries in one folder. ``get`` and ``put`` never raise for the cache's own sake."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else default_dir()
        self._key: bytes | None = None
        self._identity: str | None = None

    @property
    def identity(self) -> str:
        if self._identity is None:
            self._identity = code_identity()
        return self._identity

    def _signing_key(self, create: bool) -> bytes | None:
        if self._key is not None:
            return self._key
        path = self.folder / _KEY_FILE
        try:
            key = path.read_bytes()
        except OSError:
            key = b""
        if len(key) != 32:
            if not create:
                return None
            key = secrets.token_bytes(32)
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                _write_atomic(path, key, mode=0o600)
            except OSError:
                return None
        self._key = key
        return key

    def _entry(self, kind: str, slot: str) -> Path:
        # The slot (which file of which dataset) names the entry, so that a changed file replaces
        # its entry instead of adding one: the folder grows with the datasets, not with the edits.
        name = hashlib.sha256(f"{kind}\x1f{slot}".encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return self.folder / kind / name

    def get(self, kind: str, slot: str, key: str) -> bytes | None:
        """The payload stored for ``slot`` if it was stored under ``key`` by this user, else None."""
        signing = self._signing_key(create=False)
        if signing is None:
            return None
        try:
            with open(self._entry(kind, slot), "rb") as handle:
                data = handle.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        head = len(FORMAT) + 64 + 1
        if len(data) > MAX_ENTRY_BYTES or len(data) < head or not data.startswith(FORMAT):
            return None
        signature, body = data[len(FORMAT) : head - 1], data[head:]
        expected = hmac.new(signing, body, hashlib.sha256).hexdigest().encode("ascii")
        if not hmac.compare_digest(signature, expected):
            return None
        stored_key, sep, payload = body.partition(b"\n")
        full_key = self._full_key(key)
        if not sep or not hmac.compare_digest(stored_key, full_key):
            return None
        return payload

    def put(self, kind: str, slot: str, key: str, payload: bytes) -> None:
        if len(payload) > MAX_ENTRY_BYTES - 256:
            return
        signing = self._signing_key(create=True)
        if signing is None:
            return
        body = self._full_key(key) + b"\n" + payload
        signature = hmac.new(signing, body, hashlib.sha256).hexdigest().encode("ascii")
        target = self._entry(kind, slot)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(target, FORMAT + signature + b"\n" + body)
        except OSError:
            return

    def _full_key(self, key: str) -> bytes:
        return hashlib.sha256(f"{self.identity}\x1f{key}".encode("utf-8", "surrogatepass")).hexdigest().encode()


def _write_atomic(target: Path, data: bytes, mode: int = 0o644) -> None:
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
