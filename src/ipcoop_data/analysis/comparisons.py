"""Compare the observations of each metric, as intervals and in time, and classify each pair.

Outcomes:
- ``agree``: the two figures state the same interval;
- ``compatible``: different figures whose intervals overlap ("more than 1,200" and "more than 1,300");
- ``growth``: a cumulative quantity, larger at the later date (17 PPH partners in July, 18 in September);
- ``conflict``: no single true value fits both (a cumulative quantity that shrank, or two different
  levels at the same date, or two totals over the same period).

Pairs that cannot be compared are skipped: a stock or ratio at different dates, a flow over
different periods.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Literal

from ipcoop_data.analysis.intervals import Interval, interval_of
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.records import Metric, Observation, Ruling

Outcome = Literal["agree", "compatible", "growth", "conflict"]
#: Outcomes that are differences a curator should see.
DIFFERENCES: tuple[Outcome, ...] = ("compatible", "growth", "conflict")
_SAME_TIME_KINDS = {"stock", "ratio", "rank"}
_SAME_PERIOD_KINDS = {"flow", "change"}


@dataclass(frozen=True)
class Comparison:
    metric: Metric
    first: Observation  # the earlier one, or either when simultaneous
    second: Observation
    first_interval: Interval
    second_interval: Interval
    outcome: Outcome
    explanation: str
    ruling: Ruling | None = None

    @property
    def settled(self) -> bool:
        # A ruling with decision "open" carries evidence, and the difference stays open.
        return self.ruling is not None and self.ruling.settles


def observation_interval(obs: Observation, metric: Metric | None) -> Interval:
    """The true values an observation admits, with its metric's tolerance for about and nearly."""
    return interval_of(obs.value, obs.qualifier, metric.tolerance if metric else None)


def _same_period(a: Observation, b: Observation) -> bool:
    return a.when.lower == b.when.lower and a.when.upper == b.when.upper


def compare(metric: Metric, a: Observation, b: Observation) -> Comparison | None:
    """Classify one pair, or None when the metric's kind makes the pair incomparable."""
    if metric.kind in _SAME_PERIOD_KINDS and not _same_period(a, b):
        return None
    if metric.kind in _SAME_TIME_KINDS and not a.when.overlaps(b.when):
        return None
    if b.when.before(a.when):
        a, b = b, a
    ia, ib = observation_interval(a, metric), observation_interval(b, metric)
    if ia == ib:
        return Comparison(metric, a, b, ia, ib, "agree", f"both state {ia}")
    if ia.intersects(ib):
        return Comparison(
            metric,
            a,
            b,
            ia,
            ib,
            "compatible",
            f"{a.as_reported!r} is {ia} and {b.as_reported!r} is {ib}: both can be true",
        )
    if metric.kind == "cumulative" and a.when.before(b.when):
        span = f"between {a.when} and {b.when}"
        if ia.entirely_below(ib):
            return Comparison(
                metric,
                a,
                b,
                ia,
                ib,
                "growth",
                f"grew {span}: {ia} then {ib} ({_growth(ia, ib)})",
            )
        return Comparison(
            metric,
            a,
            b,
            ia,
            ib,
            "conflict",
            f"a cumulative quantity cannot shrink, yet {ia} at {a.when} is above {ib} at {b.when}",
        )
    when = f"period {a.when}" if metric.kind in _SAME_PERIOD_KINDS else f"overlapping dates {a.when} and {b.when}"
    return Comparison(metric, a, b, ia, ib, "conflict", f"no value fits both {ia} and {ib} for {when}")


def _growth(ia: Interval, ib: Interval) -> str:
    if ia.exact and ib.exact and ia.low is not None and ib.low is not None:
        return f"+{format((ib.low - ia.low).normalize(), 'f')}"
    return "at least some growth"


def ruling_for(rulings: list[Ruling], a: Observation, b: Observation) -> Ruling | None:
    for ruling in rulings:
        if a.id in ruling.observations and b.id in ruling.observations:
            return ruling
    return None


def _rulings_by_observation(rulings: list[Ruling]) -> dict[str, list[Ruling]]:
    """Observation id -> the rulings that name it, in file order (what ``ruling_for`` scans)."""
    index: dict[str, list[Ruling]] = defaultdict(list)
    for ruling in rulings:
        for obs_id in dict.fromkeys(ruling.observations):
            index[obs_id].append(ruling)
    return index


@dataclass(frozen=True)
class _Figure:
    """Identical figures of one quantity (same interval, same date or period), from any sources."""

    members: tuple[Observation, ...]  # in id order
    interval: Interval

    @property
    def first(self) -> Observation:
        return self.members[0]


def _figures(observations: list[Observation], metric: Metric) -> list[_Figure]:
    """The observations with identical figures collapsed, in time order."""
    groups: dict[tuple[Interval, object, object], list[Observation]] = defaultdict(list)
    for obs in observations:
        groups[(observation_interval(obs, metric), obs.when.lower, obs.when.upper)].append(obs)
    figures = [_Figure(tuple(sorted(members, key=lambda o: o.id)), key[0]) for key, members in groups.items()]
    return sorted(figures, key=lambda f: (f.first.when.lower, f.first.when.upper, f.first.id))


