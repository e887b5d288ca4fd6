"""Series family: ordinals unique within a series and increasing with date; gaps in a yearly cadence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import pairwise

from ipcoop_data.checks.context import Context
from ipcoop_data.model.records import Event
from ipcoop_data.report.findings import Finding


def check(ctx: Context) -> Iterable[Finding]:
    members: dict[str, list[Event]] = defaultdict(list)
    for event in ctx.dataset.events:
        if event.series is not None and event.ordinal is not None:
            members[event.series].append(event)
    for series_id in sorted(members):
        series = ctx.dataset.series_by_id(series_id)
        events = sorted(members[series_id], key=lambda e: (e.ordinal or 0, e.date, e.id))
        if series is not None and not series.numbered:
            for event in events:
                yield ctx.finding(
                    "ordinal-in-unnumbered-series",
                    "warning",
                    f"event {event.id} has ordinal {event.ordinal}, but series {series_id} is not "
                    "marked numbered: set 'numbered: true' on the series",
                    event,
                    "event",
                    ("ordinal",),
                )
        yield from _duplicates(ctx, series_id, events)
        yield from _order_and_gaps(ctx, series_id, events)


def _duplicates(ctx: Context, series_id: str, events: list[Event]) -> Iterator[Finding]:
    by_ordinal: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        assert event.ordinal is not None
        by_ordinal[event.ordinal].append(event)
    for ordinal, same in sorted(by_ordinal.items()):
        if len(same) < 2:
            continue
        # One finding per ordinal, naming every record of it: a hundred copies are one problem.
        shown = ", ".join(f"{e.id} ({e.origin.file}:{e.origin.line})" if e.origin else e.id for e in same)
        yield ctx.finding(
            "series-duplicate-ordinal",
            "error",
            f"{len(same)} records are the {_nth(ordinal)} {series_id}: {shown}; one real-world event is "
            "one record, so merge their citations into one",
            same[1],
            "event",
            ("ordinal",),
            key="|".join(e.id for e in same),
        )


def _order_and_gaps(ctx: Context, series_id: str, events: list[Event]) -> Iterator[Finding]:
    distinct: list[Event] = []
    for event in events:
        if not distinct or distinct[-1].ordinal != event.ordinal:
            distinct.append(event)
    for earlier, later in pairwise(distinct):
        assert earlier.ordinal is not None and later.ordinal is not None
        if later.date.before(earlier.date):
            yield ctx.finding(
                "series-order",
                "error",
                f"the {_nth(later.ordinal)} {series_id} ({later.id}, {later.date}) is dated before the "
                f"{_nth(earlier.ordinal)} ({earlier.id}, {earlier.date})",
                later,
                "event",
                ("date",),
                key=earlier.id,
            )
            continue
        step = later.ordinal - earlier.ordinal
        years = later.date.year - earlier.date.year
        if step > 1 and years == step:
            missing = ", ".join(f"{_nth(earlier.ordinal + k)} ({earlier.date.year + k})" for k in range(1, step))
            yield ctx.finding(
                "series-gap",
                "info",
                f"{series_id}: the {_nth(earlier.ordinal)} ({earlier.date.year}) and {_nth(later.ordinal)} "
                f"({later.date.year}) imply one a year; not in the dataset: {missing}",
                later,
                "event",
                ("ordinal",),
                key=earlier.id,
            )


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
