"""Frames family: the pandera models of the events and observations views, as findings.

Importing pandas and pandera and running the models costs more than all the other checks of a
typical run together (0.6 s of 0.9 s on the bundled dataset). So the rows are first checked
against the same rules in plain Python (``plainly_valid``); only when some row might fail, or
anything is unusual, are the frames built and the models run, and they say what is wrong. The
findings are the same either way: the plain check never passes a row that a model would fail
(tests/test_frames.py holds a snapshot of the models' rules, which must change with it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, get_args

from ipcoop_data.analysis.countries import countries_with
from ipcoop_data.analysis.evidence import figure_citation
from ipcoop_data.analysis.participants import participants
from ipcoop_data.checks.context import Context
from ipcoop_data.model.countries import ISO_3166_ALPHA2
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.records import EventKind, MetricKind, Qualifier, Unit
from ipcoop_data.report.findings import Finding

# The rules of EventsFrame and ObservationsFrame (analysis/dataframes.py), column by column.
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")  # str_matches, with pandas' re.match semantics
_EVENT_KINDS = frozenset(get_args(EventKind))
_STATUSES = frozenset({"held", "planned", "cancelled"})
_UNITS = frozenset(get_args(Unit))
_METRIC_KINDS = frozenset(get_args(MetricKind))
_QUALIFIERS = frozenset(get_args(Qualifier))
# datetime64[ns] holds 1677-09-21 to 2262-04-11; a date outside would not even make a frame.
_FIRST_DAY, _LAST_DAY = date(1678, 1, 1), date(2261, 12, 31)


def _date_ok(when: object) -> bool:
    return (
        type(when) is PartialDate
        and _FIRST_DAY <= when.lower <= when.upper <= _LAST_DAY
        and str(when.precision) in ("year", "month", "day")
    )


def _text(value: object) -> bool:
    return isinstance(value, str) and len(value) >= 1


def _optional_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _id(value: object) -> bool:
    return isinstance(value, str) and _ID.match(value) is not None


def _ids_ok(ids: list[object]) -> bool:
    return all(_id(i) for i in ids) and len(set(ids)) == len(ids)


def plainly_valid(dataset: Dataset) -> bool:
    """True when every row of both frames plainly passes every rule of its model.

    False means "not sure", never "invalid": the models then run and decide.
    """
    try:
        return _events_ok(dataset) and _observations_ok(dataset)
    except Exception:  # a record of an unexpected shape: let the models (and their errors) speak
        return False


def _events_ok(dataset: Dataset) -> bool:
    events = dataset.events
    if not _ids_ok([e.id for e in events]):
        return False
    who = participants(dataset)
    for e in events:
        location = e.location
        taking_part = who[e]  # made once per event: the parties' names and countries come from it
        if not (
            _text(e.title)
            and e.kind in _EVENT_KINDS
            and _date_ok(e.date)
            and e.status in _STATUSES
            and _optional_text(e.series)
            and (e.ordinal is None or (type(e.ordinal) is int and e.ordinal >= 1))
            and (location is None or (_optional_text(location.city) and _optional_text(location.country)))
            and (location is None or location.country is None or len(location.country) == 2)
            and all(_id(p.id) for p in e.parties)
            and all(_text(p.name) for p in taking_part.parties)
            and all(c in ISO_3166_ALPHA2 for c in countries_with(e, taking_part))
            and all(_id(c.source) for c in e.citations)
            and (not e.citations or isinstance(e.citations[0].quote, str))
        ):
            return False
    return True


def _observations_ok(dataset: Dataset) -> bool:
    observations = dataset.observations
    if not _ids_ok([o.id for o in observations]):
        return False
    for o in observations:
        metric = dataset.metric(o.metric)
        value = float(o.value)
        unit = metric.unit if metric else None
        when = o.as_of if o.as_of is not None else o.period
        shown = figure_citation(o) or (o.citations[0] if o.citations else None)
        if not (
            isinstance(o.metric, str)
            and (metric is None or (unit in _UNITS and metric.kind in _METRIC_KINDS and _optional_text(metric.label)))
            and _optional_text(o.subject)
            and value == value  # NaN is a null, and the column is not nullable
            and (unit != "percent" or 0 <= value <= 100)
            and (unit != "count" or value >= 0)
            and o.qualifier in _QUALIFIERS
            and _date_ok(when)
            and _text(o.as_reported)
            and (shown is None or (isinstance(shown.source, str) and isinstance(shown.quote, str)))
        ):
            return False
    return True


def check(ctx: Context) -> Iterable[Finding]:
    if plainly_valid(ctx.dataset):
        return
    # pandas and pandera are imported here, not at module level: they are the slowest imports of
    # a validation run and only this family needs them.
    import pandera.errors

    from ipcoop_data.analysis.dataframes import EventsFrame, ObservationsFrame

    for record_type, model, frame, records in (
        ("event", EventsFrame, ctx.dataset.events_frame(), ctx.dataset.events),
        ("observation", ObservationsFrame, ctx.dataset.observations_frame(), ctx.dataset.observations),
    ):
        if frame.empty:
            continue
        try:
            model.validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            yield from _findings(ctx, record_type, model.__name__, exc.failure_cases, records)


def _findings(ctx: Context, record_type: str, model_name: str, cases: Any, records: list[Any]) -> Iterator[Finding]:
    # A dataframe-wide check reports one failure case per column of the failing row: collapse
    # those into one finding per row and check.
    seen: set[tuple[object, ...]] = set()
    for row in cases.itertuples(index=False):
        index = row.index
        whole_row = row.schema_context == "DataFrameSchema"
        column = None if whole_row or not isinstance(row.column, str) else row.column
        check = str(row.check)
        key = (check, column, index)
        if key in seen:
            continue
        seen.add(key)
        has_row = isinstance(index, int | float) and index == index
        record = records[int(index)] if has_row else None
        if whole_row:
            message = f"{model_name}: {check}"
            if record is not None and hasattr(record, "value"):
                message += f" (value {record.value})"
        else:
            where = f"column {column!r} " if column else ""
            message = f"{model_name} {where}check {check} failed (value {row.failure_case!r})"
        if record is not None:
            yield ctx.finding(
                "frame-check",
                "error",
                f"{record_type} {record.id}: {message}",
                record,
                record_type,
                key=f"{column}:{check}",
            )
        else:
            yield Finding("frame-check", "error", message, record_type=record_type, key=f"{column}:{check}")
