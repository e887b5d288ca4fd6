from __future__ import annotations

import json

import jsonschema
import pytest

from ipcoop_data import load
from ipcoop_data.export.jsonschema import all_schemas, stale_schemas
from ipcoop_data.model.records import RECORD_TYPES
from ipcoop_data.read.jsondoc import record_document

from .conftest import REPO


def test_committed_schemas_match_fresh_output() -> None:
    assert stale_schemas(REPO / "schemas") == [], "run: ipcoop schema --out schemas/"
    committed = {p.name for p in (REPO / "schemas").glob("*.schema.json")}
    assert committed == set(all_schemas())


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(name)
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_bundled_record_validates_against_its_schema() -> None:
    dataset = load()
    validators = {rt: jsonschema.Draft202012Validator(all_schemas()[f"{rt}.schema.json"]) for rt in RECORD_TYPES}
    for record_type, record in dataset.records():
        data = record.model_dump(mode="json", exclude_none=True)
        errors = list(validators[record_type].iter_errors(data))
        assert not errors, (record_type, getattr(record, "id", ""), errors[0].message)


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(all_schemas()["event.schema.json"])
    bad = {"id": "x", "title": "T", "kind": "meeting", "date": "17-05", "citations": [], "titel": "y"}
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "does not match" in messages and "titel" in messages
    assert record_document  # the export form is covered in test_json_export
