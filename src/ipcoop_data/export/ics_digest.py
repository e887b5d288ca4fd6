"""Digests: one calendar item per month, and per year, listing the events whose day is unknown.

Most events of the dataset come from annual reports that give a month or only a year. Drawn as
their own all-day VEVENTs, each over its whole month or year, they put ten bars on every day of
November 2022 and a year-long bar per report item; put on the 1st, each would claim a day no source
states. A digest is neither: one all-day item on the 1st of the month ("November 2022: 9 events
known only to the month"), or on 1 January for the year, whose description lists each event with
its title, source, verbatim quote and id. The summary says what it is, so it reads as a heading of
the month, not as something that happened on the 1st.

Google Calendar keeps about 8,192 characters of a description, so a digest longer than
:data:`BUDGET` is cut into parts between entries ("(part 2 of 4)"), each its own item on the same
day; nothing is shortened. Every digest names its events in ``X-IPCOOP-EVENT`` properties (one per
event), so a program can tell which events it lists without reading the prose.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Event as VEvent
from icalendar.enums import TRANSP
from icalendar.prop import vText

from ipcoop_data.export.common import citation_line
from ipcoop_data.export.ics_text import description, finding_lines, human, series_line, vague_marker
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.dates import Precision
from ipcoop_data.model.records import Event
from ipcoop_data.report.findings import Finding

#: Longest description of one digest part, in characters: under Google Calendar's ~8,192.
BUDGET = 8000
#: Digest UIDs live in their own domain, so that no event id can ever collide with one.
UID_DOMAIN = "digest.ipcoop-data"
CATEGORY = "digest of events whose day is unknown"


@dataclass(frozen=True)
class Entry:
    """One event as a digest lists it: the source it is filed under, and its text."""

    event: Event
    source: str | None  # id of the first cited source: entries are grouped under it
    heading: str  # that source, as it stands above its group of entries
    text: str


@dataclass(frozen=True)
class Digest:
    """One calendar item: a part of the list of events known only to ``period``."""

    period: str  # EDTF: "2022-11" or "2022"
    precision: Precision  # MONTH or YEAR
    part: int  # from 1
    parts: int
    total: int  # events of the period, over all its parts
    entries: tuple[Entry, ...]

    @property
    def uid(self) -> str:
        return f"{self.period}.{self.part}@{UID_DOMAIN}"

    @property
    def day(self) -> date:
        """The 1st of the month, or 1 January: where a calendar shows the digest."""
        year, _, month = self.period.partition("-")
        return date(int(year), int(month or 1), 1)


def period_of(event: Event) -> str:
    """The month (``2022-11``) or year (``2022``) whose digest lists ``event``: that of its first day.

    A span known to the month (May 2022 to December 2023) is listed once, in the month it began,
    and its entry gives the whole span.
    """
    first = event.date.lower
    return f"{first.year:04d}-{first.month:02d}" if event.date.precision == Precision.MONTH else f"{first.year:04d}"


def digests(dataset: Dataset, events: Iterable[Event], findings: dict[str, list[Finding]]) -> list[Digest]:
    """The digests of ``events`` (each known only to its month or year), sorted by day, then part."""
    by_period: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_period[period_of(event)].append(event)
    result: list[Digest] = []
    for period in sorted(by_period, key=lambda p: (p[:4], p)):  # a year's digest before its January's
        members = by_period[period]
        precision = Precision.MONTH if "-" in period else Precision.YEAR
        entries = sorted((_entry(dataset, e, findings.get(e.id, [])) for e in members), key=_entry_order)
        # the longest header a part can have: the whole period's counts, and room for "Part 10 of 12"
        packed = _pack(entries, len(_header(period, precision, members, 1, 9)) + 20)
        for part, chunk in enumerate(packed, 1):
            result.append(Digest(period, precision, part, len(packed), len(members), tuple(chunk)))
    return result


def digest_vevent(dataset: Dataset, digest: Digest, stamp: datetime, findings: dict[str, list[Finding]]) -> VEvent:
    """The all-day item of one digest, on its day only (DTEND the day after, exclusive)."""
    urls = {u for entry in digest.entries for u in _urls(dataset, entry.event)}
    vevent = VEvent.new(
        uid=digest.uid,
        stamp=stamp,
        start=digest.day,
        end=digest.day + timedelta(days=1),
        summary=summary(digest),
        description=digest_description(dataset, digest, findings),
        categories=[CATEGORY],
        transparency=TRANSP.TRANSPARENT,
        url=urls.pop() if len(urls) == 1 else None,  # several: each stands under its source in the text
    )
    vevent.add("X-IPCOOP-EDTF", vText(digest.period))
    vevent.add("X-IPCOOP-PRECISION", vText(str(digest.precision)))
    for entry in digest.entries:
        vevent.add("X-IPCOOP-EVENT", vText(entry.event.id))
    return vevent


def summary(digest: Digest) -> str:
    """``November 2022: 9 events known only to the month``; one event is named instead of counted.

    A digest of one event is ``December 2022: Title``: the period heads it, as it heads the others.
    """
    if digest.total == 1:
        # The period first, as in a digest of many, but short: a month view has room for a few words
        # only. "Sometime in December 2022: ..." left nothing of the event visible in FullCalendar's
        # month grid, and the title first left its marker cut off, so that it read as held on the 1st.
        event = digest.entries[0].event
        when = event.date
        period = f"{human(when.start)} to {human(when.end)}" if when.is_interval else human(digest.period)
        return f"{period}: {event.title}"
    text = f"{human(digest.period)}: {digest.total} events known only to the {digest.precision}"
    return text + (f" (part {digest.part} of {digest.parts})" if digest.parts > 1 else "")


def digest_description(dataset: Dataset, digest: Digest, findings: dict[str, list[Finding]]) -> str:
    events = [entry.event for entry in digest.entries]
    header = _header(digest.period, digest.precision, events, digest.part, digest.parts, digest.total)
    if digest.total == 1:  # room for everything the event's own VEVENT would say
        (event,) = events
        return f"{header}\n\n• {event.title}\n" + description(dataset, event, findings.get(event.id, []))
    blocks = [header]
    heading: str | None = None
    for entry in digest.entries:
        if entry.source != heading or len(blocks) == 1:
            heading = entry.source
            blocks.append(entry.heading)
        blocks.append(entry.text)
    return "\n\n".join(blocks)


# --- parts ---------------------------------------------------------------------------------------


def _header(period: str, precision: Precision, events: list[Event], part: int, parts: int, total: int = 0) -> str:
    total = total or len(events)
    when = human(period)
    if precision == Precision.MONTH:
        known, day, spread = f"the month ({when}) but not the day", "the 1st", "every day of the month"
    else:
        known, day, spread = f"the year ({when}) but neither month nor day", "1 January", "the whole year"
    if total == 1:
        lines = [
            f"The source of this event gives {known}. It is listed here, on {day}, rather than drawn over "
            f"{spread}: {day} is not its date."
        ]
    else:
        lines = [
            f"{total} events whose sources give {known}. They are listed here, on {day}, rather than drawn "
            f"over {spread}: {day} is not their date."
        ]
    report_year = sum(e.date_basis == "report_year" for e in events)
    if report_year and total > 1:
        if report_year == len(events):
            which = "None of these has a date in its source: each is"
        else:
            which = f"{report_year} of the {len(events)} below have no date in their source: each of those is"
        lines.append(f"{which} dated to the year its annual report covers.")
    if parts > 1:
        lines.append(f"Part {part} of {parts} ({len(events)} events).")
    return "\n".join(lines)


def _pack(entries: list[Entry], header: int) -> list[list[Entry]]:
    """Cut ``entries`` into parts whose descriptions stay within :data:`BUDGET` characters.

    Greedy, in entry order: a part is closed when the next entry (with its source heading, when it
    opens a new group) would not fit. An entry longer than the budget alone gets a part to itself;
    it is never shortened. ``header`` is the length of the longest header a part can have.
    """
    parts: list[list[Entry]] = []
    current: list[Entry] = []
    size = header
    for entry in entries:
        opens_group = not current or current[-1].source != entry.source
        cost = len(entry.text) + 2 + (len(entry.heading) + 2 if opens_group else 0)
        if current and size + cost > BUDGET:
            parts.append(current)
            current, size = [], header
            cost = len(entry.text) + len(entry.heading) + 4  # a new part repeats its source heading
        current.append(entry)
        size += cost
    return [*parts, current] if current else parts


# --- entries -------------------------------------------------------------------------------------


def _entry(dataset: Dataset, event: Event, findings: list[Finding]) -> Entry:
    """``• Title``, its series, each citation (locator and quote), and the event's findings.

    Citations of the source the entry is filed under give only their locator, since the source
    stands once above the entries; citations of other sources are given in full.
    """
    filed_under = event.citations[0].source if event.citations else None
    title = event.title + (vague_marker(event.date) if event.date.is_interval else "")
    if event.status != "held":
        title += f" [{event.status}]"
    lines = [f"• {title}"]
    if line := series_line(dataset, event):
        lines.append(f"  {line}")
    for citation in event.citations:
        if citation.source == filed_under:
            where = citation.locator or "text"
            if citation.prospective:
                where += " [announced in advance]"
            lines.append(f'  {where}: "{citation.quote}"')
        else:
            lines.append(f"  also {citation_line(dataset, citation)}")
    lines.extend(f"  {line}" for line in finding_lines(findings))
    # No id line: 50-odd characters an entry would cost a fourth part of the 2017 and 2022 digests,
    # and X-IPCOOP-EVENT names every event listed for the reader who needs the id.
    return Entry(event, filed_under, _source_heading(dataset, filed_under), "\n".join(lines))


def _source_heading(dataset: Dataset, source_id: str | None) -> str:
    source = dataset.source(source_id) if source_id else None
    if source is None:
        return f"From {source_id}:" if source_id else "With no source cited:"
    heading = f"From {source.title} (published {human(source.published.text)}):"
    return heading + (f"\n{source.url}" if source.url else "")


_NUMBER = re.compile(r"(\d+)")


def _entry_order(entry: Entry) -> tuple[str, list[tuple[int, str]], str]:
    """By source, then by where in the source (section 2.3 before 10), then by id.

    Annual-report items then follow the report's own sections, which keeps related ones together.
    """
    locator = next((c.locator or "" for c in entry.event.citations if c.source == entry.source), "")
    natural = [(int(p), "") if p.isdigit() else (0, p) for p in _NUMBER.split(locator) if p]
    return entry.source or "", natural, entry.event.id


def _urls(dataset: Dataset, event: Event) -> list[str]:
    return [s.url for c in event.citations if (s := dataset.source(c.source)) and s.url]
