"""Identity over time: names and titles as the sources use them must be valid at the event's date.

- the name an event uses for a party must be one the organization bore at that date (a 2015 event
  "by CNIPA" is wrong: the office was SIPO until 2018);
- the title an event gives a person must match a role the person held (as far as the dataset
  knows) at that date;
- one person with two different titles at one organization on the same date is a finding too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from ipcoop_data.checks.context import Context
from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.records import Event, Organization, Person, Role
from ipcoop_data.report.findings import Finding

_PARENS = re.compile(r"\s*\([^)]*\)")
_NOISE = re.compile(r"\b(the|mr|ms|dr|then-|former)\b\.?|\bthen-", re.I)


def normalize_title(text: str) -> str:
    """Fold wording that does not change a title: case, articles, "then-", abbreviations in
    parentheses, "Intellectual Property" for "IP", "at the CNIPA" for "of the CNIPA"."""
    text = _PARENS.sub("", text)
    text = _NOISE.sub(" ", text)
    text = " ".join(text.casefold().split())
    return text.replace("intellectual property", "ip").replace(" at ", " of ").strip(" ,")


def check(ctx: Context) -> Iterable[Finding]:
    for event in ctx.dataset.events:
        yield from _party_names(ctx, event)
        yield from _titles(ctx, event)
    for person in ctx.dataset.people:
        yield from _conflicting_titles(ctx, person)


def _names_of(org: Organization) -> dict[str, list[int]]:
    """Normalized name or abbreviation -> indexes of the name spans that carry it."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, span in enumerate(org.names):
        for label in (span.name, span.abbreviation):
            if label:
                out[normalize_title(label)].append(i)
    return out


def _span_text(org: Organization, index: int) -> str:
    span = org.names[index]
    if span.start and span.end:
        return f"from {span.start} to {span.end}"
    if span.start:
        return f"from {span.start}"
    return f"until {span.end}" if span.end else "at any date"


def _party_names(ctx: Context, event: Event) -> Iterator[Finding]:
    for i, party in enumerate(event.parties):
        org = ctx.dataset.organization(party.id)
        if org is None or not party.name:
            continue
        spans = _names_of(org).get(normalize_title(party.name))
        if not spans:
            yield ctx.finding(
                "party-name-unlisted",
                "info",
                f"event {event.id} calls {org.id} {party.name!r}, which is not among its names: add it to "
                "the organization's names if the organization bore it",
                event,
                "event",
                ("parties", i),
                key=party.name,
            )
            continue
        in_use = org.name_at(event.date)
        if not any(any(org.names[s] is n for n in in_use) for s in spans):
            current = ", ".join(repr(n.abbreviation or n.name) for n in in_use) or "unknown"
            yield ctx.finding(
                "name-not-valid-at-date",
                "error",
                f"event {event.id} ({event.date}) calls {org.id} {party.name!r}, a name it bore "
                f"{_span_text(org, spans[0])}; at {event.date} it was {current}",
                event,
                "event",
                ("parties", i),
                key=party.name,
            )


def held_at(role: Role, when: PartialDate) -> bool:
    """Whether the dataset knows the role was held at ``when`` (an attested date, or a span)."""
    if role.start is None and role.end is None:
        return role.as_of is not None and role.as_of.overlaps(when)
    return (role.start is None or not role.start.after(when)) and (role.end is None or not role.end.before(when))


def _matches(ctx: Context, cited: str, role: Role) -> bool:
    # The cited title may add the organization: "Director General of the World Intellectual
    # Property Organization", "Secretary of State, Ministry of ...", "WIPO Director General".
    role_n = normalize_title(role.title)
    for cited_n in {normalize_title(cited), normalize_title(cited.replace(", ", " of ", 1))}:
        if cited_n == role_n or cited_n.startswith(role_n + " of ") or role_n.startswith(cited_n + " of "):
            return True
        org = ctx.dataset.organization(role.organization) if role.organization else None
        if org is not None and cited_n.endswith(" " + role_n):
            prefix = cited_n[: -len(role_n) - 1]
            if prefix in _names_of(org):
                return True
    return False


def _titles(ctx: Context, event: Event) -> Iterator[Finding]:
    for i, participant in enumerate(event.people):
        person = ctx.dataset.person(participant.person)
        if person is None or not participant.title:
            continue
        known = [r for r in person.roles if held_at(r, event.date)]
        if not known:
            continue  # the dataset does not know what the person held then: nothing to compare
        # A title may join several posts held at once ("deputy commissioner ... and director general ...").
        splits = [[participant.title], participant.title.split(", "), participant.title.split(" and ")]
        if any(all(any(_matches(ctx, part, r) for r in known) for part in parts if part.strip()) for parts in splits):
            continue
        titles = "; ".join(repr(r.title) for r in known)
        yield ctx.finding(
            "title-mismatch",
            "warning",
            f"event {event.id} ({event.date}) gives {person.id} the title {participant.title!r}, but the roles "
            f"known at that date are {titles}: add the role, or correct the title",
            event,
            "event",
            ("people", i, "title"),
            key=participant.person,
        )


def _conflicting_titles(ctx: Context, person: Person) -> Iterator[Finding]:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, role in enumerate(person.roles):
        if role.as_of is not None and role.start is None and role.end is None:
            groups[(role.organization or "", role.as_of.text)].append(i)
    for (org, when), indexes in sorted(groups.items()):
        titles = sorted({normalize_title(person.roles[i].title) for i in indexes})
        if len(titles) > 1:
            shown = " / ".join(repr(person.roles[i].title) for i in indexes)
            yield ctx.finding(
                "conflicting-titles",
                "warning",
                f"person {person.id} has {len(titles)} different titles at {org or 'an unnamed organization'} "
                f"on {when}: {shown}; if they are one post worded differently, settle it with a ruling",
                person,
                "person",
                ("roles", indexes[1]),
                key=f"{org}@{when}:{'|'.join(titles)}",  # other titles: another finding, to rule on anew
            )
