"""Pandas views of events and observations, and their public pandera models.

Dates come from PartialDate's own bounds (never from pandas coercion of strings, which would
silently accept or reinterpret a bad date); the EDTF text stays beside them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, get_args

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from ipcoop_data.model.records import EventKind, MetricKind, Qualifier, Unit

if TYPE_CHECKING:
    from ipcoop_data.model.dataset import Dataset

_PRECISIONS = ["year", "month", "day"]


class EventsFrame(pa.DataFrameModel):
    """One row per event, as returned by ``Dataset.events_frame()``."""

    id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9][a-z0-9._-]*$")
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
    country: Series[str] = pa.Field(nullable=True, str_length={"min_value": 2, "max_value": 2})
    parties: Series[str] = pa.Field(description="organization ids separated by '; '")
    sources: Series[str] = pa.Field(description="cited source ids separated by '; '")
    citations: Series[int] = pa.Field(ge=0)

    @pa.dataframe_check(error="date_upper is before date_lower")
    def bounds_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        return df["date_lower"] <= df["date_upper"]  # type: ignore[return-value]

    class Config:
        strict = True
        ordered = True


class ObservationsFrame(pa.DataFrameModel):
    """One row per observation, with its metric's unit and kind, from ``Dataset.observations_frame()``."""

    id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9][a-z0-9._-]*$")
    metric: Series[str]
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
    source: Series[str] = pa.Field(nullable=True, description="source of the first citation")
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


def _ts(values: list[date]) -> pd.Series:
    return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")


def events_frame(dataset: Dataset) -> pd.DataFrame:
    events = dataset.events
    frame = pd.DataFrame(
        {
            "id": pd.Series([e.id for e in events], dtype=object),
            "title": pd.Series([e.title for e in events], dtype=object),
            "kind": pd.Series([e.kind for e in events], dtype=object),
            "date": pd.Series([e.date.text for e in events], dtype=object),
            "date_lower": _ts([e.date.lower for e in events]),
            "date_upper": _ts([e.date.upper for e in events]),
            "precision": pd.Series([str(e.date.precision) for e in events], dtype=object),
            "status": pd.Series([e.status for e in events], dtype=object),
            "series": pd.Series([e.series for e in events], dtype=object),
            "ordinal": pd.Series([e.ordinal for e in events], dtype="Int64"),
            "city": pd.Series([e.location.city if e.location else None for e in events], dtype=object),
            "country": pd.Series([e.location.country if e.location else None for e in events], dtype=object),
            "parties": pd.Series(["; ".join(p.id for p in e.parties) for e in events], dtype=object),
            "sources": pd.Series(
                ["; ".join(dict.fromkeys(c.source for c in e.citations)) for e in events], dtype=object
            ),
            "citations": pd.Series([len(e.citations) for e in events], dtype="int64"),
        }
    )
    return frame


def observations_frame(dataset: Dataset) -> pd.DataFrame:
    observations = dataset.observations
    metrics = [dataset.metric(o.metric) for o in observations]
    return pd.DataFrame(
        {
            "id": pd.Series([o.id for o in observations], dtype=object),
            "metric": pd.Series([o.metric for o in observations], dtype=object),
            "unit": pd.Series([m.unit if m else None for m in metrics], dtype=object),
            "metric_kind": pd.Series([m.kind if m else None for m in metrics], dtype=object),
            "value": pd.Series([float(o.value) for o in observations], dtype="float64"),
            "qualifier": pd.Series([o.qualifier for o in observations], dtype=object),
            "when": pd.Series([o.when.text for o in observations], dtype=object),
            "when_field": pd.Series(["as_of" if o.as_of else "period" for o in observations], dtype=object),
            "when_lower": _ts([o.when.lower for o in observations]),
            "when_upper": _ts([o.when.upper for o in observations]),
            "precision": pd.Series([str(o.when.precision) for o in observations], dtype=object),
            "as_reported": pd.Series([o.as_reported for o in observations], dtype=object),
            "source": pd.Series([o.citations[0].source if o.citations else None for o in observations], dtype=object),
            "citations": pd.Series([len(o.citations) for o in observations], dtype="int64"),
        }
    )
