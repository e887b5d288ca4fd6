"""TimelineJS3 export: the events as a timeline people can read, in the JSON format of timeline.knightlab.com.

TimelineJS draws an event at a point or, given an end, as a span; it gives every group a row of
the time navigation. What a date does not say is never drawn as if it did:
- an event known to the day is at its day (a span of days spans them);
- an event known only to the month spans that month, from its first to its last day, rather than
  a point on the 1st (``display_date`` says "May 2017");
- events known only to the year are gathered on one slide per year that spans the year, in a row
  of their own (``YEAR_ROW``): a point would pin them to 1 January, and a span each would draw a
  pile of identical bars. A year with a single such event gets that event's own slide, spanning
  the year;
- likewise ``PILE`` or more events of one row with the same date (five meetings in September
  2017) share a digest slide: their markers would lie on top of each other, and the sources do not
  say in which order they happened.

The rows are at most ``MAX_ROWS``: the families of ``analysis.kinds`` (or, by series, the largest
series, then "Other series" and "Not in a series"), and the year row. Every string from the
dataset is HTML-escaped, since TimelineJS renders headlines and texts as HTML.
"""

from __future__ import annotations

import json
import os
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from datetime import date as Date
from functools import partial
from html import escape
from itertools import groupby
from pathlib import Path
from typing import Any, Literal

from ipcoop_data.analysis.countries import countries_with
from ipcoop_data.analysis.kinds import FAMILIES, kind_family
from ipcoop_data.analysis.participants import participants
from ipcoop_data.export.atomic import atomic_text, batch
from ipcoop_data.export.common import (
    MONTHS,
    by_id,
    citation_source,
    country_name,
    country_names,
    dataset_timestamp,
    dataset_version,
)
from ipcoop_data.export.jsonstream import StreamedList, write_in_step
from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.dates import PartialDate, Precision
from ipcoop_data.model.records import Event, Source
from ipcoop_data.report.findings import Report

GroupBy = Literal["kind", "series"]
#: TimelineJS gives each group a row, at least ``marker_height_min`` pixels high: more than 8 rows
#: and the navigation takes most of a laptop's screen.
MAX_ROWS = 8
#: The row of events known only to their year.
YEAR_ROW = "Known only to the year"
#: With ``group_by="series"``: events in no series, and events of the series that get no row of their own.
NO_SERIES = "Not in a series"
OTHER_SERIES = "Other series"
TITLE = "International cooperation in intellectual property"
#: Shown on the title slide; DATA-LICENSE.md says the same at length.
LICENCE_HTML = (
    "The curated records of ipcoop-data are licensed under the "
    '<a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International '
    "licence (CC BY 4.0)</a>: reuse them, crediting “ipcoop-data”. The quotations remain the words of "
    "their publishers, reproduced so that each fact can be checked."
)
#: The title slide names at most this many sources, then says how many more there are.
SOURCES_LISTED = 10
#: Events of one row on one date that get a digest slide rather than a marker each: two fit one
#: above the other, three or more (five meetings in September 2017) would hide each other.
PILE = 3
_ITALIC = re.compile(r"\*([^*]+)\*")
_SLUG = re.compile(r"[^a-z0-9]+")
_KIND_NAMES = {"pph": "PPH", "mou": "MoU"}
_PRECISION_NOTE = {
    Precision.YEAR: "Date known only to the year.",
    Precision.MONTH: "Date known only to the month.",
    Precision.DAY: "Date known to the day.",
}


def kind_name(kind: str) -> str:
    """``entry_into_force`` -> ``Entry into force``."""
    return _KIND_NAMES.get(kind) or kind.replace("_", " ").capitalize()


def date_object(text: str) -> dict[str, int]:
    """A TimelineJS date with only the parts ``text`` (YYYY[-MM[-DD]]) states."""
    return dict(zip(("year", "month", "day"), (int(part) for part in text.split("-")), strict=False))


