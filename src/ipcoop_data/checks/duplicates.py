"""Duplicates family: event records that look like one real-world event, reported as clusters.

Two events of one kind and year are suspects when their dates overlap, both are dated at least to
the month, and they share a series (without differing ordinals) or the same set of parties besides
ubiquitous ones (a party in over a third of the events: the office whose reports these are).
Events of two different series are never suspects: heads and deputy heads often meet in the same
week.

The suspect relation links records into clusters (its connected components), and each cluster is
one finding naming every member: a hundred records of one meeting are one finding, not 4,950, and
one ruling settles it. The clusters are found by a sweep over each group's events in date order,
never by comparing every two: O(n log n) however alike the records are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from ipcoop_data.checks.context import Context
from ipcoop_data.model.dates import Precision
from ipcoop_data.model.records import Event
from ipcoop_data.report.findings import Finding


def check(ctx: Context) -> Iterable[Finding]:
    events = sorted(ctx.dataset.events, key=lambda e: e.id)
    # A party in more than a third of a sizeable dataset's events (the office whose reports these
    # are) says nothing about whether two events are one.
    counts = Counter(p.id for e in events for p in {q.id: q for q in e.parties}.values())
    ubiquitous = {pid for pid, n in counts.items() if len(events) >= 30 and n * 3 > len(events)}
    clusters = _Clusters(len(events))
    for reason, group in _groups(events, ubiquitous).items():
        clusters.sweep(reason, group, events)
    for indexes, reasons in clusters.found():
        yield _finding(ctx, [events[i] for i in indexes], reasons)


#: A group of events that are suspects when their dates overlap, and the label that keeps two of
#: them apart (an ordinal in a series, a series among same-party events); None matches any label.
_Group = list[tuple[int, Hashable | None]]


def _groups(events: list[Event], ubiquitous: set[str]) -> dict[str, _Group]:
    groups: dict[str, _Group] = defaultdict(list)
    for i, event in enumerate(events):
        if event.date.precision < Precision.MONTH:
            continue
        where = f"{event.kind}@{event.date.year}"
        if event.series is not None:
            groups[f"{where}:series {event.series}"].append((i, event.ordinal))
        parties = frozenset(p.id for p in event.parties) - ubiquitous
        if parties:
            groups[f"{where}:parties {', '.join(sorted(parties))}"].append((i, event.series))
    return groups


@dataclass
class _Run:
    """Consecutive events of one label in a sweep, each overlapping an earlier one: one component."""

    member: int
    reaches: date


@dataclass
class _Clusters:
    """Union-find over event indexes, with the reasons that linked each component."""

    size: int
    parent: list[int] = field(init=False)
    reasons: dict[int, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.parent = list(range(self.size))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, reason: str) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[rb] = ra
            self.reasons.setdefault(ra, set()).update(self.reasons.pop(rb, set()))
        self.reasons.setdefault(ra, set()).add(reason)

    def sweep(self, reason: str, group: _Group, events: list[Event]) -> None:
        """Link the group's suspects: same label (or no label) and overlapping dates.

        In date order, an event overlaps some member of a run exactly when it starts no later than
        the furthest day the run reaches, so each event is linked to at most one run per label.
        """
        runs: dict[Hashable | None, _Run] = {}
        for i, label in sorted(group, key=lambda item: (events[item[0]].date.lower, item[0])):
            when = events[i].date
            if label is None:  # no label: a suspect of every label still running
                for ended in [k for k, r in runs.items() if r.reaches < when.lower]:
                    del runs[ended]  # nothing later starts before this one, so these runs are over
                matching = list(runs.values())
            else:
                matching = [r for r in (runs.get(label), runs.get(None)) if r is not None]
            for other in matching:
                if when.lower <= other.reaches:
                    self.union(other.member, i, reason)
            own = runs.get(label)
            if own is None or when.lower > own.reaches:
                runs[label] = _Run(i, when.upper)
            else:
                own.reaches = max(own.reaches, when.upper)

    def found(self) -> Iterator[tuple[list[int], set[str]]]:
        """Each component of two or more events (members in id order), with its reasons."""
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(self.size):
            members[self.root(i)].append(i)
        for root, indexes in sorted(members.items(), key=lambda item: item[1][0]):
            if len(indexes) > 1:
                yield indexes, self.reasons.get(root, set())


def _finding(ctx: Context, members: list[Event], reasons: set[str]) -> Finding:
    first = members[0]
    why = "; ".join(sorted({r.split(":", 1)[1] for r in reasons}))
    dates = sorted({str(e.date) for e in members})
    shown = ", ".join(f"{e.id} ({e.origin.file}:{e.origin.line})" if e.origin else e.id for e in members)
    return ctx.finding(
        "possible-duplicate",
        "warning",
        f"{len(members)} records may be one event: {shown}; all {first.kind}, dates "
        f"{', '.join(dates)} overlapping, same {why}; merge their citations into one record, or settle "
        "with a ruling",
        first,
        "event",
        key="|".join(e.id for e in members),
    )
