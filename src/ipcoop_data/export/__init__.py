"""Exporters: Dataset (+ Report) -> files. Each writes atomically and deterministically.

The exporters are imported on first use (``from ipcoop_data.export import to_xlsx``), so that
importing this package, or running ``ipcoop validate``, does not pay for openpyxl or icalendar.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ipcoop_data.export.datapackage import to_datapackage as to_datapackage
    from ipcoop_data.export.ics import to_ics as to_ics
    from ipcoop_data.export.json import to_json as to_json
    from ipcoop_data.export.sqlite import to_sqlite as to_sqlite
    from ipcoop_data.export.timeline import to_timeline as to_timeline
    from ipcoop_data.export.xlsx import to_xlsx as to_xlsx

_EXPORTERS = {
    "to_json": "json",
    "to_xlsx": "xlsx",
    "to_ics": "ics",
    "to_datapackage": "datapackage",
    "to_timeline": "timeline",
    "to_sqlite": "sqlite",
}

__all__ = sorted(_EXPORTERS)


def __getattr__(name: str) -> Any:
    module = _EXPORTERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
