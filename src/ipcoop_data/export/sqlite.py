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

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, closing
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ipcoop_data.export.atomic import atomic_path
from ipcoop_data.export.common import progress
from ipcoop_data.export.datapackage import Column, Table, tables
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
#: The table holding the metadata inside the database (Datasette's, as JSON, and its parts).
METADATA_TABLE = "_metadata"
_SQL_TYPES = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "boolean": "INTEGER", "number": "NUMERIC"}


def _quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- tables ---------------------------------------------------------------------------------------


def _column_sql(column: Column) -> str:
    sql = f"{_quote_name(column.name)} {_SQL_TYPES[column.type]}"
    if column.required:
        sql += " NOT NULL"
    checks = []
    if column.enum:
        checks.append(f"{_quote_name(column.name)} IN ({', '.join(_quote_text(v) for v in column.enum)})")
    if column.minimum is not None:
        checks.append(f"{_quote_name(column.name)} >= {int(column.minimum)}")
    if column.type == "boolean":
        checks.append(f"{_quote_name(column.name)} IN (0, 1)")
    if checks:
        sql += f" CHECK ({' AND '.join(checks)})"
    return sql


def create_table_sql(table: Table) -> str:
    """CREATE TABLE with the Table Schema's types, NOT NULL, CHECKs, primary and foreign keys."""
    parts = [_column_sql(c) for c in table.columns]
    if table.primary_key:
        parts.append(f"PRIMARY KEY ({', '.join(_quote_name(k) for k in table.primary_key)})")
    for column, resource, target in table.foreign_keys:
        parts.append(f"FOREIGN KEY ({_quote_name(column)}) REFERENCES {_quote_name(resource)} ({_quote_name(target)})")
    body = ",\n  ".join(parts)
    return f"CREATE TABLE {_quote_name(table.name)} (\n  {body}\n)"


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


