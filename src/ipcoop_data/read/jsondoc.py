"""The JSON document form of a Dataset (one document, keys sorted) and reading it back.

Each EDTF date field ``f`` is written as the EDTF string plus ``f_lower``, ``f_upper`` (ISO days)
and ``f_precision``, so consumers need no EDTF parser; reading drops those derived keys again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from json.encoder import encode_basestring  # the C escaper json.dumps uses with ensure_ascii=False
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import TABLES, Dataset
from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.records import RECORD_TYPES, Fielded, Part, fields_of

if TYPE_CHECKING:
    from ipcoop_data.report.findings import Report

FORMAT = "ipcoop-data/1"
_DERIVED = ("_lower", "_upper", "_precision")


def record_document(record: Fielded) -> dict[str, Any]:
    """A record as JSON-ready data, with bounds beside every date."""
    out: dict[str, Any] = {}
    for name in fields_of(type(record)):
        value = getattr(record, name)
        out[name] = _value_document(value)
        if isinstance(value, PartialDate):
            out[f"{name}_lower"] = value.lower.isoformat()
            out[f"{name}_upper"] = value.upper.isoformat()
            out[f"{name}_precision"] = str(value.precision)
    return out


def _value_document(value: Any) -> Any:
    if isinstance(value, Part):
        return record_document(value)
    if isinstance(value, tuple | list):  # a list: a record made in code (model_copy does not validate)
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


def dataset_document(
    dataset: Dataset,
    report: Report | None = None,
    version: str | None = None,
    dataset_version: str | None = None,
) -> dict[str, Any]:
    with paused_gc():  # millions of small dicts, none of them in a cycle
        return _dataset_document(dataset, report, version, dataset_version)


def _dataset_document(
    dataset: Dataset, report: Report | None, version: str | None, dataset_version: str | None
) -> dict[str, Any]:
    from ipcoop_data.version import __version__

    doc: dict[str, Any] = {
        "format": FORMAT,
        "generator": f"ipcoop-data {version or __version__}",
    }
    if dataset_version is not None:
        doc["dataset_version"] = dataset_version
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
    """``json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)`` and a newline, faster.

    With ``indent`` the standard library encodes in pure Python, one generator per level, and
    joins tens of millions of pieces at the end; here each record is joined on its own, which
    is 2-3 times faster on a large dataset and keeps growing linearly. Anything but dicts with
    text keys, lists, text, numbers, booleans and None goes to the standard library.
    """
    try:
        with paused_gc():
            out: list[str] = []
            _encode(doc, "\n", out)
            return "".join(out) + "\n"
    except (_Unusual, RecursionError):
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def iter_dumps(
    dataset: Dataset,
    report: Report | None = None,
    version: str | None = None,
    dataset_version: str | None = None,
) -> Iterator[str]:
    """The text of ``dumps(dataset_document(dataset, report, version, dataset_version))``, a record at a time.

    For writing or hashing the document without holding it whole: at 100k events the document
    takes 1.4 GB as Python objects.
    """
    head = dataset_document(Dataset(), report, version, dataset_version)  # everything but the records
    tables = set(TABLES.values())
    for i, key in enumerate(sorted(head)):
        yield ("{\n  " if i == 0 else ",\n  ") + encode_basestring(key) + ": "
        records = sorted(getattr(dataset, key), key=lambda r: r.id) if key in tables else []
        if not records:
            out: list[str] = []
            _encode(head[key], "\n  ", out)
            yield "".join(out)
            continue
        for j, record in enumerate(records):
            yield ("[\n    " if j == 0 else ",\n    ") + dumps_value(record_document(record), "\n    ")
        yield "\n  ]"
    yield "\n}\n"


def dumps_value(value: Any, newline: str = "\n") -> str:
    """``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`` with every line break
    followed by ``newline``'s indentation, as the value stands inside a larger document.

    Faster than json.dumps, and it leaves no garbage cycles: every json.dumps with ``indent``
    makes a few (its encoder's nested functions refer to each other), which pile up while an
    export keeps the cyclic collector paused. Anything unusual goes to the standard library.
    """
    try:
        out: list[str] = []
        _encode(value, newline, out)
        return "".join(out)
    except (_Unusual, RecursionError):
        standard = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
        return standard.replace("\n", newline)  # json.dumps writes no raw newline inside strings


class _Unusual(Exception):
    """A value the fast encoder leaves to the standard library."""


_INF = float("inf")


def _encode(value: Any, newline: str, out: list[str]) -> None:
    """Append the JSON of ``value`` to ``out`` exactly as the standard library writes it with
    ``indent=2, sort_keys=True, ensure_ascii=False``; ``newline`` is a line break and the indent."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        if value != value:
            out.append("NaN")
        elif value in (_INF, -_INF):
            out.append("Infinity" if value > 0 else "-Infinity")
        else:
            out.append(float.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in sorted(value.items()):
            if not isinstance(key, str):
                raise _Unusual
            out.append(separator)
            out.append(encode_basestring(key))
            out.append(": ")
            _encode(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            if len(newline) <= 3:  # an item of a table (a record): joined on its own, while in cache
                part: list[str] = []
                _encode(item, inner, part)
                out.append("".join(part))
            else:
                _encode(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:
        raise _Unusual


def _strip_derived(data: Any, model: type[Fielded]) -> Any:
    if isinstance(data, list):
        return [_strip_derived(item, model) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key.endswith(_DERIVED) and key.rsplit("_", 1)[0] in fields_of(model):
            continue
        field = fields_of(model).get(key)
        sub = _record_type_of(field.annotation) if field else None
        out[key] = _strip_derived(value, sub) if sub else value
    return out


def _record_type_of(annotation: Any) -> type[Part] | None:
    if isinstance(annotation, type) and issubclass(annotation, Part):
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
