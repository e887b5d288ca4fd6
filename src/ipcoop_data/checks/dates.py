"""Dates family: spans end after they start; no source reports as held what happened after it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ipcoop_data.checks.context import Context
from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.origin import FieldPath
from ipcoop_data.model.records import Record
from ipcoop_data.report.findings import Finding


def check(ctx: Context) -> Iterable[Finding]:
    yield from _spans(ctx)
    yield from _events_after_source(ctx)
    yield from _observations_after_source(ctx)


def _span(
    ctx: Context,
    record: Record,
    record_type: str,
    what: str,
    start: PartialDate | None,
    end: PartialDate | None,
    path: FieldPath,
) -> Iterator[Finding]:
    if start is not None and end is not None and end.before(start):
        yield ctx.finding(
            "end-before-start",
            "error",
            f"{record_type} {getattr(record, 'id', '')}: {what} ends ({end}) before it starts ({start})",
            record,
            record_type,
            (*path, "end"),
        )


def _spans(ctx: Context) -> Iterator[Finding]:
    for org in ctx.dataset.organizations:
        for i, name in enumerate(org.names):
            yield from _span(ctx, org, "organization", f"name {name.name!r}", name.start, name.end, ("names", i))
    for person in ctx.dataset.people:
        for i, role in enumerate(person.roles):
            yield from _span(ctx, person, "person", f"role {role.title!r}", role.start, role.end, ("roles", i))


def _events_after_source(ctx: Context) -> Iterator[Finding]:
    for event in ctx.dataset.events:
        if event.status != "held":
            continue
        for i, citation in enumerate(event.citations):
            source = ctx.dataset.source(citation.source)
            if source is None or citation.prospective:
                continue
            if event.date.after(source.published):
                yield ctx.finding(
                    "event-after-source",
                    "error",
                    f"event {event.id} is dated {event.date}, after its source {source.id} was published "
                    f"({source.published}); if the source announces it in advance, mark the citation "
                    "'prospective: true' (or set status: planned)",
                    event,
                    "event",
                    ("citations", i),
                    key=source.id,
                )


def _observations_after_source(ctx: Context) -> Iterator[Finding]:
    for obs in ctx.dataset.observations:
        field = "as_of" if obs.as_of is not None else "period"
        for citation in obs.citations:
            source = ctx.dataset.source(citation.source)
            if source is not None and obs.when.lower > source.published.upper:
                yield ctx.finding(
                    "observation-after-source",
                    "error",
                    f"observation {obs.id} holds {field} {obs.when}, which begins after its source "
                    f"{source.id} was published ({source.published})",
                    obs,
                    "observation",
                    (field,),
                    key=source.id,
                )
