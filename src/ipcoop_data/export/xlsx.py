"""Excel workbook export: one sheet per record type, plus About, Summary and Discrepancies.

What goes in each sheet is decided here; how cells, tables and the zip are written is in
``workbook.py``. Every date is a real date cell formatted to its precision ("2017", "May 2017",
"2017-05-20") with its EDTF text beside it, so a reader never mistakes "May 2017" for 1 May.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ipcoop_data.analysis.comparisons import Comparison
from ipcoop_data.analysis.countries import countries_with
from ipcoop_data.analysis.names import name_on
from ipcoop_data.analysis.participants import participants
from ipcoop_data.export.atomic import atomic_path
from ipcoop_data.export.common import by_id, country_name, country_names, dataset_timestamp, dataset_version, progress
from ipcoop_data.export.workbook import (
    ChartSheet,
    Column,
    Day,
    Highlighted,
    Link,
    NotesSheet,
    Row,
    Sheet,
    Value,
    WorkbookWriter,
)
from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.records import Citation, Event, Observation, Person, Record, Role
from ipcoop_data.report.findings import Report

SOURCES = "Sources"
#: Source ids (lower-case letters, digits and hyphens: 32 characters at most in the bundled data)
#: are narrower than the digits a column's width counts: 30 shows those whole, and leaves room on the
#: first screen; a longer id is cut at the column's edge, whole in its cell.
SOURCE_WIDTH = 30
METRICS = "Metrics"
SERIES = "Series"
OBSERVATIONS = "Observations"
ORGANIZATIONS = "Organizations"


@paused_gc(transient=True)  # an export makes millions of short-lived objects, and leaves few
def to_xlsx(dataset: Dataset, path: str | os.PathLike[str], report: Report | None = None) -> Path:
    """Write the workbook to ``path`` atomically; the same dataset always gives the same bytes."""
    target = Path(path)
    version = dataset_version(dataset)  # hashing the dataset takes a while: once per export
    writer = WorkbookWriter(
        dataset_timestamp(dataset),
        title="ipcoop-data: international cooperation in intellectual property",
        subject=f"dataset {version}",
        creator="ipcoop-data",
    )
    for sheet in build_sheets(dataset, report, version):
        writer.add(sheet)
    with atomic_path(target) as tmp:
        writer.save(tmp)
    return target


def build_sheets(
    dataset: Dataset, report: Report | None = None, version: str | None = None
) -> list[Sheet | NotesSheet | ChartSheet]:
    """Every sheet of the workbook, in order, as plain values (no openpyxl objects).

    ``version`` is :func:`dataset_version` of the dataset, if the caller has it already.
    """
    from ipcoop_data.analysis.discrepancies import comparisons

    rows = _Rows(dataset)
    disputes = comparisons(dataset)
    sheets: list[Sheet | NotesSheet | ChartSheet] = [
        about_sheet(dataset, report, disputes, version or dataset_version(dataset)),
        summary_sheet(dataset),
        events_sheet(dataset, rows),
        observations_sheet(dataset, rows, disputes),
        metrics_sheet(dataset, rows),
        discrepancies_sheet(rows, disputes),
        sources_sheet(dataset),
        organizations_sheet(dataset, rows),
        people_sheet(dataset, rows),
        series_sheet(dataset, rows),
        rulings_sheet(dataset, rows),
        relations_sheet(dataset),
    ]
    if report is not None:
        sheets.append(findings_sheet(report))
    return sheets


class _Rows:
    """Row numbers of records in their sheets (records sorted by id, header in row 1)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.rows: dict[str, dict[str, int]] = {}
        for sheet, records in (
            (SOURCES, dataset.sources),
            (ORGANIZATIONS, dataset.organizations),
            (SERIES, dataset.series),
            (OBSERVATIONS, dataset.observations),
        ):
            self.rows[sheet] = {by_id(r): i for i, r in enumerate(sorted(records, key=by_id), 2)}
        # Metrics have one row per (metric, subject): link to the metric's first row.
        self.rows[METRICS] = {}
        for i, (metric_id, _subject) in enumerate(metric_groups(dataset), 2):
            self.rows[METRICS].setdefault(metric_id, i)

    def link(self, sheet: str, record_id: str | None, label: str | None = None) -> Link | str | None:
        """A link showing ``label`` (default: the id) to the record's row, or plain text if it has none."""
        if record_id is None:
            return None
        row = self.rows[sheet].get(record_id)
        text = label or record_id
        return Link(text, sheet=sheet, row=row) if row else text

    def source(self, citations: Sequence[Citation]) -> Link | str | None:
        return self.link(SOURCES, citations[0].source) if citations else None


