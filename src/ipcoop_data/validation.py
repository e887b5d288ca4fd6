"""One validation run of a dataset folder, through the content cache: what ``ipcoop validate`` does.

An unchanged dataset (the same bytes, read by the same code; see ``read.snapshot``) gets the report
its last full run made, without parsing a line or importing a model; a changed one is loaded (each
unchanged file's records from the cache), checked in full, and its report kept for next time.
Selection and baseline are applied afterwards, so that they never change what is cached.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ipcoop_data.read.root import TEXTS_DIR, dataset_root
from ipcoop_data.read.snapshot import snapshot
from ipcoop_data.report.codes import selection
from ipcoop_data.report.narrow import narrow
from ipcoop_data.report.store import report_from_bytes, report_to_bytes

if TYPE_CHECKING:
    from ipcoop_data.read.cache import Cache
    from ipcoop_data.report.findings import Report


def validate_path(
    path: str | os.PathLike[str] | None = None,
    *,
    sources_dir: str | Path | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    baseline: Iterable[str] = (),
    cache: Cache | None = None,
) -> Report:
    """Load and check the dataset at ``path`` (default: the bundled one) and return its Report.

    Raises DatasetNotFoundError when there is no dataset there, ValueError for an unknown code.
    """
    selection(list(select))
    selection(list(ignore))
    root = dataset_root(path)
    texts = Path(sources_dir) if sources_dir is not None else root / TEXTS_DIR
    slot = f"{os.path.realpath(root)}\x1f{sources_dir}"
    before = snapshot(root, texts) if cache is not None else None
    if cache is not None and before is not None:
        payload = cache.get("report", slot, before)
        cached = report_from_bytes(payload, str(root)) if payload is not None else None
        if cached is not None:
            return narrow(cached, select=select, ignore=ignore, baseline=baseline)
    from ipcoop_data.checks import check_all
    from ipcoop_data.read.load import read_dataset

    report = check_all(read_dataset(root, cache=cache), sources_dir=sources_dir)
    # Kept only if nothing changed while the run read the files: the entry must describe these bytes.
    if cache is not None and before is not None and snapshot(root, texts) == before:
        cache.put("report", slot, before, report_to_bytes(report))
    return narrow(report, select=select, ignore=ignore, baseline=baseline)
