"""Relations between figures: part within whole, stated change, stated duration."""

from __future__ import annotations

from ipcoop_data import load, read_dataset
from ipcoop_data.checks import validate
from ipcoop_data.report.findings import Finding

from .conftest import MakeDataset

CITE = '[{source: report-2017, quote: "the office signed 52 new agreements"}]'
METRICS = """\
- {id: filings, label: Filings, unit: count, kind: flow}
- {id: rank, label: Rank, unit: rank, kind: rank}
- {id: rank-change, label: Rank change, unit: places, kind: change}
- {id: length, label: Length, unit: months, kind: flow}
- {id: per-10k, label: Patents per 10k, unit: per_10k_people, kind: stock}
- {id: per-10k-target, label: Target of patents per 10k, unit: per_10k_people, kind: stock}
"""


def obs(oid: str, metric: str, value: str, when: str = "2017", qualifier: str = "exact") -> str:
    field = "period" if "/" in when or metric in ("filings", "length") else "as_of"
    return (
        f'- {{id: {oid}, metric: {metric}, value: {value}, qualifier: {qualifier}, as_reported: "{value}", '
        f'{field}: "{when}", citations: {CITE}}}\n'
    )


def findings(make_dataset: MakeDataset, observations: str, relations: str, events: str = "") -> list[tuple[str, str]]:
    files = {"metrics.yaml": METRICS, "observations/report-2017.yaml": observations, "relations.yaml": relations}
    if events:
        files["events/2016.yaml"] = events
    report = validate(read_dataset(make_dataset(files)), families=["integrity", "relations"])
    return sorted((f.code, f.severity) for f in report.findings)


PART_OF = "- {id: r, kind: part_of, parts: [a, b], whole: total}\n"


def test_parts_within_their_whole_hold(make_dataset: MakeDataset) -> None:
    figures = obs("a", "filings", "22000") + obs("b", "filings", "20000") + obs("total", "filings", "78000")
    assert findings(make_dataset, figures, PART_OF) == []


def test_parts_larger_than_their_whole_are_an_error_that_shows_the_sum(make_dataset: MakeDataset) -> None:
    figures = obs("a", "filings", "52000") + obs("b", "filings", "30000") + obs("total", "filings", "78000")
    root = make_dataset({"metrics.yaml": METRICS, "observations/report-2017.yaml": figures, "relations.yaml": PART_OF})
    [finding] = validate(load(root), families=["relations"]).findings
    assert (finding.code, finding.severity) == ("relation-part-exceeds-whole", "error")
    # Both sides as printed, each with what it counts and its record.
    assert "'52000' (Filings, a) + '30000' (Filings, b); together [82000, 82000]" in finding.message
    assert "the whole '78000' (Filings, total)" in finding.message


def test_more_than_parts_can_still_fit(make_dataset: MakeDataset) -> None:
    figures = obs("a", "filings", "50000", qualifier="more_than") + obs("b", "filings", "20000")
    figures += obs("total", "filings", "78000")
    assert findings(make_dataset, figures, PART_OF) == []


DIFFERENCE = "- {id: r, kind: difference, change: c, before: x, after: y, decrease: true}\n"


def test_a_stated_rank_rise_equal_to_the_difference_holds(make_dataset: MakeDataset) -> None:
    figures = (
        obs("x", "rank", "35", "2013") + obs("y", "rank", "12", "2017") + obs("c", "rank-change", "23", "2013/2017")
    )
    assert findings(make_dataset, figures, DIFFERENCE) == []


def test_a_stated_change_that_is_not_the_difference_is_a_warning(make_dataset: MakeDataset) -> None:
    figures = (
        obs("x", "rank", "35", "2013") + obs("y", "rank", "12", "2017") + obs("c", "rank-change", "21", "2013/2017")
    )
    assert findings(make_dataset, figures, DIFFERENCE) == [("relation-difference", "warning")]


DURATION = "- {id: r, kind: duration, duration: d, of_event: e}\n"


def event(date: str) -> str:
    return f'- {{id: e, title: Pilot, kind: programme, date: "{date}", citations: {CITE}}}\n'