def _through(columns: Sequence[Column], header: str) -> int:
    """How many leading columns there are up to ``header``: a sheet's key columns (see ``Sheet``)."""
    return [c.header for c in columns].index(header) + 1


def _quote(citations: Sequence[Citation]) -> str | None:
    return citations[0].quote if citations else None


def _more_sources(citations: Sequence[Citation]) -> str | None:
    """The other sources citing a record (a second quote from the first source is not another source)."""
    others: dict[str, str] = {}
    for c in citations[1:]:
        if c.source != citations[0].source:
            others.setdefault(c.source, c.source + (" (announced in advance)" if c.prospective else ""))
    return "; ".join(others.values()) or None


def org_name(dataset: Dataset, org_id: str, when: Any = None) -> str:
    org = dataset.organization(org_id)
    if org is None:
        return org_id
    return name_on(org, when).name


# --- About and Summary --------------------------------------------------------------------------


def about_sheet(dataset: Dataset, report: Report | None, disputes: list[Comparison], version: str) -> NotesSheet:
    from ipcoop_data.analysis.discrepancies import status

    open_ = sum(1 for c in disputes if status(c) == "open")
    settled = sum(1 for c in disputes if c.settled)
    paragraphs: list[tuple[str, str | Link]] = [
        (
            "ipcoop-data",
            "International cooperation in intellectual property: meetings, signings, treaty accessions, "
            "trainings, and the figures official sources announce about them. Every record cites its source "
            "with a verbatim quote.",
        ),
        ("Dataset version", version),
        ("As of", f"{dataset_timestamp(dataset):%Y-%m-%d} (the newest source's publication date)"),
        (
            "Contents",
            f"{len(dataset.events)} events, {len(dataset.observations)} figures (observations) of "
            f"{len(dataset.metrics)} metrics, {len(dataset.organizations)} organizations, {len(dataset.people)} "
            f"people, {len(dataset.series)} series, from {len(dataset.sources)} sources.",
        ),
    ]
    if report is not None:
        paragraphs.append(("Validation", report.summary()))
    paragraphs += [
        ("Sources", "; ".join(f"{s.title} ({s.published})" for s in sorted(dataset.sources, key=by_id))),
        (
            "Dates",
            "Sources state dates to the year, the month or the day. Each date cell shows only what is "
            "known: '2017', 'May 2017' or '2017-05-20' (the cell holds the first day of that year or month, "
            "so it sorts and filters as a date). The 'date (EDTF)' column gives the date exactly as "
            "recorded, and 'precision' says how precise it is. 'report year' in 'date basis' means the source "
            "gives no date and the event is dated to the year its annual report covers.",
        ),
        (
            "Figures",
            "'value' is the number in the metric's unit; 'qualifier' says how the source put it "
            "(exact, more than, about, nearly, ...) and 'as reported' gives the printed words. Never read "
            "'more than 1,300' as exactly 1,300.",
        ),
        (
            "Discrepancies",
            f"{len(disputes)} differences between figures of one quantity: {open_} open (rows "
            f"highlighted red: sources disagree or a figure grew and no ruling settles it), {settled} settled by "
            "a ruling (green), the rest consistent (e.g. 'more than 1,200' and 'more than 1,300').",
        ),
        (
            "Metrics",
            "One row per metric (and subject): the ruled value where a curator's ruling prefers one "
            "figure, otherwise the latest figure, with the basis stated.",
        ),
        ("Rulings", "A ruling is a curator's decision on a discrepancy, with its reason; see the Rulings sheet."),
        (
            "Reading the sheets",
            "Each data sheet opens with the columns that answer its question (what, when, where, how much, "
            "from which source); the quotes, the details and the ids follow to the right. The header row and "
            "the first column stay in view. Printed, a sheet gives those first columns, fitted to the page's "
            "width; the footer says which.",
        ),
        (
            "Links",
            "Source ids in the 'source' columns link to the source's row in the Sources sheet; "
            "series, organization, metric and observation ids link to their rows too.",
        ),
        (
            "Sheets",
            "Summary, Events, Observations, Metrics, Discrepancies, Sources, Organizations, People, "
            "Series, Rulings, Relations" + (", Findings (what validation reported)" if report is not None else ""),
        ),
    ]
    return NotesSheet("About", paragraphs)


