"""Relations family: arithmetic declared between figures (relations.yaml), shown when it fails.

A part larger than its whole is an error: somebody recorded a figure wrong. A stated change or
duration that does not match the stated values is a warning: sources do round and approximate,
and a curator should look, then rule. A target compared with the level reached is always shown:
met (in time or ahead of schedule) and not yet due are info, missed after its date a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import reduce

from ipcoop_data.analysis.comparisons import observation_interval
from ipcoop_data.analysis.intervals import Interval, add, subtract
from ipcoop_data.checks.context import Context
from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.records import Observation, Relation
from ipcoop_data.report.findings import Finding

#: Days in a unit, for comparing a stated duration with a span of dates.
_DAYS = {"days": Decimal(1), "months": Decimal("30.436875"), "years": Decimal("365.2425")}


def check(ctx: Context) -> Iterable[Finding]:
    for relation in ctx.dataset.relations:
        if relation.kind == "part_of":
            yield from _part_of(ctx, relation)
        elif relation.kind == "difference":
            yield from _difference(ctx, relation)
        elif relation.kind == "target":
            yield from _target(ctx, relation)
        else:
            yield from _duration(ctx, relation)


def _interval(ctx: Context, obs: Observation) -> Interval:
    return observation_interval(obs, ctx.dataset.metric(obs.metric))


def _observations(ctx: Context, ids: list[str]) -> list[Observation] | None:
    found = [ctx.dataset.observation(i) for i in ids]
    return None if any(o is None for o in found) else [o for o in found if o is not None]


def _at_least_zero(interval: Interval) -> Interval:
    # A part is never negative, so an open floor ("up to", "less than") starts at zero.
    return interval if interval.low is not None else Interval(Decimal(0), interval.high, False, interval.high_open)


def _as_printed(ctx: Context, obs: Observation) -> str:
    """A figure as printed, with its metric's label and its id: ``'2.135 million' (Valid ..., obs-id)``."""
    metric = ctx.dataset.metric(obs.metric)
    label = metric.label if metric is not None else obs.metric
    return f"{obs.as_reported!r} ({label}, {obs.id})"


def _part_of(ctx: Context, relation: Relation) -> Iterator[Finding]:
    assert relation.whole is not None
    observations = _observations(ctx, [*relation.parts, relation.whole])
    if observations is None:
        return  # the integrity check reports the dangling reference
    *parts, whole = observations
    total = reduce(add, (_at_least_zero(_interval(ctx, p)) for p in parts))
    whole_interval = _interval(ctx, whole)
    if whole_interval.entirely_below(total):
        # Each side as printed, with what it counts: two figures "45.909 million" read alike
        # until their metrics say "domestic" and "in China".
        printed = " + ".join(_as_printed(ctx, p) for p in parts)
        yield ctx.finding(
            "relation-part-exceeds-whole",
            "error",
            f"relation {relation.id}: the parts ({printed}; together {total}) exceed the whole "
            f"{_as_printed(ctx, whole)} ({whole_interval})",
            relation,
            "relation",
        )


def _difference(ctx: Context, relation: Relation) -> Iterator[Finding]:
    assert relation.change and relation.before and relation.after
    observations = _observations(ctx, [relation.change, relation.before, relation.after])
    if observations is None:
        return
    change, before, after = observations
    b, a = _interval(ctx, before), _interval(ctx, after)
    expected = subtract(b, a) if relation.decrease else subtract(a, b)
    stated = _interval(ctx, change)
    if not expected.intersects(stated):
        formula = (
            f"{before.as_reported} - {after.as_reported}"
            if relation.decrease
            else f"{after.as_reported} - {before.as_reported}"
        )
        yield ctx.finding(
            "relation-difference",
            "warning",
            f"relation {relation.id}: {formula} is {expected}, but the change is stated as "
            f"{change.as_reported!r} ({stated})",
            relation,
            "relation",
        )


def _span(start: PartialDate, end: PartialDate) -> tuple[int, int]:
    """Shortest and longest number of days a span between two partial dates may cover."""
    shortest = (end.lower - start.upper).days + 1
    longest = (end.upper - start.lower).days + 1
    return max(shortest, 0), longest


