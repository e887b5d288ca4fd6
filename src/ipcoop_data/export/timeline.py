"""TimelineJS3 export: one slide per event, in the JSON format of timeline.knightlab.com.

A partial date stays partial: an event known only to May 2017 gets ``{"year": 2017, "month": 5}``
and no invented day. Every string from the dataset is HTML-escaped, since TimelineJS renders
headlines and texts as HTML.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any, Literal

from ipcoop_data.analysis.names import name_on
from ipcoop_data.export.atomic import write_text
from ipcoop_data.export.common import MONTHS, citation_source, country_name, dataset_timestamp, dataset_version
from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.dates import PartialDate, Precision
from ipcoop_data.model.records import Event, Party
from ipcoop_data.report.findings import Report

GroupBy = Literal["kind", "series"]
#: With ``group_by="series"``, the group of events in no series or in a series with one event: a
#: row per one-off series would make the time navigation taller than a screen (TimelineJS gives
#: every group a row of its own).
NO_SERIES = "Other events"
_ITALIC = re.compile(r"\*([^*]+)\*")
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


def _party_name(dataset: Dataset, party: Party, when: PartialDate) -> str:
    if party.name:
        return party.name
    org = dataset.organization(party.id)
    if org is None:
        return party.id
    return name_on(org, when).name


def _paragraph(label: str, items: list[str]) -> str:
    return f"<p>{escape(label)}: {escape(', '.join(items))}</p>" if items else ""


def event_text(dataset: Dataset, event: Event) -> str:
    """The slide's body as HTML: who, where, how well dated, and the sources' own words."""
    parts = [
        _paragraph("Parties", [_party_name(dataset, p, event.date) for p in event.parties]),
        _paragraph("People", [_participant(dataset, p.person, p.title) for p in event.people]),
        _paragraph("Instruments", [i.title for i in event.instruments]),
    ]
    if event.location:
        where = [event.location.venue, event.location.city, country_name(event.location.country)]
        parts.append(_paragraph("Place", [w for w in where if w]))
    if event.status != "held":
        parts.append(f"<p>Status: {escape(event.status)}.</p>")
    if event.date_basis == "report_year":
        parts.append("<p>Dated to the year its annual report covers: the source gives no date.</p>")
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


def _participant(dataset: Dataset, person_id: str, title: str | None) -> str:
    person = dataset.person(person_id)
    name = person.name if person else person_id
    return f"{name} ({title})" if title else name


def _group(dataset: Dataset, event: Event, group_by: GroupBy, series_sizes: Counter[str | None]) -> str:
    if group_by == "kind":
        return kind_name(event.kind)
    if event.series is None or series_sizes[event.series] < 2:
        return NO_SERIES
    series = dataset.series_by_id(event.series)
    return series.name if series else event.series


def slide(
    dataset: Dataset, event: Event, group_by: GroupBy = "kind", series_sizes: Counter[str | None] | None = None
) -> dict[str, Any]:
    sizes = series_sizes if series_sizes is not None else Counter(e.series for e in dataset.events)
    out: dict[str, Any] = {
        "unique_id": event.id,  # ids are [a-z0-9._-]+: valid, unique HTML ids
        "start_date": date_object(event.date.start),
        "display_date": display_date(event.date, event.date_basis == "report_year"),
        "text": {"headline": escape(event.title), "text": event_text(dataset, event)},
        "group": escape(_group(dataset, event, group_by, sizes)),
    }
    if event.date.is_interval:
        out["end_date"] = date_object(event.date.end)
    return out


def timeline_document(dataset: Dataset, report: Report | None = None, group_by: GroupBy = "kind") -> dict[str, Any]:
    if group_by not in ("kind", "series"):
        raise ValueError(f"group_by must be 'kind' or 'series', not {group_by!r}")
    events = sorted(dataset.events, key=lambda e: (e.date.lower, e.id))
    sizes: Counter[str | None] = Counter(e.series for e in events)
    about = (
        f"{len(events)} events from {len(dataset.sources)} source documents, each citing its source. "
        f"Data version {dataset_version(dataset)}, {dataset_timestamp(dataset).date().isoformat()}."
    )
    intro = f"<p>{escape(about)}</p>"
    if report is not None:
        intro += f"<p>{escape(report.summary())}</p>"
    return {
        "title": {"text": {"headline": "International cooperation in intellectual property", "text": intro}},
        "events": [slide(dataset, e, group_by, sizes) for e in events],
    }


@paused_gc()  # an export makes millions of short-lived objects and no cycles
def to_timeline(
    dataset: Dataset,
    path: str | os.PathLike[str],
    report: Report | None = None,
    group_by: GroupBy = "kind",
) -> Path:
    """Write the events as TimelineJS3 JSON to ``path`` (grouped by event kind or by series)."""
    doc = timeline_document(dataset, report, group_by)
    write_text(path, json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return Path(path)
