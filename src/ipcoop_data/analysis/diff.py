"""What changed between two versions of a dataset: records added, removed and changed field by
field, and the discrepancies that opened or were settled. Linear in the records: ids are matched
through dictionaries, never pair by pair."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ipcoop_data.analysis.discrepancies import comparisons, status
from ipcoop_data.model.dataset import TABLES, Dataset
from ipcoop_data.model.records import Record

#: A field path as people read it: ``citations[0].quote``.
FieldName = str


@dataclass(frozen=True)
class FieldChange:
    field: FieldName
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordChange:
    record_type: str
    id: str
    changes: tuple[FieldChange, ...]
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class RecordRef:
    record_type: str
    id: str
    label: str
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class DiscrepancyChange:
    """A discrepancy whose status differs between the two versions (``old`` None: it is new)."""

    metric: str
    first: str
    second: str
    old: str | None
    new: str | None
    explanation: str


@dataclass
class DatasetDiff:
    added: list[RecordRef] = field(default_factory=list)
    removed: list[RecordRef] = field(default_factory=list)
    changed: list[RecordChange] = field(default_factory=list)
    opened: list[DiscrepancyChange] = field(default_factory=list)
    settled: list[DiscrepancyChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.opened or self.settled)


def diff(old: Dataset, new: Dataset) -> DatasetDiff:
    result = DatasetDiff()
    for record_type, attr in TABLES.items():
        before = _by_id(getattr(old, attr))
        after = _by_id(getattr(new, attr))
        for rid, record in after.items():
            if rid not in before:
                result.added.append(_ref(record_type, rid, record))
        for rid, record in before.items():
            if rid not in after:
                result.removed.append(_ref(record_type, rid, record))
        for rid, record in after.items():
            previous = before.get(rid)
            if previous is None:
                continue
            changes = tuple(_field_changes(_plain(previous), _plain(record)))
            if changes:
                origin = record.origin
                result.changed.append(
                    RecordChange(
                        record_type,
                        rid,
                        changes,
                        origin.file if origin else None,
                        origin.line if origin else None,
                    )
                )
    _discrepancies(old, new, result)
    return result


def _by_id(records: list[Record]) -> dict[str, Record]:
    # Records without an id cannot be followed from one version to the next: none are in the layout.
    return {rid: r for r in records if isinstance(rid := getattr(r, "id", None), str)}


def _ref(record_type: str, rid: str, record: Record) -> RecordRef:
    label = getattr(record, "title", None) or getattr(record, "label", None) or getattr(record, "name", None) or ""
    origin = record.origin
    return RecordRef(record_type, rid, str(label), origin.file if origin else None, origin.line if origin else None)


def _plain(record: Record) -> Any:
    return record.model_dump(mode="json", exclude_defaults=True)


def _field_changes(old: Any, new: Any, path: str = "") -> list[FieldChange]:
    """The leaves that differ, each with its path; a list is compared item by item."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in list(old) + [k for k in new if k not in old]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in new:
                out.append(FieldChange(sub, old[key], None))
            elif key not in old:
                out.append(FieldChange(sub, None, new[key]))
            else:
                out.extend(_field_changes(old[key], new[key], sub))
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for i in range(max(len(old), len(new))):
            sub = f"{path}[{i}]"
            if i >= len(new):
                out.append(FieldChange(sub, old[i], None))
            elif i >= len(old):
                out.append(FieldChange(sub, None, new[i]))
            else:
                out.extend(_field_changes(old[i], new[i], sub))
        return out
    return [] if old == new else [FieldChange(path, old, new)]


def _discrepancies(old: Dataset, new: Dataset, result: DatasetDiff) -> None:
    def statuses(dataset: Dataset) -> dict[tuple[str, str, str], tuple[str, str]]:
        out = {}
        for c in comparisons(dataset):
            pair = sorted((c.first.id, c.second.id))
            out[(c.metric.id, pair[0], pair[1])] = (status(c), c.explanation)
        return out

    before, after = statuses(old), statuses(new)
    for key, (now, why) in sorted(after.items()):
        was = before.get(key, (None, ""))[0]
        if now == "open" and was != "open":
            result.opened.append(DiscrepancyChange(*key, was, now, why))
        elif now == "settled" and was != "settled":
            result.settled.append(DiscrepancyChange(*key, was, now, why))
    for key, (was, why) in sorted(before.items()):
        if was == "open" and key not in after:
            # gone: the figures were corrected or removed, so nothing is open any more
            result.settled.append(DiscrepancyChange(*key, was, None, why))
