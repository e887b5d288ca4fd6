"""JSON Schema (draft 2020-12) of every record type, generated from the pydantic models.

The schemas refuse what the loader refuses wherever a schema can say it: the patterns, enums and
conditions are declared on the record types (model/records.py, model/dates.py), beside the
validators that stay the real checks; what the YAML reader refuses of every value (control
characters, more than 32,767 characters) is added here to every string. What no schema can say
(references between records, quotes in their texts, an interval's order) is listed in the README.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from ipcoop_data.export.atomic import batch, write_text
from ipcoop_data.model.characters import MAX_CHARS, PLAIN_PATTERN
from ipcoop_data.model.records import RECORD_TYPES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: A tag URI (RFC 4151): a stable identifier that does not pretend to be a download location.
ID_BASE = "tag:ipcoop-data,2026:schemas/"


class _DatasetJsonSchema(GenerateJsonSchema):
    """pydantic's generator, with the YAML reader's bounds on every string.

    A field's own pattern (an id, a URL, a required text) replaces the plain one; each of those
    excludes the control characters too.
    """

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        out = super().str_schema(schema)
        out.setdefault("maxLength", MAX_CHARS)
        if "pattern" not in out:
            out["pattern"] = PLAIN_PATTERN
            out["patternErrorMessage"] = "no control characters (tab and line feed are fine)"
        return out


def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of one record type, as the dataset files hold it."""
    return model.model_json_schema(mode="validation", schema_generator=_DatasetJsonSchema)


def record_schema(record_type: str) -> dict[str, Any]:
    model = RECORD_TYPES[record_type]
    schema = model_schema(model)
    return {"$schema": DRAFT, "$id": f"{ID_BASE}{record_type}.schema.json", **schema}


def file_schema(record_type: str) -> dict[str, Any]:
    """Schema of a dataset file: a YAML list of records of one type."""
    item = record_schema(record_type)
    defs = item.pop("$defs", {})
    item.pop("$schema")
    item.pop("$id")
    name = RECORD_TYPES[record_type].__name__
    defs[name] = item
    return {
        "$schema": DRAFT,
        "$id": f"{ID_BASE}{record_type}-file.schema.json",
        "title": f"A dataset file of {name} records",
        "type": "array",
        "items": {"$ref": f"#/$defs/{name}"},
        "$defs": defs,
    }


def export_schema() -> dict[str, Any]:
    """Schema of the JSON export (``ipcoop export json``): every table, findings and validation.

    The export writes every field of every record (``null`` when unset) and, beside each date
    field ``f``, the derived ``f_lower``, ``f_upper`` and ``f_precision``; both are declared here, so
    the schema still forbids unknown keys.
    """
    from ipcoop_data.model.dataset import TABLES
    from ipcoop_data.read.jsondoc import FORMAT

    defs: dict[str, Any] = {}
    properties: dict[str, Any] = {
        "format": {"const": FORMAT, "description": "Format and version of this document"},
        "generator": {"type": "string", "description": "The ipcoop-data version that wrote it"},
        "dataset_version": {
            "type": "string",
            "pattern": r"^[^+]+\+[0-9a-f]{12}$",
            "description": "<package version>+<12 hex digits of the content's hash>, as in every export",
        },
    }
    for record_type, attr in TABLES.items():
        model = RECORD_TYPES[record_type]
        schema = model_schema(model)
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        properties[attr] = {"type": "array", "items": {"$ref": f"#/$defs/{model.__name__}"}}
    for definition in defs.values():
        _add_date_bounds(definition)
    properties["findings"] = {"type": "array", "items": {"$ref": "#/$defs/Finding"}}
    properties["validation"] = {"$ref": "#/$defs/Validation"}
    defs["Finding"] = _FINDING
    defs["Validation"] = _VALIDATION
    return {
        "$schema": DRAFT,
        "$id": f"{ID_BASE}export.schema.json",
        "title": "ipcoop-data JSON export",
        "description": "The whole dataset in one document, with the findings of validation",
        "type": "object",
        "properties": properties,
        "required": ["format", "generator", *TABLES.values()],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def _is_date(schema: dict[str, Any]) -> bool:
    from ipcoop_data.model.dates import PATTERN

    options = schema.get("anyOf", [schema])
    return any(option.get("pattern") == PATTERN for option in options)


def _add_date_bounds(definition: dict[str, Any]) -> None:
    properties = definition.get("properties", {})
    for name, schema in list(properties.items()):
        if not _is_date(schema):
            continue
        nullable = "anyOf" in schema
        derived = {
            "_lower": {"type": "string", "format": "date", "description": f"First day '{name}' admits"},
            "_upper": {"type": "string", "format": "date", "description": f"Last day '{name}' admits"},
            "_precision": {"enum": ["year", "month", "day"], "description": f"How precise '{name}' is"},
        }
        for suffix, sub in derived.items():
            properties[f"{name}{suffix}"] = {"anyOf": [sub, {"type": "null"}]} if nullable else sub


_FINDING: dict[str, Any] = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "severity": {"enum": ["error", "warning", "info"]},
        "message": {"type": "string"},
        "record_type": {"type": ["string", "null"]},
        "record_id": {"type": ["string", "null"]},
        "file": {"type": ["string", "null"]},
        "line": {"type": ["integer", "null"]},
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
    },
    "required": ["code", "severity", "message", "fingerprint"],
    "additionalProperties": False,
}
_VALIDATION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ok": {"type": "boolean"},
        "errors": {"type": "integer", "minimum": 0},
        "warnings": {"type": "integer", "minimum": 0},
        "info": {"type": "integer", "minimum": 0},
    },
    "required": ["ok", "errors", "warnings", "info"],
    "additionalProperties": False,
}


def all_schemas() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for record_type in RECORD_TYPES:
        out[f"{record_type}.schema.json"] = record_schema(record_type)
        out[f"{record_type}-file.schema.json"] = file_schema(record_type)
    out["export.schema.json"] = export_schema()
    return out


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out_dir: str | Path) -> list[Path]:
    """Write every schema into ``out_dir``: all of them or, if one cannot be written, none."""
    out = Path(out_dir)
    written = []
    with batch():
        for name, schema in all_schemas().items():
            write_text(out / name, dumps(schema))
            written.append(out / name)
    return written


def stale_schemas(out_dir: str | Path) -> list[str]:
    """Names of schema files in ``out_dir`` that are missing or differ from fresh output."""
    out = Path(out_dir)
    stale = []
    for name, schema in all_schemas().items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != dumps(schema):
            stale.append(name)
    return stale
