"""A full Report as bytes for the cache, and back; anything that is not exactly such a report reads as None."""

from __future__ import annotations

import json
from typing import Any

from ipcoop_data.model.finding import SEVERITY_ORDER, Finding
from ipcoop_data.report.findings import Report

_FIELDS = ("code", "severity", "message", "record_id", "file", "line", "record_type", "key")
_OPTIONAL_TEXT = ("record_id", "file", "record_type", "key")


def report_to_bytes(report: Report) -> bytes:
    document = {
        "files": report.files,
        "records": report.records,
        "checks": report.checks,
        "notes": report.notes,
        "sections": report.sections,
        "findings": [[getattr(f, name) for name in _FIELDS] for f in report.findings],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def report_from_bytes(data: bytes, dataset: str) -> Report | None:
    try:
        document = json.loads(data.decode("utf-8", "surrogatepass"))
        return _report(document, dataset)
    except (ValueError, TypeError, KeyError, IndexError):
        return None


def _report(document: Any, dataset: str) -> Report | None:
    files, records, checks, notes = document["files"], document["records"], document["checks"], document["notes"]
    sections = document["sections"]
    if not (_int(files) and _int(records) and _texts(checks) and _texts(notes) and isinstance(sections, dict)):
        return None
    findings: list[Finding] = []
    for row in document["findings"]:
        if not isinstance(row, list) or len(row) != len(_FIELDS):
            return None
        values = dict(zip(_FIELDS, row, strict=True))
        if not (isinstance(values["code"], str) and isinstance(values["message"], str)):
            return None
        if values["severity"] not in SEVERITY_ORDER:
            return None
        if any(values[name] is not None and not isinstance(values[name], str) for name in _OPTIONAL_TEXT):
            return None
        if values["line"] is not None and not _int(values["line"]):
            return None
        findings.append(Finding(**values))
    return Report(
        findings=findings, dataset=dataset, files=files, records=records, checks=checks, notes=notes, sections=sections
    )


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
