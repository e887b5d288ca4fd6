"""Coverage family: measure how much of each source text the quotes cover, and check the exclusions.

The measure itself is in ``analysis.coverage``; it is made once per run, kept on the context for
the report (``validate --format json`` shows it, ``ipcoop coverage`` lists the units), and the only
findings are about the curators' exclusions in ``coverage.yaml``: one whose words are not in its
source (an error, like a quote not found) and one that no longer leaves anything out (a warning).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ipcoop_data.analysis.coverage import Coverage, ExclusionResult, measure
from ipcoop_data.checks import provenance
from ipcoop_data.checks.context import Context
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.report.codes import family_of
from ipcoop_data.report.findings import Finding, Report


def check(ctx: Context) -> Iterable[Finding]:
    # The texts are read by the quote check, which reports what cannot be read; read alone (when
    # only this family runs) those findings are the provenance family's, not repeated here.
    for _finding in provenance.read_texts(ctx):
        pass
    ctx.coverage = coverage_of(ctx)
    if ctx.coverage is not None:
        yield from exclusion_findings(ctx, ctx.coverage)


#: What ``ipcoop coverage`` shows beside the units: the findings about exclusions and about texts.
_SHOWN_CODES = frozenset({"source-text-missing", "source-text-refused", "source-text-changed", "sources-dir-missing"})


def measured(dataset: Dataset, sources_dir: Path | None = None) -> tuple[Coverage | None, Report]:
    """The coverage of ``dataset``'s texts (or those in ``sources_dir``), with the findings that
    bear on it: the exclusions' (this family's and a dangling source) and the texts' (unreadable,
    changed). For ``ipcoop coverage``; ``validate`` measures the same once, in ``check``."""
    from ipcoop_data.checks import validate

    report = validate(dataset, sources_dir=sources_dir, families=["integrity", "provenance", "coverage"])
    report.findings = [
        f
        for f in report.findings
        if family_of(f.code) == "coverage"
        or f.code in _SHOWN_CODES
        or (f.code == "dangling-reference" and f.record_type == "exclusion")
    ]
    return report.coverage, report


def coverage_of(ctx: Context) -> Coverage | None:
    """The coverage of the texts read into ``ctx``, or None when none could be read."""
    if not ctx.raw_texts:
        return None
    return measure(ctx.dataset, ctx.raw_texts)


def exclusion_findings(ctx: Context, coverage: Coverage) -> Iterator[Finding]:
    for result in coverage.exclusion_results():
        finding = _finding(ctx, result)
        if finding is not None:
            yield finding


def _finding(ctx: Context, result: ExclusionResult) -> Finding | None:
    exclusion = result.exclusion
    source = ctx.dataset.source(exclusion.source)
    text_file = source.text if source is not None else "?"
    who = f"exclusion {exclusion.id}"
    if result.status == "not-found":
        return ctx.finding(
            "coverage-exclusion-not-found",
            "error",
            f"{who}: text not found in {exclusion.source} ({text_file}): {_short(exclusion.text)!r}; copy the "
            "unit's words from the source text as they stand",
            exclusion,
            "exclusion",
            ("text",),
        )
    if result.status == "covered" and result.covered is not None:
        unit, (record_type, record_id) = result.covered
        return ctx.finding(
            "coverage-exclusion-stale",
            "warning",
            f"{who}: the unit at line {unit.line} of {text_file} ({_short(unit.shown)!r}) is covered by the "
            f"quote of {record_type} {record_id}; remove the exclusion",
            exclusion,
            "exclusion",
            key="covered",
        )
    if result.status == "nothing-counted":
        return ctx.finding(
            "coverage-exclusion-stale",
            "warning",
            f"{who}: the text it names has no date or figure, so coverage does not count it; remove the exclusion",
            exclusion,
            "exclusion",
            key="nothing-counted",
        )
    return None


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"
