"""What every check gets: the dataset, the problems reading it, where its source texts are, and shared helpers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ipcoop_data.analysis.coverage import Coverage
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.origin import FieldPath
from ipcoop_data.model.records import Citation, Record
from ipcoop_data.read.root import TEXTS_DIR
from ipcoop_data.report.findings import Finding, Severity

__all__ = ["TEXTS_DIR", "Context"]


@dataclass
class Context:
    dataset: Dataset
    #: What reading the dataset's files found (``read.loaded.Loaded.findings``): the schema family's.
    read_findings: tuple[Finding, ...] = ()
    #: The folder of source texts: the dataset's own texts/ unless ``--sources-dir`` names another.
    texts_dir: Path | None = None
    #: Whether the folder was named by the user (then a missing folder is an error in itself).
    texts_given: bool = False
    #: Source id -> its normalized text, or None when it could not be read.
    texts: dict[str, str | None] = field(default_factory=dict)
    #: Source id -> its text as it is (lines and offsets intact), for each text that could be read.
    raw_texts: dict[str, str] = field(default_factory=dict)
    #: Whether the texts were read (``provenance.read_texts``): they are read once per run.
    texts_read: bool = False
    #: What the coverage check measured, for the report (None when no text could be read).
    coverage: Coverage | None = None

    @classmethod
    def for_dataset(
        cls, dataset: Dataset, sources_dir: Path | None = None, read_findings: Iterable[Finding] = ()
    ) -> Context:
        found = tuple(read_findings)
        if sources_dir is not None:
            return cls(dataset, read_findings=found, texts_dir=sources_dir, texts_given=True)
        texts = dataset.root / TEXTS_DIR if dataset.root is not None else None
        return cls(dataset, read_findings=found, texts_dir=texts)

    @property
    def texts_shown(self) -> str:
        """The texts folder as messages name it: as given, or relative to the dataset root."""
        if self.texts_given or self.texts_dir is None:
            return str(self.texts_dir)
        return f"{TEXTS_DIR}/"

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

    def citations(self) -> Iterator[tuple[str, Record, FieldPath, Citation]]:
        """Every citation in the dataset: (record type, record, path of the citation, citation).

        Covers the citations of records and those nested in organization names and people's roles.
        """
        return self.dataset.citations()