# --- views ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """A view for a common join. A column whose description is None takes the one of the column of
    that name in ``base`` (the data dictionary's), so no description is written twice."""

    name: str
    description: str
    base: str
    columns: tuple[tuple[str, str, str | None], ...]  # (name, SQL expression, description)
    source: str  # FROM ... [ORDER BY ...]

    def sql(self) -> str:
        select = ",\n  ".join(f"{expr} AS {_quote_name(name)}" for name, expr, _ in self.columns)
        return f"SELECT\n  {select}\n{self.source}"


def _joined(select: str, separator: str) -> str:
    # group_concat keeps the order of its input rows; SQLite before 3.44 has no ORDER BY inside
    # an aggregate, so the rows come ordered from a subquery.
    return f"(SELECT group_concat(v, {_quote_text(separator)}) FROM ({select}))"


def _own_citations(record_type: str, alias: str, what: str, separator: str) -> str:
    # A record's own citations (item 0), in their order; sources listed once each.
    where = f"c.record_type = {_quote_text(record_type)} AND c.record_id = {alias}.id AND c.item = 0"
    if what == "source":
        first = "min(c.position) AS p"
        select = f"SELECT c.source AS v, {first} FROM citations c WHERE {where} GROUP BY c.source ORDER BY p"
    else:
        select = f"SELECT {_quoted('c.' + what)} AS v FROM citations c WHERE {where} ORDER BY c.position"
    return _joined(select, separator)


#: Between the quotes of one record in a view: a line of its own in Datasette's cells.
QUOTE_SEPARATOR = "\n\n"
LIST_SEPARATOR = "; "

_DATE_PARTS = ("", "_lower", "_upper", "_precision")


def _side(prefix: str, alias: str, citation: str) -> tuple[tuple[str, str, str | None], ...]:
    which = "first (earlier)" if prefix == "first" else "second"
    return (
        (f"{prefix}_as_reported", f"{alias}.as_reported", f"The {which} figure in the words printed"),
        (f"{prefix}_date", f"coalesce({alias}.as_of, {alias}.period)", f"When the {which} figure holds (EDTF)"),
        (f"{prefix}_quote", _quoted(f"{citation}.quote"), f"The words that state the {which} figure"),
        (f"{prefix}_source", f"{citation}.source", f"Source of the {which} figure (its first citation)"),
    )


def _side_ids(prefix: str, alias: str) -> tuple[tuple[str, str, str | None], ...]:
    which = "first (earlier)" if prefix == "first" else "second"
    return (
        (f"{prefix}_observation", f"d.{prefix}_observation", None),
        (f"{prefix}_value", f"{alias}.value", f"Value of the {which} figure, in the metric's unit"),
        (f"{prefix}_qualifier", f"{alias}.qualifier", f"How exact the {which} figure is"),
    )


def _quoted(expr: str) -> str:
    # Several quotes in one cell: each between quotation marks, so that one can tell where it ends.
    return f"'\u201c' || {expr} || '\u201d'"


# Each view puts first what a person reads (labels, the words printed, the quotes), then the ids,
# codes and date bounds that a query filters on.
VIEWS: tuple[View, ...] = (
    View(
        "event_details",
        "Events with their series, place, parties, people, instruments, sources and quotes, one row per event",
        "events",
        (
            ("id", "e.id", None),
            ("date", "e.date", None),
            ("title", "e.title", "What happened"),
            ("kind", "e.kind", None),
            ("status", "e.status", None),
            ("series_name", "s.name", "Name of the series it belongs to (see series)"),
            ("ordinal", "e.ordinal", None),
            (
                "location",
                # concat_ws() is SQLite 3.44; trimming the last ", " does the same on older ones
                "nullif(rtrim(coalesce(e.location_venue || ', ', '') || coalesce(e.location_city || ', ', '') "
                "|| coalesce(e.location_country, ''), ', '), '')",
                "Venue, city and ISO country code, as far as stated",
            ),
            (
                "parties",
                _joined(
                    "SELECT p.organization AS v FROM event_parties p WHERE p.event = e.id ORDER BY p.position",
                    LIST_SEPARATOR,
                ),
                "Ids of the organizations taking part, in the record's order (see event_parties)",
            ),
            (
                "people",
                _joined(
                    "SELECT pe.name AS v FROM event_people ep JOIN people pe ON pe.id = ep.person "
                    "WHERE ep.event = e.id ORDER BY ep.position",
                    LIST_SEPARATOR,
                ),
                "Names of the people taking part (see event_people for the titles they acted in)",
            ),
            (
                "instruments",
                _joined(
                    "SELECT i.title AS v FROM event_instruments i WHERE i.event = e.id ORDER BY i.position",
                    LIST_SEPARATOR,
                ),
                "Titles of the documents signed, adopted or released",
            ),
            ("quotes", _own_citations("event", "e", "quote", QUOTE_SEPARATOR), "The verbatim quotes, in order"),
            ("sources", _own_citations("event", "e", "source", LIST_SEPARATOR), "Ids of the sources cited"),
            ("note", "e.note", "Curator's note"),
            ("series", "e.series", "Id of the series (see series)"),
            *((f"date{p}", f"e.date{p}", None) for p in _DATE_PARTS[1:]),
        ),
        "FROM events e LEFT JOIN series s ON s.id = e.series\nORDER BY e.id",
    ),
    View(
        "observation_details",
        "Figures with their metric (label, unit, kind), when they hold, their sources and quotes",
        "observations",
        (
            ("id", "o.id", None),
            ("metric_label", "m.label", "What the metric measures"),
            ("subject", "o.subject", None),
            ("as_reported", "o.as_reported", None),
            ("value", "o.value", None),
            ("unit", "m.unit", "Unit of the value"),
            ("date", "coalesce(o.as_of, o.period)", "'as_of' or 'period', whichever is given (EDTF)"),
            ("quotes", _own_citations("observation", "o", "quote", QUOTE_SEPARATOR), "The verbatim quotes, in order"),
            ("sources", _own_citations("observation", "o", "source", LIST_SEPARATOR), "Ids of the sources cited"),
            ("note", "o.note", "Curator's note"),
            ("metric", "o.metric", "Id of the metric (see metrics)"),
            ("metric_kind", "m.kind", "cumulative, stock, flow, ratio, rank or change"),
            ("qualifier", "o.qualifier", None),
            (
                "date_kind",
                "CASE WHEN o.as_of IS NOT NULL THEN 'as_of' ELSE 'period' END",
                "as_of: the date a level holds; period: the span a total is taken over",
            ),
            *(
                (f"date{p}", f"coalesce(o.as_of{p}, o.period{p})", f"'as_of{p}' or 'period{p}', whichever is given")
                for p in _DATE_PARTS[1:]
            ),
        ),
        "FROM observations o JOIN metrics m ON m.id = o.metric\nORDER BY o.id",
    ),
    View(
        "discrepancy_details",
        "Differences between figures of one quantity (the discrepancies table, as `ipcoop discrepancies` "
        "reports them), with both figures as printed, their sources and quotes, and the ruling",
        "discrepancies",
        (
            ("metric_label", "m.label", "What the metric measures"),
            ("subject", "f.subject", "What the figures are about, when the metric alone does not say"),
            ("outcome", "d.outcome", None),
            ("status", "d.status", None),
            *_side("first", "f", "fc"),
            *_side("second", "o2", "sc"),
            ("explanation", "d.explanation", None),
            ("ruling", "d.ruling", None),
            ("ruling_decision", "r.decision", "What the ruling decided"),
            ("ruling_reason", "r.reason", "Why"),
            ("metric", "d.metric", "Id of the metric"),
            ("unit", "m.unit", "Unit of the values"),
            *_side_ids("first", "f"),
            *_side_ids("second", "o2"),
        ),
        "FROM discrepancies d\n"
        "JOIN metrics m ON m.id = d.metric\n"
        "JOIN observations f ON f.id = d.first_observation\n"
        "JOIN observations o2 ON o2.id = d.second_observation\n"
        "LEFT JOIN citations fc ON fc.record_type = 'observation' AND fc.record_id = f.id AND fc.item = 0 "
        "AND fc.position = 1\n"
        "LEFT JOIN citations sc ON sc.record_type = 'observation' AND sc.record_id = o2.id AND sc.item = 0 "
        "AND sc.position = 1\n"
        "LEFT JOIN rulings r ON r.id = d.ruling\n"
        "ORDER BY d.metric, d.first_observation, d.second_observation",
    ),
)


# --- the file ---------------------------------------------------------------------------------------


def metadata_path(database: str | os.PathLike[str]) -> Path:
    """Where the Datasette metadata goes: ``ipcoop-data.metadata.json`` beside ``ipcoop-data.sqlite``."""
    path = Path(database)
    return path.with_name(f"{path.stem}.metadata.json")


def _insert_sql(table: Table) -> str:
    names = ", ".join(_quote_name(c.name) for c in table.columns)
    return f"INSERT INTO {_quote_name(table.name)} ({names}) VALUES ({', '.join('?' * len(table.columns))})"


def _index_sql(table: Table) -> Iterator[str]:
    """An index on each foreign key that the primary key's own index does not lead with."""
    for column, _, _ in table.foreign_keys:
        if table.primary_key[:1] != [column]:
            name = _quote_name(f"idx_{table.name}_{column}")
            yield f"CREATE INDEX {name} ON {_quote_name(table.name)} ({_quote_name(column)})"


def _fts_sql(table: str, columns: Sequence[str]) -> Iterator[str]:
    """An external-content FTS5 index of ``columns`` (content="table", which is how Datasette finds
    it), filled from the table and merged into one segment."""
    fts, names = _quote_name(f"{table}_fts"), ", ".join(_quote_name(c) for c in columns)
    yield f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content={_quote_name(table)}, tokenize='porter')"
    yield f"INSERT INTO {fts} (rowid, {names}) SELECT rowid, {names} FROM {_quote_name(table)} ORDER BY rowid"
    yield f"INSERT INTO {fts} ({fts}) VALUES ('optimize')"


