"""Datasette metadata of the SQLite export: title, licence, source, and a description of every
table, view and column.

Nothing here is written twice: table and column descriptions are those of the data package's
Table Schemas (``Table.schema()``, from the pydantic field descriptions, with "Id in X.id" for a
foreign key); a column with none but a closed vocabulary is described by its values; a view's
column takes the description of the column it passes through.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from ipcoop_data.export.common import DATA_LICENSE, dataset_timestamp, dataset_version
from ipcoop_data.export.datapackage import DESCRIPTION, TITLE, Table
from ipcoop_data.export.sqlite_views import View
from ipcoop_data.model.dataset import Dataset

#: The table holding the metadata inside the database (Datasette's, as JSON, and its parts).
METADATA_TABLE = "_metadata"


#: The column Datasette shows for a row that another table refers to (a series by its name).
LABEL_COLUMNS = {"sources": "title", "people": "name", "series": "name", "metrics": "label", "events": "title"}
#: Facets shown on a table's page at first: the closed vocabularies worth counting.
FACETS = {
    "events": ["kind", "status", "date_precision"],
    "observations": ["qualifier"],
    "metrics": ["unit", "kind"],
    "organizations": ["kind"],
    "citations": ["record_type", "source"],
    "event_details": ["kind", "status"],
    "observation_details": ["unit", "metric_kind"],
    "discrepancy_details": ["outcome", "status"],
}

#: How to read the tables, one paragraph each (Datasette shows them on its front page).
CONVENTIONS = (
    "Dates: a date column x holds an EDTF level-0 date (2017, 2017-05, 2017-05-20, or START/END for a "
    "span); x_lower and x_upper are the first and last day it may mean (ISO dates, so they sort and "
    "compare), and x_precision says how much of it is known (year, month or day).",
    "A list inside a record is a child table keyed by the record's id and position (from 1). The "
    "citations table holds every citation with its verbatim quote. Figures are numbers with the digits "
    "the source printed. NULL means not stated.",
    "The views event_details, observation_details and discrepancy_details join the common tables; most "
    'tables have full-text search (FTS5, stemmed: "sign" finds "signed").',
    'The records are CC BY 4.0 (cite "ipcoop-data"); each quote remains the words of its publisher, '
    "reproduced so that the record can be checked.",
)

START_HERE = """\
Start with the views (listed after the tables): event_details, observation_details and \
discrepancy_details. Each table's page describes its columns; a table with a search box has \
full-text search."""


def _project_url() -> str | None:
    """The repository's address, as the package's metadata declares it (pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("ipcoop-data").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    found = dict(url.split(", ", 1) for url in urls if ", " in url)
    return found.get("Repository") or found.get("Homepage")


def column_description(field: dict[str, Any]) -> str | None:
    """A Table Schema field's description, with the values its vocabulary allows (Datasette shows
    no constraint, so a column of codes says here which codes it may hold)."""
    description: str | None = field.get("description")
    values = field.get("constraints", {}).get("enum")
    vocabulary = "One of " + ", ".join(values) if values else None
    if not description:
        return vocabulary
    described = _plain(description)
    if vocabulary and not all(value in described for value in values):
        return f"{described}. {vocabulary}"
    return described


def _plain(text: str) -> str:
    # Table Schema descriptions may use Markdown's `code`; Datasette shows descriptions as plain
    # text, where the backticks would stand as they are.
    return re.sub(r"`([^`]+)`", r"'\1'", text)


def _table(table: Table) -> dict[str, Any]:
    fields = table.schema()["fields"]
    columns = {f["name"]: d for f in fields if (d := column_description(f))}
    out: dict[str, Any] = {"description": _plain(table.description), "columns": columns}
    if table.name in LABEL_COLUMNS:
        out["label_column"] = LABEL_COLUMNS[table.name]
    if table.name in FACETS:
        out["facets"] = FACETS[table.name]
    return out


def _view(view: View, described: dict[str, dict[str, Any]]) -> dict[str, Any]:
    base = described[view.base]["columns"]
    columns = {name: _plain(d) for name, _, own in view.columns if (d := own or base.get(name))}
    out: dict[str, Any] = {"description": _plain(view.description), "columns": columns}
    if view.name in FACETS:
        out["facets"] = FACETS[view.name]
    return out


def metadata(dataset: Dataset, tables: Sequence[Table], views: Sequence[View], database: str) -> dict[str, Any]:
    """Datasette's metadata for the database named ``database`` (the file's name without suffix)."""
    described = {t.name: _table(t) for t in tables}
    described |= {v.name: _view(v, described) for v in views}
    described[METADATA_TABLE] = {
        "description": "This metadata: title, licence, source, and Datasette's metadata.json",
        "hidden": True,
    }
    version = dataset_version(dataset)
    created = dataset_timestamp(dataset).strftime("%Y-%m-%d")
    intro = DESCRIPTION.split("\n\n", 1)[0].strip()
    paragraphs = [f"{intro} Dataset version {version}, of {created}.", *CONVENTIONS]
    out: dict[str, Any] = {
        "title": TITLE,
        "description": "\n\n".join(paragraphs),
        # Datasette runs a plain description together into one block; the HTML keeps the paragraphs.
        "description_html": "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
        "license": DATA_LICENSE["title"],
        "license_url": DATA_LICENSE["path"],
        "source": f"ipcoop-data, curated from the {len(dataset.sources)} documents in the sources table",
        "databases": {database: {"description": START_HERE, "tables": described}},
    }
    url = _project_url()
    if url:
        out["source_url"] = url
    return out
