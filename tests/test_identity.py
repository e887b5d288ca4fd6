"""Identity over time: organization names and personal titles valid at the event's date."""

from __future__ import annotations

from ipcoop_data import load, read_dataset
from ipcoop_data.checks import validate

from .conftest import MakeDataset

CITE = '[{source: report-2017, quote: "the office signed 52 new agreements"}]'
ORGS = f"""\
- id: cnipa
  kind: national_office
  country: CN
  names:
    - {{name: State Intellectual Property Office, abbreviation: SIPO, end: "2018", citations: {CITE}}}
    - {{name: China National Intellectual Property Administration, abbreviation: CNIPA, start: "2018",
       citations: {CITE}}}
- id: wipo
  kind: igo
  st3: WO
  names: [{{name: World Intellectual Property Organization, abbreviation: WIPO, citations: {CITE}}}]
"""
PEOPLE = f"""\
- id: jane-doe
  name: Jane Doe
  roles:
    - {{title: Director General, organization: wipo, as_of: "2017", citations: {CITE}}}
"""


def event(date: str, extra: str) -> str:
    return f'- id: e\n  title: E\n  kind: meeting\n  date: "{date}"\n{extra}  citations: {CITE}\n'


def codes(make_dataset: MakeDataset, events: str, people: str = PEOPLE) -> list[tuple[str, str]]:
    files = {"organizations.yaml": ORGS, "people.yaml": people, "events/2017.yaml": events}
    report = validate(read_dataset(make_dataset(files)), families=["identity"])
    return sorted((f.code, f.severity) for f in report.findings)


def test_a_name_valid_at_the_date_is_clean(make_dataset: MakeDataset) -> None:
    assert codes(make_dataset, event("2017-05", "  parties: [{id: cnipa, name: SIPO}]\n")) == []


def test_a_name_not_yet_in_use_is_an_error(make_dataset: MakeDataset) -> None:
    found = codes(make_dataset, event("2015", "  parties: [{id: cnipa, name: CNIPA}]\n"))
    assert found == [("name-not-valid-at-date", "error")]


def test_a_name_no_longer_in_use_is_an_error(make_dataset: MakeDataset) -> None:
    found = codes(
        make_dataset, event("2022-03", "  parties: [{id: cnipa, name: State Intellectual Property Office}]\n")
    )
    assert found == [("name-not-valid-at-date", "error")]


def test_the_renaming_year_admits_both_names(make_dataset: MakeDataset) -> None:
    assert codes(make_dataset, event("2018", "  parties: [{id: cnipa, name: SIPO}]\n")) == []


def test_a_title_held_at_the_date_matches_with_the_organization_added(make_dataset: MakeDataset) -> None:
    people = "  people: [{person: jane-doe, title: Director General of the World Intellectual Property Organization}]\n"
    assert codes(make_dataset, event("2017-05", people)) == []
    assert codes(make_dataset, event("2017-05", "  people: [{person: jane-doe, title: WIPO Director General}]\n")) == []


def test_a_title_not_held_is_a_warning(make_dataset: MakeDataset) -> None:
    people = "  people: [{person: jane-doe, title: Deputy Director General}]\n"
    assert codes(make_dataset, event("2017-05", people)) == [("title-mismatch", "warning")]


def test_two_titles_for_one_post_on_one_date_are_a_warning(make_dataset: MakeDataset) -> None:
    people = (
        PEOPLE + f'    - {{title: Chief of the Organization, organization: wipo, as_of: "2017", citations: {CITE}}}\n'
    )
    assert codes(make_dataset, event("2017-05", ""), people) == [("conflicting-titles", "warning")]


def test_bundled_dataset_ge_shu_titles_are_found_and_ruled() -> None:
    report = validate(load(), families=["identity"])
    [finding] = [f for f in report.findings if f.code == "conflicting-titles"]
    assert finding.record_id == "ge-shu"
    assert finding.severity == "info"
    assert "settled by ruling ge-shu-patent-office-title" in finding.message


def duplicate_codes(make_dataset: MakeDataset, events: str) -> list[str]:
    files = {"organizations.yaml": ORGS, "events/2017.yaml": events}
    return [f.code for f in validate(read_dataset(make_dataset(files)), families=["duplicates"]).findings]


def named_event(eid: str, date: str, extra: str = "") -> str:
    return f'- id: {eid}\n  title: E\n  kind: meeting\n  date: "{date}"\n{extra}  citations: {CITE}\n'


def test_two_records_of_one_meeting_are_suspected_duplicates(make_dataset: MakeDataset) -> None:
    events = named_event("a", "2017-05", "  parties: [cnipa, wipo]\n") + named_event(
        "b", "2017-05-20", "  parties: [wipo, cnipa]\n"
    )
    assert duplicate_codes(make_dataset, events) == ["possible-duplicate"]


def test_meetings_of_different_series_or_months_are_not_suspects(make_dataset: MakeDataset) -> None:
    series = "  parties: [wipo]\n  series: {}\n"
    same_week = named_event("a", "2017-05", series.format("heads")) + named_event(
        "b", "2017-05", series.format("deputies")
    )
    other_month = named_event("a", "2017-05", "  parties: [wipo]\n") + named_event(
        "b", "2017-06", "  parties: [wipo]\n"
    )
    assert duplicate_codes(make_dataset, same_week) == []
    assert duplicate_codes(make_dataset, other_month) == []