def _build(path: Path, package_tables: Sequence[Table], meta: dict[str, Any]) -> None:
    # isolation_level=None: the one transaction below is begun and committed here.
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        # A temporary file: nothing to recover after a crash, so no journal on disk (which would
        # leave a -journal file beside it if interrupted) and no waiting for the disk.
        conn.execute("PRAGMA journal_mode = MEMORY")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("BEGIN")
        for table in map(notes_last, package_tables):
            conn.execute(create_table_sql(table))
            # Dangling references are inserted as they are: the findings table names them, and
            # PRAGMA foreign_key_check lists them (the bundled data has none).
            conn.executemany(_insert_sql(table), _rows(table))
            for sql in _index_sql(table):
                conn.execute(sql)
        for view in VIEWS:
            conn.execute(f"CREATE VIEW {_quote_name(view.name)} AS {view.sql()}")
        conn.execute(
            f'CREATE TABLE {_quote_name(METADATA_TABLE)} ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)'
        )
        conn.executemany(f"INSERT INTO {_quote_name(METADATA_TABLE)} VALUES (?, ?)", _metadata_rows(meta))
        conn.execute("COMMIT")
        # Compacted before the full-text indexes are made: VACUUM may renumber the rowids of a
        # table without an INTEGER PRIMARY KEY, and an external-content index refers to rows by rowid.
        conn.execute("VACUUM")
        conn.execute("BEGIN")
        for name, columns in FTS_COLUMNS.items():
            for sql in _fts_sql(name, columns):
                conn.execute(sql)
        conn.execute("COMMIT")


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
    from ipcoop_data.export.datasette import metadata

    target = Path(path)
    package_tables = tables(first_of_each_id(dataset), report)
    meta = metadata(dataset, package_tables, VIEWS, database=target.stem)  # the version of the data as read
    text = json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    sidecar = metadata_path(target)
    with ExitStack() as stack:
        # Last in, first out: the database is renamed first, its metadata after it.
        meta_tmp = stack.enter_context(atomic_path(sidecar))
        db_tmp = stack.enter_context(atomic_path(target))
        _build(db_tmp, package_tables, meta)
        meta_tmp.write_text(text, encoding="utf-8", newline="\n")
    return [target, sidecar]
