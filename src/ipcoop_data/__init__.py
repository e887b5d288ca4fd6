"""ipcoop-data: a curated, validated dataset of international cooperation in intellectual property."""

from __future__ import annotations

from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.dates import PartialDate, Precision
from ipcoop_data.read.bundled import bundled_dataset_path, bundled_schemas_path
from ipcoop_data.read.jsondoc import load_json
from ipcoop_data.read.load import DatasetLoadError, DatasetNotFoundError, load
from ipcoop_data.report.findings import Finding, Report
from ipcoop_data.version import __version__

__all__ = [
    "Dataset",
    "DatasetLoadError",
    "DatasetNotFoundError",
    "Finding",
    "PartialDate",
    "Precision",
    "Report",
    "__version__",
    "bundled_dataset_path",
    "bundled_schemas_path",
    "load",
    "load_json",
]