#: One colour a family of kinds, in FAMILIES' order: the Okabe-Ito palette, told apart by readers
#: with a colour-vision deficiency too; "Other" in grey.
FAMILY_COLORS = ("0072B2", "56B4E9", "E69F00", "D55E00", "009E73", "999999")


def summary_sheet(dataset: Dataset) -> ChartSheet:
    from ipcoop_data.analysis.kinds import FAMILIES, kind_family

    years = [e.date.lower.year for e in dataset.events]
    categories: list[int | str] = list(range(min(years), max(years) + 1)) if years else []
    counts: Counter[tuple[int, str]] = Counter((e.date.lower.year, kind_family(e.kind)) for e in dataset.events)
    per_kind: Counter[str] = Counter(e.kind for e in dataset.events)
    shown = [f for f in FAMILIES if any(kind_family(k) == f for k in per_kind)]  # families with events
    colors = dict(zip(FAMILIES, FAMILY_COLORS, strict=True))
    key: list[list[Value]] = []
    for family in shown:
        kinds = sorted((k for k in per_kind if kind_family(k) == family), key=lambda k: (-per_kind[k], k))
        key.append([family, ", ".join(k.replace("_", " ") for k in kinds), sum(per_kind[k] for k in kinds)])
    reports, coverage = _annual_report_coverage(dataset)
    title = "Events per year, by kind"
    if reports:
        title += f" ({_and(str(y) for y in sorted(reports))}: years of the annual reports)"
    return ChartSheet(
        "Summary",
        title=title,
        category_header="year",
        categories=categories,
        series=shown,
        counts=[[counts[(int(year), family)] for family in shown] for year in categories],
        colors=[colors[f] for f in shown],
        notes=[
            *coverage,
            "Counted by the year an event starts; events known only to the year are counted in that year.",
        ],
        key_header=["kind of event", "kinds in the data", "events"],
        key=key,
    )


def _annual_report_coverage(dataset: Dataset) -> tuple[set[int], list[str]]:
    """The years the annual reports among the sources cover, and lines of text saying what follows.

    Each line is short enough to read on one screen: a cell's text runs on over empty cells, not
    past the screen's edge.
    """
    reports = [s for s in sorted(dataset.sources, key=by_id) if s.kind == "annual_report" and s.covers]
    years = {y for s in reports if s.covers for y in range(s.covers.lower.year, s.covers.upper.year + 1)}
    said = "The counts follow what the sources cover, not how much cooperation there was"
    if not reports:
        return years, [said + "."]
    ids = {s.id for s in reports}
    in_years = [e for e in dataset.events if e.date.lower.year in years]
    from_reports = sum(1 for e in in_years if any(c.source in ids for c in e.citations))
    plural = len(reports) > 1
    lines = [
        f"{said}: {_and(str(y) for y in sorted(years))} {'are the years' if plural else 'is the year'} of the "
        f"{_number(len(reports))} annual report{'s' if plural else ''} among the sources, which cover the "
        f"whole year ({from_reports} of the {len(in_years)} events of {'those years' if plural else 'that year'})."
    ]
    others = [s for s in dataset.sources if s.id not in ids]
    if others:
        kinds = _and(sorted({o.kind.replace("_", " ") for o in others}))
        lines.append(
            f"The other years hold only the events that the other {_number(len(others))} "
            f"source{'s' if len(others) > 1 else ''} ({kinds}) mention; see the Sources sheet."
        )
    return years, lines


