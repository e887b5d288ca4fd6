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

from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.origin import FieldPath, Origin
from ipcoop_data.model.records import Part, Record, fields_of, values_of

#: Types whose equal values are the same value (a PartialDate is equal to another by its text).
_SAME_WHEN_EQUAL = frozenset({str, bool, type(None), PartialDate})

#: Per record or part type: the names of its fields that can hold a part or a tuple of parts.
_NESTED: dict[type[Record] | type[Part], tuple[str, ...]] = {}


def _nested_fields(cls: type[Record] | type[Part]) -> tuple[str, ...]:
    found = _NESTED.get(cls)
    if found is None:
        found = tuple(name for name, info in fields_of(cls).items() if _holds_part(info.annotation))
        _NESTED[cls] = found
    return found


def _holds_part(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, Part):
        return True
    return any(_holds_part(arg) for arg in getattr(annotation, "__args__", ()) or ())


class Sharer:
    """One load's tables of field-name sets and of parts, by value."""

    def __init__(self) -> None:
        self._names: dict[tuple[type[Record], frozenset[str]], set[str]] = {}
        # A part is its own key: parts compare and hash by their fields, so no key is built.
        self._parts: dict[Part, Part] = {}
        self._layouts: dict[Any, Any] = {}

    def origin(self, file: str, line: int, lines: dict[FieldPath, int]) -> Origin:
        """Where a record was read from, its field paths and line offsets kept once per load."""
        return Origin.with_lines(file, line, lines, keep=self._layouts)

    def record(self, record: Record) -> None:
        """Share the field-name set of ``record``, and the parts it holds."""
        names = record.__pydantic_fields_set__
        kept = self._names.setdefault((type(record), frozenset(names)), names)
        if kept is not names:
            object.__setattr__(record, "__pydantic_fields_set__", kept)
        values = record.__dict__  # written in place: the record is not yet in any dataset
        for name in _nested_fields(type(record)):
            shared = self._shared(values[name])
            if shared is not values[name]:
                values[name] = shared

    def part(self, part: Part) -> Part:
        """The one kept part equal to ``part`` (``part`` itself the first time)."""
        # Only values whose equality is sameness: Decimal("1.0") == Decimal("1.00"), and keeping one
        # for the other would change a figure as printed. A part holding parts is not shared.
        if all(type(value) in _SAME_WHEN_EQUAL for value in values_of(part)):
            return self._parts.setdefault(part, part)
        for name in _nested_fields(type(part)):
            shared = self._shared(getattr(part, name))
            if shared is not getattr(part, name):
                object.__setattr__(part, name, shared)  # frozen, but not yet seen by anyone
        return part

    def _shared(self, value: object) -> object:
        if isinstance(value, Part):
            return self.part(value)
        if isinstance(value, tuple) and value:
            items = tuple(self.part(item) if isinstance(item, Part) else item for item in value)
            if any(new is not old for new, old in zip(items, value, strict=True)):
                return items
        return value
