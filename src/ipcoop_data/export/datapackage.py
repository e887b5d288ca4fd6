"""Frictionless Data Package (v2) export: one CSV per table, described by ``datapackage.json``.

Records become normalised tables: a list inside a record becomes a child table keyed by the
record's id and a ``position`` (from 1), and every citation, wherever it stands, is one row of
``citations``. The descriptor carries a Table Schema per CSV (types, constraints, keys) and each
file's size and SHA-256, so ``frictionless validate`` can check the package without this library.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from decimal import Decimal
from hashlib import sha256
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from ipcoop_data.analysis.comparisons import DIFFERENCES
from ipcoop_data.analysis.discrepancies import as_records, comparisons
from ipcoop_data.export.atomic import atomic_path
from ipcoop_data.export.common import DATA_LICENSE, by_id, dataset_timestamp, dataset_version, progress
from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import TABLES, Dataset
from ipcoop_data.model.dates import PATTERN, PartialDate, Precision
from ipcoop_data.model.records import (
    RECORD_TYPES,
    Citation,
    CoverageExclusion,
    Event,
    Fielded,
    Instrument,
    Location,
    Metric,
    Observation,
    Organization,
    OrganizationName,
    Participant,
    Party,
    Person,
    Relation,
    Role,
    Ruling,
    Series,
    Source,
    fields_of,
)
from ipcoop_data.report.findings import SEVERITY_ORDER, Report

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DESCRIPTOR = "datapackage.json"
#: An EDTF level-0 date or interval, as an XML Schema regular expression (implicitly anchored).
DATE_PATTERN = PATTERN.removeprefix("^").removesuffix("$")  # Table Schema patterns match the whole value
TITLE = "ipcoop-data: international cooperation in intellectual property"
DESCRIPTION = """\
Meetings, signings, treaty accessions, trainings and the figures official sources state about \
them, each record citing its source with a verbatim quote.

Conventions: a date column `x` holds an EDTF level-0 date (YYYY, YYYY-MM, YYYY-MM-DD or \
START/END); `x_lower` and `x_upper` are the first and last day it may denote and `x_precision` \
how much of it is known. A list inside a record is a child table keyed by the record's id and \
`position` (from 1). `citations` holds every citation: `record_type` and `record_id` name the \
record, `item` the position of the organization name or role cited (0 when the citation is the \
record's own). Figures keep their exact decimal digits. An empty cell is a missing value.
"""
_GENERIC_ID = Source.model_fields["id"].description
_PRECISIONS = tuple(str(p) for p in Precision)
_TYPES: dict[Any, str] = {str: "string", bool: "boolean", int: "integer", Decimal: "number"}

T = TypeVar("T")
Row = dict[str, str]


class Rows:
    """A table's rows, made afresh from the records each time they are read, and never held.

    A writer takes one row at a time: held as a list, the rows of one table (a dict of text cells
    each) took more memory than its records (100 MB for 100k events), and the writers need them only
    once. ``count`` is how many rows reading them gives (for the progress line).
    """

    def __init__(self, count: int, make: Callable[[], Iterable[Row]]) -> None:
        self._count = count
        self._make = make

    @classmethod
    def held(cls, rows: list[Row]) -> Rows:
        """Rows already made (a small table, or one sorted by its cells)."""
        return cls(len(rows), lambda: rows)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Row]:
        return iter(self._make())


#: (column here, resource referred to, its column)
ForeignKey = tuple[str, str, str]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str | None = None
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: int | None = None

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.description:
            out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: list[Column]
    rows: Rows
    primary_key: list[str]
    foreign_keys: list[ForeignKey] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def schema(self) -> dict[str, Any]:
        targets = {column: f"Id in {resource}.{target}" for column, resource, target in self.foreign_keys}
        fields = [
            (c if c.description or c.name not in targets else replace(c, description=targets[c.name])).descriptor()
            for c in self.columns
        ]
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        if self.foreign_keys:
            schema["foreignKeys"] = [_foreign_key(self.name, fk) for fk in self.foreign_keys]
        return schema

    def resource(self, size: int, sha: str) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": "table",
            "path": self.path,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": size,
            "hash": f"sha256:{sha}",
            "schema": self.schema(),
        }


def _foreign_key(table: str, fk: ForeignKey) -> dict[str, Any]:
    column, resource, target = fk
    reference: dict[str, Any] = {"fields": [target]}
    if resource != table:  # Table Schema v2: a reference within the same table names no resource
        reference["resource"] = resource
    return {"fields": [column], "reference": reference}


# --- columns and cells from the pydantic models ---------------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside ``X | None`` and ``Annotated[X, ...]``, and whether None is allowed."""
    args = get_args(annotation)
    optional = get_origin(annotation) in (Union, UnionType) and type(None) in args
    if optional:
        (annotation,) = [a for a in args if a is not type(None)]
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation, optional


