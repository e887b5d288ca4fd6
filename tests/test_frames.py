from __future__ import annotations

import pytest

from ipcoop_data import Dataset, load, read_dataset
from ipcoop_data.analysis.dataframes import CitationsFrame, EventsFrame, ObservationsFrame
from ipcoop_data.analysis.evidence import names_country, normalize_quote
from ipcoop_data.checks import validate
from ipcoop_data.report.findings import Finding

from .conftest import TEXTS, MakeDataset

OBS = """\
- id: r.share
  metric: share
  value: {value}
  as_reported: "{value}%"
  as_of: "2017"
  citations: [{{source: report-2017, quote: "{value}%"}}]
"""


def test_a_percent_over_100_is_a_frame_finding_on_its_record(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        {
            "metrics.yaml": "- {id: share, label: A share, unit: percent, kind: ratio}\n",
            "observations/report-2017.yaml": OBS.format(value="172.8"),
        }
    )
    report = validate(read_dataset(root), families=["frames"])
    [finding] = report.findings
    assert finding.code == "frame-check" and finding.record_id == "r.share"
    assert "percent_in_range" in finding.message or "0-100" in finding.message
    assert finding.file and finding.file.endswith("report-2017.yaml") and finding.line == 1


def test_a_percent_within_range_passes(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        {
            "metrics.yaml": "- {id: share, label: A share, unit: percent, kind: ratio}\n",
            "observations/report-2017.yaml": OBS.format(value="72.8"),
        }
    )
    assert validate(read_dataset(root), families=["frames"]).findings == []


def test_event_frame_has_real_dates_from_partial_date_bounds(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        {
            "events/2017.yaml": """\
            - id: e
              title: E
              kind: meeting
              date: "2017-02"
              citations: [{source: report-2017, quote: "52 new agreements"}]
            """
        }
    )
    frame = load(root).events_frame()
    assert str(frame.loc[0, "date_lower"].date()) == "2017-02-01"
    assert str(frame.loc[0, "date_upper"].date()) == "2017-02-28"
    assert frame.loc[0, "precision"] == "month"


# --- the analyst's questions, on the bundled dataset ----------------------------------------------

DIALOGUE = "2022-china-france-high-level-economic-financial-dialogue"
INPI_VISIT = "2017-06-china-france-joint-committee-patents-30"


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return load()


def test_events_with_france_find_the_dialogue_and_the_inpi_visit(bundled: Dataset) -> None:
    france = bundled.events_frame(countries="FR")
    EventsFrame.validate(france)
    rows = france.set_index("id")
    # France is the dialogue's recorded country (CNIPA is its only party) and the visit's party's
    assert rows.at[DIALOGUE, "parties"] == ["cnipa"]
    assert rows.at[DIALOGUE, "recorded_countries"] == ["FR"] and rows.at[DIALOGUE, "countries"] == ["CN", "FR"]
    assert "inpi-fr" in rows.at[INPI_VISIT, "parties"] and rows.at[INPI_VISIT, "recorded_countries"] == []
    # exactly the events whose parties are French or whose record says France
    french = {o.id for o in bundled.organizations if o.country == "FR"}
    expected = {e.id for e in bundled.events if "FR" in e.countries or french & {p.id for p in e.parties}}
    assert set(france.id) == expected and len(france) == len(expected)
    # a list of codes keeps the events with any of them
    either = bundled.events_frame(countries=["FR", "MN"])
    assert set(france.id) < set(either.id) and "2017-08-he-zhimin-visit-mongolia" in set(either.id)


def test_a_country_filter_that_is_no_code_says_so(bundled: Dataset) -> None:
    with pytest.raises(ValueError, match="'France' is not an ISO 3166-1 alpha-2 country code; France is 'FR'"):
        bundled.events_frame(countries="France")
    with pytest.raises(ValueError, match="'fr' is not an ISO"):
        bundled.events_frame(countries=["FR", "fr"])


def test_list_columns_hold_lists_equal_to_the_records(bundled: Dataset) -> None:
    events = bundled.events_frame()
    for column in ("parties", "party_names", "countries", "recorded_countries", "sources"):
        assert all(type(cell) is list for cell in events[column]), column
    for event, row in zip(bundled.events, events.itertuples(), strict=True):
        assert row.parties == [p.id for p in event.parties]
        assert len(row.party_names) == len(row.parties)
        assert row.sources == list(dict.fromkeys(c.source for c in event.citations))
        from_parties = {o.country for p in event.parties if (o := bundled.organization(p.id)) and o.country}
        assert row.countries == sorted(from_parties | set(event.countries))
        assert row.recorded_countries == sorted(event.countries)
    assert sum(len(c) for c in events.recorded_countries) > 40  # the curated countries are there


def test_party_names_are_the_names_borne_at_the_events_date(bundled: Dataset) -> None:
    events = bundled.events_frame().set_index("id")
    # SIPO became CNIPA in 2018: one organization, two names
    sipo = "State Intellectual Property Office of the People's Republic of China"
    assert events.at[INPI_VISIT, "party_names"][0] == sipo
    assert events.at[DIALOGUE, "party_names"] == ["China National Intellectual Property Administration"]


