"""Consistency family: observations of one metric compared as intervals, in time; stale rulings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ipcoop_data.analysis.comparisons import DIFFERENCES, Comparison, comparisons_of
from ipcoop_data.checks.context import Context
from ipcoop_data.report.findings import Finding, Severity

_UNSETTLED: dict[str, Severity] = {"conflict": "error", "growth": "warning", "compatible": "info"}


def check(ctx: Context) -> Iterable[Finding]:
    comparisons = comparisons_of(ctx.dataset)
    yield from (_finding(ctx, c) for c in comparisons)
    yield from _stale_rulings(ctx, comparisons)


def _finding(ctx: Context, c: Comparison) -> Finding:
    severity: Severity = "info" if c.settled else _UNSETTLED[c.outcome]
    a, b = c.first, c.second
    sources = f"{a.citations[0].source if a.citations else '?'} vs {b.citations[0].source if b.citations else '?'}"
    message = (
        f"{c.metric.id}: {a.id} says {a.as_reported!r} ({a.when}) and {b.id} says {b.as_reported!r} "
        f"({b.when}) [{sources}]: {c.outcome}, {c.explanation}"
    )
    if c.ruling is not None and c.ruling.settles:
        message += f"; settled by ruling {c.ruling.id} ({c.ruling.decision})"
    elif c.ruling is not None:
        evidence = len(c.ruling.evidence)
        message += f"; open, with {evidence} piece{'s' if evidence != 1 else ''} of evidence (ruling {c.ruling.id})"
    elif c.outcome == "growth":
        message += "; add a ruling (decision both_stand) once the growth is confirmed"
    elif c.outcome == "conflict":
        message += "; fix the data or add a ruling with a reason"
    # The figures compared are part of the identity: changing 16 to 2 is a new finding, never one a
    # baseline or a ruling already accepted.
    key = f"{a.id}={a.qualifier}:{a.value}@{a.when}|{b.id}={b.qualifier}:{b.value}@{b.when}"
    return ctx.finding(f"metric-{c.outcome}", severity, message, b, "observation", ("value",), key=key)


def _stale_rulings(ctx: Context, comparisons: list[Comparison]) -> Iterator[Finding]:
    used = {c.ruling.id for c in comparisons if c.ruling is not None and c.outcome in DIFFERENCES}
    for ruling in ctx.dataset.rulings:
        if ruling.observations and ruling.id not in used:
            yield ctx.finding(
                "stale-ruling",
                "warning",
                f"ruling {ruling.id} settles {', '.join(ruling.observations)}, but they no longer differ "
                "(or cannot be compared): remove the ruling or update its observations",
                ruling,
                "ruling",
                ("observations",),
            )