def test_a_duration_that_fits_the_span_holds(make_dataset: MakeDataset) -> None:
    # May 2016 to October 2017 is 16.1 to 18.0 months, 17.1 read from the middle of each month.
    assert findings(make_dataset, obs("d", "length", "17", "2016-05/2017-10"), DURATION, event("2016-05/2017-10")) == []


def duration_messages(make_dataset: MakeDataset, stated: str, span: str) -> list[tuple[str, str, str]]:
    files = {
        "metrics.yaml": METRICS,
        "observations/report-2017.yaml": obs("d", "length", stated, span),
        "relations.yaml": DURATION,
        "events/2016.yaml": event(span),
    }
    report = validate(load(make_dataset(files)), families=["relations"])
    return [(f.code, f.severity, f.message) for f in report.findings]


def test_a_duration_that_holds_only_at_the_edge_of_its_dates_is_info_with_the_arithmetic(
    make_dataset: MakeDataset,
) -> None:
    # The open-licence pilot: "Since May 2022" to "the end of 2023" against "18 months": only
    # from 31 May 2022 to 1 December 2023 (550 days, 18.1 months); to 31 December it is 19.1.
    [(code, severity, message)] = duration_messages(make_dataset, "18", "2016-05/2017-12")
    assert (code, severity) == ("duration-at-edge", "info")
    assert "the span is 18.1 to 20.0 months (19.1 from the middle of each date)" in message
    assert "'18' (17.5 to 18.5 months) fits only 18.1 to 18.5 of it" in message
    assert "with the latest start and earliest end, 2016-05-31 to 2017-12-01" in message


def test_a_duration_at_the_long_edge_names_the_earliest_start_and_latest_end(make_dataset: MakeDataset) -> None:
    [(code, _, message)] = duration_messages(make_dataset, "20", "2016-05/2017-12")
    assert code == "duration-at-edge"
    assert "fits only 19.5 to 20.0 of it, with the earliest start and latest end, 2016-05-01 to 2017-12-31" in message


def test_a_duration_of_day_precise_dates_is_never_at_the_edge(make_dataset: MakeDataset) -> None:
    # 2016-05-31 to 2017-12-01 is 550 days, 18.1 months, the same on every reading.
    assert duration_messages(make_dataset, "18", "2016-05-31/2017-12-01") == []


def test_a_duration_that_does_not_fit_the_span_is_a_warning(make_dataset: MakeDataset) -> None:
    found = findings(make_dataset, obs("d", "length", "12", "2016-05/2017-10"), DURATION, event("2016-05/2017-10"))
    assert found == [("relation-duration", "warning")]


def target_findings(make_dataset: MakeDataset, reached: str, when: str, qualifier: str = "exact") -> list[Finding]:
    figures = obs("t", "per-10k-target", "12", "2016-03-16") + obs("r", "per-10k", reached, when, qualifier)
    relation = '- {id: r-target, kind: target, target: t, reached: r, by: "2017"}\n'
    files = {"metrics.yaml": METRICS, "observations/report-2017.yaml": figures, "relations.yaml": relation}
    return validate(load(make_dataset(files)), families=["relations"]).findings


def test_a_target_met_before_its_year_is_ahead_of_schedule(make_dataset: MakeDataset) -> None:
    [finding] = target_findings(make_dataset, "12.9", "2016-06")
    assert (finding.code, finding.severity) == ("relation-target-met", "info")
    assert "'12.9' (r, 2016-06) against the target '12' by 2017 (t): met, ahead of schedule" in finding.message


def test_a_target_met_within_its_year_is_in_time(make_dataset: MakeDataset) -> None:
    [finding] = target_findings(make_dataset, "12", "2017-06")
    assert (finding.code, finding.severity) == ("relation-target-met", "info")
    assert "met, in time: reached by 2017-06, within 2017" in finding.message


def test_a_target_short_before_its_date_is_pending_and_after_it_missed(make_dataset: MakeDataset) -> None:
    [pending] = target_findings(make_dataset, "11.5", "2016-06")
    assert (pending.code, pending.severity) == ("relation-target-pending", "info")
    assert "short of it ([11.5, 11.5] against [12, 12]), not yet due (2016-06, due 2017)" in pending.message
    [missed] = target_findings(make_dataset, "11.5", "2018-01")
    assert (missed.code, missed.severity) == ("relation-target-missed", "warning")
    assert "short of it ([11.5, 11.5] against [12, 12]) after its date (2018-01 is after 2017)" in missed.message


