"""Duplicates family: two event records that look like one real-world event.

Events are grouped by kind and year first, and within a group only events that share a series or
a set of parties are paired, so the pairwise look stays within small groups. Two events of one
kind are suspects when their dates overlap, both are dated at least to the month, and they share
a series (without differing ordinals) or the same set of parties besides ubiquitous ones (a party
in over a third of the events: the office whose reports these are). Events of two different
series are never suspects: heads and deputy heads often meet in the same week.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from itertools import combinations

from ..dates import Precision
from ..findings import Finding
from ..models import Event
from .context import Context


def check(ctx: Context) -> Iterable[Finding]:
    events = ctx.dataset.events
    # A party in more than a third of a sizeable dataset's events (the office whose reports these
    # are) says nothing about whether two events are one.
    counts = Counter(p.id for e in events for p in {q.id: q for q in e.parties}.values())
    ubiquitous = {pid for pid, n in counts.items() if len(events) >= 30 and n * 3 > len(events)}
    groups: dict[tuple[str, int], list[Event]] = defaultdict(list)
    for event in events:
        if event.date.precision >= Precision.MONTH:
            groups[(event.kind, event.date.year)].append(event)
    for key in sorted(groups):
        yield from _pairs(ctx, groups[key], ubiquitous)


def _candidates(events: list[Event], ubiquitous: set[str]) -> list[tuple[int, int]]:
    """Index pairs of events that share a series or a set of parties, in ``combinations`` order.

    Only such pairs can be suspects, so only they are compared: a kind and year of a large dataset
    holds thousands of events, and comparing every two of them grows with the square of its size.
    """
    buckets: dict[tuple[str, object], list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        if event.series is not None:
            buckets[("series", event.series)].append(i)
        parties = frozenset(p.id for p in event.parties) - ubiquitous
        if parties:
            buckets[("parties", parties)].append(i)
    return sorted({pair for members in buckets.values() for pair in combinations(members, 2)})


def _pairs(ctx: Context, events: list[Event], ubiquitous: set[str]) -> Iterator[Finding]:
    ordered = sorted(events, key=lambda e: e.id)
    for i, j in _candidates(ordered, ubiquitous):
        a, b = ordered[i], ordered[j]
        if not a.date.overlaps(b.date):
            continue
        if a.series and b.series and a.series != b.series:
            continue  # two different recurring meetings held together are two events
        same_series = (
            a.series is not None
            and a.series == b.series
            and (a.ordinal is None or b.ordinal is None or a.ordinal == b.ordinal)
        )
        parties_a = {p.id for p in a.parties} - ubiquitous
        parties_b = {p.id for p in b.parties} - ubiquitous
        same_parties = bool(parties_a) and parties_a == parties_b
        if same_series or same_parties:
            why = f"series {a.series}" if same_series else f"parties {', '.join(sorted(parties_a))}"
            where = f" ({a.origin.file}:{a.origin.line})" if a.origin else ""
            yield ctx.finding(
                "possible-duplicate",
                "warning",
                f"event {b.id} and event {a.id}{where} may be one event: both {a.kind}, dates {b.date} and "
                f"{a.date} overlap, same {why}; merge their citations into one record, or settle with a ruling",
                b,
                "event",
                key=a.id,
            )
