"""Consistency: qualified values as intervals, compared by metric kind and time; rulings."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcoop_data import load, read_dataset
from ipcoop_data.analysis.discrepancies import comparisons
from ipcoop_data.analysis.intervals import Interval, interval_of
from ipcoop_data.checks import validate
from ipcoop_data.cli import main

from .conftest import MakeDataset

SOURCES = """\
- {id: early, title: Early, kind: news, published: "2024-07-29", text: early.txt}
- {id: late, title: Late, kind: news, published: "2024-09", text: late.txt}
"""
METRICS = """\
- {id: partners, label: Partners, unit: count, kind: cumulative}
- {id: offices, label: Offices, unit: count, kind: stock}
- {id: filings, label: Filings, unit: count, kind: flow}
"""


def obs(oid: str, source: str, metric: str, value: str, as_reported: str, when: str, qualifier: str = "exact") -> str:
    field = "period" if "/" in when else "as_of"
    return (
        f"- id: {oid}\n  metric: {metric}\n  value: {value}\n  qualifier: {qualifier}\n"
        f'  as_reported: "{as_reported}"\n  {field}: "{when}"\n'
        f'  citations: [{{source: {source}, quote: "with {as_reported} partners"}}]\n'
    )


def findings_for(make_dataset: MakeDataset, *observations: str, rulings: str = "") -> list[tuple[str, str]]:
    files = {"sources.yaml": SOURCES, "metrics.yaml": METRICS, "observations/all.yaml": "".join(observations)}
    if rulings:
        files["rulings.yaml"] = rulings
    root = make_dataset(files)
    report = validate(read_dataset(root), families=["consistency"])
    return sorted((f.code, f.severity) for f in report.findings)


def test_agreement_is_not_a_finding(make_dataset: MakeDataset) -> None:
    assert (
        findings_for(
            make_dataset,
            obs("a", "early", "partners", "57", "57", "2024-07-29"),
            obs("b", "late", "partners", "57", "57", "2024-09"),
        )
        == []
    )


def test_compatible_bounds_are_info(make_dataset: MakeDataset) -> None:
    assert findings_for(
        make_dataset,
        obs("a", "early", "partners", "1200", "more than 1,200", "2024-07-29", "more_than"),
        obs("b", "late", "partners", "1300", "more than 1,300", "2024-09", "more_than"),
    ) == [("metric-compatible", "info")]


def test_growth_of_a_cumulative_metric_is_a_warning(make_dataset: MakeDataset) -> None:
    assert findings_for(
        make_dataset,
        obs("a", "early", "partners", "17", "17", "2024-07-29"),
        obs("b", "late", "partners", "18", "18", "2024-09"),
    ) == [("metric-growth", "warning")]


def test_shrink_of_a_cumulative_metric_is_a_conflict(make_dataset: MakeDataset) -> None:
    assert findings_for(
        make_dataset,
        obs("a", "early", "partners", "18", "18", "2024-07-29"),
        obs("b", "late", "partners", "17", "17", "2024-09"),
    ) == [("metric-conflict", "error")]


def test_same_date_conflict_of_a_stock(make_dataset: MakeDataset) -> None:
    assert findings_for(
        make_dataset,
        obs("a", "early", "offices", "10", "10", "2024-07"),
        obs("b", "late", "offices", "12", "12", "2024-07-15"),
    ) == [("metric-conflict", "error")]


def test_stocks_at_different_dates_are_not_compared(make_dataset: MakeDataset) -> None:
    assert (
        findings_for(
            make_dataset,
            obs("a", "early", "offices", "10", "10", "2023"),
            obs("b", "late", "offices", "12", "12", "2024-07"),
        )
        == []
    )


def test_flows_over_different_periods_are_not_compared(make_dataset: MakeDataset) -> None:
    assert (
        findings_for(
            make_dataset,
            obs("a", "early", "filings", "100", "100", "2024-01/2024-06"),
            obs("b", "late", "filings", "300", "300", "2024-01/2024-08"),
        )
        == []
    )


def test_flows_over_the_same_period_conflict(make_dataset: MakeDataset) -> None:
    assert findings_for(
        make_dataset,
        obs("a", "early", "filings", "100", "100", "2024-01/2024-06"),
        obs("b", "late", "filings", "300", "300", "2024-01/2024-06"),
    ) == [("metric-conflict", "error")]


def test_different_subjects_are_different_quantities(make_dataset: MakeDataset) -> None:
    a = obs("a", "early", "filings", "100", "100", "2024-01/2024-06") + "  subject: Japan\n"
    b = obs("b", "late", "filings", "300", "300", "2024-01/2024-06") + "  subject: Korea\n"
    assert findings_for(make_dataset, a, b) == []


RULING = """\
- id: r1
  observations: [a, b]
  decision: both_stand
  reason: The later source counts one more partner signed in between.
