"""A document whose one list is streamed an item at a time is written exactly as json.dumps writes it whole."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ipcoop_data.export.jsonstream import StreamedList, write_in_step

ITEMS: list[Any] = [
    {"b": 1, "a": {"text": '<p>a "quote"\n</p>', "list": [1, 2.5, None, True]}, "é": "é𝄞\u2028"},
    {},
    [],
    [[], {}, "x"],
    "plain",
    0,
]
TITLE = {"text": {"headline": "Title", "text": "<ul><li>one</li></ul>"}, "empty": {}, "none": []}
OPTIONS: list[dict[str, Any]] = [
    {"indent": 2, "sort_keys": True, "ensure_ascii": False},  # the timeline's JSON file (jsondoc's encoder)
    {"sort_keys": True, "ensure_ascii": False},  # the copy inside its page
    {"indent": 4},
    {"indent": 2, "ensure_ascii": True},
    {},
]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("items", [ITEMS, ITEMS[:1], []])
def test_the_pieces_are_json_dumps_of_the_whole_document(options: dict[str, Any], items: list[Any]) -> None:
    document = {"title": TITLE, "a": 1, "z": "last"}
    form = StreamedList.around(document, "events", **options)
    text = "".join(form.pieces(iter(items)))  # a generator: the items are never a list here
    assert text == json.dumps({**document, "events": items}, **options)
    assert json.loads(text)["events"] == items


def test_one_piece_per_item_then_the_rest() -> None:
    form = StreamedList.around({"title": TITLE}, "events", indent=2, sort_keys=True, ensure_ascii=False)
    pieces = list(form.pieces(ITEMS))
    assert len(pieces) == len(ITEMS) + 1
    assert pieces[1:-1] == [",\n    " + form.item(item) for item in ITEMS[1:]]


def test_outputs_written_in_step_each_get_their_own_spelling() -> None:
    indented, compact = [], []
    forms = [
        StreamedList.around({"title": TITLE}, "events", indent=2, sort_keys=True, ensure_ascii=False),
        StreamedList.around({"title": TITLE}, "events", sort_keys=True, ensure_ascii=False),
    ]
    made: list[int] = []

    def items() -> Any:
        for n, item in enumerate(ITEMS):
            made.append(n)
            assert len(indented) == len(compact) == n  # each item written to both before the next is made
            yield item

    write_in_step(items(), [(forms[0], indented.append), (forms[1], compact.append)])
    document = {"title": TITLE, "events": ITEMS}
    assert "".join(indented) == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    assert "".join(compact) == json.dumps(document, sort_keys=True, ensure_ascii=False)
    assert made == list(range(len(ITEMS)))


def test_what_it_cannot_spell_is_refused() -> None:
    with pytest.raises(TypeError):
        StreamedList.around({}, "events", separators=(",", ":"))
    with pytest.raises(ValueError, match="placeholder"):
        StreamedList.around({"title": "\x00ipcoop-streamed-items\x00"}, "events")
