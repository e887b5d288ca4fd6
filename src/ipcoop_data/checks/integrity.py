"""Integrity family: unique ids, every reference resolves, an ordinal needs a series."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from ipcoop_data.checks.context import Context
from ipcoop_data.model.origin import FieldPath
from ipcoop_data.model.records import Record
from ipcoop_data.report.findings import Finding


def check(ctx: Context) -> Iterable[Finding]:
    yield from _unique_ids(ctx)
    yield from _references(ctx)
    yield from _relation_references(ctx)
    yield from _ordinals(ctx)
    yield from _files(ctx)


def _unique_ids(ctx: Context) -> Iterator[Finding]:
    for attr, record_type in (
        ("sources", "source"),
        ("organizations", "organization"),
        ("people", "person"),
        ("series", "series"),
        ("metrics", "metric"),
        ("events", "event"),
        ("observations", "observation"),
        ("rulings", "ruling"),
        ("exclusions", "exclusion"),
    ):
        first: dict[str, Record] = {}
        for record in getattr(ctx.dataset, attr):
            rid = record.id
            if rid in first:
                where = first[rid].origin
                at = f" (first defined at {where.file}:{where.line})" if where else ""
                yield ctx.finding(
                    "duplicate-id",
                    "error",
                    f"{record_type} id {rid!r} is used twice{at}",
                    record,
                    record_type,
                    ("id",),
                )
            else:
                first[rid] = record


def missing(ctx: Context, kind: str, ref: str, record: Record, record_type: str, path: FieldPath) -> Finding:
    """A dangling-reference finding: ``path`` of ``record`` names a ``kind`` that does not exist."""
    where = ".".join(map(str, path))
    return ctx.finding(
        "dangling-reference",
        "error",
        f"{record_type} {getattr(record, 'id', '')}: {where} refers to {kind} {ref!r}, which is not defined",
        record,
        record_type,
        path,
        key=f"{where}={ref}",
    )


def _references(ctx: Context) -> Iterator[Finding]:
    d = ctx.dataset

    for rt, record, path, citation in ctx.citations():
        if d.source(citation.source) is None:
            yield missing(ctx, "source", citation.source, record, rt, (*path, "source"))
    for org in d.organizations:
        if org.parent and d.organization(org.parent) is None:
            yield missing(ctx, "organization", org.parent, org, "organization", ("parent",))
    for person in d.people:
        for i, role in enumerate(person.roles):
            if role.organization and d.organization(role.organization) is None:
                yield missing(ctx, "organization", role.organization, person, "person", ("roles", i, "organization"))
    for series in d.series:
        for i, org_id in enumerate(series.organizers):
            if d.organization(org_id) is None:
                yield missing(ctx, "organization", org_id, series, "series", ("organizers", i))
    for event in d.events:
        if event.series and d.series_by_id(event.series) is None:
            yield missing(ctx, "series", event.series, event, "event", ("series",))
        for i, party in enumerate(event.parties):
            if d.organization(party.id) is None:
                yield missing(ctx, "organization", party.id, event, "event", ("parties", i))
        for i, participant in enumerate(event.people):
            if d.person(participant.person) is None:
                yield missing(ctx, "person", participant.person, event, "event", ("people", i, "person"))
    for obs in d.observations:
        if d.metric(obs.metric) is None:
            yield missing(ctx, "metric", obs.metric, obs, "observation", ("metric",))
    for ruling in d.rulings:
        for i, obs_id in enumerate(ruling.observations):
            if d.observation(obs_id) is None:
                yield missing(ctx, "observation", obs_id, ruling, "ruling", ("observations", i))
        if ruling.prefer is not None and ruling.prefer not in ruling.observations:
            yield ctx.finding(
                "dangling-reference",
                "error",
                f"ruling {ruling.id}: prefer {ruling.prefer!r} is not one of its observations",
                ruling,
                "ruling",
                ("prefer",),
            )
    for exclusion in d.exclusions:
        if d.source(exclusion.source) is None:
            yield missing(ctx, "source", exclusion.source, exclusion, "exclusion", ("source",))


def _relation_references(ctx: Context) -> Iterator[Finding]:
    d = ctx.dataset
    for relation in d.relations:
        refs: list[tuple[FieldPath, str]] = [(("parts", i), p) for i, p in enumerate(relation.parts)]
        for name in ("whole", "change", "before", "after", "duration", "of_observation", "target", "reached"):
            value = getattr(relation, name)
            if value:
                refs.append(((name,), value))
        for path, ref in refs:
            if d.observation(ref) is None:
                yield missing(ctx, "observation", ref, relation, "relation", path)
        if relation.of_event and d.event(relation.of_event) is None:
            yield missing(ctx, "event", relation.of_event, relation, "relation", ("of_event",))


def _ordinals(ctx: Context) -> Iterator[Finding]:
    for event in ctx.dataset.events:
        if event.ordinal is not None and event.series is None:
            yield ctx.finding(
                "ordinal-without-series",
                "error",
                f"event {event.id}: ordinal {event.ordinal} needs a series (an ordinal counts within a series)",
                event,
                "event",
                ("ordinal",),
            )


def _files(ctx: Context) -> Iterator[Finding]:
    # Events are filed by year and observations by source, so a curator finds a record where expected.
    # A dataset has a few hundred files and up to millions of records: split each file name once.
    stem = functools.cache(lambda file: PurePath(file).stem)
    for event in ctx.dataset.events:
        origin = event.origin
        if origin is None:
            continue
        year = stem(origin.file)
        if year.isdigit() and int(year) != event.date.year:
            yield ctx.finding(
                "misfiled-record",
                "warning",
                f"event {event.id} is dated {event.date} but filed in {PurePath(origin.file).name}; "
                f"move it to events/{event.date.year}.yaml",
                event,
                "event",
                ("date",),
            )
    for obs in ctx.dataset.observations:
        origin = obs.origin
        if origin is None:
            continue
        source = stem(origin.file)
        if ctx.dataset.source(source) is not None and all(c.source != source for c in obs.citations):
            yield ctx.finding(
                "misfiled-record",
                "warning",
                f"observation {obs.id} is filed under source {source!r} but does not cite it",
                obs,
                "observation",
            )