def test_a_target_met_only_after_its_date_is_missed(make_dataset: MakeDataset) -> None:
    [finding] = target_findings(make_dataset, "13", "2018-01")
    assert (finding.code, finding.severity) == ("relation-target-missed", "warning")
    assert "met only after its date" in finding.message


def test_an_about_figure_may_or_may_not_meet_a_target(make_dataset: MakeDataset) -> None:
    [finding] = target_findings(make_dataset, "12", "2016-06", qualifier="about")
    assert finding.code == "relation-target-pending" and "may or may not meet it" in finding.message


def test_a_target_in_another_unit_cannot_be_checked(make_dataset: MakeDataset) -> None:
    figures = obs("t", "per-10k-target", "12", "2016-03-16") + obs("r", "rank", "3", "2016")
    relation = '- {id: r-target, kind: target, target: t, reached: r, by: "2017"}\n'
    files = {"metrics.yaml": METRICS, "observations/report-2017.yaml": figures, "relations.yaml": relation}
    [finding] = validate(load(make_dataset(files)), families=["relations"]).findings
    assert finding.code == "relation-invalid" and "different units (per_10k_people, rank)" in finding.message


def test_a_target_relation_needs_its_date(make_dataset: MakeDataset) -> None:
    root = make_dataset({"metrics.yaml": METRICS, "relations.yaml": "- {id: r, kind: target, target: t, reached: r}\n"})
    [finding] = read_dataset(root).findings
    assert finding.code == "invalid-value" and "needs by" in finding.message


def test_a_relation_to_a_missing_observation_is_a_dangling_reference(make_dataset: MakeDataset) -> None:
    figures = obs("a", "filings", "1") + obs("total", "filings", "78000")
    assert findings(make_dataset, figures, PART_OF) == [("dangling-reference", "error")]


def test_a_relation_without_its_fields_is_a_schema_error(make_dataset: MakeDataset) -> None:
    root = make_dataset({"metrics.yaml": METRICS, "relations.yaml": "- {id: r, kind: difference, change: c}\n"})
    [finding] = read_dataset(root).findings
    assert finding.code == "invalid-value" and "needs before, after" in finding.message and finding.line == 1


def test_bundled_relations_hold_but_the_trademark_total() -> None:
    dataset = load()
    assert {r.kind for r in dataset.relations} == {"part_of", "difference", "duration", "target"}
    found = validate(dataset, families=["relations"]).findings
    assert [f.severity for f in found if f.code != "relation-part-exceeds-whole"] == ["info"] * (len(found) - 1)
    [finding] = [f for f in found if f.code == "relation-part-exceeds-whole"]
    # Domestic 45.909 million + foreign 2.135 million exceed the 45.909 million "in China": recorded
    # as stated, shown with both sides, settled (not hidden) by a source_error ruling.
    assert finding.record_id == "valid-trademarks-domestic-and-foreign-within-all"
    assert (finding.code, finding.severity) == ("relation-part-exceeds-whole", "info")
    assert "'45.909 million' (Valid registered domestic trademarks in China" in finding.message
    assert "'2.135 million' (Valid registered foreign trademarks in China" in finding.message
    assert "the whole '45.909 million' (Valid registered trademarks in China (domestic and foreign)" in finding.message
    assert "settled by ruling valid-trademarks-45909-million-two-readings: source_error" in finding.message


def test_bundled_target_and_pilot_are_shown() -> None:
    found = {f.record_id: f for f in validate(load(), families=["relations"]).findings}
    target = found["high-value-invention-patents-per-10k-target-2025"]
    assert target.code == "relation-target-met" and "'12.9'" in target.message and "ahead of schedule" in target.message
    pilot = found["open-license-pilot-length"]
    assert pilot.code == "duration-at-edge" and "2022-05-31 to 2023-12-01" in pilot.message
