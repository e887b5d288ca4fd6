"""jsondoc writes JSON faster than json.dumps with indent, and byte for byte the same."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from ipcoop_data import load
from ipcoop_data.checks import validate
from ipcoop_data.read.jsondoc import dataset_document, dumps, iter_dumps


def stdlib(doc: Any) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_bundled_document_is_written_as_json_dumps_writes_it() -> None:
    dataset = load()
    report = validate(dataset)
    for doc in (dataset_document(dataset), dataset_document(dataset, report, version="9")):
        assert dumps(doc) == stdlib(doc)


def test_the_document_streamed_a_record_at_a_time_is_the_same_text() -> None:
    dataset = load()
    report = validate(dataset)
    assert "".join(iter_dumps(dataset)) == dumps(dataset_document(dataset))
    assert "".join(iter_dumps(dataset, report, "9")) == dumps(dataset_document(dataset, report, "9"))


ODD: list[Any] = [
    {},
    [],
    "text",
    3,
    {"b": [1.5, -0.0, 1e300, 1e-7, float("nan"), float("inf"), -float("inf"), True, False, None, {}, [], (1, 2)]},
    {"é": '\u2028\x00"\\\n\té𝄞', "a": {"z": [[[]]], "y": [{"x": 1}]}},
    {"sub": type("Text", (str,), {})("a subclass of str"), "n": 10**30},
]


@pytest.mark.parametrize("doc", ODD, ids=range(len(ODD)))
def test_odd_values_are_written_as_json_dumps_writes_them(doc: Any) -> None:
    assert dumps(doc) == stdlib(doc)


def test_what_json_dumps_refuses_is_still_refused() -> None:
    with pytest.raises(TypeError):
        dumps({"a": Decimal("1.5")})
    assert dumps({1: "non-text key"}) == stdlib({1: "non-text key"})
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        dumps({"a": loop})


def test_a_record_the_fast_encoder_leaves_alone_is_streamed_as_json_dumps_writes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ipcoop_data.read.jsondoc as jsondoc

    dataset = load()
    plain = jsondoc.record_document

    def with_odd_key(record: Any) -> dict[Any, Any]:
        document: dict[Any, Any] = plain(record)
        if getattr(record, "id", None) == dataset.events[0].id:
            document["odd"] = {7: ["a\nb", 1.5]}  # a non-text key: the fast encoder gives up
        return document

    monkeypatch.setattr(jsondoc, "record_document", with_odd_key)
    streamed = "".join(iter_dumps(dataset))
    assert '"7": [' in streamed
    assert streamed == stdlib(dataset_document(dataset))