def _and(items: Iterable[str]) -> str:
    words = list(items)
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _number(n: int) -> str:
    return ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")[n - 1] if 0 < n < 10 else str(n)


# --- Events ---------------------------------------------------------------------------------

# The first screen answers "what happened, when, where, with whom": title, dates, kind, place and
# parties; the evidence (source, quote) follows; the EDTF details, notes and the id are further right.
EVENT_COLUMNS = [
    Column("title", "long_text", 46),
    Column("start", "date"),
    Column("end", "date"),
    Column("kind"),
    Column("city"),
    Column("country"),
    Column("parties", "long_text", 40),
    Column("countries", "long_text", 18),  # with whom: its parties' countries and those it records
    Column("source", width=SOURCE_WIDTH),
    Column("quote", "long_text", 60),
    Column("series", "text", 44),  # a link: LibreOffice does not wrap a link's text
    Column("date (EDTF)"),
    Column("precision"),
    Column("date basis"),
    Column("status"),
    Column("ordinal", "number"),
    Column("venue"),
    Column("people", "long_text"),
    Column("instruments", "long_text"),
    Column("also cited by", width=SOURCE_WIDTH),
    Column("note", "long_text", 60, grows=False),
    Column("id", "id"),
]


def event_row(dataset: Dataset, rows: _Rows, event: Event) -> list[Value]:
    when = event.date
    location = event.location
    who = participants(dataset)[event]
    parties = "; ".join(p.label() for p in who.parties)
    people = "; ".join(f"{p.name} ({p.title})" if p.title else p.name for p in who.people)
    instruments = "; ".join(f"{i.title} ({i.kind.replace('_', ' ')})" for i in event.instruments)
    return [
        event.title,
        Day.lower(when),
        Day.upper(when) if when.is_interval else None,
        event.kind.replace("_", " "),
        location.city if location else None,
        country_name(location.country) if location else None,
        parties or None,
        "; ".join(country_names(countries_with(event, who))) or None,
        rows.source(event.citations),
        _quote(event.citations),
        rows.link(SERIES, event.series, _series_name(dataset, event.series)),
        when.text,
        str(when.precision),
        event.date_basis.replace("_", " "),
        event.status,
        event.ordinal,
        location.venue if location else None,
        people or None,
        instruments or None,
        _more_sources(event.citations),
        event.note,
        event.id,
    ]


def _series_name(dataset: Dataset, series_id: str | None) -> str | None:
    series = dataset.series_by_id(series_id) if series_id else None
    return series.name if series else None


def events_sheet(dataset: Dataset, rows: _Rows) -> Sheet:
    events = sorted(dataset.events, key=by_id)
    body = (event_row(dataset, rows, e) for e in progress(events, len(events), "xlsx: events"))
    return Sheet("Events", EVENT_COLUMNS, body, key_columns=_through(EVENT_COLUMNS, "source"))


# --- Observations, Metrics, Discrepancies -----------------------------------------------------

# First screen: what was measured (label, subject), how much as printed, when, and the source.
OBSERVATION_COLUMNS = [
    Column("label", "long_text", 40),
    Column("subject", "long_text", 30),
    Column("as reported", "long_text", 22),
    Column("value", "number"),
    Column("unit", "long_text", 12),
    Column("when (EDTF)"),
    Column("as of / period"),
    Column("source", width=SOURCE_WIDTH),
    Column("quote", "long_text", 60),
    Column("qualifier"),
    Column("from", "date"),
    Column("to", "date"),
    Column("discrepancy", "long_text", 40),
    Column("metric"),
    Column("also cited by", width=SOURCE_WIDTH),
    Column("note", "long_text", 60, grows=False),
    Column("id", "id"),
]


