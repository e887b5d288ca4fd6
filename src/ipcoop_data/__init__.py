"""ipcoop-data: a curated, validated dataset of international cooperation in intellectual property."""

from __future__ import annotations

from .bundled import bundled_dataset_path, bundled_schemas_path
from .dataset import Dataset
from .dates import PartialDate, Precision
from .findings import Finding, Report
from .jsondoc import load_json
from .load import DatasetLoadError, DatasetNotFoundError, load

__all__ = [
    "Dataset",
    "DatasetLoadError",
    "DatasetNotFoundError",
    "Finding",
    "PartialDate",
    "Precision",
    "Report",
    "bundled_dataset_path",
    "bundled_schemas_path",
    "load",
    "load_json",
]
__version__ = "0.1.0"
