"""Where the files shipped with the package are: in a wheel, or beside the source tree (editable)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # ipcoop_data/


class BundledFilesMissing(FileNotFoundError):
    """The package was installed without its data (a broken or partial install)."""


def _bundled(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    source_tree = _PACKAGE.parents[1] / name  # src/ipcoop_data -> the repository
    if source_tree.is_dir():
        return source_tree
    raise BundledFilesMissing(
        f"the bundled {name} folder is missing (looked in {packaged} and {source_tree}); "
        "reinstall ipcoop-data or pass a path"
    )


def bundled_dataset_path() -> Path:
    """The dataset shipped with the package, its source texts included."""
    return _bundled("datasets")


def bundled_schemas_path() -> Path:
    """The JSON Schemas of every record type and of the JSON export, as shipped."""
    return _bundled("schemas")
