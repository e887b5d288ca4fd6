"""Series ordinals, finding rulings by fingerprint, and --baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipcoop_data import load, read_dataset
from ipcoop_data.checks import validate
from ipcoop_data.cli import main

from .conftest import MakeDataset

SERIES = """\
- id: heads
  name: Heads Meeting
  numbered: true
  cadence: annual
"""


def event(eid: str, date: str, ordinal: int) -> str:
    return (
        f'- id: {eid}\n  title: Heads Meeting {ordinal}\n  kind: meeting\n  date: "{date}"\n'
        f"  series: heads\n  ordinal: {ordinal}\n"
        '  citations: [{source: report-2017, quote: "In May, the office held the 3rd Heads Meeting"}]\n'
    )


def codes(make_dataset: MakeDataset, *events: str, **extra: str) -> list[tuple[str, str]]:
    files = {"series.yaml": SERIES, "events/2017.yaml": "".join(events), **extra}
    report = validate(read_dataset(make_dataset(files)), families=["series"])
    return sorted((f.code, f.severity) for f in report.findings)


def test_ordinals_in_date_order_are_clean(make_dataset: MakeDataset) -> None:
    assert codes(make_dataset, event("a", "2017-05", 3), event("b", "2017-09", 4)) == []


def test_an_ordinal_out_of_date_order_is_an_error(make_dataset: MakeDataset) -> None:
    assert codes(make_dataset, event("a", "2017-09", 3), event("b", "2017-05", 4)) == [("series-order", "error")]


def test_partial_dates_that_overlap_are_not_out_of_order(make_dataset: MakeDataset) -> None:
    assert codes(make_dataset, event("a", "2017-05-20", 3), event("b", "2017-05", 4)) == []


def test_two_records_of_one_ordinal_are_an_error(make_dataset: MakeDataset) -> None:
    assert codes(make_dataset, event("a", "2017-05", 3), event("b", "2017-05", 3)) == [
        ("series-duplicate-ordinal", "error")
    ]


def test_many_records_of_one_ordinal_are_one_finding_naming_each(make_dataset: MakeDataset) -> None:
    copies = "".join(event(f"copy-{i:02d}", "2017-05", 3) for i in range(30))
    report = validate(load(make_dataset({"series.yaml": SERIES, "events/2017.yaml": copies})), families=["series"])
    [finding] = [f for f in report.findings if f.code == "series-duplicate-ordinal"]
    assert finding.message.startswith("30 records are the 3rd")
    assert all(f"copy-{i:02d} (events/2017.yaml:" in finding.message for i in range(30))


def test_a_gap_in_a_yearly_cadence_is_info(make_dataset: MakeDataset, tmp_path: Path) -> None:
    report = validate(
        read_dataset(
            make_dataset(
                {
                    "series.yaml": SERIES,
                    "events/2017.yaml": event("a", "2017-05", 3),
                    "events/2020.yaml": event("b", "2020-05", 6),
                }
            )
        ),
        families=["series"],
    )
    [gap] = report.findings
    assert (gap.code, gap.severity) == ("series-gap", "info")
    assert "4th (2018), 5th (2019)" in gap.message


def test_a_ruling_settles_a_finding_by_fingerprint(make_dataset: MakeDataset) -> None:
    dup = (event("a", "2017-05", 3), event("b", "2017-05", 3))
    root = make_dataset({"series.yaml": SERIES, "events/2017.yaml": "".join(dup)})
    [finding] = validate(read_dataset(root), families=["series"]).findings
    ruling = (
        f"- id: r1\n  finding: {finding.fingerprint}\n  decision: different_definitions\n"
        "  reason: The two sessions share a number in the source.\n"
    )
    (root / "rulings.yaml").write_text(ruling, encoding="utf-8")
    [settled] = validate(read_dataset(root), families=["series"]).findings
    assert settled.severity == "info" and "settled by ruling r1" in settled.message
    assert settled.fingerprint == finding.fingerprint

    (root / "events/2017.yaml").write_text(dup[0], encoding="utf-8")
    everything = validate(read_dataset(root)).findings  # only a full run can call a ruling stale
    [stale] = [f for f in everything if f.code == "stale-ruling"]
    assert (stale.severity, stale.record_id) == ("warning", "r1")


def test_baseline_fails_only_on_new_findings(
    make_dataset: MakeDataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_dataset(
        {"series.yaml": SERIES, "events/2017.yaml": event("a", "2017-09", 3) + event("b", "2017-05", 4)}
    )
    baseline = tmp_path / "baseline.json"
    assert main(["validate", "--dataset", str(root), "--format", "json", "--output", str(baseline)]) == 1
    assert json.loads(baseline.read_text())["summary"]["errors"] == 1
    assert main(["validate", "--dataset", str(root), "--baseline", str(baseline)]) == 0
    assert "1 known from the baseline" in capsys.readouterr().out

    (root / "events/2017.yaml").write_text(
        event("a", "2017-09", 3) + event("b", "2017-05", 4) + event("c", "2017-05", 4), encoding="utf-8"
    )
    assert main(["validate", "--dataset", str(root), "--baseline", str(baseline)]) == 1

    fingerprints = tmp_path / "baseline.txt"
    fingerprints.write_text("# known\n" + json.loads(baseline.read_text())["findings"][0]["fingerprint"] + "\n")
    (root / "events/2017.yaml").write_text(event("a", "2017-09", 3) + event("b", "2017-05", 4), encoding="utf-8")
    assert main(["validate", "--dataset", str(root), "--baseline", str(fingerprints)]) == 0


def test_unreadable_baseline_exits_2(
    make_dataset: MakeDataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "b.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["validate", "--dataset", str(make_dataset({})), "--baseline", str(bad)]) == 2
    assert "not a JSON report" in capsys.readouterr().err


def test_a_finding_ruling_is_not_stale_when_its_family_did_not_run() -> None:
    report = validate(load(), families=["provenance"])
    assert not [f for f in report.findings if f.code == "stale-ruling"]
