"""SQLite export: the data package's tables in one database, with keys, full-text search and views.

The tables, their columns, descriptions, keys and rows are those of the Frictionless data package
(``datapackage.tables``): one flattening of the records, written twice. Here each cell gets its
SQL type back from the Table Schema (integers, booleans as 0/1, figures as numbers, dates as ISO
text), the closed vocabularies and minimums become CHECK constraints, and the primary and
foreign keys are declared, so ``PRAGMA foreign_keys=ON`` enforces them.

Only the standard library's sqlite3 writes it. sqlite-utils was tried and measured: its inserts
took 80% of the export (14 of 18 s for 10k events, against well under a second for executemany),
importing it cost 2 s (it imports pandas and numpy), and it cannot declare CHECK or NUMERIC; what
was left for it, an index per foreign key and the FTS5 tables, is five statements below (the slow
test checks that Datasette finds and searches them).

The database is built in a temporary file beside the target and renamed into place (the rollback
journal is kept in memory, so no ``-journal`` file is ever left beside it); the Datasette metadata
(``export.datasette``) is written beside it and stored inside it, in ``_metadata``.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ipcoop_data.export.atomic import atomic_path
from ipcoop_data.export.common import progress
from ipcoop_data.export.datapackage import Column, Rows, Table, iter_tables
from ipcoop_data.export.datasette import METADATA_TABLE, metadata
from ipcoop_data.export.sqlite_views import VIEWS, quote_name, quote_text
from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import TABLES, Dataset
from ipcoop_data.report.findings import Report

#: Table name -> its text columns searched with FTS5 (``<table>_fts``): titles, quotes, notes, names.
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("title", "publisher", "note"),
    "organizations": ("note",),
    "organization_names": ("name", "abbreviation"),
    "people": ("name", "note"),
    "roles": ("title",),
    "series": ("name", "note"),
    "metrics": ("label", "description"),
    "events": ("title", "location_city", "location_venue", "note"),
    "event_instruments": ("title",),
    "observations": ("as_reported", "subject", "note"),
    "citations": ("quote", "locator"),
    "rulings": ("reason",),
    "relations": ("note",),
}
_SQL_TYPES = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "boolean": "INTEGER", "number": "NUMERIC"}


# --- tables ---------------------------------------------------------------------------------------


def _column_sql(column: Column) -> str:
    sql = f"{quote_name(column.name)} {_SQL_TYPES[column.type]}"
    if column.required:
        sql += " NOT NULL"
    checks = []
    if column.enum:
        checks.append(f"{quote_name(column.name)} IN ({', '.join(quote_text(v) for v in column.enum)})")
    if column.minimum is not None:
        checks.append(f"{quote_name(column.name)} >= {int(column.minimum)}")
    if column.type == "boolean":
        checks.append(f"{quote_name(column.name)} IN (0, 1)")
    if checks:
        sql += f" CHECK ({' AND '.join(checks)})"
    return sql


def create_table_sql(table: Table) -> str:
    """CREATE TABLE with the Table Schema's types, NOT NULL, CHECKs, primary and foreign keys."""
    parts = [_column_sql(c) for c in table.columns]
    if table.primary_key:
        parts.append(f"PRIMARY KEY ({', '.join(quote_name(k) for k in table.primary_key)})")
    for column, resource, target in table.foreign_keys:
        parts.append(f"FOREIGN KEY ({quote_name(column)}) REFERENCES {quote_name(resource)} ({quote_name(target)})")
    body = ",\n  ".join(parts)
    return f"CREATE TABLE {quote_name(table.name)} (\n  {body}\n)"


def _figure(cell: str) -> int | float:
    # A whole figure stays an integer; any other has at most 15 digits (the model's bound), which
    # a double holds exactly: read back with 15 significant digits, it is the figure as curated.
    value = Decimal(cell)
    return int(value) if value == value.to_integral_value() else float(value)


