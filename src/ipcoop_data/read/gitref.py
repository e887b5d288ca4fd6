"""A dataset folder as it was at a git ref, extracted into a temporary folder for ``ipcoop diff``."""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from pathlib import Path


class GitRefError(Exception):
    """The ref, the repository or git itself is not usable: the message says which."""


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=300)
    except FileNotFoundError:
        raise GitRefError("git is not installed: give two dataset folders instead of a ref") from None
    except subprocess.TimeoutExpired:
        raise GitRefError(f"git {' '.join(args[:1])} took more than 5 minutes") from None


def extract_at_ref(ref: str, dataset: Path, into: Path) -> Path:
    """Write ``dataset`` (a folder inside a git work tree) as it was at ``ref`` under ``into``;
    return the extracted dataset folder."""
    if ref.startswith("-"):
        raise GitRefError(f"{ref!r} is not a git ref")  # never an option to git
    top = _git(["rev-parse", "--show-toplevel"], dataset)
    if top.returncode != 0:
        raise GitRefError(f"{dataset} is not inside a git repository, so {ref!r} cannot be looked up")
    root = Path(os.fsdecode(top.stdout.strip()))
    relative = Path(os.path.realpath(dataset)).relative_to(os.path.realpath(root)).as_posix()
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], root)
    if commit.returncode != 0:
        raise GitRefError(f"no commit {ref!r} in {root}")
    sha = commit.stdout.decode().strip()
    archive = _git(["archive", "--format=tar", sha, "--", relative or "."], root)
    if archive.returncode != 0:
        message = archive.stderr.decode("utf-8", "replace").strip()
        raise GitRefError(f"{relative or '.'} is not in {ref!r} ({message})")
    with tempfile.TemporaryFile() as handle:
        handle.write(archive.stdout)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            # The 'data' filter refuses absolute paths, '..', links out and device files.
            tar.extractall(into, filter="data")
    return into / relative if relative else into
