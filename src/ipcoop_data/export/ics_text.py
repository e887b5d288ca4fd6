"""The words of the calendar: dates as people say them, the marker of an unknown day, descriptions.

Shared by the VEVENT of one event (:mod:`ipcoop_data.export.ics`) and the digests that list the
events whose day is unknown (:mod:`ipcoop_data.export.ics_digest`), so that both say a date the
same way. Plain text only: icalendar escapes it and folds the lines.
"""

from __future__ import annotations

from ipcoop_data.analysis.countries import countries_with
from ipcoop_data.analysis.participants import participants
from ipcoop_data.export.common import MONTHS, citation_line, country_name, country_names
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.dates import PartialDate, Precision
from ipcoop_data.model.records import Event, Location
from ipcoop_data.report.findings import Finding

_WORDS = {"pph": "Patent Prosecution Highway", "mou": "memorandum of understanding"}


def human(text: str) -> str:
    """``2017``, ``May 2017`` or ``5 February 2022`` for one EDTF date (not an interval)."""
    parts = [int(p) for p in text.split("-")]
    words = [str(parts[0])]
    if len(parts) > 1:
        words.insert(0, MONTHS[parts[1] - 1])
    if len(parts) > 2:
        words.insert(0, str(parts[2]))
    return " ".join(words)


def vague_marker(when: PartialDate) -> str:
    """What follows the title of an event whose day is unknown; nothing for a day-precise date.

    `` (sometime in May 2017)``, `` (sometime in 2017)``, or for a span whose ends are known only to
    the month or year `` (May 2022 to December 2023, exact days unknown)``. A calendar's month or
    week view shows only the SUMMARY: without this, an event spread over a month (or a span drawn
    from the first of its first month to the last of its last) looks as if its days were known.
    """
    if when.precision == Precision.DAY:
        return ""
    if when.is_interval:
        return f" ({human(when.start)} to {human(when.end)}, exact days unknown)"
    return f" (sometime in {human(when.text)})"


def precision_line(when: PartialDate) -> str:
    """The first line of an event's description: its date, and how precisely it is known."""
    shown = human(when.start) + (f" to {human(when.end)}" if when.is_interval else "")
    if when.precision == Precision.DAY:
        return f"{'Dates' if when.is_interval else 'Date'}: {shown} (EDTF {when.text})"
    return f"Date known only to the {when.precision}: {shown} (EDTF {when.text})"


def words(key: str) -> str:
    """``entry_into_force`` -> ``entry into force``; ``pph`` -> ``Patent Prosecution Highway``."""
    return _WORDS.get(key, key.replace("_", " "))


def series_line(dataset: Dataset, event: Event) -> str | None:
    if not event.series or not (series := dataset.series_by_id(event.series)):
        return None
    return f"Series: {series.name}" + (f", no. {event.ordinal}" if event.ordinal else "")


def finding_lines(findings: list[Finding]) -> list[str]:
    return [f"Validation {f.severity} ({f.code}): {f.message}" for f in findings]


def id_line(event: Event) -> str:
    """The event's id, last in every text that shows it: a reader can look the record up by it."""
    return f"ipcoop-data event {event.id}"


def description(dataset: Dataset, event: Event, findings: list[Finding], *, shown_as: str | None = None) -> str:
    """Everything known about one event: date, status, series, parties, people, sources with quotes.

    ``shown_as`` follows the date line when the calendar shows the date otherwise than as stated
    (a month drawn over all its days, or an event listed in a digest).
    """
    lines = [precision_line(event.date)]
    if shown_as:
        lines.append(shown_as)
    if event.date_basis == "report_year":
        lines.append("The source gives no date: the event is dated to the year its annual report covers.")
    elif event.date_basis == "attested":
        lines.append("A state of affairs, dated to when a source attests it; the source does not say when it began.")
    if event.status != "held":
        lines.append(f"Status: {event.status}")
    if line := series_line(dataset, event):
        lines.append(line)
    who = participants(dataset)[event]
    if who.parties:
        # Named as the source did (SIPO before 2018, CNIPA after), with the abbreviation.
        lines.append("Parties: " + "; ".join(p.label(abbreviation=True) for p in who.parties))
    if countries := countries_with(event, who):
        lines.append("Countries: " + "; ".join(country_names(countries)))
    if who.people:
        lines.append("People: " + "; ".join(f"{p.name}, {p.title}" if p.title else p.name for p in who.people))
    if event.instruments:
        lines.append("Instruments: " + "; ".join(f"{i.title} ({words(i.kind)})" for i in event.instruments))
    if event.note:
        lines.append(f"Note: {event.note}")
    lines.extend(finding_lines(findings))
    if event.citations:
        lines += ["", "Sources:"] + [f"- {citation_line(dataset, c)}" for c in event.citations]
    lines += ["", id_line(event)]
    return "\n".join(lines)


def location(where: Location | None) -> str | None:
    if where is None:
        return None
    parts = [p for p in (where.venue, where.city, country_name(where.country)) if p]
    return ", ".join(parts) or None