def _dispute_notes(disputes: list[Comparison]) -> dict[str, list[str]]:
    from ipcoop_data.analysis.discrepancies import status

    notes: dict[str, list[str]] = defaultdict(list)
    for c in disputes:
        state = status(c)
        notes[c.first.id].append(f"{state} {c.outcome} with {c.second.id}")
        notes[c.second.id].append(f"{state} {c.outcome} with {c.first.id}")
    return notes


def observations_sheet(dataset: Dataset, rows: _Rows, disputes: list[Comparison]) -> Sheet:
    return Sheet(
        OBSERVATIONS,
        OBSERVATION_COLUMNS,
        _observation_rows(dataset, rows, disputes),
        key_columns=_through(OBSERVATION_COLUMNS, "source"),
    )


def _observation_rows(dataset: Dataset, rows: _Rows, disputes: list[Comparison]) -> Iterator[Row]:
    notes = _dispute_notes(disputes)
    observations = sorted(dataset.observations, key=by_id)
    for obs in progress(observations, len(observations), "xlsx: observations"):
        metric = dataset.metric(obs.metric)
        when = obs.when
        mine = notes.get(obs.id, [])
        values: list[Value] = [
            metric.label if metric else None,
            obs.subject,
            obs.as_reported,
            obs.value,
            metric.unit.replace("_", " ") if metric else None,
            when.text,
            "as of" if obs.as_of is not None else "period",
            rows.source(obs.citations),
            _quote(obs.citations),
            obs.qualifier.replace("_", " "),
            Day.lower(when),
            Day.upper(when) if when.is_interval or obs.period is not None else None,
            "; ".join(mine) or None,
            rows.link(METRICS, obs.metric),
            _more_sources(obs.citations),
            obs.note,
            obs.id,
        ]
        yield Highlighted(values, "open") if any(n.startswith("open") for n in mine) else values


def metric_groups(dataset: Dataset) -> list[tuple[str, str | None]]:
    """(metric id, subject) pairs in row order: every metric, and a row per subject it is used with."""
    subjects: dict[str, set[str | None]] = defaultdict(set)
    for obs in dataset.observations:
        subjects[obs.metric].add(obs.subject)
    groups = []
    for metric in sorted(dataset.metrics, key=by_id):
        for subject in sorted(subjects.get(metric.id) or {None}, key=lambda s: s or ""):
            groups.append((metric.id, subject))
    return groups


def preferring_rulings(dataset: Dataset) -> dict[str, str]:
    """Observation id -> the first ruling (by id) that prefers it."""
    preferred: dict[str, str] = {}
    for ruling in sorted(dataset.rulings, key=by_id):
        if ruling.decision == "prefer" and ruling.prefer is not None:
            preferred.setdefault(ruling.prefer, ruling.id)
    return preferred


def headline(
    dataset: Dataset, observations: list[Observation], preferred: dict[str, str]
) -> tuple[Observation | None, str]:
    """The figure to show for a metric: the one a ruling prefers, else the latest, with why.

    ``preferred`` is :func:`preferring_rulings` of the dataset, computed once by the caller.
    """
    if not observations:
        return None, "no figures"
    ruled = [(preferred[o.id], o) for o in observations if o.id in preferred]
    if ruled:
        ruling_id, chosen = min(ruled, key=lambda pair: pair[0])
        return chosen, f"ruled: {ruling_id}"
    if len(observations) == 1:
        return observations[0], "only figure"

    def recency(o: Observation) -> tuple[Any, ...]:
        published = [s.published.upper for c in o.citations if (s := dataset.source(c.source))]
        return (o.when.upper, o.when.lower, max(published, default=o.when.upper), o.id)

    latest = max(observations, key=recency)
    return latest, f"latest of {len(observations)} figures"


METRIC_COLUMNS = [
    Column("label", "long_text", 40),
    Column("subject", "long_text", 30),
    Column("value", "number"),
    Column("as reported", "long_text", 22),
    Column("when (EDTF)"),
    Column("basis"),
    Column("unit"),
    Column("qualifier"),
    Column("kind"),
    Column("figures", "number"),
    Column("observation"),
    Column("tolerance", "number"),
    Column("description", "long_text", 60, grows=False),
    Column("metric", "id"),
]