def _pairs(figures: list[_Figure], metric: Metric) -> Iterator[tuple[_Figure, _Figure]]:
    """The pairs worth comparing, a few per figure, never every two; no conflict is missed.

    - Neighbours in time order (for a flow or a change: in one period), for growth and
      compatibility.
    - Conflicts at one time: each figure against the figures whose time it shares (a level's
      overlapping dates, a flow's period) that reach least high and start most high. Two figures
      of a set are disjoint exactly when the set's lowest top is below its highest bottom (intervals
      of a line), so checking those two finds every figure that has a conflict.
    - For a cumulative quantity, each figure against the most it was already known to be (the
      strictly earlier figure with the highest lower bound): a shrink however far back.
    """
    if metric.kind in _SAME_PERIOD_KINDS:
        by_period: dict[tuple[object, object], list[_Figure]] = defaultdict(list)
        for figure in figures:
            by_period[(figure.first.when.lower, figure.first.when.upper)].append(figure)
        for group in by_period.values():
            yield from pairwise(sorted(group, key=lambda f: (_low_key(f.interval), f.first.id)))
            yield from _conflicts_at_one_time(group, expire=False)
        return
    yield from pairwise(figures)
    yield from _conflicts_at_one_time(figures, expire=True)
    if metric.kind == "cumulative":
        yield from _shrinks(figures)


def _conflicts_at_one_time(figures: list[_Figure], expire: bool) -> Iterator[tuple[_Figure, _Figure]]:
    """Each figure against the earlier ones still in force (``expire``: whose dates reach it)."""
    lowest_top: list[tuple[tuple[int, Decimal, bool], int]] = []  # heaps of figure indexes
    highest_bottom: list[tuple[tuple[int, Decimal, bool], int]] = []
    for i, figure in enumerate(figures):
        for heap in (lowest_top, highest_bottom):
            while expire and heap and figures[heap[0][1]].first.when.upper < figure.first.when.lower:
                heapq.heappop(heap)  # in time order, a figure that ended before this one is over
        if lowest_top and figures[lowest_top[0][1]].interval.entirely_below(figure.interval):
            yield figures[lowest_top[0][1]], figure
        if highest_bottom and figure.interval.entirely_below(figures[highest_bottom[0][1]].interval):
            yield figures[highest_bottom[0][1]], figure
        heapq.heappush(lowest_top, (_high_key(figure.interval), i))
        low = _low_key(figure.interval)
        heapq.heappush(highest_bottom, ((-low[0], -low[1], not low[2]), i))


def _shrinks(figures: list[_Figure]) -> Iterator[tuple[_Figure, _Figure]]:
    by_end = sorted(figures, key=lambda f: f.first.when.upper)
    known: _Figure | None = None  # the strictly earlier figure with the highest lower bound
    ended = 0
    for figure in figures:
        while ended < len(by_end) and by_end[ended].first.when.upper < figure.first.when.lower:
            candidate = by_end[ended]
            if known is None or _low_key(candidate.interval) > _low_key(known.interval):
                known = candidate
            ended += 1
        if known is not None and figure.interval.entirely_below(known.interval):
            yield known, figure


def _low_key(interval: Interval) -> tuple[int, Decimal, bool]:
    """Order of lower bounds: unbounded first, then by value, a closed bound before an open one."""
    if interval.low is None:
        return (0, Decimal(0), False)
    return (1, interval.low, interval.low_open)


def _high_key(interval: Interval) -> tuple[int, Decimal, bool]:
    """Order of upper bounds: by value, an open bound before a closed one, unbounded last."""
    if interval.high is None:
        return (1, Decimal(0), False)
    return (0, interval.high, not interval.high_open)


def compare_all(dataset: Dataset, include_agreement: bool = False) -> Iterator[Comparison]:
    """The comparisons worth making between the observations of each quantity, in metric and date order.

    A quantity is a metric and a subject: Japan's and Korea's filings share a metric but are not
    the same quantity, so they are never compared. Identical figures are one figure with all their
    sources (``include_agreement`` lists each as agreeing with the first); the others are compared
    along time order (see ``_pairs``), so the comparisons grow with the figures, not their square.
    """
    by_quantity: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for obs in dataset.observations:
        by_quantity[(obs.metric, obs.subject or "")].append(obs)
    # Looked up by observation, not scanned: a large dataset has many rulings and many differences.
    rulings = _rulings_by_observation(dataset.rulings)
    for metric_id, subject in sorted(by_quantity):
        metric = dataset.metric(metric_id)
        if metric is None:
            continue  # the integrity check reports the dangling reference
        figures = _figures(by_quantity[(metric_id, subject)], metric)
        results: list[Comparison] = []
        if include_agreement:
            for figure in figures:
                for other in figure.members[1:]:
                    agreed = compare(metric, figure.first, other)
                    if agreed is not None:
                        results.append(agreed)
        seen: set[tuple[str, str]] = set()
        for a, b in _pairs(figures, metric):
            pair = (a.first.id, b.first.id) if a.first.id < b.first.id else (b.first.id, a.first.id)
            if pair in seen:  # a neighbour may also be the figure a conflict was checked against
                continue
            seen.add(pair)
            result = compare(metric, a.first, b.first)
            if result is None or (result.outcome == "agree" and not include_agreement):
                continue
            ruling = _ruling_between(rulings, a, b)
            if ruling is not None:
                result = Comparison(**{**result.__dict__, "ruling": ruling})
            results.append(result)
        yield from sorted(results, key=lambda c: (c.first.when, c.second.when, c.first.id, c.second.id))


def _ruling_between(rulings: dict[str, list[Ruling]], a: _Figure, b: _Figure) -> Ruling | None:
    """A ruling that names a member of each figure (identical figures share their rulings)."""
    others = {o.id for o in b.members}
    for obs in a.members:
        for ruling in rulings.get(obs.id, []):
            if others.intersection(ruling.observations):
                return ruling
    return None


def comparisons_of(dataset: Dataset, include_agreement: bool = False) -> list[Comparison]:
    """``compare_all`` as a list, computed once per dataset and shared by every consumer."""
    return dataset.derived(
        f"comparisons:{include_agreement}", lambda: list(compare_all(dataset, include_agreement=include_agreement))
    )