def _duration(ctx: Context, relation: Relation) -> Iterator[Finding]:
    assert relation.duration is not None
    duration = ctx.dataset.observation(relation.duration)
    metric = ctx.dataset.metric(duration.metric) if duration else None
    if duration is None or metric is None:
        return
    if metric.unit not in _DAYS:
        yield ctx.finding(
            "relation-invalid",
            "error",
            f"relation {relation.id}: {duration.id} is in {metric.unit}, not days, months or years",
            relation,
            "relation",
            ("duration",),
        )
        return
    if relation.of_event:
        event = ctx.dataset.event(relation.of_event)
        if event is None:
            return
        when, what = event.date, f"event {event.id}"
    else:
        other = ctx.dataset.observation(relation.of_observation or "")
        if other is None:
            return
        when, what = other.when, f"the period of {other.id}"
    start = PartialDate(when.start)
    end = PartialDate(when.end)
    shortest, longest = _span(start, end)
    unit_days = _DAYS[metric.unit]
    stated = _interval(ctx, duration)
    # A duration stated in whole units is rounded: "18 months" covers 17.5 to 18.5 months.
    half = Decimal("0.5") if duration.qualifier == "exact" else Decimal(0)
    low = (stated.low - half) * unit_days if stated.low is not None else None
    high = (stated.high + half) * unit_days if stated.high is not None else None
    stated_days = Interval(low, high, stated.low_open, stated.high_open)
    span = Interval(Decimal(shortest), Decimal(longest))

    def in_units(days: Decimal | int) -> str:
        return format((Decimal(days) / unit_days).quantize(Decimal("0.1")), "f")

    if stated_days.intersects(span):
        yield from _at_edge(ctx, relation, (duration.as_reported, what, when, metric.unit), span, stated_days, in_units)
        return
    yield ctx.finding(
        "relation-duration",
        "warning",
        f"relation {relation.id}: {duration.as_reported!r} does not fit {what} ({when}), which spans "
        f"{in_units(shortest)} to {in_units(longest)} {metric.unit}",
        relation,
        "relation",
    )


def _target(ctx: Context, relation: Relation) -> Iterator[Finding]:
    """Whether the level reached meets a target (a floor) by the date the target is set for."""
    assert relation.target and relation.reached and relation.by is not None
    observations = _observations(ctx, [relation.target, relation.reached])
    if observations is None:
        return
    target, reached = observations
    units = {m.unit for m in (ctx.dataset.metric(o.metric) for o in observations) if m is not None}
    if len(units) > 1:
        yield ctx.finding(
            "relation-invalid",
            "error",
            f"relation {relation.id}: {target.id} and {reached.id} are in different units ({', '.join(sorted(units))})",
            relation,
            "relation",
            ("reached",),
        )
        return
    t, r = _interval(ctx, target), _interval(ctx, reached)
    by, when = relation.by, reached.when
    # Met when every value the reached figure admits is at least every value the target admits.
    met = r.low is not None and t.high is not None and (r.low > t.high or (r.low == t.high and not t.high_open))
    short = r.entirely_below(t)
    sides = f"{reached.as_reported!r} ({reached.id}, {when}) against the target "
    sides += f"{target.as_reported!r} by {by} ({target.id})"
    if met:
        if when.upper < by.lower:
            timing = f"ahead of schedule: reached by {when}, before {by}"
        elif when.upper <= by.upper:
            timing = f"in time: reached by {when}, within {by}"
        else:
            yield ctx.finding(
                "relation-target-missed",
                "warning",
                f"relation {relation.id}: {sides}: met only after its date ({when} is after {by})",
                relation,
                "relation",
            )
            return
        yield ctx.finding(
            "relation-target-met", "info", f"relation {relation.id}: {sides}: met, {timing}", relation, "relation"
        )
        return
    verdict = f"short of it ({r} against {t})" if short else f"may or may not meet it ({r} against {t})"
    if when.lower > by.upper:
        yield ctx.finding(
            "relation-target-missed",
            "warning",
            f"relation {relation.id}: {sides}: {verdict} after its date ({when} is after {by})",
            relation,
            "relation",
        )
    else:
        yield ctx.finding(
            "relation-target-pending",
            "info",
            f"relation {relation.id}: {sides}: {verdict}, not yet due ({when}, due {by})",
            relation,
            "relation",
        )


def _at_edge(
    ctx: Context,
    relation: Relation,
    said: tuple[str, str, PartialDate, str],
    span: Interval,
    stated: Interval,
    in_units: Callable[[Decimal | int], str],
) -> Iterator[Finding]:
    """A duration that fits its span only when the dates are read toward the ends of their precision.

    The span of two partial dates runs from ``span.low`` days (latest start, earliest end) to
    ``span.high`` (earliest start, latest end); read from the middle of each date it is their mean.
    When the stated duration (rounded: "18 months" is 17.5 to 18.5) holds but not at that middle,
    it holds only at one edge: worth saying, since a day-precise date would break it.
    """
    assert span.low is not None and span.high is not None
    middle = (span.low + span.high) / 2
    if middle in stated:
        return
    as_reported, what, when, unit = said
    start, end = PartialDate(when.start), PartialDate(when.end)
    low = span.low if stated.low is None else max(span.low, stated.low)
    high = span.high if stated.high is None else min(span.high, stated.high)
    if stated.high is not None and stated.high < middle:
        edge = f"with the latest start and earliest end, {start.upper} to {end.lower}"
    else:
        edge = f"with the earliest start and latest end, {start.lower} to {end.upper}"
    stated_text = (
        f"{in_units(stated.low) if stated.low is not None else '-inf'} to "
        f"{in_units(stated.high) if stated.high is not None else 'inf'}"
    )
    yield ctx.finding(
        "duration-at-edge",
        "info",
        f"relation {relation.id}: {as_reported!r} fits {what} ({when}) only at the edge of its dates' precision: "
        f"the span is {in_units(span.low)} to {in_units(span.high)} {unit} ({in_units(middle)} from the middle of "
        f"each date), and {as_reported!r} ({stated_text} {unit}) fits only {in_units(low)} to {in_units(high)} of it, "
        f"{edge}",
        relation,
        "relation",
    )