def test_observations_carry_label_subject_and_a_quote_found_in_the_source_text(bundled: Dataset) -> None:
    observations = bundled.observations_frame()
    ObservationsFrame.validate(observations)
    labels = {m.id: m.label for m in bundled.metrics}
    texts = {s.id: normalize_quote((TEXTS / s.text).read_text(encoding="utf-8")) for s in bundled.sources if s.text}
    for obs, row in zip(bundled.observations, observations.itertuples(), strict=True):
        assert row.label == labels[obs.metric]
        assert row.subject == obs.subject
        quote = normalize_quote(row.quote)
        assert quote in texts[row.source], obs.id  # the quote stands in its source's text
        assert normalize_quote(obs.as_reported) in quote, obs.id  # and it prints the figure
    assert observations.subject.notna().sum() == sum(o.subject is not None for o in bundled.observations) > 0


def test_a_metric_filter_keeps_that_metric_and_refuses_a_typo(bundled: Dataset) -> None:
    pph = bundled.observations_frame(metric="bri-pph-partners")
    assert set(pph.metric) == {"bri-pph-partners"}
    assert sorted(pph.as_reported) == ["17", "18"]  # two sources, two figures, both kept as stated
    with pytest.raises(ValueError, match="no metric 'bri-pph-partner' in the dataset; did you mean 'bri-pph-partners'"):
        bundled.observations_frame(metric="bri-pph-partner")


def test_citations_frame_has_every_quote_of_every_record(bundled: Dataset) -> None:
    citations = CitationsFrame.validate(bundled.citations_frame())
    expected = [
        (t, r.id, n, c.quote) for t, r in bundled.records() for n, c in enumerate(getattr(r, "citations", ()), 1)
    ]
    columns = (citations.record_type, citations.record_id, citations.position, citations.quote)
    assert list(zip(*columns, strict=True)) == expected
    assert {"event", "observation"} <= set(citations.record_type) <= {"series", "event", "observation", "ruling"}


# --- the countries field ------------------------------------------------------------------------------

COUNTRY_EVENT = """\
- id: 2017-05-heads-3
  title: Third Heads Meeting
  kind: meeting
  date: "2017-05"
  countries: [{countries}]
  citations:
    - source: report-2017
      quote: "{quote}"
"""


def _country_findings(make_dataset: MakeDataset, countries: str, quote: str) -> list[Finding]:
    root = make_dataset({"events/2017.yaml": COUNTRY_EVENT.format(countries=countries, quote=quote)})
    findings = validate(read_dataset(root), families=["provenance", "schema"]).findings
    return [f for f in findings if f.code in {"country-not-in-quote", "invalid-value"}]


def test_a_recorded_country_must_be_named_in_a_quote(make_dataset: MakeDataset) -> None:
    # Geneva is in Switzerland, but the quote does not say so: a recorded country needs its words
    quote = "In May, the office held the 3rd Heads Meeting in Geneva"
    [finding] = _country_findings(make_dataset, "CH", quote)
    assert finding.code == "country-not-in-quote" and finding.severity == "warning"
    assert "lists CH but none of its quotes names it ('Switzerland')" in finding.message
    assert finding.file and finding.file.endswith("2017.yaml") and finding.line == 5
    assert _country_findings(make_dataset, "CH, FR", "the China-Switzerland and China-France meetings") == []
    [korea] = _country_findings(make_dataset, "KR, FR", "the China-Korea meeting")
    assert "lists FR" in korea.message


@pytest.mark.parametrize(
    ("quote", "code", "named"),
    [
        ("the China-France dialogue", "FR", True),
        ("the UK-China symposium", "GB", True),
        ("Chinese designs in Cambodia", "CN", True),
        ("China-US IP practice seminars", "US", True),
        ("the 3rd Heads Meeting in Geneva", "CH", False),
        ("Francesca attended", "FR", False),  # whole words only
        ("let us meet", "US", False),  # and case as printed
        ("the Nigeria office", "NE", False),  # Niger is not in Nigeria
    ],
)
def test_a_quote_names_a_country_by_whole_words(quote: str, code: str, named: bool) -> None:
    assert names_country(quote, code) is named


def test_a_countries_entry_that_is_no_iso_code_or_is_repeated_is_a_finding_at_its_line(
    make_dataset: MakeDataset,
) -> None:
    quote = "In May, the office held the 3rd Heads Meeting in Geneva"
    [bad] = _country_findings(make_dataset, "XX", quote)
    assert bad.code == "invalid-value" and "'XX' is not an ISO 3166-1 alpha-2 country code" in bad.message
    assert bad.line == 5
    [twice] = _country_findings(make_dataset, "CH, CH", quote)
    assert twice.code == "invalid-value" and "lists CH more than once" in twice.message


def test_norway_stays_norway_in_countries(make_dataset: MakeDataset) -> None:
    root = make_dataset({"events/2017.yaml": COUNTRY_EVENT.format(countries="NO", quote="x")})
    assert read_dataset(root).dataset.events[0].countries == ("NO",)