def _date_columns(name: str, description: str | None, required: bool) -> list[Column]:
    # An EDTF date is not one Table Schema type, so the text travels with its typed bounds.
    return [
        Column(name, "string", description or "EDTF level-0 date", required, pattern=DATE_PATTERN),
        Column(f"{name}_lower", "date", f"First day `{name}` may denote", required),
        Column(f"{name}_upper", "date", f"Last day `{name}` may denote", required),
        Column(f"{name}_precision", "string", f"How much of `{name}` is known", required, enum=_PRECISIONS),
    ]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # the digits the source printed, never a float
    return str(value)


def _date_cells(name: str, value: PartialDate | None) -> Row:
    if value is None:
        return dict.fromkeys((name, f"{name}_lower", f"{name}_upper", f"{name}_precision"), "")
    return {
        name: value.text,
        f"{name}_lower": value.lower.isoformat(),
        f"{name}_upper": value.upper.isoformat(),
        f"{name}_precision": str(value.precision),
    }


@dataclass(frozen=True)
class Scalars:
    """The scalar fields of a model as columns, and as the cells of one record.

    ``of`` names the attribute holding the sub-record (an event's ``location``), whose columns
    are then prefixed and optional.
    """

    model: type[Fielded]
    names: tuple[str, ...]
    dates: frozenset[str]
    of: str | None = None
    rename: Mapping[str, str] = field(default_factory=dict)

    def column_name(self, name: str) -> str:
        return f"{self.of}_{name}" if self.of else self.rename.get(name, name)

    def columns(self) -> list[Column]:
        out: list[Column] = []
        for name in self.names:
            info = fields_of(self.model)[name]
            kind, optional = _unwrap(info.annotation)
            column = self.column_name(name)
            required = not optional and self.of is None
            description = None if info.description == _GENERIC_ID and name != "id" else info.description
            if kind is PartialDate:
                out.extend(_date_columns(column, description, required))
            elif get_origin(kind) is Literal:
                out.append(Column(column, "string", description, required, enum=get_args(kind)))
            elif kind in _TYPES:
                # pydantic keeps ``Field(ge=1)`` as an annotated_types.Ge in the metadata
                minimum = next((int(m.ge) for m in info.metadata if type(m).__name__ == "Ge"), None)
                out.append(Column(column, _TYPES[kind], description, required, minimum=minimum))
            else:
                raise TypeError(f"{self.model.__name__}.{name} is not a scalar: give it a child table")
        return out

    def cells(self, record: Any) -> Row:
        if self.of is not None:
            record = getattr(record, self.of)
        out: Row = {}
        for name in self.names:
            value = None if record is None else getattr(record, name)
            column = self.column_name(name)
            if name in self.dates:
                out.update(_date_cells(column, value))
            else:
                out[column] = _cell(value)
        return out


def _scalars(
    model: type[Fielded], nested: Iterable[str] = (), of: str | None = None, rename: Mapping[str, str] | None = None
) -> Scalars:
    """Every field of ``model`` but the ``nested`` ones (lists and sub-records exported elsewhere)."""
    nested = set(nested)
    unknown = nested - set(fields_of(model))
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    names = tuple(n for n in fields_of(model) if n not in nested)
    dates = frozenset(n for n in names if _unwrap(fields_of(model)[n].annotation)[0] is PartialDate)
    return Scalars(model, names, dates, of, rename or {})