def _day(day: Date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}


def known_only_to_the_year(date: PartialDate) -> bool:
    """True when the date (or one end of its interval) says only a year."""
    return date.precision is Precision.YEAR


def span(date: PartialDate) -> tuple[dict[str, int], dict[str, int] | None]:
    """TimelineJS ``start_date`` and ``end_date``: a day is a point; any other date spans all it may mean.

    "May 2017" runs from 1 to 31 May, "2017" from 1 January to 31 December: the first and last day
    the date allows (``PartialDate.lower`` and ``upper``), never a point on the 1st. Both ends are
    whole days because TimelineJS drops an end that agrees with the start on every part the start
    states ({"year": 2017} to {"year": 2017, "month": 12, "day": 31} would become a point). The
    slide's ``display_date`` says what the source states: "May 2017".
    """
    if date.precision is Precision.DAY and not date.is_interval:
        return date_object(date.start), None
    return _day(date.lower), _day(date.upper)


def _show(text: str) -> str:
    parts = date_object(text)
    shown = str(parts["year"])
    if "month" in parts:
        shown = f"{MONTHS[parts['month'] - 1]} {shown}"
    if "day" in parts:
        shown = f"{parts['day']} {shown}"
    return shown


def display_date(date: PartialDate, report_year: bool = False) -> str:
    """``May 2017``, ``5 February 2022``, ``11–13 September 2024``; ``2017 (report year)``."""
    if not date.is_interval:
        shown = _show(date.text)
    elif date.precision is Precision.DAY and date.start[:7] == date.end[:7]:
        shown = f"{int(date.start[8:])}–{_show(date.end)}"
    else:
        shown = f"{_show(date.start)} – {_show(date.end)}"
    return f"{shown} (report year)" if report_year else shown


def _paragraph(label: str, items: list[str]) -> str:
    return f"<p>{escape(label)}: {escape(', '.join(items))}</p>" if items else ""


def event_text(dataset: Dataset, event: Event) -> str:
    """The slide's body as HTML: who, where, how well dated, and the sources' own words."""
    who = participants(dataset)[event]  # named as in every export: analysis.participants
    countries = country_names(countries_with(event, who))
    parts = [
        _paragraph("Parties", [p.label() for p in who.parties]),
        _paragraph("Countries", countries),
        _paragraph("People", [f"{p.name} ({p.title})" if p.title else p.name for p in who.people]),
        _paragraph("Instruments", [i.title for i in event.instruments]),
    ]
    if event.location:
        where = [event.location.venue, event.location.city, country_name(event.location.country)]
        parts.append(_paragraph("Place", [w for w in where if w]))
    if event.status != "held":
        parts.append(f"<p>Status: {escape(event.status)}.</p>")
    if event.date_basis == "report_year":
        parts.append("<p>Dated to the year its annual report covers: the source gives no date.</p>")
    elif event.date_basis == "attested":
        parts.append("<p>A state of affairs, dated to when a source attests it, not to when it began.</p>")
    else:
        parts.append(f"<p>{_PRECISION_NOTE[event.date.precision]}</p>")
    for c in event.citations:
        parts.append(
            f"<blockquote>{quote_html(c.quote)}</blockquote><p><cite>{escape(citation_source(dataset, c))}</cite></p>"
        )
    return "".join(parts)


def quote_html(quote: str) -> str:
    """The quote, escaped, with the source's own *italics* (as its text marks them) in italics.

    An asterisk left unpaired (the quote begins or ends inside the italic span) is dropped: it is
    the source's markup, not its words.
    """
    return _ITALIC.sub(r"<em>\1</em>", escape(quote)).replace("*", "")


# --- rows -------------------------------------------------------------------------------------


