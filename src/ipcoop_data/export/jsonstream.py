"""``json.dumps`` of a document whose one long list is made an item at a time, in pieces.

An exporter whose document is mostly one list (the timeline's slides) need not hold the list, nor
its text, to write it: the text around the list is taken from ``json.dumps`` itself (the document
with a placeholder item), each item is ``json.dumps``-ed on its own with the same options and
indented to its depth, so the pieces joined are exactly the bytes of ``json.dumps`` of the whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ipcoop_data.read.jsondoc import dumps_value

#: Stands for the items while the text around them is made; no record's text holds a NUL.
_PLACEHOLDER = "\x00ipcoop-streamed-items\x00"
#: The options of ``jsondoc``'s JSON (with ``indent=2``), which its faster encoder writes.
_JSONDOC_OPTIONS = {"sort_keys": True, "ensure_ascii": False}


@dataclass(frozen=True)
class StreamedList:
    """How ``json.dumps(document, **options)`` spells the list ``document[key]``, item by item."""

    head: str  # the text before the first item
    separator: str  # between two items
    tail: str  # after the last item
    empty: str  # the whole text when there are no items
    newline: str  # a line break inside an item, with the item's indentation ("\n" + spaces)
    indent: int | None
    options: Mapping[str, Any]

    @classmethod
    def around(
        cls, document: Mapping[str, Any], key: str, *, indent: int | None = None, **options: Any
    ) -> StreamedList:
        """The pieces for ``document`` (a dict, the list at ``key`` left out) and ``json.dumps`` ``options``."""
        if any(name in options for name in ("separators", "cls", "default")):
            # only the standard spelling is taken apart here; anything else would need its own rules
            raise TypeError("StreamedList takes json.dumps options other than separators, cls and default")

        def dumps_with(items: list[Any]) -> str:
            return json.dumps({**document, key: items}, indent=indent, **options)

        text, marker = dumps_with([_PLACEHOLDER]), json.dumps(_PLACEHOLDER, **options)
        if text.count(marker) != 1:
            raise ValueError("the document holds the placeholder of the streamed items")
        head, tail = text.split(marker)
        # json.dumps: items of a list at depth 1 (the top-level key's value) are at depth 2
        newline = "" if indent is None else "\n" + " " * (2 * indent)
        separator = ", " if indent is None else "," + newline
        return cls(head, separator, tail, dumps_with([]), newline, indent, dict(options))

    def item(self, value: Any) -> str:
        """One item's text, indented as it stands in the list."""
        if self.indent == 2 and self.options == _JSONDOC_OPTIONS:
            # The same text from jsondoc's encoder, without json.dumps's garbage cycles: one per
            # item would pile up, 120 MB at 100k slides, while the export pauses the collector.
            return dumps_value(value, self.newline)
        text = json.dumps(value, indent=self.indent, **self.options)
        # json.dumps escapes every line break inside a string, so each "\n" here ends a line
        return text.replace("\n", self.newline) if self.newline else text

    def pieces(self, items: Iterable[Any]) -> Iterator[str]:
        """The text of ``json.dumps`` of the whole document: a piece per item, then the text after them."""
        first = True
        for item in items:
            yield (self.head if first else self.separator) + self.item(item)
            first = False
        yield self.empty if first else self.tail


def write_in_step(items: Iterable[Any], outputs: Sequence[tuple[StreamedList, Callable[[str], object]]]) -> None:
    """Write each item to every output as soon as it is made: each output gets its own spelling
    of the same document, and the items are made once and held one at a time."""
    first = True
    for item in items:
        for form, write in outputs:
            write((form.head if first else form.separator) + form.item(item))
        first = False
    for form, write in outputs:
        write(form.empty if first else form.tail)
