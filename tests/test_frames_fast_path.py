"""The frames family skips pandera when every row plainly passes; it must never skip a failing row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, get_args

import pytest

from ipcoop_data import Dataset, PartialDate, load
from ipcoop_data.checks import Context
from ipcoop_data.checks import frames as frames_check
from ipcoop_data.model.records import Citation, EventKind, MetricKind, OrganizationName, Party, Qualifier, Unit
from ipcoop_data.report.findings import Finding

from .conftest import MakeDataset

#: The rules of the public frame models that ``frames_check.plainly_valid`` repeats in plain Python.
#: When this snapshot fails, a model in ipcoop_data/analysis/dataframes.py changed: make the same change in
#: checks/frames.py (the plain check), then update the snapshot.
RULES = """\
EventsFrame strict=True ordered=True
  id string[python] nullable=False unique=True matches ^[a-z0-9][a-z0-9._-]*$
  title string[python] nullable=False unique=False length 1..None
  kind string[python] nullable=False unique=False isin EventKind
  date string[python] nullable=False unique=False
  date_lower datetime64[ns] nullable=False unique=False
  date_upper datetime64[ns] nullable=False unique=False
  precision string[python] nullable=False unique=False isin ['year', 'month', 'day']
  status string[python] nullable=False unique=False isin ['held', 'planned', 'cancelled']
  series string[python] nullable=True unique=False
  ordinal Int64 nullable=True unique=False >= 1
  city string[python] nullable=True unique=False
  country string[python] nullable=True unique=False length 2..2
  parties object nullable=False unique=False lists_of_ids {}
  party_names object nullable=False unique=False list_of_names {}
  countries object nullable=False unique=False lists_of_countries {}
  recorded_countries object nullable=False unique=False lists_of_countries {}
  sources object nullable=False unique=False lists_of_ids {}
  quote string[python] nullable=True unique=False
  citations int64 nullable=False unique=False >= 0
  dataframe check bounds_ordered
  dataframe check names_match_parties
  dataframe check recorded_within_countries
ObservationsFrame strict=True ordered=True
  id string[python] nullable=False unique=True matches ^[a-z0-9][a-z0-9._-]*$
  metric string[python] nullable=False unique=False
  label string[python] nullable=True unique=False
  subject string[python] nullable=True unique=False
  unit string[python] nullable=True unique=False isin Unit
  metric_kind string[python] nullable=True unique=False isin MetricKind
  value float64 nullable=False unique=False
  qualifier string[python] nullable=False unique=False isin Qualifier
  when string[python] nullable=False unique=False
  when_field string[python] nullable=False unique=False isin ['as_of', 'period']
  when_lower datetime64[ns] nullable=False unique=False
  when_upper datetime64[ns] nullable=False unique=False
  precision string[python] nullable=False unique=False isin ['year', 'month', 'day']
  as_reported string[python] nullable=False unique=False length 1..None
  source string[python] nullable=True unique=False
  quote string[python] nullable=True unique=False
  citations int64 nullable=False unique=False >= 0
  dataframe check percent_in_range
  dataframe check count_not_negative
  dataframe check bounds_ordered
