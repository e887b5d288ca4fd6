"""Suspected duplicates come as clusters: one finding per group of linked records, found by a sweep."""

from __future__ import annotations

import random
from itertools import combinations

from ipcoop_data import read_dataset
from ipcoop_data.checks import validate
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.records import Event
from ipcoop_data.report.findings import Finding

from .conftest import MakeDataset

CITE = '[{source: report-2017, quote: "In May"}]'


def event(eid: str, date: str, extra: str = "") -> str:
    return f'- id: {eid}\n  title: E\n  kind: meeting\n  date: "{date}"\n{extra}  citations: {CITE}\n'


def duplicates(make_dataset: MakeDataset, events: str) -> list[Finding]:
    return validate(read_dataset(make_dataset({"events/2017.yaml": events})), families=["duplicates"]).sorted()


def test_a_hundred_records_of_one_meeting_are_one_finding_naming_each(make_dataset: MakeDataset) -> None:
    copies = "".join(event(f"copy-{i:03d}", "2017-05-20", "  series: heads\n") for i in range(100))
    [finding] = duplicates(make_dataset, copies)
    assert finding.message.startswith("100 records may be one event")
    assert all(f"copy-{i:03d} (events/2017.yaml:" in finding.message for i in range(100))
    assert finding.record_id == "copy-000"


def test_records_linked_through_a_third_form_one_cluster(make_dataset: MakeDataset) -> None:
    chain = (
        event("a", "2017-05-01/2017-05-03", "  series: heads\n")
        + event("b", "2017-05-03/2017-05-10", "  series: heads\n")
        + event("c", "2017-05-10/2017-05-12", "  series: heads\n")
        + event("d", "2017-05-20", "  series: heads\n")
    )
    [finding] = duplicates(make_dataset, chain)
    assert finding.message.startswith("3 records") and "d (" not in finding.message


def test_differing_ordinals_keep_records_apart_and_a_missing_one_links_them(make_dataset: MakeDataset) -> None:
    apart = event("a", "2017-05", "  series: heads\n  ordinal: 1\n") + event(
        "b", "2017-05", "  series: heads\n  ordinal: 2\n"
    )
    assert duplicates(make_dataset, apart) == []
    linked = apart + event("c", "2017-05", "  series: heads\n")
    [finding] = duplicates(make_dataset, linked)
    assert finding.message.startswith("3 records")


def _suspects(a: Event, b: Event) -> bool:
    """The suspect relation as stated, pair by pair: the reference the sweep must agree with."""
    if a.kind != b.kind or a.date.year != b.date.year or not a.date.overlaps(b.date):
        return False
    same_series = (
        a.series is not None
        and a.series == b.series
        and (a.ordinal is None or b.ordinal is None or a.ordinal == b.ordinal)
    )
    parties_a, parties_b = {p.id for p in a.parties}, {p.id for p in b.parties}
    same_parties = bool(parties_a) and parties_a == parties_b and not (a.series and b.series and a.series != b.series)
    return same_series or same_parties


def _components(events: list[Event]) -> set[frozenset[str]]:
    parent = {e.id: e.id for e in events}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in combinations(events, 2):
        if _suspects(a, b):
            parent[root(b.id)] = root(a.id)
    groups: dict[str, set[str]] = {}
    for e in events:
        groups.setdefault(root(e.id), set()).add(e.id)
    return {frozenset(g) for g in groups.values() if len(g) > 1}


def test_the_sweep_finds_exactly_the_components_of_the_pairwise_relation() -> None:
    rng = random.Random(7)
    for _ in range(40):
        events = []
        for i in range(rng.randint(2, 29)):  # under 30: no party counts as ubiquitous
            day = rng.randint(1, 20)
            date = rng.choice(
                [f"2017-05-{day:02d}", f"2017-05-{day:02d}/2017-05-{day + rng.randint(0, 8):02d}", "2017-05"]
            )
            events.append(
                Event.model_validate(
                    {
                        "id": f"e{i:02d}",
                        "title": "E",
                        "kind": rng.choice(["meeting", "visit"]),
                        "date": PartialDate(date),
                        "series": rng.choice([None, "s1", "s2"]),
                        "ordinal": rng.choice([None, 1, 2]),
                        "parties": rng.choice([[], ["x"], ["x", "y"]]),
                        "citations": [{"source": "r", "quote": "q"}],
                    }
                )
            )
        events = [e for e in events if e.series is not None or e.ordinal is None]
        dataset = Dataset(events=events)
        found = {
            frozenset(f.key.split("|"))  # type: ignore[union-attr]
            for f in validate(dataset, families=["duplicates"]).findings
        }
        assert found == _components(events)
