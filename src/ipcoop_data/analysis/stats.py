"""Counts of what the dataset holds: records per type, and events and observations per source."""

from __future__ import annotations

from collections import Counter

from ipcoop_data.model.dataset import TABLES, Dataset


def per_source(dataset: Dataset) -> dict[str, tuple[int, int]]:
    """Source id -> (events citing it, observations citing it)."""
    events: Counter[str] = Counter()
    observations: Counter[str] = Counter()
    for event in dataset.events:
        for source in {c.source for c in event.citations}:
            events[source] += 1
    for obs in dataset.observations:
        for source in {c.source for c in obs.citations}:
            observations[source] += 1
    return {s.id: (events[s.id], observations[s.id]) for s in dataset.sources}


def stats_table(dataset: Dataset) -> str:
    lines = ["records"]
    for attr in TABLES.values():
        lines.append(f"  {attr:<16} {len(getattr(dataset, attr)):>6}")
    lines.append("")
    width = max((len(s.id) for s in dataset.sources), default=6)
    lines.append(f"{'source':<{width}}  {'events':>6}  {'observations':>12}  published")
    counts = per_source(dataset)
    for source in sorted(dataset.sources, key=lambda s: s.published):
        ev, ob = counts[source.id]
        lines.append(f"{source.id:<{width}}  {ev:>6}  {ob:>12}  {source.published}")
    return "\n".join(lines) + "\n"


def stats_json(dataset: Dataset) -> str:
    """The same counts as ``stats_table``, as JSON: records per table, then each source's counts."""
    import json

    counts = per_source(dataset)
    document = {
        "records": {attr: len(getattr(dataset, attr)) for attr in TABLES.values()},
        "sources": [
            {"id": s.id, "events": counts[s.id][0], "observations": counts[s.id][1], "published": s.published.text}
            for s in sorted(dataset.sources, key=lambda s: s.published)
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