"""


def _rule(name: str, stats: dict[str, Any]) -> str:
    if name == "str_matches":
        return f"matches {stats['pattern']}"
    if name == "str_length":
        return f"length {stats['min_value']}..{stats['max_value']}"
    if name == "greater_than_or_equal_to":
        return f">= {stats['min_value']}"
    if name == "isin":
        # The plain check takes these sets from the same Literal types of ipcoop_data.model.records.
        literals = {"EventKind": EventKind, "Unit": Unit, "MetricKind": MetricKind, "Qualifier": Qualifier}
        values = list(stats["allowed_values"])
        named = [k for k, literal in literals.items() if values == list(get_args(literal))]
        return f"isin {named[0] if named else values}"
    return f"{name} {stats}"


def describe_models() -> str:
    from ipcoop_data.analysis.dataframes import EventsFrame, ObservationsFrame

    lines = []
    for model in (EventsFrame, ObservationsFrame):
        schema = model.to_schema()
        lines.append(f"{model.__name__} strict={schema.strict} ordered={schema.ordered}")
        for name, column in schema.columns.items():
            rules = "".join(f" {_rule(c.name, c.statistics)}" for c in column.checks)
            lines.append(f"  {name} {column.dtype} nullable={column.nullable} unique={column.unique}{rules}")
        lines.extend(f"  dataframe check {c.name}" for c in schema.checks)
    return "\n".join(lines) + "\n"


def test_the_plain_check_knows_the_current_rules_of_the_models() -> None:
    assert describe_models() == RULES


def slow_path(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """The frames findings with pandera always run, as before the plain check existed."""
    with monkeypatch.context() as m:
        m.setattr(frames_check, "plainly_valid", lambda dataset: False)
        return list(frames_check.check(Context(dataset)))


def test_the_bundled_dataset_passes_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = load()
    assert frames_check.plainly_valid(dataset)
    assert slow_path(dataset, monkeypatch) == []


Mutation = Callable[[Dataset], Dataset]


def _unchecked(cls: type[Any], **values: object) -> Any:
    """A part made without validation (as pydantic's model_construct makes a record)."""
    part = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(part, name, value)
    return part


_EMPTY_NAME = _unchecked(OrganizationName, name="", abbreviation=None, start=None, end=None, citations=())


def _event(dataset: Dataset, **update: object) -> Dataset:
    return replace(dataset, events=[dataset.events[0].model_copy(update=update), *dataset.events[1:]])


def _observation(dataset: Dataset, metric: str, **update: object) -> Dataset:
    first = next(i for i, o in enumerate(dataset.observations) if o.metric == metric)
    observations = list(dataset.observations)
    observations[first] = observations[first].model_copy(update=update)
    return replace(dataset, observations=observations)


MUTATIONS: dict[str, Mutation] = {
    "percent over 100": lambda d: _observation(d, "share", value=Decimal("150")),
    "negative count": lambda d: _observation(d, "people", value=Decimal("-1")),
    "NaN value": lambda d: _observation(d, "people", value=Decimal("NaN")),
    "duplicate event id": lambda d: replace(d, events=[*d.events, d.events[0]]),
    "duplicate observation id": lambda d: replace(d, observations=[*d.observations, d.observations[0]]),
    "bad event id": lambda d: _event(d, id="Bad Id"),
    "id with a newline": lambda d: _event(d, id="e\n"),
    "unknown kind": lambda d: _event(d, kind="party"),
    "empty title": lambda d: _event(d, title=""),
    "unknown status": lambda d: _event(d, status="postponed"),
    "ordinal 0": lambda d: _event(d, series="s", ordinal=0),
    "series not text": lambda d: _event(d, series=5),
    "date as text": lambda d: _event(d, date="2017"),
    "unknown qualifier": lambda d: _observation(d, "people", qualifier="circa"),
    "empty as_reported": lambda d: _observation(d, "people", as_reported=""),
    "no date at all": lambda d: _observation(d, "people", as_of=None, period=None),
    # the list columns: parties, party names, countries, sources
    "party id with a space": lambda d: _event(d, parties=[_unchecked(Party, id="Bad Id", name=None)]),
    "recorded country not ISO": lambda d: _event(d, countries=["XX"]),
    "countries as text": lambda d: _event(d, countries="FR"),
    "party's country not ISO": lambda d: replace(
        d, organizations=[d.organizations[0].model_copy(update={"country": "XX"})]
    ),
    "party name empty": lambda d: replace(
        d, organizations=[d.organizations[0].model_copy(update={"names": [_EMPTY_NAME]})]
    ),
    "source id with a space": lambda d: _event(
        d, citations=[_unchecked(Citation, source="Bad Source", quote="52", locator=None, prospective=False)]
    ),
    "subject not text": lambda d: _observation(d, "people", subject=5),
}

SMALL = {
    "metrics.yaml": """\
    - {id: share, label: A share, unit: percent, kind: ratio}
    - {id: people, label: People, unit: count, kind: stock}
    """,
    "organizations.yaml": """\
    - {id: inpi-fr, kind: national_office, country: FR, names: [{name: National Institute of Industrial Property}]}
    """,
    "events/2017.yaml": """\
    - id: e
      title: E
      kind: meeting
      date: "2017-02"
      location: {city: Geneva, country: CH}
      parties: [inpi-fr]
      countries: [CN]
      citations: [{source: report-2017, quote: "52 new agreements"}]
    - {id: f, title: F, kind: visit, date: "2017", citations: [{source: report-2017, quote: "52"}]}
    """,
    "observations/report-2017.yaml": """\
    - {id: a, metric: share, value: 72.8, as_reported: "72.8%", as_of: "2017",
       citations: [{source: report-2017, quote: "72.8%"}]}
    - {id: b, metric: people, value: 1300, qualifier: more_than, as_reported: "more than 1,300", as_of: "2017-05",
       citations: [{source: report-2017, quote: "more than 1,300"}]}
    """,
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_row_that_a_model_fails_is_never_passed_by_the_plain_check(
    name: str, make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = load(make_dataset(SMALL))
    assert frames_check.plainly_valid(dataset) and slow_path(dataset, monkeypatch) == []
    broken = MUTATIONS[name](dataset)
    try:
        findings = slow_path(broken, monkeypatch)
    except Exception:  # some shapes do not even make a frame: the plain check must not hide that
        assert not frames_check.plainly_valid(broken)
        return
    if frames_check.plainly_valid(broken):
        # pandas matches '$' before a final newline, as re.match does: both pass "e\n"
        assert findings == [] and name == "id with a newline"
    else:
        assert findings, "the models found nothing: the plain check is stricter than they are"
        # with the plain check in front, the family reports exactly what the models report
        assert list(frames_check.check(Context(broken))) == findings


def test_dates_at_the_edges_of_the_frame_range_pass_both_ways(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = load(make_dataset(SMALL))
    # The first and last days a PartialDate may have (a date outside them is refused when parsed).
    for text in ("1901", "2199-12-31"):
        edge = _event(dataset, date=PartialDate(text))
        assert frames_check.plainly_valid(edge)
        assert slow_path(edge, monkeypatch) == []
    assert date(1901, 1, 1) >= frames_check._FIRST_DAY and date(2199, 12, 31) <= frames_check._LAST_DAY
