"""Baselines (``--baseline FILE``): fingerprints of known findings, which are reported but do not fail.

A baseline is a JSON report of an earlier run (``ipcoop validate --format json``) or a text file of
one fingerprint a line (``#`` comments allowed). Anything else is refused rather than read as an
empty or partial baseline, which would silently fail or silently pass a run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ipcoop_data.read.files import MAX_BASELINE_BYTES, RefusedFile, read_bytes
from ipcoop_data.report.findings import Finding, Report

_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
#: A stale entry is named in the finding up to this many times; the count is always given.
SHOWN_STALE = 20


class BaselineError(Exception):
    """The baseline file cannot be used; the message names the file and, where it can, the line."""


def read_baseline(path: Path) -> set[str]:
    """Fingerprints from a JSON report or a list of fingerprints; BaselineError for anything else."""
    try:
        data = read_bytes(path, None, MAX_BASELINE_BYTES)
        text = data.decode("utf-8-sig")
    except RefusedFile as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.reason}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"baseline {path} is not UTF-8 text: not a report or a list of fingerprints") from None
    if text.lstrip().startswith("{"):
        return _from_report(path, text)
    fingerprints: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        first = stripped.split()[0]
        if not _FINGERPRINT.fullmatch(first):
            raise BaselineError(
                f"{path}:{number}: {first[:40]!r} is not a fingerprint (16 hex digits); a baseline is a JSON "
                "report of 'ipcoop validate --format json' or one fingerprint a line"
            )
        fingerprints.add(first)
    return fingerprints


def _from_report(path: Path, text: str) -> set[str]:
    try:
        findings = json.loads(text)["findings"]
        fingerprints = {f["fingerprint"] for f in findings}
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise BaselineError(f"{path}: not a JSON report of 'ipcoop validate --format json' ({exc})") from None
    bad = sorted(f for f in fingerprints if not (isinstance(f, str) and _FINGERPRINT.fullmatch(f)))
    if bad:
        raise BaselineError(f"{path}: {bad[0]!r} is not a fingerprint (16 hex digits)")
    return fingerprints


def stale_entries(report: Report) -> Finding | None:
    """One info finding listing the baseline's entries that no longer occur, or None."""
    gone = sorted(report.baseline - {f.fingerprint for f in report.findings})
    if not gone:
        return None
    shown = ", ".join(gone[:SHOWN_STALE]) + (f" and {len(gone) - SHOWN_STALE} more" if len(gone) > SHOWN_STALE else "")
    return Finding(
        "baseline-stale",
        "info",
        f"{len(gone)} baseline {'entry no longer occurs' if len(gone) == 1 else 'entries no longer occur'}: "
        f"{shown}; remove them from the baseline so that they cannot hide a finding that comes back",
        key=",".join(gone),
    )
