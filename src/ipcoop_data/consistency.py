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

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from .dataset import Dataset
from .intervals import Interval, interval_of
from .models import Metric, Observation, Ruling

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
        return self.ruling is not None


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


def compare_all(dataset: Dataset, include_agreement: bool = False) -> Iterator[Comparison]:
    """Every comparable pair of observations of one quantity, in metric and date order.

    A quantity is a metric and a subject: Japan's and Korea's filings share a metric but are not
    the same quantity, so they are never compared.
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
        observations = sorted(by_quantity[(metric_id, subject)], key=lambda o: (o.when, o.id))
        for a, b in combinations(observations, 2):
            result = compare(metric, a, b)
            if result is None or (result.outcome == "agree" and not include_agreement):
                continue
            ruling = ruling_for(rulings.get(result.first.id, []), result.first, result.second)
            if ruling is not None:
                result = Comparison(**{**result.__dict__, "ruling": ruling})
            yield result
