"""The JSON document form of a Dataset (one document, keys sorted) and reading it back.

Each EDTF date field ``f`` is written as the EDTF string plus ``f_lower``, ``f_upper`` (ISO days)
and ``f_precision``, so consumers need no EDTF parser; reading drops those derived keys again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .dataset import TABLES, Dataset
from .dates import PartialDate
from .findings import Report
from .models import RECORD_TYPES, Record

FORMAT = "ipcoop-data/1"
_DERIVED = ("_lower", "_upper", "_precision")


def record_document(record: Record) -> dict[str, Any]:
    """A record as JSON-ready data, with bounds beside every date."""
    out: dict[str, Any] = {}
    for name in type(record).model_fields:
        value = getattr(record, name)
        out[name] = _value_document(value)
        if isinstance(value, PartialDate):
            out[f"{name}_lower"] = value.lower.isoformat()
            out[f"{name}_upper"] = value.upper.isoformat()
            out[f"{name}_precision"] = str(value.precision)
    return out


def _value_document(value: Any) -> Any:
    if isinstance(value, Record):
        return record_document(value)
    if isinstance(value, list):
        return [_value_document(v) for v in value]
    if isinstance(value, PartialDate):
        return value.text
    if hasattr(value, "as_tuple"):  # Decimal: keep the digits exactly, as a JSON number
        return _decimal_number(value)
    return value


def _decimal_number(value: Any) -> int | float:
    # Python writes a float as the shortest text that reads back the same, so a decimal of up to
    # 15 significant digits (every figure a source prints) survives the trip unchanged.
    text = format(value.normalize(), "f")
    return int(text) if "." not in text else float(text)


def dataset_document(dataset: Dataset, report: Report | None = None, version: str | None = None) -> dict[str, Any]:
    from . import __version__

    doc: dict[str, Any] = {
        "format": FORMAT,
        "generator": f"ipcoop-data {version or __version__}",
    }
    for attr in TABLES.values():
        records = sorted(getattr(dataset, attr), key=lambda r: r.id)
        doc[attr] = [record_document(r) for r in records]
    if report is not None:
        doc["findings"] = [f.as_dict() for f in report.sorted()]
        doc["validation"] = {
            "ok": report.count("error") == 0,
            "errors": report.count("error"),
            "warnings": report.count("warning"),
            "info": report.count("info"),
        }
    return doc


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _strip_derived(data: Any, model: type[Record]) -> Any:
    if isinstance(data, list):
        return [_strip_derived(item, model) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key.endswith(_DERIVED) and key.rsplit("_", 1)[0] in model.model_fields:
            continue
        field = model.model_fields.get(key)
        sub = _record_type_of(field.annotation) if field else None
        out[key] = _strip_derived(value, sub) if sub else value
    return out


def _record_type_of(annotation: Any) -> type[Record] | None:
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _record_type_of(arg)
        if found is not None:
            return found
    return None


def load_json(path: str | os.PathLike[str]) -> Dataset:
    """Read a JSON export back into a Dataset equal to the one exported."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT:
        raise ValueError(f"{path}: not an ipcoop-data JSON export (format {doc.get('format')!r})")
    dataset = Dataset(root=None)
    for record_type, attr in TABLES.items():
        model = RECORD_TYPES[record_type]
        for item in doc.get(attr, []):
            dataset.add(record_type, model.model_validate(_strip_derived(item, model)))
    return dataset
