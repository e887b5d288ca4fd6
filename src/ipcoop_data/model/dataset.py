"""The loaded dataset: records by type, lookups by id, and pandas views."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ipcoop_data.model.finding import Finding
from ipcoop_data.model.origin import FieldPath
from ipcoop_data.model.records import (
    Citation,
    CoverageExclusion,
    Event,
    Metric,
    Observation,
    Organization,
    Person,
    Record,
    Relation,
    Ruling,
    Series,
    Source,
)

T = TypeVar("T")

if TYPE_CHECKING:  # pandas is imported only by the methods that build frames
    import pandas as pd


#: Record type name -> the Dataset attribute that holds its records, in layout order.
TABLES: dict[str, str] = {
    "source": "sources",
    "organization": "organizations",
    "person": "people",
    "series": "series",
    "metric": "metrics",
    "event": "events",
    "observation": "observations",
    "ruling": "rulings",
    "relation": "relations",
    "exclusion": "exclusions",
}


#: Where ``load(errors="collect")`` keeps its findings for the deprecated ``Dataset.load_findings``.
_LOAD_FINDINGS = "_deprecated_load_findings"


def set_deprecated_load_findings(dataset: Dataset, findings: Iterable[Finding]) -> None:
    """Keep ``findings`` for the deprecated ``dataset.load_findings`` (``load(errors="collect")`` only)."""
    dataset.__dict__[_LOAD_FINDINGS] = tuple(findings)


@dataclass
class Dataset:
    root: Path | None = None
    sources: list[Source] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    exclusions: list[CoverageExclusion] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    records_read: int = 0

    def add(self, record_type: str, record: Record) -> None:
        getattr(self, TABLES[record_type]).append(record)
        self.__dict__.pop("_indexes", None)  # lookups must see the new record
        self.__dict__.pop("_derived", None)

    @property
    def load_findings(self) -> list[Finding]:
        """Deprecated: the problems ``load(path, errors="collect")`` found, kept for older callers.

        A Dataset no longer carries what went wrong reading it: ``read.load.read_dataset`` returns
        the findings beside the records. Nothing in ipcoop-data reads this; a Dataset made in
        any other way has none.
        """
        warnings.warn(
            "Dataset.load_findings is deprecated: read_dataset(path).findings are the problems reading the files",
            DeprecationWarning,
            stacklevel=2,
        )
        return list(self.__dict__.get(_LOAD_FINDINGS, ()))

    def derived(self, name: str, compute: Callable[[], T]) -> T:
        """A value derived from the records (comparisons, the fingerprint), computed once and shared
        by the checks, the discrepancies and every exporter while the tables stay as they are."""
        state = tuple((id(table), len(table)) for table in (getattr(self, a) for a in TABLES.values()))
        cache: dict[str, tuple[tuple[tuple[int, int], ...], Any]] = self.__dict__.setdefault("_derived", {})
        hit = cache.get(name)
        if hit is None or hit[0] != state:
            hit = (state, compute())
            cache[name] = hit
        value: T = hit[1]
        return value

    def records(self) -> Iterator[tuple[str, Record]]:
        """Every record with its type name, in layout order."""
        for record_type, attr in TABLES.items():
            for record in getattr(self, attr):
                yield record_type, record

    def citations(self) -> Iterator[tuple[str, Record, FieldPath, Citation]]:
        """Every citation: (record type, record, path of the citation in the record, citation).

        The citations of records and those nested in organization names and people's roles; the
        quote checks and the coverage of the source texts both go through here.
        """
        for record_type, record in self.records():
            for i, c in enumerate(getattr(record, "citations", ())):
                yield record_type, record, ("citations", i), c
        for org in self.organizations:
            for n, name in enumerate(org.names):
                for i, c in enumerate(name.citations):
                    yield "organization", org, ("names", n, "citations", i), c
        for person in self.people:
            for r, role in enumerate(person.roles):
                for i, c in enumerate(role.citations):
                    yield "person", person, ("roles", r, "citations", i), c
        for ruling in self.rulings:
            for i, c in enumerate(ruling.evidence):
                yield "ruling", ruling, ("evidence", i), c

    def __len__(self) -> int:
        return sum(len(getattr(self, attr)) for attr in TABLES.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented

        # Same records, whatever their order (an export sorts them by id; files keep curation order).
        def by_id(records: list[Any]) -> list[Any]:
            return sorted(records, key=lambda r: r.id)

        return all(by_id(getattr(self, a)) == by_id(getattr(other, a)) for a in TABLES.values())

    # --- lookups (first record wins when an id is duplicated; the integrity check reports it) ---
    def _index(self, attr: str) -> dict[str, Any]:
        cache: dict[str, dict[str, Any]] = self.__dict__.setdefault("_indexes", {})
        if attr not in cache:
            index: dict[str, Any] = {}
            for record in getattr(self, attr):
                index.setdefault(record.id, record)
            cache[attr] = index
        return cache[attr]

    def source(self, id: str) -> Source | None:
        return self._index("sources").get(id)

    def organization(self, id: str) -> Organization | None:
        return self._index("organizations").get(id)

    def person(self, id: str) -> Person | None:
        return self._index("people").get(id)

    def series_by_id(self, id: str) -> Series | None:
        return self._index("series").get(id)

    def metric(self, id: str) -> Metric | None:
        return self._index("metrics").get(id)

    def event(self, id: str) -> Event | None:
        return self._index("events").get(id)

    def observation(self, id: str) -> Observation | None:
        return self._index("observations").get(id)

    # --- pandas views -------------------------------------------------------------------------
    def events_frame(self, countries: str | Iterable[str] | None = None) -> pd.DataFrame:
        """One row per event, lists as lists; validated by ``EventsFrame``.

        ``countries="FR"`` (or a list of codes) keeps the events with any of those countries:
        a party's country, or one the record states.
        """
        from ipcoop_data.analysis.dataframes import events_frame

        return events_frame(self, countries)

    def observations_frame(self, metric: str | None = None) -> pd.DataFrame:
        """One row per observation, with its metric's label, unit and kind, its subject, and the
        quote that prints it; validated by ``ObservationsFrame``. ``metric`` keeps that metric's."""
        from ipcoop_data.analysis.dataframes import observations_frame

        return observations_frame(self, metric)

    def citations_frame(self) -> pd.DataFrame:
        """One row per citation of every record (its type, id and position), validated by
        ``CitationsFrame``: every quote of a record, where the other views show one."""
        from ipcoop_data.analysis.dataframes import citations_frame

        return citations_frame(self)
