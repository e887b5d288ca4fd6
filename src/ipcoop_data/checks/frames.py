"""Frames family: the pandera models of the events and observations views, as findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..findings import Finding
from .context import Context


def check(ctx: Context) -> Iterable[Finding]:
    # pandas and pandera are imported here, not at module level: they are the slowest imports of
    # a validation run and only this family needs them.
    import pandera.errors

    from ..frames import EventsFrame, ObservationsFrame

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
