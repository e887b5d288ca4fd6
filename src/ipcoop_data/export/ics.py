"""iCalendar (RFC 5545) export: one all-day VEVENT per event, ready to subscribe to.

Choices a calendar user should know about:

- Every event is all-day (``VALUE=DATE``) with an exclusive DTEND. A date known only to the month
  spans the whole month; one known only to the year spans the whole year (``year_events="span"``)
  or is left out (``"skip"``, the default: a year-long bar in a calendar says little), and the
  calendar's DESCRIPTION counts what was left out. Nothing is put on a made-up 1 January. The
  first line of each event's DESCRIPTION states the precision, and every VEVENT carries
  ``X-IPCOOP-EDTF`` (the date as curated) and ``X-IPCOOP-PRECISION`` (year, month or day).
- The SUMMARY of an event whose day is unknown ends with "(sometime in May 2017)": month and week
  views show nothing else, and the event must not look as if it lasted the whole month.
- Every event is TRANSP:TRANSPARENT, day-precise ones too: they are other people's meetings, most
  of them past, and must not mark a subscriber busy (least of all for a whole month).
- STATUS is CONFIRMED for an event held, TENTATIVE for one planned, CANCELLED for one cancelled.
- LOCATION is venue, city and country name (the dataset keeps ISO 3166 codes; the export shows names).
- URL is that of the first cited source that has one.
- The same data gives the same bytes: UID is ``<event id>@ipcoop-data``, DTSTAMP is
  :func:`dataset_timestamp`, events are sorted by id, and nothing random or "now" is written.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.enums import STATUS, TRANSP
from icalendar.prop import vDuration, vText

from ipcoop_data.analysis.names import name_on
from ipcoop_data.export.atomic import atomic_path
from ipcoop_data.export.common import (
    MONTHS,
    SERIES_CALENDAR_DIR,
    citation_line,
    country_name,
    dataset_timestamp,
    dataset_version,
    progress,
)
from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.dates import PartialDate, Precision
from ipcoop_data.model.records import Event, Location, Party
from ipcoop_data.report.findings import Finding, Report
from ipcoop_data.version import __version__

YearPolicy = Literal["skip", "span"]

CALENDAR_NAME = "ipcoop-data: international IP cooperation"
CALENDAR_INTRO = (
    "Meetings, signings, accessions, trainings and other events of international cooperation in "
    "intellectual property, each with the sources that state it, quoted verbatim."
)
PRODID = f"-//ipcoop-data//ipcoop-data {__version__}//EN"
UID_DOMAIN = "ipcoop-data"
REFRESH = timedelta(weeks=1)

_STATUS = {"held": STATUS.CONFIRMED, "planned": STATUS.TENTATIVE, "cancelled": STATUS.CANCELLED}
_WORDS = {"pph": "Patent Prosecution Highway", "mou": "memorandum of understanding"}


def uid(event: Event) -> str:
    return f"{event.id}@{UID_DOMAIN}"


def exported(events: Iterable[Event], year_events: YearPolicy = "skip") -> list[Event]:
    """The events a calendar shows under ``year_events``, sorted by id."""
    if year_events not in ("skip", "span"):
        raise ValueError(f"year_events must be 'skip' or 'span', not {year_events!r}")
    return sorted((e for e in events if year_events == "span" or e.date.precision > Precision.YEAR), key=lambda e: e.id)


def calendar_bytes(
    dataset: Dataset,
    events: Iterable[Event],
    name: str,
    description: str,
    *,
    year_events: YearPolicy = "skip",
    report: Report | None = None,
    version: str | None = None,
) -> bytes:
    """One calendar of ``events`` (those ``year_events`` lets in), as the bytes of an .ics file.

    ``description`` opens the calendar's DESCRIPTION, which goes on to say how dates are shown and
    how many events were left out. ``version`` saves recomputing :func:`dataset_version`.
    """
    events = list(events)
    shown = exported(events, year_events)
    text = _calendar_description(description, version or dataset_version(dataset), year_events, events, shown)
    cal = Calendar()
    cal.prodid = PRODID
    cal.version = "2.0"
    cal.calscale = "GREGORIAN"
    cal.method = "PUBLISH"
    # Added as vText by hand: icalendar leaves X-WR-* unescaped, and a newline in them breaks the file.
    for prop, value in (("NAME", name), ("X-WR-CALNAME", name), ("DESCRIPTION", text), ("X-WR-CALDESC", text)):
        cal.add(prop, vText(value))
    # RFC 7986 requires VALUE=DURATION here, which icalendar leaves out; it writes a week as P7D.
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))

    findings: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.sorted() if report else []:
        if finding.record_type == "event" and finding.record_id and finding.severity != "info":
            findings[finding.record_id].append(finding)
    stamp = dataset_timestamp(dataset)
    for event in progress(shown, len(shown), "ics"):
        cal.add_component(_vevent(dataset, event, stamp, findings.get(event.id, [])))
    content: bytes = cal.to_ical()
    return content


@paused_gc()  # an export makes millions of short-lived objects and no cycles
def to_ics(
    dataset: Dataset,
    path: str | os.PathLike[str],
    report: Report | None = None,
    *,
    year_events: YearPolicy = "skip",
    per_series: bool = False,
) -> list[Path]:
    """Write the calendar to ``path`` and, with ``per_series``, one per series under ``series/`` beside it.

    A series gets a calendar only if it has an event to show. Every file is built before any is
    written, and each replaces its predecessor atomically. Returns the paths written.
    """
    path = Path(path)
    version = dataset_version(dataset)

    def build(events: list[Event], name: str, intro: str) -> bytes:
        return calendar_bytes(dataset, events, name, intro, year_events=year_events, report=report, version=version)

    files = {path: build(dataset.events, CALENDAR_NAME, CALENDAR_INTRO)}
    by_series: dict[str | None, list[Event]] = defaultdict(list)
    for event in dataset.events if per_series else []:
        by_series[event.series].append(event)
    for series in sorted(dataset.series, key=lambda s: s.id) if per_series else []:
        events = by_series.get(series.id, [])
        if exported(events, year_events):
            intro = f"The events of the series {series.name}. {CALENDAR_INTRO}"
            target = path.parent / SERIES_CALENDAR_DIR / f"{series.id}.ics"
            files[target] = build(events, f"ipcoop-data: {series.name}", intro)
    for target, content in files.items():
        with atomic_path(target) as tmp:
            tmp.write_bytes(content)
    return list(files)


# --- one event --------------------------------------------------------------------------------


def _vevent(dataset: Dataset, event: Event, stamp: datetime, findings: list[Finding]) -> VEvent:
    series = dataset.series_by_id(event.series) if event.series else None
    url = next((s.url for c in event.citations if (s := dataset.source(c.source)) and s.url), None)
    start, end = span(event.date)
    vevent = VEvent.new(
        uid=uid(event),
        stamp=stamp,
        start=start,
        end=end,
        summary=event.title + _vague_marker(event.date),
        description=_description(dataset, event, findings),
        location=_location(event.location),
        categories=[_words(event.kind)] + ([series.name] if series else []),
        status=_STATUS[event.status],
        transparency=TRANSP.TRANSPARENT,
        url=url,
    )
    vevent.add("X-IPCOOP-EDTF", vText(event.date.text))
    vevent.add("X-IPCOOP-PRECISION", vText(str(event.date.precision)))
    return vevent


def span(when: PartialDate) -> tuple[date, date]:
    """All-day DTSTART and exclusive DTEND covering every day ``when`` may mean."""
    return when.lower, when.upper + timedelta(days=1)


def _human(text: str) -> str:
    """``2017``, ``May 2017`` or ``5 February 2022`` for one EDTF date (not an interval)."""
    parts = [int(p) for p in text.split("-")]
    words = [str(parts[0])]
    if len(parts) > 1:
        words.insert(0, MONTHS[parts[1] - 1])
    if len(parts) > 2:
        words.insert(0, str(parts[2]))
    return " ".join(words)


def _vague_marker(when: PartialDate) -> str:
    """`` (sometime in May 2017)`` after the title of an event whose day is unknown.

    A calendar's month or week view shows only the SUMMARY: without this, an event spread over a
    month looks like one that lasted a month.
    """
    if when.precision == Precision.DAY or when.is_interval:
        return ""
    return f" (sometime in {_human(when.text)})"


def _precision_line(when: PartialDate) -> str:
    shown = _human(when.start) + (f" to {_human(when.end)}" if when.is_interval else "")
    if when.precision == Precision.DAY:
        return f"{'Dates' if when.is_interval else 'Date'}: {shown} (EDTF {when.text})"
    unit = str(when.precision)
    shown_as = "from its earliest to its latest possible day" if when.is_interval else f"as the whole {unit}"
    return f"Date known only to the {unit}: {shown} (EDTF {when.text}); shown {shown_as}"


def _description(dataset: Dataset, event: Event, findings: list[Finding]) -> str:
    lines = [_precision_line(event.date)]
    if event.date_basis == "report_year":
        lines.append("The source gives no date: the event is dated to the year its annual report covers.")
    if event.status != "held":
        lines.append(f"Status: {event.status}")
    if event.series and (series := dataset.series_by_id(event.series)):
        lines.append(f"Series: {series.name}" + (f", no. {event.ordinal}" if event.ordinal else ""))
    if event.parties:
        lines.append("Parties: " + "; ".join(_party_name(dataset, p, event.date) for p in event.parties))
    if event.people:
        people = []
        for participant in event.people:
            person = dataset.person(participant.person)
            name = person.name if person else participant.person
            people.append(f"{name}, {participant.title}" if participant.title else name)
        lines.append("People: " + "; ".join(people))
    if event.instruments:
        lines.append("Instruments: " + "; ".join(f"{i.title} ({_words(i.kind)})" for i in event.instruments))
    if event.note:
        lines.append(f"Note: {event.note}")
    lines.extend(f"Validation {f.severity} ({f.code}): {f.message}" for f in findings)
    if event.citations:
        lines += ["", "Sources:"] + [f"- {citation_line(dataset, c)}" for c in event.citations]
    lines += ["", f"ipcoop-data event {event.id}"]
    return "\n".join(lines)


def _party_name(dataset: Dataset, party: Party, when: PartialDate) -> str:
    if party.name:
        return party.name
    org = dataset.organization(party.id)
    if org is None:
        return party.id
    name = name_on(org, when)
    return f"{name.name} ({name.abbreviation})" if name.abbreviation else name.name


def _location(location: Location | None) -> str | None:
    if location is None:
        return None
    parts = [p for p in (location.venue, location.city, country_name(location.country)) if p]
    return ", ".join(parts) or None


def _words(key: str) -> str:
    return _WORDS.get(key, key.replace("_", " "))


# --- the calendar -----------------------------------------------------------------------------


def _calendar_description(
    intro: str, version: str, year_events: YearPolicy, events: list[Event], shown: list[Event]
) -> str:
    def count(n: int) -> str:
        return f"{n} event{'' if n == 1 else 's'}"

    lines = [
        intro,
        f"Dataset version {version}.",
        "All events are all-day. An event whose date is known only to the month spans the whole month, "
        "and the first line of its description says so. Each event's date as curated (EDTF) is in "
        "X-IPCOOP-EDTF and its precision (day, month or year) in X-IPCOOP-PRECISION.",
    ]
    if year_events == "skip":
        left_out = len(events) - len(shown)
        lines.append(
            f"{count(left_out)} known only to the year left out; include them, spanning their whole year, "
            "with: ipcoop export ics --year-events span"
        )
    else:
        years = sum(e.date.precision == Precision.YEAR for e in shown)
        lines.append(f"{count(years)} known only to the year included, each spanning its whole year.")
    return "\n".join(lines)