# --- tables ---------------------------------------------------------------------------------------


def _by_id(records: Sequence[T]) -> list[T]:
    return sorted(records, key=by_id)


def _record_table(
    name: str,
    description: str,
    records: Sequence[Fielded],
    parts: list[Scalars],
    foreign_keys: Sequence[ForeignKey] = (),
) -> Table:
    columns = [replace(c, unique=True) if c.name == "id" else c for part in parts for c in part.columns()]

    def rows() -> Iterator[Row]:
        for record in _by_id(records):
            row: Row = {}
            for part in parts:
                row.update(part.cells(record))
            yield row

    return Table(name, description, columns, Rows(len(records), rows), ["id"], list(foreign_keys))


#: What a child table is made from: a function giving (record id, the record's list), by id, afresh
#: each time (the table's rows are counted, then read, without holding either).
Owners = Callable[[], Iterable[tuple[str, Sequence[T]]]]


def _position() -> Column:
    return Column("position", "integer", "Place in the record's list, from 1", required=True, minimum=1)


def _child_table(
    name: str,
    description: str,
    parent: tuple[str, str],
    owners: Owners[T],
    columns: list[Column],
    cells: Callable[[T], Row],
    foreign_keys: Sequence[ForeignKey] = (),
) -> Table:
    """One row per item of a list inside records; ``owners()`` gives (record id, its list), by id."""
    column, resource = parent
    head = [
        Column(column, "string", f"Id of the record in {resource}", required=True),
        _position(),
    ]

    def rows() -> Iterator[Row]:
        for owner, items in owners():
            for position, item in enumerate(items, 1):
                yield {column: owner, "position": str(position)} | cells(item)

    count = sum(len(items) for _, items in owners())
    return Table(
        name,
        description,
        head + columns,
        Rows(count, rows),
        [column, "position"],
        [(column, resource, "id"), *foreign_keys],
    )


def _records_child(
    name: str,
    description: str,
    parent: tuple[str, str],
    owners: Owners[Fielded],
    scalars: Scalars,
    foreign_keys: Sequence[ForeignKey] = (),
) -> Table:
    return _child_table(name, description, parent, owners, scalars.columns(), scalars.cells, foreign_keys)


def _ids_child(
    name: str,
    description: str,
    parent: tuple[str, str],
    owners: Owners[str],
    target: tuple[str, str],
) -> Table:
    column, resource = target
    columns = [Column(column, "string", f"Id in {resource}.id", required=True)]
    return _child_table(name, description, parent, owners, columns, lambda v: {column: v}, [(column, resource, "id")])


#: (record type, record id, item, the citations): whose citations a row of ``citations`` is.
CitationOwner = tuple[str, str, int, tuple[Citation, ...]]
#: The values of ``citations.record_type``: the record types with citations of their own, and the
#: lists of citations nested in records.
CITING_KINDS = tuple(
    sorted(
        {t for t, m in RECORD_TYPES.items() if "citations" in m.model_fields}
        | {"organization_name", "role", "ruling_evidence"}
    )
)


def _citation_owners(dataset: Dataset) -> Iterator[CitationOwner]:
    """Every list of citations, sorted by (record type, record id, item), made as it is reached.

    One type's owners are sorted at a time, which gives the order of one stable sort of them all
    while holding a list of only one type's records (the owners of all, one tuple each, took 16 MB
    at 100k events).
    """
    for kind in CITING_KINDS:
        yield from _owners_of_kind(dataset, kind)


