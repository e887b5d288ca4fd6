"""The iCalendar export, read back with parsers other than the icalendar library that wrote it.

Structure is checked with ``ical`` and ``vobject``; only the "what falls in this month" query uses
recurring_ical_events (which runs on icalendar), as a calendar client would.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events  # type: ignore[import-untyped]
import vobject  # type: ignore[import-untyped]
from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream

import ipcoop_data
from ipcoop_data import Dataset, Finding, Precision, Report
from ipcoop_data.export.common import SERIES_CALENDAR_DIR, citation_line, dataset_timestamp
from ipcoop_data.export.ics import calendar_bytes, to_ics

DAY_EVENT = "2022-02-05-china-hague-agreement-accession"
INTERVAL_EVENT = "2024-09-bri-high-level-conference-ip-3"
MONTH_EVENT = "2017-05-belt-and-road-forum"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return ipcoop_data.load()


@pytest.fixture(scope="module")
def exports(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("ics")
    (skip,) = to_ics(dataset, out / "skip" / "ipcoop-data.ics")
    (span,) = to_ics(dataset, out / "span" / "ipcoop-data.ics", year_events="span")
    return {"skip": skip.read_bytes(), "span": span.read_bytes()}


def ical_parse(content: bytes) -> IcalCalendar:
    return IcsCalendarStream.calendar_from_ics(content.decode("utf-8"))


def vobject_parse(content: bytes) -> Any:
    return vobject.readOne(content.decode("utf-8"), validate=True)


def by_uid(content: bytes) -> dict[str, Any]:
    return {vevent.uid.value: vevent for vevent in vobject_parse(content).vevent_list}


def uid(event_id: str) -> str:
    return f"{event_id}@ipcoop-data"


# --- structure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["skip", "span"])
def test_both_parsers_read_one_vevent_per_exported_event(
    policy: str, dataset: Dataset, exports: dict[str, bytes]
) -> None:
    expected = sorted(e.id for e in dataset.events if policy == "span" or e.date.precision != Precision.YEAR)
    assert len(expected) == (len(dataset.events) if policy == "span" else 102)

    cal = ical_parse(exports[policy])
    assert [e.uid for e in cal.events] == [uid(i) for i in expected]  # sorted by id, one each
    vcal = vobject_parse(exports[policy])
    assert [v.uid.value for v in vcal.vevent_list] == [uid(i) for i in expected]

    for event in cal.events:
        assert type(event.dtstart) is date and type(event.dtend) is date, event.uid  # all-day
        assert event.dtend > event.dtstart, event.uid
        assert event.transparency == "TRANSPARENT"
    for vevent in vcal.vevent_list:
        assert vevent.dtend.value > vevent.dtstart.value
        assert vevent.dtstart.params.get("VALUE") == ["DATE"]


def test_calendar_properties(dataset: Dataset, exports: dict[str, bytes]) -> None:
    import ipcoop_data.export

    assert ipcoop_data.export.__getattr__("to_ics") is to_ics  # the lazy import finds it
    vcal = vobject_parse(exports["skip"])
    assert vcal.version.value == "2.0"
    assert vcal.prodid.value == f"-//ipcoop-data//ipcoop-data {ipcoop_data.__version__}//EN"
    assert vcal.calscale.value == "GREGORIAN"
    assert vcal.method.value == "PUBLISH"
    assert vcal.contents["name"][0].value == vcal.x_wr_calname.value == "ipcoop-data: international IP cooperation"
    assert vcal.description.value == vcal.x_wr_caldesc.value
    assert "Dataset version 0.1.0+" in vcal.description.value
    assert vcal.refresh_interval.params["VALUE"] == ["DURATION"]

    cal = ical_parse(exports["skip"])
    assert cal.refresh_interval == timedelta(weeks=1)
    ttl = [x.value for x in cal.extras if x.name.lower() == "x-published-ttl"]
    assert ttl == ["P7D"]


def test_statuses_follow_the_record(dataset: Dataset, exports: dict[str, bytes]) -> None:
    vevents = by_uid(exports["span"])
    expected = {"held": "CONFIRMED", "planned": "TENTATIVE", "cancelled": "CANCELLED"}
    for event in dataset.events:
        assert vevents[uid(event.id)].status.value == expected[event.status]
    assert sum(v.status.value == "TENTATIVE" for v in vevents.values()) == 10


# --- dates --------------------------------------------------------------------------------------


def test_day_events_fall_on_their_day(dataset: Dataset, exports: dict[str, bytes]) -> None:
    cal = ical_parse(exports["skip"])
    events = {e.uid: e for e in cal.events}
    hague = events[uid(DAY_EVENT)]
    assert (hague.dtstart, hague.dtend) == (date(2022, 2, 5), date(2022, 2, 6))
    day_events = [e for e in dataset.events if e.date.precision == Precision.DAY and not e.date.is_interval]
    assert len(day_events) == 9
    for event in day_events:
        vevent = events[uid(event.id)]
        assert (vevent.dtstart, vevent.dtend) == (event.date.lower, event.date.lower + timedelta(days=1))


def test_interval_spans_its_days(exports: dict[str, bytes]) -> None:
    vevent = by_uid(exports["skip"])[uid(INTERVAL_EVENT)]
    assert vevent.dtstart.value == date(2024, 9, 11)
    assert vevent.dtend.value == date(2024, 9, 14)  # exclusive: the 11th, 12th and 13th
    assert (vevent.dtend.value - vevent.dtstart.value).days == 3
    assert vevent.x_ipcoop_edtf.value == "2024-09-11/2024-09-13"
    assert vevent.location.value == "Beijing, China"
    assert vevent.categories.value == ["conference", "Belt and Road High-Level Conference on Intellectual Property"]


def test_month_interval_spans_from_first_to_last_month(exports: dict[str, bytes]) -> None:
    vevent = by_uid(exports["skip"])[uid("2022-05-cnipa-patent-open-license-pilot")]
    assert (vevent.dtstart.value, vevent.dtend.value) == (date(2022, 5, 1), date(2024, 1, 1))
    assert vevent.x_ipcoop_precision.value == "month"


def test_month_event_fills_its_month_and_only_it(exports: dict[str, bytes]) -> None:
    import icalendar  # only to feed recurring_ical_events, which is built on it

    query = recurring_ical_events.of(icalendar.Calendar.from_ical(exports["skip"]))
    in_may = {str(e["UID"]) for e in query.at((2017, 5))}
    assert uid(MONTH_EVENT) in in_may
    assert uid(MONTH_EVENT) not in {str(e["UID"]) for e in query.at((2017, 4))}
    assert uid(MONTH_EVENT) not in {str(e["UID"]) for e in query.at((2017, 6))}
    assert uid(MONTH_EVENT) in {str(e["UID"]) for e in query.at((2017, 5, 31))}

    vevent = by_uid(exports["skip"])[uid(MONTH_EVENT)]
    assert (vevent.dtstart.value, vevent.dtend.value) == (date(2017, 5, 1), date(2017, 6, 1))
    assert vevent.transp.value == "TRANSPARENT"
    assert vevent.x_ipcoop_edtf.value == "2017-05"
    assert vevent.x_ipcoop_precision.value == "month"
    first_line = vevent.description.value.splitlines()[0]
    assert first_line.startswith("Date known only to the month: May 2017 (EDTF 2017-05)")
    # Month views show only the summary: it says the day is unknown.
    assert vevent.summary.value == "Belt and Road Forum for International Cooperation (sometime in May 2017)"


def test_only_events_with_an_unknown_day_are_marked_in_the_summary(dataset: Dataset, exports: dict[str, bytes]) -> None:
    vevents = by_uid(exports["span"])
    for event in dataset.events:
        summary = vevents[uid(event.id)].summary.value
        if event.date.precision == Precision.DAY or event.date.is_interval:
            assert summary == event.title
        else:
            assert summary.startswith(event.title + " (sometime in ") and summary.endswith(f"{event.date.year})")


def test_skip_leaves_year_events_out_and_says_how_many(dataset: Dataset, exports: dict[str, bytes]) -> None:
    year_only = [e for e in dataset.events if e.date.precision == Precision.YEAR]
    assert len(year_only) == 145
    cal = ical_parse(exports["skip"])
    precisions = {x.value for e in cal.events for x in e.extras if x.name.lower() == "x-ipcoop-precision"}
    assert precisions == {"day", "month"}
    assert not {uid(e.id) for e in year_only} & {e.uid for e in cal.events}
    (description,) = cal.description
    assert "145 events known only to the year left out" in description
    assert "ipcoop export ics --year-events span" in description


def test_span_gives_year_events_their_whole_year(dataset: Dataset, exports: dict[str, bytes]) -> None:
    vevents = by_uid(exports["span"])
    year_only = [e for e in dataset.events if e.date.precision == Precision.YEAR]
    for event in year_only:
        vevent = vevents[uid(event.id)]
        year = event.date.lower.year
        assert (vevent.dtstart.value, vevent.dtend.value) == (date(year, 1, 1), date(year + 1, 1, 1)), event.id
        assert vevent.transp.value == "TRANSPARENT"
        assert vevent.x_ipcoop_precision.value == "year"
        assert vevent.description.value.startswith(f"Date known only to the year: {year} (EDTF {year})")
    one_day_new_year = [
        event.id
        for event in dataset.events
        if event.date.precision != Precision.DAY
        and (v := vevents[uid(event.id)]).dtstart.value == date(event.date.lower.year, 1, 1)
        and v.dtend.value - v.dtstart.value == timedelta(days=1)
    ]
    assert one_day_new_year == []  # a year (or month) never shrinks to 1 January
    report_year = [e for e in year_only if e.date_basis == "report_year"]
    assert report_year
    for event in report_year:
        assert "dated to the year its annual report covers" in vevents[uid(event.id)].description.value
    assert "145 events known only to the year included" in vobject_parse(exports["span"]).description.value


def test_unknown_year_policy_is_refused(dataset: Dataset, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="year_events"):
        to_ics(dataset, tmp_path / "c.ics", year_events="first-of-january")  # type: ignore[arg-type]
    assert not (tmp_path / "c.ics").exists()


# --- text -----------------------------------------------------------------------------------------


def test_description_quotes_the_sources(dataset: Dataset, exports: dict[str, bytes]) -> None:
    event = dataset.event(DAY_EVENT)
    assert event is not None and len(event.citations) == 4
    description = {e.uid: e.description for e in ical_parse(exports["skip"]).events}[uid(DAY_EVENT)]
    assert description is not None
    lines = description.splitlines()
    assert lines[0] == "Date: 5 February 2022 (EDTF 2022-02-05)"
    assert "Parties: World Intellectual Property Organization (WIPO)" in lines
    assert "Sources:" in lines
    for citation in event.citations:
        assert citation.quote in description
        assert f"- {citation_line(dataset, citation)}" in lines
    assert "on 5th February" in description  # the caption that gives the day


def test_url_is_the_first_cited_source_with_one(dataset: Dataset) -> None:
    event = dataset.event(DAY_EVENT)
    assert event is not None
    first, last = event.citations[0].source, event.citations[-1].source
    assert first != last
    assert all(s.url is None for s in dataset.sources)  # the bundled sources have none: no URL line
    assert "url" not in by_uid(calendar_bytes(dataset, [event], "t", "t"))[uid(DAY_EVENT)].contents

    def with_urls(urls: dict[str, str]) -> Dataset:
        sources = [s.model_copy(update={"url": urls[s.id]}) if s.id in urls else s for s in dataset.sources]
        return dataclasses.replace(dataset, sources=sources)

    only_last = with_urls({last: "https://example.org/last"})
    assert by_uid(calendar_bytes(only_last, [event], "t", "t"))[uid(DAY_EVENT)].url.value == "https://example.org/last"
    both = with_urls({first: "https://example.org/first", last: "https://example.org/last"})
    assert by_uid(calendar_bytes(both, [event], "t", "t"))[uid(DAY_EVENT)].url.value == "https://example.org/first"


def test_findings_of_a_report_are_shown(dataset: Dataset) -> None:
    event = dataset.event(MONTH_EVENT)
    assert event is not None
    report = Report(
        findings=[
            Finding("quote-mismatch", "warning", "the quote differs", record_id=event.id, record_type="event"),
            Finding("trivia", "info", "just so you know", record_id=event.id, record_type="event"),
        ]
    )
    description = by_uid(calendar_bytes(dataset, [event], "t", "t", report=report))[uid(event.id)].description.value
    assert "Validation warning (quote-mismatch): the quote differs" in description
    assert "just so you know" not in description


# --- bytes ----------------------------------------------------------------------------------------


def assert_well_folded(content: bytes) -> None:
    assert content.endswith(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")  # no bare LF
    assert b"\r" not in content.replace(b"\r\n", b"")  # no bare CR
    for line in content.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character


@pytest.mark.parametrize("policy", ["skip", "span"])
def test_lines_are_crlf_and_folded_at_75_octets(policy: str, exports: dict[str, bytes]) -> None:
    content = exports[policy]
    assert_well_folded(content)
    assert b"\r\n " in content  # long lines were folded, not left long
    assert any(not line.isascii() for line in content.split(b"\r\n"))  # the en dashes in source titles


def test_multibyte_text_folds_between_characters(dataset: Dataset) -> None:
    event = dataset.event(DAY_EVENT)
    assert event is not None
    title = "国家知识产权局与世界知识产权组织" * 12  # 3 octets a character: folds fall mid-character unless careful
    for shift in range(3):  # move the fold points across character boundaries
        long = event.model_copy(update={"title": "x" * shift + title})
        content = calendar_bytes(dataset, [long], "t", "t")
        assert_well_folded(content)
        assert [e.summary for e in ical_parse(content).events] == ["x" * shift + title]  # a day event: no marker


def test_exports_are_byte_identical_and_stamped_with_the_dataset(tmp_path: Path) -> None:
    first = to_ics(ipcoop_data.load(), tmp_path / "a" / "c.ics", per_series=True)
    second = to_ics(ipcoop_data.load(), tmp_path / "b" / "c.ics", per_series=True)
    assert len(first) == len(second) > 1
    for a, b in zip(first, second, strict=True):
        assert a.relative_to(tmp_path / "a") == b.relative_to(tmp_path / "b")
        assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()

    stamp = dataset_timestamp(ipcoop_data.load())
    content = first[0].read_bytes()
    stamps = {line for line in content.split(b"\r\n") if line.startswith(b"DTSTAMP")}
    assert stamps == {b"DTSTAMP:" + stamp.strftime("%Y%m%dT%H%M%SZ").encode()}
    assert {e.dtstamp for e in ical_parse(content).events} == {stamp}


# --- files ----------------------------------------------------------------------------------------


def test_per_series_calendars(dataset: Dataset, tmp_path: Path) -> None:
    paths = to_ics(dataset, tmp_path / "ipcoop-data.ics", per_series=True)
    assert paths[0] == tmp_path / "ipcoop-data.ics"
    with_events = {
        s.id
        for s in dataset.series
        if any(e.series == s.id and e.date.precision != Precision.YEAR for e in dataset.events)
    }
    assert 0 < len(with_events) < len(dataset.series)  # some series have only year-dated events
    series_files = paths[1:]
    assert {p.stem for p in series_files} == with_events
    assert sorted(p.name for p in (tmp_path / SERIES_CALENDAR_DIR).iterdir()) == sorted(p.name for p in series_files)
    for path in series_files:
        assert path.parent == tmp_path / SERIES_CALENDAR_DIR
        series = dataset.series_by_id(path.stem)
        assert series is not None
        content = path.read_bytes()
        assert_well_folded(content)
        cal = ical_parse(content)
        assert cal.name == [f"ipcoop-data: {series.name}"]
        expected = sorted(
            uid(e.id) for e in dataset.events if e.series == series.id and e.date.precision != Precision.YEAR
        )
        assert [e.uid for e in cal.events] == expected
        assert len(vobject_parse(content).vevent_list) == len(expected)
        for event in cal.events:
            record = dataset.event(event.uid.removesuffix("@ipcoop-data"))
            assert record is not None and record.series == series.id
            assert series.name in event.categories


def test_per_series_under_span_adds_series_with_only_year_events(dataset: Dataset, tmp_path: Path) -> None:
    skip = to_ics(dataset, tmp_path / "skip" / "c.ics", per_series=True)
    span = to_ics(dataset, tmp_path / "span" / "c.ics", year_events="span", per_series=True)
    with_any = {s.id for s in dataset.series if any(e.series == s.id for e in dataset.events)}
    assert {p.stem for p in span[1:]} == with_any
    assert len(span) > len(skip)


def test_failed_write_leaves_the_previous_file(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ipcoop-data.ics"
    target.write_bytes(b"previous")
    real_write = Path.write_bytes

    def half_then_fail(self: Path, data: Any) -> int:
        real_write(self, bytes(data)[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        to_ics(dataset, target)
    monkeypatch.undo()
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["ipcoop-data.ics"]  # no temporary file left


def test_failure_while_building_writes_nothing(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ipcoop-data.ics"
    to_ics(dataset, target, per_series=True)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.ics")}
    calls = 0

    def fail_on_a_series(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls > 1:  # the main calendar is built; a series calendar is not
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    import ipcoop_data.export.ics as ics

    real = ics.calendar_bytes
    monkeypatch.setattr(ics, "calendar_bytes", fail_on_a_series)
    with pytest.raises(RuntimeError, match="boom"):
        to_ics(dataset, target, year_events="span", per_series=True)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