def metrics_sheet(dataset: Dataset, rows: _Rows) -> Sheet:
    return Sheet(METRICS, METRIC_COLUMNS, _metric_rows(dataset, rows), key_columns=_through(METRIC_COLUMNS, "basis"))


def _metric_rows(dataset: Dataset, rows: _Rows) -> Iterator[Row]:
    by_group: dict[tuple[str, str | None], list[Observation]] = defaultdict(list)
    for obs in dataset.observations:
        by_group[(obs.metric, obs.subject)].append(obs)
    preferred = preferring_rulings(dataset)
    for metric_id, subject in metric_groups(dataset):
        metric = dataset.metric(metric_id)
        assert metric is not None
        group = by_group.get((metric_id, subject), [])
        chosen, basis = headline(dataset, group, preferred)
        yield [
            metric.label,
            subject,
            chosen.value if chosen else None,
            chosen.as_reported if chosen else None,
            chosen.when.text if chosen else None,
            basis,
            metric.unit.replace("_", " "),
            chosen.qualifier.replace("_", " ") if chosen else None,
            metric.kind,
            len(group),
            rows.link(OBSERVATIONS, chosen.id) if chosen else None,
            metric.tolerance,
            metric.description,
            metric.id,
        ]


# First screen: the two figures as printed side by side, their dates and sources, the outcome.
DISCREPANCY_COLUMNS = [
    Column("label", "long_text", 30),
    Column("first as reported", "long_text", 20),
    Column("second as reported", "long_text", 20),
    Column("first when"),
    Column("second when"),
    Column("outcome"),
    Column("status"),
    Column("first source", width=SOURCE_WIDTH),
    Column("second source", width=SOURCE_WIDTH),
    Column("subject", "long_text", 30),
    Column("explanation", "long_text", 50),
    Column("ruling"),
    Column("decision"),
    Column("reason", "long_text", 50),
    Column("metric"),
    Column("first"),
    Column("second"),
]


def discrepancies_sheet(rows: _Rows, disputes: list[Comparison]) -> Sheet:
    return Sheet(
        "Discrepancies",
        DISCREPANCY_COLUMNS,
        _discrepancy_rows(rows, disputes),
        key_columns=_through(DISCREPANCY_COLUMNS, "second source"),
    )


def _discrepancy_rows(rows: _Rows, disputes: list[Comparison]) -> Iterator[Row]:
    from ipcoop_data.analysis.discrepancies import status

    for c in disputes:
        state = status(c)
        values: list[Value] = [
            c.metric.label,
            c.first.as_reported,
            c.second.as_reported,
            c.first.when.text,
            c.second.when.text,
            c.outcome,
            state,
            rows.source(c.first.citations),
            rows.source(c.second.citations),
            c.first.subject,
            c.explanation,
            c.ruling.id if c.ruling else None,
            c.ruling.decision.replace("_", " ") if c.ruling else None,
            c.ruling.reason if c.ruling else None,
            rows.link(METRICS, c.metric.id),
            rows.link(OBSERVATIONS, c.first.id),
            rows.link(OBSERVATIONS, c.second.id),
        ]
        yield Highlighted(values, state) if state in ("open", "settled") else values


# --- Sources, Organizations, People, Series ----------------------------------------------------


def _citing_counts(dataset: Dataset) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _type, record in dataset.records():
        for source in {c.source for c in _citations_of(record)}:
            counts[source] += 1
    return counts


def _citations_of(record: Record) -> list[Citation]:
    found = list(getattr(record, "citations", []))
    for nested in ("names", "roles"):
        for item in getattr(record, nested, []):
            found.extend(item.citations)
    return found


SOURCE_COLUMNS = [
    Column("title", "long_text", 48),
    Column("id", "id"),  # what the other sheets' "source" columns show
    Column("kind"),
    Column("published", "date"),
    Column("publisher", "long_text", 36),
    Column("covers (EDTF)"),
    Column("records citing", "number"),
    Column("url", "text", 40),
    Column("language"),
    Column("published (EDTF)"),
    Column("note", "long_text", 60, grows=False),
]


