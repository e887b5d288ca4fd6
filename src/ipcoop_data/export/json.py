"""JSON export: the whole dataset in one document, plus the findings of validation."""

from __future__ import annotations

import os

from ..atomic import write_text
from ..dataset import Dataset
from ..findings import Report
from ..jsondoc import dataset_document, dumps


def to_json(dataset: Dataset, path: str | os.PathLike[str], report: Report | None = None) -> None:
    """Write ``dataset`` (and ``report``'s findings, if given) to ``path`` as sorted, indented JSON."""
    write_text(path, dumps(dataset_document(dataset, report)))
