"""What a loaded dataset keeps once: field-name sets, equal parts and short strings (read/shared.py)."""

from __future__ import annotations

import dataclasses
import pickle
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pydantic
import pydantic.dataclasses
import pytest

from ipcoop_data import load, read_dataset
from ipcoop_data.model.records import PART_CONFIG, Citation, Event, Part, Record
from ipcoop_data.read.load import LAYOUT
from ipcoop_data.read.shared import Sharer
from tests.conftest import DATASET, GOOD_EVENT, SOURCES_YAML, MakeDataset


def _parties(dataset_path: Path) -> list[object]:
    return [party for event in load(dataset_path).events for party in event.parties]


def test_equal_parts_of_the_bundled_data_are_one_object() -> None:
    parties = _parties(DATASET)
    by_value = Counter((p.id, p.name) for p in parties)  # type: ignore[attr-defined]
    assert len(parties) > len(by_value) > 10  # the bundled events name the same parties again and again
    assert len({id(p) for p in parties}) == len(by_value)


def test_records_of_one_shape_share_their_field_name_set() -> None:
    events = load(DATASET).events
    shapes = {frozenset(e.model_fields_set) for e in events}
    assert len({id(e.__pydantic_fields_set__) for e in events}) == len(shapes) < len(events)


def test_sharing_changes_no_value() -> None:
    """Every loaded record equals the record pydantic makes of its own dump, field set included."""
    for record_type, _ in LAYOUT:
        for record in getattr(load(DATASET), _table(record_type)):
            again = type(record).model_validate(record.model_dump(exclude_unset=True))
            assert again == record
            assert again.model_fields_set == record.model_fields_set
            assert again.model_dump_json() == record.model_dump_json()


def _table(record_type: str) -> str:
    from ipcoop_data.model.dataset import TABLES

    return TABLES[record_type]


def test_a_shared_part_cannot_be_changed_through_one_record() -> None:
    event = next(e for e in load(DATASET).events if e.parties)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.parties[0].id = "someone-else"  # type: ignore[misc]


def test_figures_are_never_shared_by_equality() -> None:
    """Decimal("1.0") == Decimal("1.00"): a part holding a figure would lose how it was printed."""

    @pydantic.dataclasses.dataclass(frozen=True, slots=True, config=PART_CONFIG)
    class Figure(Part):
        value: Decimal

    sharer = Sharer()
    first, second = Figure(value="1.0"), Figure(value="1.00")
    assert sharer.part(first) is first and sharer.part(second) is second
    assert str(second.value) == "1.00"


def test_parts_are_not_shared_across_loads() -> None:
    """The tables live for one load: a dropped dataset's parts are not kept by the next."""
    first, second = _parties(DATASET), _parties(DATASET)  # both alive: no id() is reused
    assert first == second
    assert not {id(p) for p in first} & {id(p) for p in second}


def test_sharing_survives_the_cache(make_dataset: MakeDataset) -> None:
    root = make_dataset({"sources.yaml": SOURCES_YAML, "events/2017.yaml": GOOD_EVENT})
    events = load(root).events
    restored: list[Record] = pickle.loads(pickle.dumps(events))
    assert restored == events
    assert isinstance(restored[0], Event) and restored[0].origin == events[0].origin


def test_a_record_keeps_its_origin_through_pickle_and_copies() -> None:
    import copy

    event = load(DATASET).events[0]
    assert event.origin is not None and event.origin.file.startswith("events/")
    assert event.__pydantic_private__ is None  # a slot, not a dict per record
    for again in (pickle.loads(pickle.dumps(event)), copy.copy(event), copy.deepcopy(event), event.model_copy()):
        assert again == event and again.origin == event.origin
    made_in_code = Event.model_validate(event.model_dump(exclude_unset=True))
    assert made_in_code.origin is None and made_in_code == event


def test_parts_are_slotted_and_lists_are_tuples() -> None:
    """What keeps a loaded record small: a part has no dict of its own, a list field is a tuple,
    and every empty one is the one empty tuple."""
    events = load(DATASET).events
    citation = events[0].citations[0]
    assert isinstance(citation, Citation) and not hasattr(citation, "__dict__")
    assert all(type(e.citations) is tuple and type(e.parties) is tuple for e in events)
    empty = [e.instruments for e in events if not e.instruments]
    assert empty and len({id(t) for t in empty}) == 1 and empty[0] == ()
    # and they still read, dump and compare as models do
    dumped = events[0].model_dump(mode="json")
    assert isinstance(dumped["citations"], list) and dumped["citations"][0]["quote"] == citation.quote
    assert Event.model_validate(events[0].model_dump()) == events[0]


_EVENT = "event 2017-05-heads-3: "


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            ("      quote:", "      qoute:"),
            [
                (_EVENT + "required field 'citations[0].quote' is missing", "citations[0].quote:missing"),
                (
                    _EVENT + "unknown field 'citations[0].qoute'; did you mean 'quote'? "
                    "(allowed: locator, prospective, quote, source)",
                    "citations[0].qoute:extra_forbidden",
                ),
            ],
        ),
        (
            (
                "  citations:\n    - source: report-2017\n",
                "  citations:\n    - report-2017\n    - source: report-2017\n",
            ),
            [
                (
                    _EVENT
                    + "citations[0]: Input should be a valid dictionary or instance of Citation (got 'report-2017')",
                    "citations[0]:model_type",
                )
            ],
        ),
        (
            ("  citations:\n    - source:", "  citations:\n      source:"),
            [(_EVENT + "citations: Input should be a valid list", "citations:list_type")],
        ),
    ],
)
def test_a_broken_part_reads_as_a_mapping_and_a_list_do(
    make_dataset: MakeDataset, broken: tuple[str, str], expected: list[tuple[str, str]]
) -> None:
    """A curator writes mappings and lists: a finding about a part or a list says so, and its key
    (so its fingerprint) is the one it had when parts were models and lists were lists."""
    root = make_dataset({"events/2017.yaml": GOOD_EVENT.replace(*broken)})
    assert [(f.message, f.key) for f in read_dataset(root).findings] == expected