def _owners_of_kind(dataset: Dataset, kind: str) -> Iterator[CitationOwner]:
    owners: list[CitationOwner]
    if kind == "organization_name":
        owners = [(kind, o.id, n, name.citations) for o in dataset.organizations for n, name in enumerate(o.names, 1)]
    elif kind == "role":
        owners = [(kind, p.id, n, role.citations) for p in dataset.people for n, role in enumerate(p.roles, 1)]
    elif kind == "ruling_evidence":
        owners = [(kind, r.id, 0, r.evidence) for r in dataset.rulings if r.evidence]
    else:
        # A record's own citations are item 0: its type's records by id are its owners in order.
        records: list[Any] = getattr(dataset, TABLES[kind])
        yield from ((kind, r.id, 0, r.citations) for r in _by_id(records))
        return
    # A name or role is numbered within its record, and ids may repeat: sorted by (id, item) as
    # ever (the names and roles are few, and held).
    yield from sorted(owners, key=lambda owner: owner[:3])


def _citations(dataset: Dataset) -> Table:
    scalars = _scalars(Citation)
    head = [
        Column("record_type", "string", "Type of the record cited for", required=True, enum=CITING_KINDS),
        Column("record_id", "string", "Id of that record (of the organization or person for names and roles)", True),
        Column("item", "integer", "Position of the organization name or role (from 1); 0: the record itself", True),
        _position(),
    ]

    def rows() -> Iterator[Row]:
        for kind, owner, item, citations in _citation_owners(dataset):
            for position, c in enumerate(citations, 1):
                yield {"record_type": kind, "record_id": owner, "item": str(item), "position": str(position)} | (
                    scalars.cells(c)
                )

    count = sum(len(citations) for *_, citations in _citation_owners(dataset))
    return Table(
        "citations",
        "Every citation: the source, where in it, and the verbatim words that state the fact",
        head + scalars.columns(),
        Rows(count, rows),
        ["record_type", "record_id", "item", "position"],
        [("source", "sources", "id")],
    )


def _findings(report: Report) -> Table:
    columns = [
        Column("position", "integer", "Place in the report's order (file, line, severity)", True, True, minimum=1),
        Column("code", "string", "Stable code of the check that found it", True),
        Column("severity", "string", None, True, enum=tuple(SEVERITY_ORDER)),
        Column("message", "string", None, True),
        Column("record_type", "string", "Type of the record at fault"),
        Column("record_id", "string", "Id of the record at fault (it may not exist: that can be the finding)"),
        Column("file", "string", "File of the record, relative to the dataset's parent directory"),
        Column("line", "integer", "Line in that file", minimum=1),
        Column("fingerprint", "string", "Identity across runs, independent of line numbers (for --baseline)", True),
    ]
    rows = [
        {"position": str(n)} | {key: _cell(value) for key, value in finding.as_dict().items()}
        for n, finding in enumerate(report.sorted(), 1)
    ]
    return Table("findings", "What validation found", columns, Rows.held(rows), ["position"])


def _discrepancies(dataset: Dataset) -> Table:
    columns = [
        Column("metric", "string", None, True),
        Column("first_observation", "string", "The earlier observation (either, when simultaneous)", True),
        Column("second_observation", "string", None, True),
        Column("outcome", "string", None, True, enum=DIFFERENCES),
        Column(
            "status", "string", "settled by a ruling, open, or consistent", True, enum=("settled", "open", "consistent")
        ),
        Column("explanation", "string", "Why the two figures get that outcome", True),
        Column("ruling", "string", "The ruling that settles it"),
    ]
    rows = [
        {
            "metric": d["metric"],
            "first_observation": d["first"]["observation"],
            "second_observation": d["second"]["observation"],
            "outcome": d["outcome"],
            "status": d["status"],
            "explanation": d["explanation"],
            "ruling": d["ruling"]["id"] if d["ruling"] else "",
        }
        for d in as_records(comparisons(dataset, include_agreement=False))
    ]
    key = ["metric", "first_observation", "second_observation"]
    rows.sort(key=lambda row: [row[k] for k in key])
    fks = [
        ("metric", "metrics", "id"),
        ("first_observation", "observations", "id"),
        ("second_observation", "observations", "id"),
        ("ruling", "rulings", "id"),
    ]
    return Table(
        "discrepancies",
        "Differences between figures of one quantity, and how they stand",
        columns,
        Rows.held(rows),
        key,
        fks,
    )


