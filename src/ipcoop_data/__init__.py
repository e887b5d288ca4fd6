"""ipcoop-data: a curated, validated dataset of international cooperation in intellectual property.

The names below are imported when first used, so that ``import ipcoop_data`` (and the ``ipcoop``
command's start-up, during which Ctrl-C must already end cleanly) costs almost nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ipcoop_data.version import __version__

_WHERE = {
    "Dataset": "ipcoop_data.model.dataset",
    "DatasetLoadError": "ipcoop_data.read.load",
    "DatasetNotFoundError": "ipcoop_data.read.load",
    "Finding": "ipcoop_data.model.finding",
    "Loaded": "ipcoop_data.read.loaded",
    "PartialDate": "ipcoop_data.model.dates",
    "Precision": "ipcoop_data.model.dates",
    "Report": "ipcoop_data.report.findings",
    "bundled_dataset_path": "ipcoop_data.read.bundled",
    "bundled_schemas_path": "ipcoop_data.read.bundled",
    "load": "ipcoop_data.read.load",
    "load_json": "ipcoop_data.read.jsondoc",
    "read_dataset": "ipcoop_data.read.load",
}

__all__ = [
    "Dataset",
    "DatasetLoadError",
    "DatasetNotFoundError",
    "Finding",
    "Loaded",
    "PartialDate",
    "Precision",
    "Report",
    "__version__",
    "bundled_dataset_path",
    "bundled_schemas_path",
    "load",
    "load_json",
    "read_dataset",
]

if TYPE_CHECKING:
    from ipcoop_data.model.dataset import Dataset
    from ipcoop_data.model.dates import PartialDate, Precision
    from ipcoop_data.model.finding import Finding
    from ipcoop_data.read.bundled import bundled_dataset_path, bundled_schemas_path
    from ipcoop_data.read.jsondoc import load_json
    from ipcoop_data.read.load import DatasetLoadError, DatasetNotFoundError, load, read_dataset
    from ipcoop_data.read.loaded import Loaded
    from ipcoop_data.report.findings import Report


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ipcoop_data' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
