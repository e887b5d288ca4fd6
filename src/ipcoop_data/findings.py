"""Findings (what a check found) and the Report that collects them."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
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
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]

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


@dataclass
class Report:
    """All findings of one validation run, plus what was validated."""

    findings: list[Finding] = field(default_factory=list)
    dataset: str = ""
    files: int = 0
    records: int = 0
    checks: list[str] = field(default_factory=list)
    #: What a reader should know about the run itself (e.g. whether quotes were checked).
    notes: list[str] = field(default_factory=list)
    #: Fingerprints of known findings (``--baseline``): reported, but they do not fail the run.
    baseline: set[str] = field(default_factory=set)
    #: Whether warnings fail the run too (``--strict``); summaries and exit codes follow it.
    strict: bool = False

    def shown_file(self, file: str | None) -> str | None:
        """A finding's file as a person or a CI runner opens it: relative to the working directory
        when the dataset is inside it, else absolute. Only for display: identity uses ``file``."""
        if file is None or not self.dataset:
            return file
        full = os.path.join(self.dataset, *file.split("/"))
        try:
            rel = os.path.relpath(full)
        except ValueError:  # another drive on Windows
            return full
        return full if rel.startswith("..") else rel

    def location(self, finding: Finding) -> str:
        """``file:line`` of a finding, the file as ``shown_file`` gives it."""
        if finding.file is None:
            return "<dataset>"
        shown = self.shown_file(finding.file)
        return f"{shown}:{finding.line}" if finding.line else str(shown)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def sorted(self) -> list[Finding]:
        """The findings in file, line, severity order; sorted once while the list stays as it is."""
        state = (id(self.findings), len(self.findings))
        cached = self.__dict__.get("_sorted")
        if cached is None or cached[0] != state:
            cached = (state, sorted(self.findings, key=sort_key))
            self.__dict__["_sorted"] = cached
        return list(cached[1])

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def new(self) -> list[Finding]:
        """Findings not in the baseline."""
        return [f for f in self.findings if f.fingerprint not in self.baseline]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.sorted() if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.sorted() if f.severity == "warning"]

    def by_code(self) -> Counter[str]:
        return Counter(f.code for f in self.findings)

    @property
    def unreadable(self) -> bool:
        return any(f.code in UNREADABLE_CODES for f in self.findings)

    def exit_code(self, strict: bool | None = None) -> int:
        """0: clean; 1: errors (or warnings with ``strict``, default ``self.strict``); 2: some input
        could not be read."""
        strict = self.strict if strict is None else strict
        if self.unreadable:
            return 2
        new = self.new()
        if any(f.severity == "error" for f in new) or (strict and any(f.severity == "warning" for f in new)):
            return 1
        return 0

    def ok(self, strict: bool | None = None) -> bool:
        return self.exit_code(strict) == 0

    def summary(self, strict: bool | None = None) -> str:
        """One line: OK or FAILED (as ``exit_code(strict)`` decides), then the counts."""

        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        code = self.exit_code(strict)
        status = "OK" if code == 0 else "INCOMPLETE" if code == 2 else "FAILED"
        known = len(self.findings) - len(self.new())
        baseline = f"; {known} known from the baseline" if self.baseline else ""
        strictly = "; warnings fail the run (--strict)" if (strict or self.strict) and self.count("warning") else ""
        return (
            f"{status}: {plural(self.count('error'), 'error')}, {plural(self.count('warning'), 'warning')}, "
            f"{self.count('info')} info in {plural(self.files, 'file')} "
            f"({plural(self.records, 'record')}, {len(self.checks)} check families){baseline}{strictly}"
        )
