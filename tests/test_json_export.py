from __future__ import annotations

import hashlib
import json
from pathlib import Path

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

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("ipcoop_data.export.json.dumps", boom)
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
