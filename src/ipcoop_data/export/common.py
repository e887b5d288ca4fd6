"""What every exporter shares: the fixed timestamp, the dataset fingerprint, file names, progress."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO, TypeVar

from ipcoop_data.model.dataset import TABLES, Dataset
from ipcoop_data.model.dates import MAX_YEAR
from ipcoop_data.model.records import Citation

T = TypeVar("T")

#: Default file names inside the ``--out`` directory of ``ipcoop export all``.
FILE_NAMES = {
    "json": "ipcoop-data.json",
    "xlsx": "ipcoop-data.xlsx",
    "ics": "ipcoop-data.ics",
    "datapackage": "datapackage",  # a directory: datapackage.json and one CSV per table
    "timeline": "ipcoop-data.timeline.json",
    "sqlite": "ipcoop-data.sqlite",  # and its Datasette metadata beside it, ipcoop-data.metadata.json
}
#: The terms of the curated records and of every export made from them (DATA-LICENSE.md); the
#: quotes they carry remain their publishers' words.
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "CC BY 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
#: Where ``--per-series`` calendars go, inside the directory of the main calendar.
SERIES_CALENDAR_DIR = "series"

_FALLBACK = datetime(2000, 1, 1, tzinfo=UTC)


def dataset_timestamp(dataset: Dataset) -> datetime:
    """The one timestamp an export may carry: never "now", so the same data gives the same bytes.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) wins when set; otherwise it is the
    last day on which the newest source may have been published, at 00:00 UTC.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return _epoch_timestamp(epoch)
    uppers = [source.published.upper for source in dataset.sources]
    if not uppers:
        return _FALLBACK
    newest = max(uppers)
    return datetime(newest.year, newest.month, newest.day, tzinfo=UTC)


class BadSourceDateEpoch(ValueError):
    """SOURCE_DATE_EPOCH is set to something that is not a usable timestamp."""


def _epoch_timestamp(epoch: str) -> datetime:
    text = epoch.strip()
    # ASCII digits only, and within the years a date may have (the same bound as the data's).
    if not (text.isascii() and text.isdigit()):
        raise BadSourceDateEpoch(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970-01-01")
    digits = text.lstrip("0") or "0"
    if len(digits) > 12 or int(digits) > _LAST_EPOCH:
        raise BadSourceDateEpoch(
            f"SOURCE_DATE_EPOCH={epoch[:40]!r} is after {MAX_YEAR}, the last year an export can write"
        )
    return datetime.fromtimestamp(int(digits), tz=UTC)


_LAST_EPOCH = int(datetime(MAX_YEAR, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())


def dataset_fingerprint(dataset: Dataset) -> str:
    """A short hash of the records' content: two exports of different data never share it.

    Each table is serialised by pydantic (in Rust) in id order, rather than through the JSON
    export's encoder: it is the same content at a fifth of the cost, and an export must not spend
    more time naming its version than writing its rows. Computed once per dataset: ``export all``
    names the version in every format.
    """
    return dataset.derived("fingerprint", lambda: _fingerprint(dataset))


def _fingerprint(dataset: Dataset) -> str:
    from pydantic import TypeAdapter

    digest = hashlib.sha256()
    for name in TABLES.values():
        records = sorted(getattr(dataset, name), key=by_id)
        digest.update(f"{name}:{len(records)}\n".encode())
        if records:
            adapter: TypeAdapter[list[Any]] = TypeAdapter(list[type(records[0])])  # type: ignore[arg-type,misc]
            for start in range(0, len(records), 1000):  # a thousand at a time: never the whole table's text
                digest.update(adapter.dump_json(records[start : start + 1000], warnings=False))
    return digest.hexdigest()[:12]


def by_id(record: Any) -> str:
    """Sort key of records: exports list them by id, whatever order the files keep."""
    return str(record.id)


def dataset_version(dataset: Dataset) -> str:
    """``<package version>+<content fingerprint>``, shown in every export's metadata."""
    from ipcoop_data.version import __version__

    return f"{__version__}+{dataset_fingerprint(dataset)}"


#: Month names for people, fixed here: ``calendar.month_name`` follows the locale, and bytes must not.
MONTHS = "January February March April May June July August September October November December".split()


def citation_source(dataset: Dataset, citation: Citation) -> str:
    """``Title (published), locator`` of one citation, in plain text."""
    source = dataset.source(citation.source)
    where = f"{source.title} ({source.published})" if source else citation.source
    if citation.locator:
        where += f", {citation.locator}"
    if citation.prospective:
        where += " [announced in advance]"
    return where


def citation_line(dataset: Dataset, citation: Citation) -> str:
    """``Title (published), locator: "quote"`` for one citation, in plain text."""
    return f'{citation_source(dataset, citation)}: "{citation.quote}"'


def country_name(code: str | None) -> str | None:
    """``China`` for ``CN``: exports are read by people; the data keeps the ISO code."""
    from ipcoop_data.model.countries import COUNTRY_NAMES

    return None if code is None else COUNTRY_NAMES.get(code, code)


def country_names(codes: Iterable[str]) -> list[str]:
    """``["France", "China"]`` sorted as read (``China, France``), for a list of ISO codes."""
    return sorted(country_name(code) or code for code in codes)


def _show_progress(stream: TextIO) -> bool:
    # Quiet in CI and in pipes; a person at a terminal sees how far a long export has got.
    if os.environ.get("CI") or os.environ.get("IPCOOP_NO_PROGRESS"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def progress(items: Iterable[T], total: int, label: str, stream: TextIO | None = None) -> Iterator[T]:
    """Yield ``items``; on a terminal, redraw ``label: n/total`` on stderr every 1% or so."""
    stream = stream or sys.stderr
    if total < 2000 or not _show_progress(stream):
        yield from items
        return
    step = max(1, total // 100)
    done = 0
    for done, item in enumerate(items, 1):
        if done % step == 0:
            stream.write(f"\r{label}: {done}/{total}")
            stream.flush()
        yield item
    stream.write(f"\r{label}: {done}/{total}\n")
    stream.flush()