"""


def test_a_ruling_settles_a_growth_and_a_conflict(make_dataset: MakeDataset) -> None:
    grow = (
        obs("a", "early", "partners", "17", "17", "2024-07-29"),
        obs("b", "late", "partners", "18", "18", "2024-09"),
    )
    assert findings_for(make_dataset, *grow, rulings=RULING) == [("metric-growth", "info")]


def test_a_ruling_on_figures_that_agree_is_stale(make_dataset: MakeDataset) -> None:
    same = (
        obs("a", "early", "partners", "17", "17", "2024-07-29"),
        obs("b", "late", "partners", "17", "17", "2024-09"),
    )
    assert findings_for(make_dataset, *same, rulings=RULING) == [("stale-ruling", "warning")]


OPEN_RULING = """\
- id: r1
  observations: [a, b]
  decision: open
  reason: The two counts may count different things.
  evidence: [{source: early, quote: "with 17 partners"}]
"""


def test_an_open_ruling_settles_nothing(make_dataset: MakeDataset) -> None:
    grow = (
        obs("a", "early", "partners", "17", "17", "2024-07-29"),
        obs("b", "late", "partners", "18", "18", "2024-09"),
    )
    assert findings_for(make_dataset, *grow, rulings=OPEN_RULING) == [("metric-growth", "warning")]
    shrink = (
        obs("a", "early", "partners", "17", "17", "2024-07-29"),
        obs("b", "late", "partners", "16", "16", "2024-09"),
    )
    assert findings_for(make_dataset, *shrink, rulings=OPEN_RULING) == [("metric-conflict", "error")]


def test_an_open_ruling_on_a_finding_keeps_its_severity(make_dataset: MakeDataset) -> None:
    grow = obs("a", "early", "partners", "17", "17", "2024-07-29") + obs("b", "late", "partners", "18", "18", "2024-09")
    files = {"sources.yaml": SOURCES, "metrics.yaml": METRICS, "observations/all.yaml": grow}
    [finding] = validate(load(make_dataset(files)), families=["consistency"]).findings
    ruling = f"- {{id: r2, finding: {finding.fingerprint}, decision: open, reason: Not decided.}}\n"
    files["rulings.yaml"] = ruling
    [again] = validate(load(make_dataset(files)), families=["consistency"]).findings
    assert (again.code, again.severity) == ("metric-growth", "warning")
    assert again.message.endswith("(open: evidence in ruling r2)")


def test_bundled_pph_discrepancy_stays_open_and_shows_the_2017_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    dataset = load()
    [pph] = [c for c in comparisons(dataset) if c.metric.id == "bri-pph-partners"]
    assert pph.ruling is not None and pph.ruling.decision == "open" and not pph.settled
    assert {e.source for e in pph.ruling.evidence} >= {"sipo-annual-report-2017-ch7"}
    # The evidence quotes are checked like any other: they are among the dataset's citations.
    cited = {(path[0], c.quote) for kind, r, path, c in dataset.citations() if kind == "ruling"}
    assert all(("evidence", e.quote) in cited for e in pph.ruling.evidence)
    [finding] = [f for f in validate(dataset).findings if f.record_id == "feature2024.bri-pph-partners"]
    assert (finding.code, finding.severity) == ("metric-growth", "warning")
    assert main(["discrepancies"]) == 0
    out = capsys.readouterr().out
    block = " ".join(out.split("bri-pph-partners", 1)[1].split("\n\n", 1)[0].split())
    assert "growth open" in " ".join(out.split()) and "ruling bri-pph-partners-17-then-18 (open)" in block
    assert "evidence (sipo-annual-report-2017-ch7, 7 Cooperation in Patent Examination):" in block
    assert "the Eurasian Patent Office, the African Regional Intellectual Property Organization and Brazil" in block
    assert main(["discrepancies", "--format", "json"]) == 0
    [record] = [d for d in json.loads(capsys.readouterr().out)["discrepancies"] if d["metric"] == "bri-pph-partners"]
    assert record["status"] == "open" and record["ruling"]["decision"] == "open"
    assert [e["source"] for e in record["ruling"]["evidence"]][:2] == ["sipo-annual-report-2017-ch7"] * 2


def test_bundled_pph_difference_is_reported_with_both_quotes(capsys: pytest.CaptureFixture[str]) -> None:
    [pph] = [c for c in comparisons(load()) if c.metric.id == "bri-pph-partners"]
    assert pph.outcome == "growth"
    assert (pph.first.value, pph.second.value) == (17, 18)
    assert main(["discrepancies"]) == 0
    out = capsys.readouterr().out
    block = " ".join(out.split("bri-pph-partners", 1)[1].split("\n\n", 1)[0].split())
    assert "17 BRI partners" in block and "18 Belt and Road partners" in block
    assert "scio-press-conference-2024-07-29" in block and "feature-2024-09-bri-conference" in block


# --- interval properties ---------------------------------------------------------------------

values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
qualifiers = st.sampled_from(["exact", "more_than", "at_least", "about", "nearly", "up_to", "less_than"])


@given(values, qualifiers)
def test_a_stated_value_is_inside_its_interval_unless_strictly_excluded(value: Decimal, qualifier: str) -> None:
    interval = interval_of(value, qualifier)
    excluded = qualifier in ("more_than", "less_than") or (qualifier == "nearly" and value != 0)
    assert (value in interval) == (not excluded)


@given(values, qualifiers, values, qualifiers)
def test_intersection_is_symmetric(v1: Decimal, q1: str, v2: Decimal, q2: str) -> None:
    a, b = interval_of(v1, q1), interval_of(v2, q2)
    assert a.intersects(b) == b.intersects(a)
    assert a.intersects(a)


@given(values, values)
def test_more_than_intervals_always_overlap(v1: Decimal, v2: Decimal) -> None:
    assert interval_of(v1, "more_than").intersects(interval_of(v2, "more_than"))


@given(values, values)
def test_exact_values_intersect_only_when_equal(v1: Decimal, v2: Decimal) -> None:
    assert interval_of(v1, "exact").intersects(interval_of(v2, "exact")) == (v1 == v2)


@given(values, st.decimals(min_value=0, max_value=10**9, places=2))
def test_a_witness_in_both_means_they_intersect(v: Decimal, w: Decimal) -> None:
    a, b = interval_of(v, "at_least"), Interval(w, w)
    assert a.intersects(b) == (w >= v)


def test_about_uses_the_metric_tolerance() -> None:
    assert str(interval_of(Decimal(20), "about")) == "[19, 21]"
    assert str(interval_of(Decimal(20), "about", Decimal("0.1"))) == "[18, 22]"
    assert str(interval_of(Decimal(50), "nearly")) == "[47.5, 50)"
