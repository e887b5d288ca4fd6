"""One rule for an organization's name at a date, and every export shows what it gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar
from python_calamine import CalamineWorkbook

from ipcoop_data import read_dataset
from ipcoop_data.analysis.names import name_on
from ipcoop_data.export import to_ics, to_timeline, to_xlsx
from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.records import Organization

from .conftest import MakeDataset

CITE = [{"source": "s", "quote": "q"}]
RENAMED = Organization.model_validate(
    {
        "id": "office",
        "kind": "national_office",
        "country": "CN",
        "names": [
            {"name": "Old Office", "start": "2001", "end": "2018-03-31", "citations": CITE},
            {"name": "New Office", "start": "2018-04-01", "citations": CITE},
        ],
    }
)


@pytest.mark.parametrize(
    ("when", "shown"),
    [
        ("2017-05", "Old Office"),
        ("2018-03-31", "Old Office"),
        ("2018-04-01", "New Office"),
        ("2018", "New Office"),  # April to December is the larger part of 2018
        ("2018-01/2018-04-30", "Old Office"),  # 90 days of the old name against 30 of the new
        ("1995", "Old Office"),  # before every span: the first name on record
        ("2030", "New Office"),
        (None, "New Office"),
    ],
)
def test_the_name_shown_is_the_one_in_use_for_most_of_the_date(when: str | None, shown: str) -> None:
    assert name_on(RENAMED, PartialDate(when) if when else None).name == shown


ORGS = """\
- id: office
  kind: national_office
  country: CN
  names:
    - {name: Old Office, start: "2001", end: "2018-03-31", citations: [{source: report-2017, quote: "In May"}]}
    - {name: New Office, start: "2018-04-01", citations: [{source: report-2017, quote: "In May"}]}
"""
EVENT = """\
- id: e2018
  title: Meeting of the year
  kind: meeting
  date: "2018"
  parties: [office]
  citations: [{source: report-2017, quote: "In May", prospective: true}]
"""


def test_the_workbook_calendar_and_timeline_show_the_same_name(make_dataset: MakeDataset, tmp_path: Path) -> None:
    dataset = read_dataset(make_dataset({"organizations.yaml": ORGS, "events/2018.yaml": EVENT})).dataset
    to_xlsx(dataset, tmp_path / "w.xlsx")
    to_ics(dataset, tmp_path / "c.ics", year_events="span")
    to_timeline(dataset, tmp_path / "t.json")
    rows = CalamineWorkbook.from_path(str(tmp_path / "w.xlsx")).get_sheet_by_name("Events").to_python()
    parties = rows[0].index("parties")
    assert "New Office" in str(rows[1][parties]) and "Old Office" not in str(rows[1][parties])
    [vevent] = Calendar.from_ical((tmp_path / "c.ics").read_bytes()).walk("VEVENT")
    assert "New Office" in str(vevent["DESCRIPTION"]) and "Old Office" not in str(vevent["DESCRIPTION"])
    timeline = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    [slide] = [s for s in timeline["events"] if s.get("unique_id") == "e2018"]
    assert "New Office" in slide["text"]["text"] and "Old Office" not in slide["text"]["text"]