def sources_sheet(dataset: Dataset) -> Sheet:
    citing = _citing_counts(dataset)
    body: list[Sequence[Value]] = [
        [
            s.title,
            s.id,
            s.kind.replace("_", " "),
            Day.lower(s.published),
            s.publisher,
            s.covers.text if s.covers else None,
            citing[s.id],
            Link(s.url, url=s.url) if s.url else None,
            s.language,
            s.published.text,
            s.note,
        ]
        for s in sorted(dataset.sources, key=by_id)
    ]
    return Sheet(SOURCES, SOURCE_COLUMNS, body, key_columns=_through(SOURCE_COLUMNS, "url"))


ORGANIZATION_COLUMNS = [
    Column("name", "long_text", 44),
    Column("abbreviation"),
    Column("kind"),
    Column("country"),
    Column("ST.3"),
    Column("parent", "text", 44),  # a link: not wrapped (LibreOffice would not)
    Column("other names", "long_text", 44),
    Column("source", width=SOURCE_WIDTH),
    Column("note", "long_text", 60, grows=False),
    Column("id", "id"),
]


def _span(start: Any, end: Any) -> str:
    if start is None and end is None:
        return ""
    return f" ({start or '…'}–{end or '…'})"


def organizations_sheet(dataset: Dataset, rows: _Rows) -> Sheet:
    return Sheet(
        ORGANIZATIONS,
        ORGANIZATION_COLUMNS,
        _organization_rows(dataset, rows),
        key_columns=_through(ORGANIZATION_COLUMNS, "other names"),
    )


def _organization_rows(dataset: Dataset, rows: _Rows) -> Iterator[Row]:
    for org in sorted(dataset.organizations, key=by_id):
        current = org.names[-1]
        others = "; ".join(
            n.name + (f" [{n.abbreviation}]" if n.abbreviation else "") + _span(n.start, n.end) for n in org.names[:-1]
        )
        citations = [c for n in org.names for c in n.citations]
        yield [
            current.name,
            current.abbreviation,
            org.kind.replace("_", " "),
            org.country,
            org.st3,
            rows.link(ORGANIZATIONS, org.parent, org_name(dataset, org.parent) if org.parent else None),
            others or None,
            rows.source(citations),
            org.note,
            org.id,
        ]


PEOPLE_COLUMNS = [
    Column("name"),
    Column("title", "long_text", 40),
    Column("organization", "text", 48),  # a link: not wrapped (LibreOffice would not)
    Column("start", "date"),
    Column("end", "date"),
    Column("attested", "date"),
    Column("source", width=SOURCE_WIDTH),
    Column("quote", "long_text", 60),
    Column("note", "long_text", 60, grows=False),
    Column("person", "id"),
]


def people_sheet(dataset: Dataset, rows: _Rows) -> Sheet:
    """One row per role, so that a filter on organization or title finds people."""
    people = sorted(dataset.people, key=by_id)
    body = (row for person in people for row in _person_rows(rows, person))
    return Sheet("People", PEOPLE_COLUMNS, body, key_columns=_through(PEOPLE_COLUMNS, "source"))


def _role_org(dataset: Dataset, org_id: str | None, role: Role) -> str | None:
    """The organization's name while the role was held (its first name when the role is undated)."""
    if org_id is None:
        return None
    when = role.as_of or role.start or role.end
    return org_name(dataset, org_id, when)


def _person_rows(rows: _Rows, person: Person) -> list[list[Value]]:
    if not person.roles:
        return [[person.name, None, None, None, None, None, None, None, person.note, person.id]]
    return [
        [
            person.name,
            role.title,
            rows.link(ORGANIZATIONS, role.organization, _role_org(rows.dataset, role.organization, role)),
            Day.lower(role.start),
            Day.upper(role.end),
            Day.lower(role.as_of),
            rows.source(role.citations),
            _quote(role.citations),
            person.note,
            person.id,
        ]
        for role in person.roles
    ]


