"""The discrepancies report: every difference between figures of one quantity, settled or not."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from ipcoop_data.analysis.comparisons import Comparison, comparisons_of
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.records import Observation

_ORDER = {"conflict": 0, "growth": 1, "compatible": 2, "agree": 3}


def comparisons(dataset: Dataset, include_agreement: bool = False) -> list[Comparison]:
    """The differences, conflicts first."""
    items = comparisons_of(dataset, include_agreement=include_agreement)
    return sorted(items, key=lambda c: (_ORDER[c.outcome], c.metric.id, c.first.id, c.second.id))


def status(c: Comparison) -> str:
    """settled (a ruling covers it), open (a conflict or growth awaiting one), or consistent."""
    if c.settled:
        return "settled"
    return "open" if c.outcome in ("conflict", "growth") else "consistent"


def _side(obs: Observation) -> dict[str, Any]:
    citation = obs.citations[0] if obs.citations else None
    return {
        "observation": obs.id,
        "as_reported": obs.as_reported,
        "value": format(obs.value.normalize(), "f"),
        "qualifier": obs.qualifier,
        "when": obs.when.text,
        "source": citation.source if citation else None,
        "quote": citation.quote if citation else None,
        "file": obs.origin.file if obs.origin else None,
        "line": obs.origin.line if obs.origin else None,
    }


def as_records(items: list[Comparison]) -> list[dict[str, Any]]:
    out = []
    for c in items:
        out.append(
            {
                "metric": c.metric.id,
                "label": c.metric.label,
                "subject": c.first.subject,
                "outcome": c.outcome,
                "explanation": c.explanation,
                "status": status(c),
                "ruling": None
                if c.ruling is None
                else {
                    "id": c.ruling.id,
                    "decision": c.ruling.decision,
                    "reason": c.ruling.reason,
                    "evidence": [
                        {"source": e.source, "locator": e.locator, "quote": e.quote} for e in c.ruling.evidence
                    ],
                },
                "first": _side(c.first),
                "second": _side(c.second),
            }
        )
    return out


def to_json(items: list[Comparison]) -> str:
    return json.dumps({"discrepancies": as_records(items)}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_text(items: list[Comparison], width: int = 100) -> str:
    if not items:
        return "No differences between figures of the same quantity.\n"
    lines: list[str] = []
    header = f"{'outcome':<11} {'status':<10} {'metric':<40} {'first':<30} {'second':<30}"
    lines.append(header)
    lines.append("-" * len(header))
    for c in items:
        metric = c.metric.id + (f" [{c.first.subject}]" if c.first.subject else "")
        first, second = _short(c.first), _short(c.second)
        lines.append(f"{c.outcome:<11} {status(c):<10} {metric[:40]:<40} {first:<30} {second:<30}".rstrip())
        for label, obs in (("first ", c.first), ("second", c.second)):
            citation = obs.citations[0] if obs.citations else None
            source = citation.source if citation else "?"
            lines.append(f"    {label}: {obs.as_reported!r} as of {obs.when}, {source}")
            if citation:
                lines.extend(
                    textwrap.wrap(
                        f'"{citation.quote}"', width, initial_indent="            ", subsequent_indent="             "
                    )
                )
        lines.append(f"    why: {c.explanation}")
        if c.ruling is not None:
            lines.extend(
                textwrap.wrap(
                    f"ruling {c.ruling.id} ({c.ruling.decision}): {c.ruling.reason}",
                    width,
                    initial_indent="    ",
                    subsequent_indent="      ",
                )
            )
            for e in c.ruling.evidence:
                where = f"{e.source}, {e.locator}" if e.locator else e.source
                lines.append(f"    evidence ({where}):")
                lines.extend(
                    textwrap.wrap(
                        f'"{e.quote}"', width, initial_indent="            ", subsequent_indent="             "
                    )
                )
        lines.append("")
    counts: dict[str, int] = {}
    for c in items:
        counts[c.outcome] = counts.get(c.outcome, 0) + 1
    settled = sum(1 for c in items if c.settled)
    still_open = sum(1 for c in items if status(c) == "open")
    summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    lines.append(f"{len(items)} differences ({summary}); {settled} settled by rulings, {still_open} open")
    return "\n".join(lines) + "\n"


def _short(obs: Observation) -> str:
    return f"{obs.as_reported} ({obs.when})"[:30]