def sql_value(column: Column, cell: str) -> str | int | float | None:
    """The SQL value of one data-package cell; the empty cell, "not stated", is NULL."""
    if cell == "":
        return None
    if column.type == "integer":
        return int(cell)
    if column.type == "boolean":
        return 1 if cell == "true" else 0
    if column.type == "number":
        return _figure(cell)
    return cell


def notes_last(table: Table) -> Table:
    """The table with its ``note`` column last: in a browser (Datasette) a long note in the middle of
    the row pushes the short columns apart; the CSVs keep the records' field order."""
    return replace(table, columns=sorted(table.columns, key=lambda c: c.name == "note"))


def _rows(table: Table) -> Iterator[list[str | int | float | None]]:
    columns = table.columns
    for row in progress(table.rows, len(table.rows), f"{table.name} (sqlite)"):
        yield [sql_value(c, row[c.name]) for c in columns]


# --- the file ---------------------------------------------------------------------------------------


def metadata_path(database: str | os.PathLike[str]) -> Path:
    """Where the Datasette metadata goes: ``ipcoop-data.metadata.json`` beside ``ipcoop-data.sqlite``."""
    path = Path(database)
    return path.with_name(f"{path.stem}.metadata.json")


def _insert_sql(table: Table) -> str:
    names = ", ".join(quote_name(c.name) for c in table.columns)
    return f"INSERT INTO {quote_name(table.name)} ({names}) VALUES ({', '.join('?' * len(table.columns))})"


def _index_sql(table: Table) -> Iterator[str]:
    """An index on each foreign key that the primary key's own index does not lead with."""
    for column, _, _ in table.foreign_keys:
        if table.primary_key[:1] != [column]:
            name = quote_name(f"idx_{table.name}_{column}")
            yield f"CREATE INDEX {name} ON {quote_name(table.name)} ({quote_name(column)})"


def _fts_sql(table: str, columns: Sequence[str]) -> Iterator[str]:
    """An external-content FTS5 index of ``columns`` (content="table", which is how Datasette finds
    it), filled from the table and merged into one segment."""
    fts, names = quote_name(f"{table}_fts"), ", ".join(quote_name(c) for c in columns)
    yield f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content={quote_name(table)}, tokenize='porter')"
    yield f"INSERT INTO {fts} (rowid, {names}) SELECT rowid, {names} FROM {quote_name(table)} ORDER BY rowid"
    yield f"INSERT INTO {fts} ({fts}) VALUES ('optimize')"


class SQLiteWithoutFTS5(OSError):
    """This Python's SQLite library was built without FTS5, which the export's search needs."""


def has_fts5() -> bool:
    with closing(sqlite3.connect(":memory:")) as conn:
        try:
            conn.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
        except sqlite3.OperationalError:
            return False
    return True


