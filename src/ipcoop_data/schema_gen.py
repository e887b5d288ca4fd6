"""JSON Schema (draft 2020-12) of every record type, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .atomic import write_text
from .models import RECORD_TYPES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: A tag URI (RFC 4151): a stable identifier that does not pretend to be a download location.
ID_BASE = "tag:ipcoop-data,2026:schemas/"


def record_schema(record_type: str) -> dict[str, Any]:
    model = RECORD_TYPES[record_type]
    schema = model.model_json_schema(mode="validation")
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


def all_schemas() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for record_type in RECORD_TYPES:
        out[f"{record_type}.schema.json"] = record_schema(record_type)
        out[f"{record_type}-file.schema.json"] = file_schema(record_type)
    return out


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    written = []
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