def rows(dataset: Dataset, events: Iterable[Event], group_by: GroupBy = "kind") -> list[str]:
    """Each event's row (TimelineJS group) as plain text, in the order of ``events``; at most ``MAX_ROWS``.

    By kind: the event's family (``analysis.kinds``). By series: a row for each of the largest
    series (most events drawn in the rows, then most events, then name), as many as fit beside
    "Not in a series", "Other series" (the rest) and the year row. Year-only events are in the year row.
    """
    events = list(events)
    row = row_of(dataset, events, group_by)
    return [row(e) for e in events]


def row_of(dataset: Dataset, events: Sequence[Event], group_by: GroupBy = "kind") -> Callable[[Event], str]:
    """The rule of ``rows``, as a function of one event: the rows of all events need not be held at once.

    By series it counts ``events`` first: which series get a row of their own depends on them all.
    """
    if group_by not in ("kind", "series"):
        raise ValueError(f"group_by must be 'kind' or 'series', not {group_by!r}")
    if group_by == "kind":
        return lambda e: YEAR_ROW if known_only_to_the_year(e.date) else kind_family(e.kind)
    names: dict[str, str] = {s.id: s.name for s in dataset.series}
    drawn_counts: Counter[str] = Counter()
    all_counts: Counter[str] = Counter()
    any_year = any_drawn_without_series = False
    for e in events:
        year = known_only_to_the_year(e.date)
        any_year |= year
        any_drawn_without_series |= not year and e.series is None
        if e.series is not None:
            all_counts[e.series] += 1
            drawn_counts[e.series] += not year
    drawn_counts = +drawn_counts  # only the series with an event drawn in the rows compete for one

    def rank(series: str) -> tuple[int, int, str, str]:
        return (-drawn_counts[series], -all_counts[series], names.get(series, series).casefold(), series)

    ranked = sorted(drawn_counts, key=rank)
    budget = MAX_ROWS - any_year - any_drawn_without_series
    own = set(ranked if len(ranked) <= budget else ranked[: budget - 1])

    def row(event: Event) -> str:
        if known_only_to_the_year(event.date):
            return YEAR_ROW
        if event.series is None:
            return NO_SERIES
        return names.get(event.series, event.series) if event.series in own else OTHER_SERIES

    return row


# --- slides -----------------------------------------------------------------------------------


def slide(dataset: Dataset, event: Event, group: str) -> dict[str, Any]:
    """One event's slide, in the row ``group`` (plain text)."""
    start, end = span(event.date)
    out: dict[str, Any] = {
        "unique_id": event.id,  # ids are [a-z0-9._-]+: valid, unique HTML ids
        "start_date": start,
        "display_date": display_date(event.date, event.date_basis == "report_year"),
        "text": {"headline": escape(event.title), "text": event_text(dataset, event)},
        "group": escape(group),
    }
    if end is not None:
        out["end_date"] = end
    return out


def digest_id(date: PartialDate, row: str) -> str:
    """``2017-09:meetings-and-visits``: the ':' is in no record id, so a digest never takes an event's id."""
    return f"{date.text}:{_SLUG.sub('-', row.casefold()).strip('-')}"


def _digest_headline(shown: str, count: int, row: str) -> str:
    if row == YEAR_ROW:
        return f"{shown}: {count} events known only to the year"
    if row in FAMILIES:
        return f"{shown}: {count} {'other events' if row == 'Other' else row.casefold()}"
    return f"{shown}: {count} events, {row}"


