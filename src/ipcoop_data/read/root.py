"""Which folder a run reads: the path given, or the bundled dataset; and the error when there is none."""

from __future__ import annotations

import os
from pathlib import Path

from ipcoop_data.read.bundled import BundledFilesMissing, bundled_dataset_path

#: The folder, inside a dataset, that holds its source texts.
TEXTS_DIR = "texts"


class DatasetNotFoundError(Exception):
    """The dataset directory is missing, not a directory, or holds no dataset file."""


def dataset_root(path: str | os.PathLike[str] | None) -> Path:
    """The dataset folder for ``path`` (None: the bundled dataset); raises DatasetNotFoundError."""
    try:
        root = Path(path) if path is not None else bundled_dataset_path()
    except BundledFilesMissing as exc:
        raise DatasetNotFoundError(str(exc)) from None
    if not root.exists():
        raise DatasetNotFoundError(f"dataset directory not found: {root}")
    if not root.is_dir():
        raise DatasetNotFoundError(f"not a directory: {root} (pass the dataset directory, e.g. datasets/)")
    return root
