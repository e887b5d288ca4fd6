from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

import ipcoop_data
from ipcoop_data.checks import validate
from ipcoop_data.export import to_json


def test_json_round_trip_gives_an_equal_dataset(tmp_path: Path) -> None:
    dataset = ipcoop_data.load()
    to_json(dataset, tmp_path / "d.json", validate(dataset))
    again = ipcoop_data.load_json(tmp_path / "d.json")
    assert again == dataset
    assert len(again.events) == len(dataset.events) > 0


def test_json_export_is_byte_identical_and_sorted(tmp_path: Path) -> None:
    dataset = ipcoop_data.load()
    to_json(dataset, tmp_path / "a.json")
    to_json(ipcoop_data.load(), tmp_path / "b.json")
    a, b = (tmp_path / "a.json").read_bytes(), (tmp_path / "b.json").read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    doc = json.loads(a)
    ids = [e["id"] for e in doc["events"]]
    assert ids == sorted(ids)


def test_dates_carry_their_bounds(tmp_path: Path) -> None:
    dataset = ipcoop_data.load()
    to_json(dataset, tmp_path / "d.json")
    doc = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    month_events = [e for e in doc["events"] if e["date_precision"] == "month"]
    for event in month_events or doc["events"]:
        assert event["date_lower"] <= event["date_upper"]
        assert event["date_lower"].startswith(event["date"][:4])


def test_failed_export_leaves_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "d.json"
    target.write_text("previous", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> Iterator[str]:
        yield '{\n  "events": ['  # part of the document is written before the failure
        raise RuntimeError("disk full")

    monkeypatch.setattr("ipcoop_data.export.json.iter_dumps", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        to_json(ipcoop_data.load(), target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["d.json"]


def test_lookups_see_records_added_after_a_lookup() -> None:
    from ipcoop_data import Dataset

    dataset = ipcoop_data.load()
    source = dataset.sources[0]
    fresh = Dataset()
    assert fresh.source(source.id) is None
    fresh.add("source", source)
    assert fresh.source(source.id) is source


def _export_validator() -> jsonschema.Draft202012Validator:
    from .conftest import REPO

    schema = json.loads((REPO / "schemas" / "export.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_json_export_validates_against_its_committed_schema(tmp_path: Path) -> None:
    dataset = ipcoop_data.load()
    to_json(dataset, tmp_path / "d.json", validate(dataset))
    doc = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    validator = _export_validator()
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    assert doc["validation"]["errors"] == 0 and len(doc["findings"]) == sum(
        doc["validation"][k] for k in ("errors", "warnings", "info")
    )


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("events", 0, "date_precision"), "week", "is not one of"),
        (("events", 0, "date_lower"), "2017-13-01", "is not a 'date'"),
        (("events", 0, "colour"), "red", "Additional properties"),
        (("observations", 0, "qualifier"), "roughly", "is not one of"),
        (("findings", 0, "severity"), "fatal", "is not one of"),
    ],
)
def test_export_schema_rejects_a_broken_document(
    tmp_path: Path, path: tuple[object, ...], value: str, message: str
) -> None:
    dataset = ipcoop_data.load()
    to_json(dataset, tmp_path / "d.json", validate(dataset))
    doc = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    messages = " ".join(e.message for e in _export_validator().iter_errors(doc))
    assert message in messages
