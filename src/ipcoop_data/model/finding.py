"""A Finding: what a check (or the loader) found, pointing at the record, file and line at fault.

In the model because reading makes findings too; the Report that collects them is in ``report``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}

#: Codes of findings that mean a file could not be read at all (validation is incomplete: exit 2).
UNREADABLE_CODES = frozenset(
    {
        "file-unreadable",
        "file-refused",
        "file-encoding",
        "file-control-character",
        "yaml-syntax",
        "yaml-unsafe-tag",
        "yaml-alias-expansion",
        "yaml-too-deep",
    }
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found, pointing at the record (and its file and line) at fault."""

    code: str
    severity: Severity
    message: str
    record_id: str | None = None
    file: str | None = None
    line: int | None = None
    record_type: str | None = None
    #: What distinguishes two findings of one code on one record; defaults to the message.
    key: str | None = None
    #: Stable identity across runs (see ``_fingerprint``); computed once, when the finding is made.
    fingerprint: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", self._fingerprint())

    def _fingerprint(self) -> str:
        """Independent of line numbers, so edits elsewhere keep it.

        A finding about a record without an id has nothing but its place to tell it from the next
        one: its line is part of its identity, so fifty id-less records are fifty findings.
        """
        where = self.file or ""
        if self.record_id is None and self.line is not None:
            where += f":{self.line}"
        basis = "\x1f".join([self.code, self.record_type or "", self.record_id or "", where, self.key or self.message])
        # surrogatepass: a name that is not UTF-8 (read as surrogates) still has an identity
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def location(self) -> str:
        if self.file is None:
            return "<dataset>"
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "file": self.file,
            "line": self.line,
            "fingerprint": self.fingerprint,
        }


def sort_key(f: Finding) -> tuple[object, ...]:
    return (f.file or "", f.line or 0, SEVERITY_ORDER[f.severity], f.code, f.record_id or "", f.message)
