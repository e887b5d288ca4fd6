"""Who took part in an event: one view, built once per dataset, for the checks, the frames and every export."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipcoop_data import load, read_dataset
from ipcoop_data.analysis import participants as participants_module
from ipcoop_data.analysis.participants import Participants, PartyAt, PersonAt, participants
from ipcoop_data.checks import validate
from ipcoop_data.export import to_ics, to_timeline, to_xlsx
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.records import Event

from .conftest import GOOD_EVENT, MakeDataset

SIPO = "State Intellectual Property Office of the People's Republic of China"
CNIPA = "China National Intellectual Property Administration"


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return load()


def _event(dataset: Dataset, event_id: str) -> Event:
    event = dataset.event(event_id)
    assert event is not None, event_id
    return event


def test_a_renamed_office_is_named_as_at_the_events_date(bundled: Dataset) -> None:
    # The office was SIPO until 2018 and CNIPA since; the records keep one id, cnipa.
    view = participants(bundled)
    before = view[_event(bundled, "2016-bri-high-level-conference-ip-1")]
    cnipa, wipo = before.parties
    assert (cnipa.id, cnipa.cited, cnipa.name, cnipa.country) == ("cnipa", None, SIPO, "CN")
    assert cnipa.label() == SIPO and cnipa.label(abbreviation=True) == f"{SIPO} (SIPO)"
    assert (wipo.id, wipo.country) == ("wipo", None)  # an international body has no country
    assert before.countries == ["CN"]

    after = view[_event(bundled, "2022-02-cnipa-wipo-heads-virtual-meeting")]
    assert after.parties[0].name == CNIPA and after.parties[0].label(abbreviation=True) == f"{CNIPA} (CNIPA)"
    assert after.people == (
        PersonAt("shen-changyu", "Shen Changyu", "Commissioner"),
        PersonAt("daren-tang", "Daren Tang", "Director General"),
    )


def test_the_name_the_source_used_is_what_the_exports_print(bundled: Dataset) -> None:
    # The record says the source called the office "SIPO": the exports print that, while the
    # events frame lists every party by its name at the date.
    [cnipa, *_] = participants(bundled)[_event(bundled, "2017-10-wipo-assemblies-57")].parties
    assert cnipa == PartyAt("cnipa", "SIPO", cnipa.official, "CN")
    assert cnipa.label() == cnipa.label(abbreviation=True) == "SIPO"
    assert cnipa.name == SIPO
    frame = bundled.events_frame()
    [names] = frame.loc[frame["id"] == "2017-10-wipo-assemblies-57", "party_names"]
    assert names[0] == SIPO


def test_unknown_ids_are_named_by_the_record_or_the_id(make_dataset: MakeDataset) -> None:
    event = GOOD_EVENT + "  parties: [{id: nowhere, name: Somewhere Office}, elsewhere]\n  people: [{person: nobody}]\n"
    dataset = read_dataset(make_dataset({"events/2017.yaml": event})).dataset
    who = participants(dataset)[dataset.events[0]]
    assert [(p.name, p.label(), p.official, p.country) for p in who.parties] == [
        ("Somewhere Office", "Somewhere Office", None, None),
        ("elsewhere", "elsewhere", None, None),
    ]
    assert who.people == (PersonAt("nobody", "nobody", None),)
    assert who.countries == []


def test_two_events_with_one_id_each_keep_their_own_parties(make_dataset: MakeDataset) -> None:
    # A dataset that fails validation can still be exported: each record shows its own parties.
    second = GOOD_EVENT.replace("Third Heads Meeting", "The same id again") + "  parties: [other]\n"
    dataset = read_dataset(make_dataset({"events/2017.yaml": GOOD_EVENT + "  parties: [one]\n" + second})).dataset
    first, again = dataset.events
    view = participants(dataset)
    assert [p.id for p in view[first].parties] == ["one"]
    assert [p.id for p in view[again].parties] == ["other"]


def test_the_view_is_computed_once_per_dataset(bundled: Dataset) -> None:
    view = participants(bundled)
    assert participants(bundled) is view
    assert len(view) == len(bundled.events)
    # Parties and people that recur are one object each, not one per event.
    parties = [p for e in bundled.events for p in view[e].parties]
    assert len({id(p) for p in parties}) < len(parties) / 2


def test_a_changed_dataset_gets_a_new_view(make_dataset: MakeDataset) -> None:
    dataset = read_dataset(make_dataset({"events/2017.yaml": GOOD_EVENT + "  parties: [one]\n"})).dataset
    view = participants(dataset)
    extra = Event.model_validate({**dataset.events[0].model_dump(), "id": "x", "parties": ["two"]})
    assert [p.id for p in view[extra].parties] == ["two"]  # not in the dataset: worked out, not kept
    assert len(view) == 1
    dataset.add("event", extra)
    assert participants(dataset) is not view and len(participants(dataset)) == 2


def test_validate_and_every_export_share_one_view(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``ipcoop export`` does: the checks build the view, the frames and the exports reuse it."""
    dataset = read_dataset().dataset
    built: list[Participants] = []
    real = participants_module.Participants

    def counting(d: Dataset) -> Participants:
        view = real(d)
        built.append(view)
        return view

    monkeypatch.setattr(participants_module, "Participants", counting)
    report = validate(dataset, families=["frames"])
    dataset.events_frame()
    to_xlsx(dataset, tmp_path / "w.xlsx", report)
    to_ics(dataset, tmp_path / "c.ics", report)
    to_timeline(dataset, tmp_path / "t.json", report)
    assert len(built) == 1
