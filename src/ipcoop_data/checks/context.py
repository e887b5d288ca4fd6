"""What every check gets: the dataset, the optional sources directory, and shared helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..dataset import Dataset
from ..findings import Finding, Severity
from ..models import Record
from ..origin import FieldPath


@dataclass
class Context:
    dataset: Dataset
    sources_dir: Path | None = None
    texts: dict[str, str | None] = field(default_factory=dict)

    def finding(
        self,
        code: str,
        severity: Severity,
        message: str,
        record: Record,
        record_type: str,
        path: FieldPath = (),
        key: str | None = None,
    ) -> Finding:
        """A finding about ``record``, located at the line of the field at ``path``."""
        origin = record.origin
        return Finding(
            code=code,
            severity=severity,
            message=message,
            record_id=getattr(record, "id", None),
            file=origin.file if origin else None,
            line=origin.line_of(path) if origin else None,
            record_type=record_type,
            key=key,
        )