def tables(dataset: Dataset, report: Report | None = None) -> list[Table]:
    """The package's tables, parents before children, rows sorted by primary key."""
    return list(iter_tables(dataset, report))


def iter_tables(dataset: Dataset, report: Report | None = None) -> Iterator[Table]:
    """The tables of ``tables``, each built when asked for, its rows made as they are read (see
    ``Rows``): a writer holds one row at a time (at 100 times the bundled data, the rows of every
    table at once took more memory than the dataset itself, and one table's rows 100 MB)."""
    d = dataset
    orgs, people, series, events = _by_id(d.organizations), _by_id(d.people), _by_id(d.series), _by_id(d.events)
    builders: list[Callable[[], Table]] = [
        lambda: _record_table("sources", "Documents the records cite", d.sources, [_scalars(Source)]),
        lambda: _record_table(
            "organizations",
            "Offices and bodies; the id is kept across renames",
            d.organizations,
            [_scalars(Organization, nested=["names"])],
            [("parent", "organizations", "id")],
        ),
        lambda: _records_child(
            "organization_names",
            "The names an organization bore, each for a span of time",
            ("organization", "organizations"),
            lambda: ((o.id, o.names) for o in orgs),
            _scalars(OrganizationName, nested=["citations"]),
        ),
        lambda: _record_table("people", "People named by the sources", d.people, [_scalars(Person, nested=["roles"])]),
        lambda: _records_child(
            "roles",
            "Titles people held",
            ("person", "people"),
            lambda: ((p.id, p.roles) for p in people),
            _scalars(Role, nested=["citations"]),
            [("organization", "organizations", "id")],
        ),
        lambda: _record_table(
            "series",
            "Recurring meetings and programmes",
            d.series,
            [_scalars(Series, nested=["organizers", "citations"])],
        ),
        lambda: _ids_child(
            "series_organizers",
            "Organizations that organize a series",
            ("series", "series"),
            lambda: ((s.id, s.organizers) for s in series),
            ("organization", "organizations"),
        ),
        lambda: _record_table("metrics", "What a figure measures", d.metrics, [_scalars(Metric)]),
        lambda: _record_table(
            "events",
            "Things that happened or were planned",
            d.events,
            [
                _scalars(Event, nested=["location", "parties", "people", "instruments", "countries", "citations"]),
                _scalars(Location, of="location"),
            ],
            [("series", "series", "id")],
        ),
        lambda: _records_child(
            "event_parties",
            "Organizations taking part in an event",
            ("event", "events"),
            lambda: ((e.id, e.parties) for e in events),
            _scalars(Party, rename={"id": "organization"}),
            [("organization", "organizations", "id")],
        ),
        lambda: _records_child(
            "event_people",
            "People taking part in an event",
            ("event", "events"),
            lambda: ((e.id, e.people) for e in events),
            _scalars(Participant),
            [("person", "people", "id")],
        ),
        lambda: _records_child(
            "event_instruments",
            "Documents signed, adopted or released at an event",
            ("event", "events"),
            lambda: ((e.id, e.instruments) for e in events),
            _scalars(Instrument),
        ),
        lambda: _child_table(
            "event_countries",
            "Countries an event is with that no party records, each named in its quotes",
            ("event", "events"),
            lambda: ((e.id, e.countries) for e in events),
            [Column("country", "string", "ISO 3166-1 alpha-2 code", required=True, pattern="^[A-Z]{2}$")],
            lambda code: {"country": code},
        ),
        lambda: _record_table(
            "observations",
            "Figures as one source states them",
            d.observations,
            [_scalars(Observation, nested=["citations"])],
            [("metric", "metrics", "id")],
        ),
        lambda: _citations(d),
        lambda: _record_table(
            "rulings",
            "Curators' decisions on discrepancies",
            d.rulings,
            [_scalars(Ruling, nested=["observations", "citations", "evidence"])],
            [("prefer", "observations", "id")],
        ),
        lambda: _ids_child(
            "ruling_observations",
            "Observations a ruling settles",
            ("ruling", "rulings"),
            lambda: ((r.id, r.observations) for r in _by_id(d.rulings)),
            ("observation", "observations"),
        ),
        lambda: _record_table(
            "relations",
            "Arithmetic that must hold between figures",
            d.relations,
            [_scalars(Relation, nested=["parts"])],
            [
                *(
                    (name, "observations", "id")
                    for name in ("whole", "change", "before", "after", "duration", "target", "reached")
                ),
                ("of_event", "events", "id"),
                ("of_observation", "observations", "id"),
            ],
        ),
        lambda: _ids_child(
            "relation_parts",
            "The parts of a part_of relation",
            ("relation", "relations"),
            lambda: ((r.id, r.parts) for r in _by_id(d.relations)),
            ("observation", "observations"),
        ),
        lambda: _record_table(
            "exclusions",
            "Units of the source texts left out of coverage on purpose, with the reason",
            d.exclusions,
            [_scalars(CoverageExclusion)],
            [("source", "sources", "id")],
        ),
    ]
    for build in builders:
        yield build()
    if report is not None:
        yield _findings(report)
    yield _discrepancies(d)


