"""The Report that collects the findings of one run (Finding itself is in ``model.finding``)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ipcoop_data.model.finding import SEVERITY_ORDER, UNREADABLE_CODES, Finding, Severity, sort_key
from ipcoop_data.report.codes import family_of

if TYPE_CHECKING:
    from ipcoop_data.analysis.coverage import Coverage

__all__ = ["SEVERITY_ORDER", "UNREADABLE_CODES", "Finding", "Report", "Severity", "sort_key"]


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
    #: How much of each source text the quotes cover (None when no text was read).
    coverage: Coverage | None = None
    #: Sections of the JSON report beside the findings, made with the run (``coverage``: its
    #: counts); kept as JSON so that a report from the cache renders the same bytes.
    sections: dict[str, Any] = field(default_factory=dict)

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
        """Findings not in the baseline. An error of the schema family (a record that could not be
        read, and so is missing from every export) is always new: a baseline never hides it."""
        return [
            f
            for f in self.findings
            if f.fingerprint not in self.baseline or (f.severity == "error" and family_of(f.code) == "schema")
        ]

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
