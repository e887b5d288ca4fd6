"""Keep once what many records hold alike, so that a loaded dataset's memory follows its content.

pydantic gives every model instance a set of the field names it was given (``model_fields_set``),
and a dataset's records of one type are given the same few sets of names: at 10k events the sets
alone were 27 MB of a 93 MB dataset. Parts that are equal in every field (the same party named by
a thousand events, the same place, a quote that copies of a report repeat) are kept as one object.

Both are safe because records and parts are frozen: nothing can change a shared set or part
through one record and so change another. The tables live as long as one load, never longer, so
a process that loads many datasets does not keep the parts of the ones it has dropped.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.origin import FieldPath, Origin
from ipcoop_data.model.records import Part

#: Types whose equal values are the same value (a PartialDate is equal to another by its text).
_SAME_WHEN_EQUAL = frozenset({str, bool, type(None), PartialDate})

#: Per model class: the names of its fields that can hold a part or a list of parts.
_NESTED: dict[type[BaseModel], tuple[str, ...]] = {}


def _nested_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    found = _NESTED.get(cls)
    if found is None:
        found = tuple(name for name, info in cls.model_fields.items() if _holds_part(info.annotation))
        _NESTED[cls] = found
    return found


def _holds_part(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, Part):
        return True
    return any(_holds_part(arg) for arg in getattr(annotation, "__args__", ()) or ())


class Sharer:
    """One load's tables of field-name sets and of parts, by value."""

    def __init__(self) -> None:
        self._names: dict[tuple[type[BaseModel], frozenset[str]], set[str]] = {}
        self._parts: dict[tuple[type[BaseModel], tuple[object, ...]], Part] = {}
        self._layouts: dict[Any, Any] = {}

    def origin(self, file: str, line: int, lines: dict[FieldPath, int]) -> Origin:
        """Where a record was read from, its field paths and line offsets kept once per load."""
        return Origin.with_lines(file, line, lines, keep=self._layouts)

    def record(self, record: Part) -> None:
        """Share the field-name set of ``record`` and of its parts, and the parts themselves."""
        self._share_names(record)
        values = record.__dict__
        for name in _nested_fields(type(record)):
            value = values[name]
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, Part):
                        value[i] = self.part(item)
            elif isinstance(value, Part):
                values[name] = self.part(value)

    def part(self, part: Part) -> Part:
        """The one kept part equal to ``part`` (``part`` itself the first time)."""
        values = tuple(part.__dict__.values())
        # Only values whose equality is sameness: Decimal("1.0") == Decimal("1.00"), and keeping one
        # for the other would change a figure as printed. A part holding a list is not shared.
        if all(type(value) in _SAME_WHEN_EQUAL for value in values):
            kept = self._parts.setdefault((type(part), values), part)
            if kept is not part:
                return kept  # dropped: nothing of it needs sharing
        self.record(part)
        return part

    def _share_names(self, model: BaseModel) -> None:
        names = model.__pydantic_fields_set__
        kept = self._names.setdefault((type(model), frozenset(names)), names)
        if kept is not names:
            object.__setattr__(model, "__pydantic_fields_set__", kept)