# --- files ------------------------------------------------------------------------------------------


def _csv_chunks(table: Table, rows_a_chunk: int = 2000) -> Iterator[bytes]:
    """The table as RFC 4180 CSV, in chunks of UTF-8 bytes."""
    names = [c.name for c in table.columns]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(names)
    for n, row in enumerate(progress(table.rows, len(table.rows), table.path), 1):
        if row.keys() != set(names):
            raise ValueError(f"{table.name}: row has columns {sorted(row)}, schema has {sorted(names)}")
        writer.writerow([row[name] for name in names])
        if n % rows_a_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _write_csv(path: Path, table: Table) -> tuple[int, str]:
    """Write the table's CSV to ``path``; return its size in bytes and its sha256."""
    digest, size = sha256(), 0
    with open(path, "wb") as handle:
        for chunk in _csv_chunks(table):
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return size, digest.hexdigest()


def package_descriptor(dataset: Dataset, resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": PROFILE,
        "name": "ipcoop-data",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": dataset_version(dataset),
        "created": dataset_timestamp(dataset).strftime("%Y-%m-%dT%H:%M:%SZ"),
        # The curated records' licence (DATA-LICENSE.md); the source texts are their publishers' own.
        "licenses": [dict(DATA_LICENSE)],
        "sources": [{"title": s.title} | ({"path": s.url} if s.url else {}) for s in _by_id(dataset.sources)],
        "resources": resources,
    }


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


@paused_gc(transient=True)  # an export makes millions of short-lived objects, and leaves few
def to_datapackage(dataset: Dataset, directory: str | os.PathLike[str], report: Report | None = None) -> list[Path]:
    """Write the CSVs and ``datapackage.json`` into ``directory``; return the files written.

    Everything is built in memory first and staged beside its target; the files replace the old
    ones only when all are staged, CSVs first and the descriptor last, so a failure leaves the
    previous package whole.
    """
    directory = Path(directory)
    written: list[Path] = []
    resources: list[dict[str, Any]] = []
    with ExitStack() as stack:
        # An ExitStack unwinds last-in first-out: entering the descriptor first renames it last.
        descriptor_tmp = stack.enter_context(atomic_path(directory / DESCRIPTOR))
        for table in iter_tables(dataset, report):  # each written, then let go, before the next is built
            size, sha = _write_csv(stack.enter_context(atomic_path(directory / table.path)), table)
            resources.append(table.resource(size, sha))
            written.append(directory / table.path)
        doc = package_descriptor(dataset, resources)
        _write_bytes(
            descriptor_tmp, (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        )
    if report is None:
        # A findings.csv of an earlier export would otherwise sit beside a package that omits it.
        (directory / _findings(Report()).path).unlink(missing_ok=True)
    return [*written, directory / DESCRIPTOR]