def digest_slide(dataset: Dataset, date: PartialDate, row: str, events: list[Event]) -> dict[str, Any]:
    """One slide for events of one row that share a date the timeline cannot tell apart.

    A list (by family when there are several), each item opening to the event's own text. The
    sources give no order within the date, so the items are in the order of their titles.
    """
    start, end = span(date)
    shown = display_date(date)
    if date.precision is Precision.DAY:
        intro = f"{len(events)} events of {shown}"
    else:
        intro = f"{len(events)} events that the sources date only to {shown}"
    undated = sum(e.date_basis == "report_year" for e in events)
    if undated == len(events):
        intro += ", the year that an annual report covers, as the report gives no date"
    elif undated:
        intro += f" ({undated} of them to the year that an annual report covers, as the report gives no date)"
    by_family: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_family[kind_family(event.kind)].append(event)
    order = "by kind of event and title" if len(by_family) > 1 else "by title"
    parts = [
        f"<p>{escape(intro)}. The sources do not say in which order they happened, so they are listed "
        f"{order}: open one to see its parties, place and the source’s words.</p>"
    ]
    for family in FAMILIES:
        members = sorted(by_family.get(family, []), key=lambda e: (e.title.casefold(), e.id))
        if not members:
            continue
        if len(by_family) > 1:
            parts.append(f"<h3>{escape(family)} ({len(members)})</h3>")
        parts.extend(
            # data-event: which record this is, for a reader of the JSON (ids need no escaping)
            f'<details data-event="{e.id}"><summary>{escape(e.title)}</summary>{event_text(dataset, e)}</details>'
            for e in members
        )
    out: dict[str, Any] = {
        "unique_id": digest_id(date, row),
        "start_date": start,
        "display_date": shown,
        "text": {"headline": escape(_digest_headline(shown, len(events), row)), "text": "".join(parts)},
        "group": escape(row),
    }
    if end is not None:
        out["end_date"] = end
    return out


def _source_line(source: Source) -> str:
    publisher = f", {source.publisher}" if source.publisher else ""
    return f"<li>{escape(source.title)}{escape(publisher)} ({escape(display_date(source.published))})</li>"


def title_slide(dataset: Dataset, group_by: GroupBy) -> dict[str, Any]:
    """What this is and where it comes from: the dataset, its sources, its version, its licence."""
    sources = sorted(dataset.sources, key=by_id)
    listed = "".join(_source_line(s) for s in sources[:SOURCES_LISTED])
    if len(sources) > SOURCES_LISTED:
        listed += f"<li>and {len(sources) - SOURCES_LISTED} more</li>"
    rows_are = (
        "families of events (meetings, conferences, agreements, training, launches)"
        if group_by == "kind"
        else f"the largest series of recurring meetings, then “{OTHER_SERIES}” and “{NO_SERIES}”"
    )
    text = (
        f"<p>{len(dataset.events)} events of international cooperation in intellectual property, from "
        "<strong>ipcoop-data</strong>, a hand-curated dataset in which every record cites its source "
        "with the source’s own words.</p>"
        f"<p>From {len(sources)} source documents:</p><ul>{listed}</ul>"
        f"<p>The rows are {escape(rows_are)}. An event known only to its month spans the month. Events "
        f"known only to their year share one slide per year, in the row “{escape(YEAR_ROW)}”, and so do "
        f"{PILE} or more events of one row and one month: the sources do not say in which order they "
        "happened.</p>"
        f"<p>Dataset version {escape(dataset_version(dataset))}, as of "
        f"{dataset_timestamp(dataset):%Y-%m-%d} (the newest source’s date). {LICENCE_HTML}</p>"
    )
    return {"text": {"headline": escape(TITLE), "text": text}}


def timeline_document(dataset: Dataset, report: Report | None = None, group_by: GroupBy = "kind") -> dict[str, Any]:
    """The TimelineJS document: a title slide and the slides (``iter_slides``), sorted by start.

    ``report`` is accepted like every exporter's; the timeline is for readers, so it shows no
    validation counts. ``to_timeline`` writes the same document without holding it.
    """
    return {"title": title_slide(dataset, group_by), "events": list(iter_slides(dataset, group_by))}


