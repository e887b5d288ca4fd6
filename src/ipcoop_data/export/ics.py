"""iCalendar (RFC 5545) export: a calendar a person can read, ready to subscribe to.

Choices a calendar user should know about:

- Every item is all-day (``VALUE=DATE``) with an exclusive DTEND. An event known to the day falls
  on its day, a span of days (``2024-09-11/2024-09-13``) over its days.
- An event known only to its month or its year is shown as its layout says (``month_events``,
  ``year_events``): ``"digest"`` (the default) lists it in one item on the 1st of its month, or on
  1 January of its year, with the other events of that month or year (see
  :mod:`ipcoop_data.export.ics_digest`); ``"span"`` gives it its own VEVENT over its whole month or
  year; ``"skip"`` leaves it out. Why digests: the bundled data has 92 events known only to the
  month and 145 only to the year against 10 known to the day; as month-long bars they put ten bars
  on every day of November 2022, and left out they vanish. Nothing is put on a made-up day.
- Whatever the layout, the SUMMARY of an event whose day is unknown says so: "(sometime in May
  2017)", or "(May 2022 to December 2023, exact days unknown)" for a span known to the month; the
  first line of its DESCRIPTION states the precision, and every VEVENT carries ``X-IPCOOP-EDTF``
  (the date as curated) and ``X-IPCOOP-PRECISION`` (year, month or day).
- Every item is TRANSP:TRANSPARENT: they are other people's meetings, most of them past, and must
  not mark a subscriber busy.
- STATUS is CONFIRMED for an event held, TENTATIVE for one planned, CANCELLED for one cancelled.
- LOCATION is venue, city and country name (the dataset keeps ISO 3166 codes; the export shows names).
- URL is that of the first cited source that has one.
- The same data gives the same bytes: UID is ``<event id>@ipcoop-data`` (a digest's
  ``<month or year>.<part>@digest.ipcoop-data``), DTSTAMP is :func:`dataset_timestamp`, items are
  sorted, and nothing random or "now" is written.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.enums import STATUS, TRANSP
from icalendar.prop import vDuration, vText

from ipcoop_data.export.atomic import atomic_path
from ipcoop_data.export.common import SERIES_CALENDAR_DIR, dataset_timestamp, dataset_version, progress
from ipcoop_data.export.ics_digest import digest_vevent, digests
from ipcoop_data.export.ics_text import description, location, vague_marker, words
from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.dates import PartialDate, Precision
from ipcoop_data.model.records import Event
from ipcoop_data.report.findings import Finding, Report
from ipcoop_data.version import __version__

#: How events known only to their month (or year) are shown: listed in a digest on the 1st,
#: each over its whole month (or year), or not at all.
Layout = Literal["digest", "span", "skip"]
LAYOUTS: tuple[Layout, ...] = ("digest", "span", "skip")

CALENDAR_NAME = "ipcoop-data: international IP cooperation"
CALENDAR_INTRO = (
    "Meetings, signings, accessions, trainings and other events of international cooperation in "
    "intellectual property, each with the sources that state it, quoted verbatim."
)
PRODID = f"-//ipcoop-data//ipcoop-data {__version__}//EN"
UID_DOMAIN = "ipcoop-data"
REFRESH = timedelta(weeks=1)

_STATUS = {"held": STATUS.CONFIRMED, "planned": STATUS.TENTATIVE, "cancelled": STATUS.CANCELLED}
_SHOWN_AS = {
    Precision.MONTH: "Shown over the whole month, since its day is unknown.",
    Precision.YEAR: "Shown over the whole year, since its month and day are unknown.",
}


def uid(event: Event) -> str:
    return f"{event.id}@{UID_DOMAIN}"


@dataclass(frozen=True)
class Arrangement:
    """Where each event goes in a calendar: its own VEVENT, a digest, or nowhere. Each sorted by id."""

    own: list[Event]
    digested: list[Event]
    left_out: list[Event]


def arrange(events: Iterable[Event], month_events: Layout = "digest", year_events: Layout = "digest") -> Arrangement:
    """Sort ``events`` into those shown on their own, those listed in digests, and those left out.

    An event known to the day is always shown on its own. One known to the month (a span whose
    ends are known to the month included) follows ``month_events``; one known only to the year
    follows ``year_events``.
    """
    for name, value in (("month_events", month_events), ("year_events", year_events)):
        if value not in LAYOUTS:
            raise ValueError(f"{name} must be one of {', '.join(LAYOUTS)}, not {value!r}")
    layout = {Precision.DAY: "span", Precision.MONTH: month_events, Precision.YEAR: year_events}
    placed: dict[str, list[Event]] = {"span": [], "digest": [], "skip": []}
    for event in sorted(events, key=lambda e: e.id):
        placed[layout[event.date.precision]].append(event)
    return Arrangement(placed["span"], placed["digest"], placed["skip"])


_END = b"END:VCALENDAR\r\n"


def calendar_chunks(
    dataset: Dataset,
    events: Iterable[Event],
    name: str,
    intro: str,
    *,
    month_events: Layout = "digest",
    year_events: Layout = "digest",
    report: Report | None = None,
    version: str | None = None,
) -> Iterator[bytes]:
    """One calendar of ``events``, laid out as ``month_events`` and ``year_events`` say, as .ics bytes.

    ``intro`` opens the calendar's DESCRIPTION, which goes on to say how dates are shown and how
    many events went where. ``version`` saves recomputing :func:`dataset_version`.
    """
    arrangement = arrange(events, month_events, year_events)
    findings: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.sorted() if report else []:
        if finding.record_type == "event" and finding.record_id and finding.severity != "info":
            findings[finding.record_id].append(finding)
    parts = digests(dataset, arrangement.digested, findings)

    text = _calendar_description(
        intro, version or dataset_version(dataset), arrangement, len(parts), month_events, year_events
    )
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

    stamp = dataset_timestamp(dataset)
    # The calendar is written a component at a time: holding every VEVENT object until the end
    # would cost more memory than the dataset itself. The bytes are those Calendar.to_ical() gives.
    head: bytes = cal.to_ical()
    assert head.endswith(_END)
    yield head[: -len(_END)]
    for event in progress(arrangement.own, len(arrangement.own), "ics"):
        yield _vevent(dataset, event, stamp, findings.get(event.id, [])).to_ical()
    for digest in parts:
        yield digest_vevent(dataset, digest, stamp, findings).to_ical()
    yield _END


def calendar_bytes(
    dataset: Dataset,
    events: Iterable[Event],
    name: str,
    intro: str,
    *,
    month_events: Layout = "digest",
    year_events: Layout = "digest",
    report: Report | None = None,
    version: str | None = None,
) -> bytes:
    """One calendar of ``events`` as .ics bytes (see :func:`calendar_chunks`)."""
    return b"".join(
        calendar_chunks(
            dataset,
            events,
            name,
            intro,
            month_events=month_events,
            year_events=year_events,
            report=report,
            version=version,
        )
    )


@paused_gc(transient=True)  # an export makes millions of short-lived objects, and leaves few
def to_ics(
    dataset: Dataset,
    path: str | os.PathLike[str],
    report: Report | None = None,
    *,
    month_events: Layout = "digest",
    year_events: Layout = "digest",
    per_series: bool = False,
) -> list[Path]:
    """Write the calendar to ``path`` and, with ``per_series``, one per series under ``series/`` beside it.

    A series gets a calendar only if it has something to show. Every file is built before any is
    written, and each replaces its predecessor atomically. Returns the paths written.
    """
    path = Path(path)
    version = dataset_version(dataset)
    arrange((), month_events, year_events)  # refuse a bad layout before anything is built

    def build(events: list[Event], name: str, intro: str) -> Iterator[bytes]:
        return calendar_chunks(
            dataset,
            events,
            name,
            intro,
            month_events=month_events,
            year_events=year_events,
            report=report,
            version=version,
        )

    files = {path: (dataset.events, CALENDAR_NAME, CALENDAR_INTRO)}
    by_series: dict[str | None, list[Event]] = defaultdict(list)
    for event in dataset.events if per_series else []:
        by_series[event.series].append(event)
    for series in sorted(dataset.series, key=lambda s: s.id) if per_series else []:
        events = by_series.get(series.id, [])
        shown = arrange(events, month_events, year_events)
        if shown.own or shown.digested:
            intro = f"The events of the series {series.name}. {CALENDAR_INTRO}"
            target = path.parent / SERIES_CALENDAR_DIR / f"{series.id}.ics"
            files[target] = (events, f"ipcoop-data: {series.name}", intro)
    with ExitStack() as stack:  # every file written before any replaces its predecessor
        for target, (events, name, intro) in files.items():
            tmp = stack.enter_context(atomic_path(target))
            with open(tmp, "wb") as handle:
                handle.writelines(build(events, name, intro))
    return list(files)


# --- one event --------------------------------------------------------------------------------


def _vevent(dataset: Dataset, event: Event, stamp: datetime, findings: list[Finding]) -> VEvent:
    series = dataset.series_by_id(event.series) if event.series else None
    url = next((s.url for c in event.citations if (s := dataset.source(c.source)) and s.url), None)
    start, end = span(event.date)
    shown_as = None
    if event.date.precision != Precision.DAY:
        shown_as = (
            "Shown from the first day of its first month to the last day of its last, since the exact days are unknown."
            if event.date.is_interval
            else _SHOWN_AS[event.date.precision]
        )
    vevent = VEvent.new(
        uid=uid(event),
        stamp=stamp,
        start=start,
        end=end,
        summary=event.title + vague_marker(event.date),
        description=description(dataset, event, findings, shown_as=shown_as),
        location=location(event.location),
        categories=[words(event.kind)] + ([series.name] if series else []),
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


# --- the calendar -----------------------------------------------------------------------------


def _count(n: int, what: str = "event") -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _calendar_description(
    intro: str, version: str, arrangement: Arrangement, digest_items: int, month_events: Layout, year_events: Layout
) -> str:
    """What the calendar holds and how it shows dates, for the subscriber who opens its properties."""
    own, digested, left_out = arrangement.own, arrangement.digested, arrangement.left_out
    total = len(own) + len(digested) + len(left_out)
    lines = [intro, f"Dataset version {version}.", "All items are all-day; events known to the day fall on their days."]
    shown: dict[str, list[str]] = {"digest": [], "span": [], "skip": []}
    shown[month_events].append("the month")
    shown[year_events].append("the year")
    if shown["digest"]:
        known = " or ".join(shown["digest"])
        lines.append(
            f"Events known only to {known} are listed, with their sources' words, in one item on the 1st of "
            "their month (or on 1 January of their year), such as 'November 2022: 9 events known only to the "
            "month': that item is a list, not an event on that day."
        )
    if shown["span"]:
        lines.append(
            f"Events known only to {' or '.join(shown['span'])} span the whole of it, and their titles end "
            "with '(sometime in ...)'."
        )
    if shown["skip"]:
        lines.append(
            f"Events known only to {' or '.join(shown['skip'])} are left out; list them with: "
            "ipcoop export ics --month-events digest --year-events digest"
        )
    lines.append(
        f"Of {_count(total)}: {len(own)} shown on their own, {len(digested)} listed in "
        f"{_count(digest_items, 'digest item')}, {len(left_out)} left out."
    )
    lines.append(
        "Each event's date as curated (EDTF) is in X-IPCOOP-EDTF and its precision (day, month or year) in "
        "X-IPCOOP-PRECISION; each digest names its events in X-IPCOOP-EVENT."
    )
    return "\n".join(lines)