def _build(
    path: Path, package_tables: Iterable[Table], meta_of: Callable[[list[Table]], dict[str, Any]]
) -> dict[str, Any]:
    """Build the database from the tables, each let go once inserted; return its metadata, which
    ``meta_of`` makes from the tables' schemas (their rows are not kept for it)."""
    # isolation_level=None: the one transaction below is begun and committed here.
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        # A temporary file: nothing to recover after a crash, so no journal on disk (which would
        # leave a -journal file beside it if interrupted) and no waiting for the disk.
        conn.execute("PRAGMA journal_mode = MEMORY")
        conn.execute("PRAGMA synchronous = OFF")
        # VACUUM's copy of the database and the sorts of CREATE INDEX are temporary databases:
        # in memory they took as much as the database (+120 MB at 100k events); as files, only
        # SQLite's page cache (2 MB) of them is in memory.
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute("BEGIN")
        schemas: list[Table] = []
        for as_built in package_tables:
            schemas.append(replace(as_built, rows=Rows.held([])))
            table = notes_last(as_built)
            conn.execute(create_table_sql(table))
            # Dangling references are inserted as they are: the findings table names them, and
            # PRAGMA foreign_key_check lists them (the bundled data has none).
            conn.executemany(_insert_sql(table), _rows(table))
            for sql in _index_sql(table):
                conn.execute(sql)
        for view in VIEWS:
            conn.execute(f"CREATE VIEW {quote_name(view.name)} AS {view.sql()}")
        conn.execute(
            f'CREATE TABLE {quote_name(METADATA_TABLE)} ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)'
        )
        meta = meta_of(schemas)
        conn.executemany(f"INSERT INTO {quote_name(METADATA_TABLE)} VALUES (?, ?)", _metadata_rows(meta))
        conn.execute("COMMIT")
        # Compacted before the full-text indexes are made: VACUUM may renumber the rowids of a
        # table without an INTEGER PRIMARY KEY, and an external-content index refers to rows by rowid.
        # VACUUM writes every page back, and a rollback journal would keep the old copy of each:
        # the whole database, in memory here. None is kept: a failure leaves only the temporary
        # file, which is deleted anyway.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("VACUUM")
        conn.execute("PRAGMA journal_mode = MEMORY")
        conn.execute("BEGIN")
        for name, columns in FTS_COLUMNS.items():
            for sql in _fts_sql(name, columns):
                conn.execute(sql)
        conn.execute("COMMIT")
    return meta


def first_of_each_id(dataset: Dataset) -> Dataset:
    """The dataset with one record per id in each table, the first read, as the Dataset's lookups
    keep it; the same dataset when no id repeats (the usual case: nothing is copied or recomputed).

    A primary key holds one row. A repeated id is an error that validation reports (duplicate-id,
    in the findings table); the other records are exported whole, and so is the first of the two.
    """
    kept: dict[str, list[Any]] = {}
    for attr in TABLES.values():
        first: dict[str, Any] = {}
        for record in getattr(dataset, attr):
            first.setdefault(record.id, record)
        kept[attr] = list(first.values())  # in the order read
    if all(len(kept[attr]) == len(getattr(dataset, attr)) for attr in TABLES.values()):
        return dataset
    unique = replace(dataset)  # a new Dataset, with no cached lookups or derived facts
    for attr, records in kept.items():
        setattr(unique, attr, records)
    return unique


def _metadata_rows(meta: dict[str, Any]) -> list[tuple[str, str]]:
    keys = ("title", "description", "license", "license_url", "source", "source_url")
    rows = [(key, str(meta[key])) for key in keys if key in meta]
    rows.append(("datasette_metadata", json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False)))
    return rows


@paused_gc()
def to_sqlite(dataset: Dataset, path: str | os.PathLike[str], report: Report | None = None) -> list[Path]:
    """Write the database and its Datasette metadata (``metadata_path``); return both paths.

    Both are staged beside their targets and replace the old files only when both are whole.
    """
    target = Path(path)
    if not has_fts5():  # said before anything is written, as a fault of the machine, not of ipcoop
        raise SQLiteWithoutFTS5(
            errno.ENOSYS, f"the SQLite library of this Python ({sqlite3.sqlite_version}) has no FTS5 full-text search"
        )
    package_tables = iter_tables(first_of_each_id(dataset), report)  # each built as it is inserted

    def meta_of(schemas: list[Table]) -> dict[str, Any]:
        return metadata(dataset, schemas, VIEWS, database=target.stem)  # the version of the data as read

    sidecar = metadata_path(target)
    with ExitStack() as stack:
        # Last in, first out: the database is renamed first, its metadata after it.
        meta_tmp = stack.enter_context(atomic_path(sidecar))
        db_tmp = stack.enter_context(atomic_path(target))
        meta = _build(db_tmp, package_tables, meta_of)
        text = json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        meta_tmp.write_text(text, encoding="utf-8", newline="\n")
    return [target, sidecar]
