"""Render the coverage of the source texts (``ipcoop coverage``), and its summary for ``validate``."""

from __future__ import annotations

import json
import math
import os
from typing import Any

from ipcoop_data.analysis.coverage import Coverage, Measured, SourceCoverage
from ipcoop_data.report.findings import Finding, Report
from ipcoop_data.report.render import visible

#: Default width of a line of the text report; a unit longer than its place ends with an ellipsis.
WIDTH = 100
ELLIPSIS = "\u2026"


def percent(share: float | None) -> float | None:
    """A share as a percentage, rounded down to 0.1: never shown higher than it is (80.0% only
    when at least 80%, so that ``--fail-under 80`` and the number shown agree)."""
    return None if share is None else math.floor(share * 1000 + 1e-9) / 10


def _shown_percent(share: float | None) -> str:
    value = percent(share)
    return "-" if value is None else f"{value:.1f}%"


def _counts(units: int, counted: int, covered: int, excluded: int, share: float | None) -> dict[str, Any]:
    return {
        "units": units,
        "counted": counted,
        "covered": covered,
        "excluded": excluded,
        "uncovered": counted - covered - excluded,
        "covered_percent": percent(share),
    }


def _source_counts(s: SourceCoverage) -> dict[str, Any]:
    return {
        "source": s.source,
        "text": s.text_file,
        **_counts(len(s.units), len(s.counted), len(s.covered), len(s.excluded), s.share),
    }


def summary(coverage: Coverage) -> dict[str, Any]:
    """Counts per source and in all, for the JSON report of ``validate`` (no unit listed)."""
    covered, excluded, counted = coverage.totals()
    units = sum(len(s.units) for s in coverage.sources)
    return {
        "total": _counts(units, counted, covered, excluded, coverage.share),
        "sources": [_source_counts(s) for s in coverage.sources],
        "unmeasured": [{"source": source, "reason": reason} for source, reason in coverage.unmeasured],
    }


def _unit(m: Measured) -> dict[str, Any]:
    return {
        "line": m.unit.line,
        "offset": m.unit.offset,
        "end": m.unit.end,
        "kind": m.unit.kind,
        "text": m.unit.shown,
        "cues": [{"kind": c.kind, "text": c.text} for c in m.cues],
    }


def to_json(coverage: Coverage, report: Report) -> str:
    """Every source with its counts, its uncovered units and its excluded ones, and the findings."""
    document = summary(coverage)
    document["dataset"] = os.path.abspath(report.dataset) if report.dataset else ""
    for entry, s in zip(document["sources"], coverage.sources, strict=True):
        entry["uncovered_units"] = [_unit(m) for m in s.uncovered]
        entry["excluded_units"] = [_unit(m) | {"exclusion": m.excluded_by} for m in s.excluded]
    document["findings"] = [f.as_dict() for f in report.sorted()]
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut at a word to at most ``width`` characters with an ellipsis
    (``width`` 0: whole)."""
    text = " ".join(text.split())
    if width <= 0 or len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space > width * 2 // 3:  # end at a word unless that loses much
        cut = cut[:space]
    return cut.rstrip(" ,;:") + ELLIPSIS


def to_text(coverage: Coverage, report: Report, width: int = WIDTH) -> str:
    """A table of shares per source, then each source's uncovered units with line and offset."""
    lines = [
        "Coverage of the source texts by the quotes: units (sentences and captions) counted when they",
        "carry a date or a figure; share = covered / (counted - excluded)",
        "",
    ]
    name_width = max([len("source"), len("total"), *(len(s.source) for s in coverage.sources)])
    lines.append(
        f"{'source':<{name_width}}  {'share':>6}  {'covered':>7}  {'counted':>7}  {'excluded':>8}  "
        f"{'uncovered':>9}  {'units':>5}"
    )
    for s in coverage.sources:
        lines.append(_row(s.source, name_width, s.share, len(s.covered), len(s.counted), len(s.excluded), len(s.units)))
    covered, excluded, counted = coverage.totals()
    units = sum(len(s.units) for s in coverage.sources)
    if len(coverage.sources) > 1:
        lines.append(_row("total", name_width, coverage.share, covered, counted, excluded, units))
    for source, reason in coverage.unmeasured:
        lines.append(f"{visible(source):<{name_width}}  not measured: {visible(reason)}")
    for s in coverage.sources:
        uncovered = s.uncovered
        lines.append("")
        lines.append(
            f"{s.source} ({visible(s.text_file)}): "
            + (f"{len(uncovered)} uncovered" if uncovered else "every dated or numbered unit is covered")
        )
        if uncovered:
            lines.extend(_units(uncovered, width))
    excluded_units = [(s, m) for s in coverage.sources for m in s.excluded]
    if excluded_units:
        lines.append("")
        lines.append(f"excluded in coverage.yaml: {len(excluded_units)}")
        lines.append(f"  {'line':>5}  {'offset':>6}  exclusion: unit")
        for _s, m in excluded_units:
            prefix = f"  {m.unit.line:>5}  {m.unit.offset:>6}  {m.excluded_by}: "
            lines.append(visible(prefix + shorten(m.unit.shown, max(width - len(prefix), 20) if width else 0)))
    if report.findings:
        lines.append("")
        for f in report.sorted():
            lines.append(visible(f"{report.location(f)}: {f.severity} {f.code}: {f.message}"))
    errors, warnings = report.count("error"), report.count("warning")
    checked = len(coverage.exclusion_results())
    lines.append("")
    lines.append(
        f"coverage {_shown_percent(coverage.share)}: {covered} of {counted - excluded} dated or numbered units "
        f"covered ({excluded} excluded) in {_plural(len(coverage.sources), 'source text')}"
    )
    lines.append(f"exclusions: {checked} checked; findings: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}")
    return "\n".join(lines) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _row(name: str, width: int, share: float | None, covered: int, counted: int, excluded: int, units: int) -> str:
    uncovered = counted - covered - excluded
    return (
        f"{visible(name):<{width}}  {_shown_percent(share):>6}  {covered:>7}  {counted:>7}  {excluded:>8}  "
        f"{uncovered:>9}  {units:>5}"
    )


def _units(units: list[Measured], width: int) -> list[str]:
    out = [f"  {'line':>5}  {'offset':>6}  unit  [its dates and figures]"]
    for m in units:
        prefix = f"  {m.unit.line:>5}  {m.unit.offset:>6}  "
        found = "  [" + ", ".join(c.text for c in m.cues) + "]"
        room = max(width - len(prefix) - len(found), 20) if width > 0 else 0
        out.append(prefix + visible(shorten(m.unit.shown, room) + found))
    return out


def selected(coverage: Coverage, report: Report, source: str) -> tuple[Coverage, Report]:
    """Only what concerns ``source``: its coverage, and the findings about it or its exclusions."""
    kept = Coverage(
        [s for s in coverage.sources if s.source == source],
        [(sid, why) for sid, why in coverage.unmeasured if sid == source],
    )
    exclusions = {r.exclusion.id for s in kept.sources for r in s.exclusions}
    findings: list[Finding] = [
        f
        for f in report.findings
        if (f.record_type == "exclusion" and f.record_id in exclusions)
        or (f.record_type == "source" and f.record_id == source)
    ]
    return kept, Report(findings=findings, dataset=report.dataset)
