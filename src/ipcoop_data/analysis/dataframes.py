"""Pandas views of events, observations and citations, and their public pandera models.

Made to answer an analyst's question in a line: lists stay lists (an event's parties, their names
at its date, its countries, its sources), a figure comes with its metric's label, its subject and
the quote that prints it, and the builders filter (``countries="FR"``, ``metric="gii-rank"``).

Dates come from PartialDate's own bounds (never from pandas coercion of strings, which would
silently accept or reinterpret a bad date); the EDTF text stays beside them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, get_args

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from ipcoop_data.analysis.countries import event_countries
from ipcoop_data.analysis.evidence import figure_citation
from ipcoop_data.analysis.participants import participants
from ipcoop_data.model.countries import COUNTRY_ALIASES, COUNTRY_NAMES, ISO_3166_ALPHA2
from ipcoop_data.model.records import Citation, Event, EventKind, MetricKind, Observation, Qualifier, Unit

if TYPE_CHECKING:
    from ipcoop_data.model.dataset import Dataset

_PRECISIONS = ["year", "month", "day"]
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _all_lists(series: Any, item_ok: Any) -> Any:
    return series.map(lambda cell: isinstance(cell, list) and all(item_ok(item) for item in cell))


def _is_id(item: object) -> bool:
    return isinstance(item, str) and _ID.match(item) is not None


def _is_name(item: object) -> bool:
    return isinstance(item, str) and len(item) >= 1


def _is_country(item: object) -> bool:
    return item in ISO_3166_ALPHA2


class EventsFrame(pa.DataFrameModel):
    """One row per event, as returned by ``Dataset.events_frame()``.

    The list columns hold Python lists (never joined text): ``parties`` and ``party_names`` run in
    step, ``countries`` is every country of the event (its parties' and the recorded ones),
    ``recorded_countries`` the part of it that the record itself states.
    """

    id: Series[str] = pa.Field(unique=True, str_matches=_ID.pattern)
    title: Series[str] = pa.Field(str_length={"min_value": 1})
    kind: Series[str] = pa.Field(isin=list(get_args(EventKind)))
    date: Series[str] = pa.Field(description="EDTF text as curated")
    date_lower: Series[pd.Timestamp] = pa.Field(description="first day the date may denote")
    date_upper: Series[pd.Timestamp] = pa.Field(description="last day the date may denote")
    precision: Series[str] = pa.Field(isin=_PRECISIONS)
    status: Series[str] = pa.Field(isin=["held", "planned", "cancelled"])
    series: Series[str] = pa.Field(nullable=True)
    ordinal: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    city: Series[str] = pa.Field(nullable=True)
    country: Series[str] = pa.Field(
        nullable=True, str_length={"min_value": 2, "max_value": 2}, description="where it was held"
    )
    parties: Series[object] = pa.Field(description="list of organization ids")
    party_names: Series[object] = pa.Field(description="list of the parties' names at the event's date")
    countries: Series[object] = pa.Field(description="sorted list of every country of the event")
    recorded_countries: Series[object] = pa.Field(description="sorted list of the countries the record states")
    sources: Series[object] = pa.Field(description="list of cited source ids, each once, in citation order")
    quote: Series[str] = pa.Field(nullable=True, description="the first citation's quote")
    citations: Series[int] = pa.Field(ge=0)

    @pa.check("parties", "sources", name="lists_of_ids", error="a cell is not a list of ids")
    def lists_of_ids(cls, series: Series[object]) -> Series[bool]:
        return _all_lists(series, _is_id)  # type: ignore[no-any-return]

    @pa.check("party_names", name="list_of_names", error="a cell is not a list of names")
    def list_of_names(cls, series: Series[object]) -> Series[bool]:
        return _all_lists(series, _is_name)  # type: ignore[no-any-return]

    @pa.check("countries", "recorded_countries", name="lists_of_countries", error="not a list of ISO codes")
    def lists_of_countries(cls, series: Series[object]) -> Series[bool]:
        return _all_lists(series, _is_country)  # type: ignore[no-any-return]

    @pa.dataframe_check(error="date_upper is before date_lower")
    def bounds_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        return df["date_lower"] <= df["date_upper"]  # type: ignore[return-value]

    @pa.dataframe_check(error="party_names does not name each party once")
    def names_match_parties(cls, df: pd.DataFrame) -> Series[bool]:
        return df["parties"].map(_length) == df["party_names"].map(_length)  # type: ignore[return-value]

    @pa.dataframe_check(error="a recorded country is missing from countries")
    def recorded_within_countries(cls, df: pd.DataFrame) -> Series[bool]:
        pairs = zip(df["recorded_countries"], df["countries"], strict=True)
        return pd.Series([_within(r, c) for r, c in pairs], index=df.index, dtype=bool)  # type: ignore[return-value]

    class Config:
        strict = True
        ordered = True


def _length(cell: object) -> int:
    return len(cell) if isinstance(cell, list) else -1


def _within(part: object, whole: object) -> bool:
    return isinstance(part, list) and isinstance(whole, list) and set(part) <= set(whole)


class ObservationsFrame(pa.DataFrameModel):
    """One row per observation, with its metric's label, unit and kind, and the quote that prints
    it, from ``Dataset.observations_frame()``."""

    id: Series[str] = pa.Field(unique=True, str_matches=_ID.pattern)
    metric: Series[str]
    label: Series[str] = pa.Field(nullable=True, description="the metric's label")
    subject: Series[str] = pa.Field(
        nullable=True, description="what the figure is about, when the metric alone does not say"
    )
    unit: Series[str] = pa.Field(nullable=True, isin=list(get_args(Unit)))
    metric_kind: Series[str] = pa.Field(nullable=True, isin=list(get_args(MetricKind)))
    value: Series[float]
    qualifier: Series[str] = pa.Field(isin=list(get_args(Qualifier)))
    when: Series[str] = pa.Field(description="as_of or period, EDTF text")
    when_field: Series[str] = pa.Field(isin=["as_of", "period"])
    when_lower: Series[pd.Timestamp]
    when_upper: Series[pd.Timestamp]
    precision: Series[str] = pa.Field(isin=_PRECISIONS)
    as_reported: Series[str] = pa.Field(str_length={"min_value": 1})
    source: Series[str] = pa.Field(nullable=True, description="source of the quote")
    quote: Series[str] = pa.Field(
        nullable=True, description="the first quote that prints as_reported (else the first quote)"
    )
    citations: Series[int] = pa.Field(ge=0)

    @pa.dataframe_check(error="a percent must lie within 0-100")
    def percent_in_range(cls, df: pd.DataFrame) -> Series[bool]:
        is_percent = df["unit"] == "percent"
        return ~is_percent | df["value"].between(0, 100)  # type: ignore[return-value]

    @pa.dataframe_check(error="a count cannot be negative")
    def count_not_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["unit"] != "count") | (df["value"] >= 0)  # type: ignore[return-value]

    @pa.dataframe_check(error="when_upper is before when_lower")
    def bounds_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        return df["when_lower"] <= df["when_upper"]  # type: ignore[return-value]

    class Config:
        strict = True
        ordered = True


class CitationsFrame(pa.DataFrameModel):
    """One row per citation of a record (event, observation, series, ruling), from
    ``Dataset.citations_frame()``: join it on ``record_id`` for every quote of a record."""

    record_type: Series[str] = pa.Field(isin=["series", "event", "observation", "ruling"])
    record_id: Series[str] = pa.Field(str_matches=_ID.pattern)
    position: Series[int] = pa.Field(ge=1, description="place in the record's citations, from 1")
    source: Series[str] = pa.Field(str_matches=_ID.pattern)
    locator: Series[str] = pa.Field(nullable=True)
    quote: Series[str] = pa.Field(str_length={"min_value": 1})
    prospective: Series[bool]

    class Config:
        strict = True
        ordered = True


def _ts(values: list[date]) -> pd.Series:
    return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")


def _objects(values: Iterable[object]) -> pd.Series:
    return pd.Series(list(values), dtype=object)


def country_codes(countries: str | Iterable[str]) -> set[str]:
    """The ISO codes a ``countries=`` filter names; a ValueError names a code that is not one."""
    codes = {countries} if isinstance(countries, str) else set(countries)
    for code in sorted(codes):
        if code not in ISO_3166_ALPHA2:
            by_name = {name.casefold(): c for c, name in COUNTRY_NAMES.items()}
            by_name.update({alias.casefold(): c for c, aliases in COUNTRY_ALIASES.items() for alias in aliases})
            hint = f"; {code} is {by_name[code.casefold()]!r}" if code.casefold() in by_name else ""
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code{hint}")
    return codes


def events_frame(dataset: Dataset, countries: str | Iterable[str] | None = None) -> pd.DataFrame:
    """One row per event; with ``countries``, only the events with any of those countries."""
    events: list[Event] = list(dataset.events)
    who = participants(dataset)
    every = [event_countries(dataset, e) for e in events]
    if countries is not None:
        wanted = country_codes(countries)
        kept = [i for i, found in enumerate(every) if wanted.intersection(found)]
        events, every = [events[i] for i in kept], [every[i] for i in kept]
    return pd.DataFrame(
        {
            "id": _objects(e.id for e in events),
            "title": _objects(e.title for e in events),
            "kind": _objects(e.kind for e in events),
            "date": _objects(e.date.text for e in events),
            "date_lower": _ts([e.date.lower for e in events]),
            "date_upper": _ts([e.date.upper for e in events]),
            "precision": _objects(str(e.date.precision) for e in events),
            "status": _objects(e.status for e in events),
            "series": _objects(e.series for e in events),
            "ordinal": pd.Series([e.ordinal for e in events], dtype="Int64"),
            "city": _objects(e.location.city if e.location else None for e in events),
            "country": _objects(e.location.country if e.location else None for e in events),
            "parties": _objects([p.id for p in who[e].parties] for e in events),
            "party_names": _objects([p.name for p in who[e].parties] for e in events),
            "countries": _objects(every),
            "recorded_countries": _objects(sorted(e.countries) for e in events),
            "sources": _objects(list(dict.fromkeys(c.source for c in e.citations)) for e in events),
            "quote": _objects(e.citations[0].quote if e.citations else None for e in events),
            "citations": pd.Series([len(e.citations) for e in events], dtype="int64"),
        }
    )


def _shown_citation(obs: Observation) -> Citation | None:
    return figure_citation(obs) or (obs.citations[0] if obs.citations else None)


def observations_frame(dataset: Dataset, metric: str | None = None) -> pd.DataFrame:
    """One row per observation; with ``metric``, only that metric's (an unknown id is a ValueError)."""
    observations = list(dataset.observations)
    if metric is not None:
        if dataset.metric(metric) is None:
            close = difflib.get_close_matches(metric, [m.id for m in dataset.metrics], n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ValueError(f"no metric {metric!r} in the dataset{hint}")
        observations = [o for o in observations if o.metric == metric]
    metrics = [dataset.metric(o.metric) for o in observations]
    shown = [_shown_citation(o) for o in observations]
    return pd.DataFrame(
        {
            "id": _objects(o.id for o in observations),
            "metric": _objects(o.metric for o in observations),
            "label": _objects(m.label if m else None for m in metrics),
            "subject": _objects(o.subject for o in observations),
            "unit": _objects(m.unit if m else None for m in metrics),
            "metric_kind": _objects(m.kind if m else None for m in metrics),
            "value": pd.Series([float(o.value) for o in observations], dtype="float64"),
            "qualifier": _objects(o.qualifier for o in observations),
            "when": _objects(o.when.text for o in observations),
            "when_field": _objects("as_of" if o.as_of else "period" for o in observations),
            "when_lower": _ts([o.when.lower for o in observations]),
            "when_upper": _ts([o.when.upper for o in observations]),
            "precision": _objects(str(o.when.precision) for o in observations),
            "as_reported": _objects(o.as_reported for o in observations),
            "source": _objects(c.source if c else None for c in shown),
            "quote": _objects(c.quote if c else None for c in shown),
            "citations": pd.Series([len(o.citations) for o in observations], dtype="int64"),
        }
    )


def citations_frame(dataset: Dataset) -> pd.DataFrame:
    """One row per citation of every record that has citations, records in layout order."""
    rows: list[tuple[str, str, int, Citation]] = []
    for record_type, record in dataset.records():
        for position, citation in enumerate(getattr(record, "citations", ()), 1):
            rows.append((record_type, getattr(record, "id", ""), position, citation))
    return pd.DataFrame(
        {
            "record_type": _objects(r[0] for r in rows),
            "record_id": _objects(r[1] for r in rows),
            "position": pd.Series([r[2] for r in rows], dtype="int64"),
            "source": _objects(r[3].source for r in rows),
            "locator": _objects(r[3].locator for r in rows),
            "quote": _objects(r[3].quote for r in rows),
            "prospective": pd.Series([r[3].prospective for r in rows], dtype=bool),
        }
    )
