from __future__ import annotations

from ipcoop_data import load
from ipcoop_data.checks import validate

from .conftest import MakeDataset

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
    report = validate(load(root, errors="collect"), families=["frames"])
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
    assert validate(load(root, errors="collect"), families=["frames"]).findings == []


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