def iter_slides(dataset: Dataset, group_by: GroupBy = "kind") -> Iterator[dict[str, Any]]:
    """The slides of the events, sorted by start (then id), each made when asked for.

    Events of one row with the same date are drawn on the same spot; when there are ``PILE`` or
    more of them (and always for the year row, where a year spans the whole row) they share one
    digest slide instead of covering each other's markers.

    What is held for all events is their order by first day (an index each) and the rule of the
    rows; the slides of one first day at a time are grouped, ordered and made. Events that share
    a slide share their date, hence their first day, so a day's events are all a digest needs.
    """
    events = dataset.events
    row = row_of(dataset, events, group_by)
    by_start = array("L", sorted(range(len(events)), key=lambda i: events[i].date.lower))  # stable: file order
    for _, day in groupby(by_start, key=lambda i: events[i].date.lower):
        yield from _day_slides(dataset, [events[i] for i in day], row)


def _day_slides(dataset: Dataset, events: list[Event], row: Callable[[Event], str]) -> Iterator[dict[str, Any]]:
    """The slides of events that start on one day (in file order), sorted by id.

    Digests are planned in the order of their first event, as are the events of a row and date
    too few to share one: that order decides which of two digest ids that would clash takes the
    '+', and which of two events with one id (an error validation reports) comes first.
    """
    together: dict[tuple[PartialDate, str], list[Event]] = defaultdict(list)
    for event in events:
        together[(event.date, row(event))].append(event)
    planned: list[tuple[str, Callable[[], dict[str, Any]]]] = []  # (id, what makes the slide)
    taken: set[str] = set()  # a digest id starts with its date's text, so it can clash only on its first day
    for (date, label), members in together.items():
        if len(members) >= (2 if label == YEAR_ROW else PILE):
            unique_id = digest_id(date, label)
            while unique_id in taken:  # two rows whose names differ only in punctuation
                unique_id += "+"
            taken.add(unique_id)
            planned.append((unique_id, partial(_named_digest, dataset, date, label, members, unique_id)))
        else:
            planned.extend((e.id, partial(slide, dataset, e, label)) for e in members)
    planned.sort(key=lambda plan: plan[0])  # stable: ties keep the order above
    for _, make in planned:
        yield make()


def _named_digest(dataset: Dataset, date: PartialDate, row: str, events: list[Event], unique_id: str) -> dict[str, Any]:
    digest = digest_slide(dataset, date, row, events)
    digest["unique_id"] = unique_id
    return digest


def document_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def json_form(title: dict[str, Any]) -> StreamedList:
    """The spelling of ``document_json``, for a document of ``title`` whose slides are streamed."""
    return StreamedList.around({"title": title}, "events", indent=2, sort_keys=True, ensure_ascii=False)


@paused_gc(transient=True)  # an export makes millions of short-lived objects, and leaves few
def to_timeline(
    dataset: Dataset,
    path: str | os.PathLike[str],
    report: Report | None = None,
    group_by: GroupBy = "kind",
    *,
    page: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the events as TimelineJS3 JSON to ``path`` (rows by family of kind, or by series).

    With ``page``, also write there a standalone HTML page that shows the same timeline, offline
    (``export.timeline_page``); both files are replaced together or not at all. Returns ``path``.
    """
    title = title_slide(dataset, group_by)
    with batch(), ExitStack() as files:
        outputs: list[tuple[StreamedList, Callable[[str], object]]] = []
        tail: list[str] = []
        if page is not None:
            from ipcoop_data.export.timeline_page import page_frame, script_form, script_safe

            # entered first, so left last: the batch renames the JSON first, then the page
            page_handle = files.enter_context(atomic_text(page))
            head, tail = page_frame(dataset_version(dataset))
            page_handle.writelines(head)
            outputs.append((script_form(title), lambda text: page_handle.write(script_safe(text))))
        handle = files.enter_context(atomic_text(path))
        outputs.insert(0, (json_form(title), handle.write))
        # Each slide is made once, written to both files, and let go: neither the document nor
        # its text is ever whole in memory (at 100 times the bundled data, they took 300 MB).
        write_in_step(iter_slides(dataset, group_by), outputs)
        handle.write("\n")  # document_json's last line break
        if page is not None:
            page_handle.writelines(tail)
    return Path(path)
