"""JSON export: the whole dataset in one document, plus the findings of validation."""

from __future__ import annotations

import os

from ipcoop_data.export.atomic import atomic_text
from ipcoop_data.export.common import dataset_version
from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.read.jsondoc import iter_dumps
from ipcoop_data.report.findings import Report


def to_json(dataset: Dataset, path: str | os.PathLike[str], report: Report | None = None) -> None:
    """Write ``dataset`` (and ``report``'s findings, if given) to ``path`` as sorted, indented JSON.

    The text is written a record at a time: the whole document would hold every record twice more
    in memory (as dicts, then as one string).
    """
    with paused_gc(transient=True), atomic_text(path) as handle:
        handle.writelines(iter_dumps(dataset, report, dataset_version=dataset_version(dataset)))