SERIES_COLUMNS = [
    Column("name", "long_text", 48),
    Column("organizers", "long_text", 40),
    Column("numbered"),
    Column("cadence"),
    Column("events", "number"),
    Column("first", "date"),
    Column("last", "date"),
    Column("source", width=SOURCE_WIDTH),
    Column("note", "long_text", 60, grows=False),
    Column("id", "id"),
]


def series_sheet(dataset: Dataset, rows: _Rows) -> Sheet:
    members: dict[str, list[Event]] = defaultdict(list)
    for event in dataset.events:
        if event.series:
            members[event.series].append(event)
    body: list[Sequence[Value]] = []
    for series in sorted(dataset.series, key=by_id):
        events = sorted(members.get(series.id, []), key=lambda e: (e.date.lower, e.id))
        body.append(
            [
                series.name,
                "; ".join(org_name(dataset, o) for o in series.organizers) or None,
                series.numbered,
                series.cadence,
                len(events),
                Day.lower(events[0].date) if events else None,
                Day.lower(events[-1].date) if events else None,
                rows.source(series.citations),
                series.note,
                series.id,
            ]
        )
    return Sheet(SERIES, SERIES_COLUMNS, body, key_columns=_through(SERIES_COLUMNS, "source"))


# --- Rulings, Relations, Findings ------------------------------------------------------------------

RULING_COLUMNS = [
    Column("id", "id"),
    Column("decision"),
    Column("prefer"),
    Column("observations", "long_text"),
    Column("finding"),
    Column("reason", "long_text", 50),
    Column("source", width=SOURCE_WIDTH),
    Column("quote", "long_text", 60),
]


def rulings_sheet(dataset: Dataset, rows: _Rows) -> Sheet:
    body: list[Sequence[Value]] = [
        [
            r.id,
            r.decision.replace("_", " "),
            rows.link(OBSERVATIONS, r.prefer),
            "; ".join(r.observations) or None,
            r.finding,
            r.reason,
            rows.source(r.citations),
            _quote(r.citations),
        ]
        for r in sorted(dataset.rulings, key=by_id)
    ]
    return Sheet("Rulings", RULING_COLUMNS, body)


RELATION_COLUMNS = [
    Column("id", "id"),
    Column("kind"),
    Column("figures", "long_text", 50),
    Column("note", "long_text", 60, grows=False),
]


def relations_sheet(dataset: Dataset) -> Sheet:
    return Sheet("Relations", RELATION_COLUMNS, _relation_rows(dataset))


def _relation_rows(dataset: Dataset) -> Iterator[Row]:
    for r in sorted(dataset.relations, key=by_id):
        if r.kind == "part_of":
            figures = f"{' + '.join(r.parts)} ≤ {r.whole}"
        elif r.kind == "difference":
            figures = f"{r.change} = {r.before} − {r.after}" if r.decrease else f"{r.change} = {r.after} − {r.before}"
        elif r.kind == "target":
            figures = f"{r.reached} ≥ {r.target} by {r.by}"
        else:
            figures = f"{r.duration} = span of {r.of_event or r.of_observation}"
        yield [r.id, r.kind.replace("_", " "), figures, r.note]


FINDING_COLUMNS = [
    Column("severity"),
    Column("code"),
    Column("message", "long_text", 60),
    Column("record type"),
    Column("record"),
    Column("file"),
    Column("line", "number"),
    Column("fingerprint"),
]


def findings_sheet(report: Report) -> Sheet:
    return Sheet("Findings", FINDING_COLUMNS, _finding_rows(report), key_columns=_through(FINDING_COLUMNS, "line"))


def _finding_rows(report: Report) -> Iterator[Row]:
    for f in report.sorted():
        values: list[Value] = [f.severity, f.code, f.message, f.record_type, f.record_id, f.file, f.line, f.fingerprint]
        yield Highlighted(values, "open") if f.severity in ("error", "warning") else values
