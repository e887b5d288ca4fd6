"""The iCalendar export, read back with parsers other than the icalendar library that wrote it.

Structure is checked with ``ical`` and ``vobject``; only the "what falls on this day" queries use
recurring_ical_events (which runs on icalendar), as a calendar client would.

Layouts: "digest" is the default (events known only to the month or the year listed in one item
on the 1st of their month, or on 1 January), "span" gives every event its own VEVENT over every
day it may mean, "old" is the layout before digests (months spanned, years left out).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events  # type: ignore[import-untyped]
import vobject  # type: ignore[import-untyped]
from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream
from ical.event import Event as IcalEvent

import ipcoop_data
from ipcoop_data import Dataset, Finding, Precision, Report
from ipcoop_data.export.common import MONTHS, SERIES_CALENDAR_DIR, citation_line, dataset_timestamp
from ipcoop_data.export.ics import calendar_bytes, to_ics
from ipcoop_data.model.records import Event

DAY_EVENT = "2022-02-05-china-hague-agreement-accession"
INTERVAL_EVENT = "2024-09-bri-high-level-conference-ip-3"
MONTH_EVENT = "2017-05-belt-and-road-forum"
PILOT = "2022-05-cnipa-patent-open-license-pilot"  # 2022-05/2023-12: a span known to the month
DIGEST = "@digest.ipcoop-data"
#: Google Calendar keeps about 8,192 characters of a description.
GOOGLE_DESCRIPTION_LIMIT = 8192

LAYOUTS = {
    "digest": {},
    "span": {"month_events": "span", "year_events": "span"},
    "old": {"month_events": "span", "year_events": "skip"},
    "skip": {"month_events": "skip", "year_events": "skip"},
}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return ipcoop_data.load()


@pytest.fixture(scope="module")
def exports(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("ics")
    written = {name: to_ics(dataset, out / name / "ipcoop-data.ics", **kw) for name, kw in LAYOUTS.items()}
    return {name: paths[0].read_bytes() for name, paths in written.items()}


def ical_parse(content: bytes) -> IcalCalendar:
    return IcsCalendarStream.calendar_from_ics(content.decode("utf-8"))


def vobject_parse(content: bytes) -> Any:
    return vobject.readOne(content.decode("utf-8"), validate=True)


def by_uid(content: bytes) -> dict[str, Any]:
    return {vevent.uid.value: vevent for vevent in vobject_parse(content).vevent_list}


def uid(event_id: str) -> str:
    return f"{event_id}@ipcoop-data"


def extras(vevent: IcalEvent, name: str) -> list[str]:
    return [x.value for x in vevent.extras if x.name.lower() == name]


def digests_of(content: bytes) -> list[IcalEvent]:
    return [e for e in ical_parse(content).events if e.uid.endswith(DIGEST)]


def per_day(content: bytes) -> Counter[date]:
    """How many items a day view shows on each day, from DTSTART and the exclusive DTEND."""
    counts: Counter[date] = Counter()
    for vevent in ical_parse(content).events:
        day = vevent.dtstart
        while day < vevent.dtend:
            counts[day] += 1
            day += timedelta(days=1)
    return counts


def said(text: str) -> str:
    """``November 2022`` or ``2022`` for an EDTF month or year, written here, not by the exporter."""
    year, _, month = text.partition("-")
    return f"{MONTHS[int(month) - 1]} {year}" if month else year


def period(event: Event) -> str:
    first = event.date.lower
    return f"{first.year}-{first.month:02d}" if event.date.precision == Precision.MONTH else str(first.year)


# --- structure ----------------------------------------------------------------------------------


def test_by_default_day_events_stand_alone_and_the_rest_is_in_digests(
    dataset: Dataset, exports: dict[str, bytes]
) -> None:
    day_precise = sorted(e.id for e in dataset.events if e.date.precision == Precision.DAY)
    assert len(day_precise) == 14
    cal = ical_parse(exports["digest"])
    own = [e.uid for e in cal.events if not e.uid.endswith(DIGEST)]
    assert own == [uid(i) for i in day_precise]  # sorted by id, one each
    digests = [e for e in cal.events if e.uid.endswith(DIGEST)]
    assert [e.dtstart for e in digests] == sorted(e.dtstart for e in digests)
    assert len({e.uid for e in cal.events}) == len(cal.events)  # every UID unique
    vcal = vobject_parse(exports["digest"])
    assert [v.uid.value for v in vcal.vevent_list] == [e.uid for e in cal.events]
    for vevent in vcal.vevent_list:
        assert vevent.dtstart.params.get("VALUE") == ["DATE"]
        assert vevent.dtend.value > vevent.dtstart.value
        assert vevent.transp.value == "TRANSPARENT"


def test_span_gives_every_event_its_own_vevent(dataset: Dataset, exports: dict[str, bytes]) -> None:
    expected = sorted(e.id for e in dataset.events)
    cal = ical_parse(exports["span"])
    assert [e.uid for e in cal.events] == [uid(i) for i in expected]
    assert [v.uid.value for v in vobject_parse(exports["span"]).vevent_list] == [uid(i) for i in expected]
    for event in cal.events:
        assert type(event.dtstart) is date and type(event.dtend) is date, event.uid  # all-day
        assert event.dtend > event.dtstart, event.uid
        assert event.transparency == "TRANSPARENT"


def test_the_layout_before_digests_is_still_there(dataset: Dataset, exports: dict[str, bytes]) -> None:
    expected = sorted(e.id for e in dataset.events if e.date.precision != Precision.YEAR)
    assert len(expected) == 107
    assert [e.uid for e in ical_parse(exports["old"]).events] == [uid(i) for i in expected]
    description = ical_parse(exports["old"]).description[0]
    assert "Of 252 events: 107 shown on their own, 0 listed in 0 digest items, 145 left out." in description
    assert "ipcoop export ics --month-events digest --year-events digest" in description


def test_calendar_properties(dataset: Dataset, exports: dict[str, bytes]) -> None:
    import ipcoop_data.export

    assert ipcoop_data.export.__getattr__("to_ics") is to_ics  # the lazy import finds it
    vcal = vobject_parse(exports["digest"])
    assert vcal.version.value == "2.0"
    assert vcal.prodid.value == f"-//ipcoop-data//ipcoop-data {ipcoop_data.__version__}//EN"
    assert vcal.calscale.value == "GREGORIAN"
    assert vcal.method.value == "PUBLISH"
    assert vcal.contents["name"][0].value == vcal.x_wr_calname.value == "ipcoop-data: international IP cooperation"
    assert vcal.description.value == vcal.x_wr_caldesc.value
    assert "Dataset version 0.1.0+" in vcal.description.value
    digests = len(digests_of(exports["digest"]))
    assert f"Of 252 events: 14 shown on their own, 238 listed in {digests} digest items, 0 left out." in (
        vcal.description.value
    )
    assert "that item is a list, not an event on that day" in vcal.description.value
    assert vcal.refresh_interval.params["VALUE"] == ["DURATION"]

    cal = ical_parse(exports["digest"])
    assert cal.refresh_interval == timedelta(weeks=1)
    ttl = [x.value for x in cal.extras if x.name.lower() == "x-published-ttl"]
    assert ttl == ["P7D"]


def test_statuses_follow_the_record(dataset: Dataset, exports: dict[str, bytes]) -> None:
    vevents = by_uid(exports["span"])
    expected = {"held": "CONFIRMED", "planned": "TENTATIVE", "cancelled": "CANCELLED"}
    for event in dataset.events:
        assert vevents[uid(event.id)].status.value == expected[event.status]
    assert sum(v.status.value == "TENTATIVE" for v in vevents.values()) == 10


# --- what a reader sees ----------------------------------------------------------------------------


def test_the_densest_day_shows_at_most_five_items(dataset: Dataset, exports: dict[str, bytes], tmp_path: Path) -> None:
    import icalendar  # only to feed recurring_ical_events, which is built on it

    counts = per_day(exports["digest"])
    densest, most = counts.most_common(1)[0]
    assert most <= 5, (densest, most)
    # a calendar client's own query of that day agrees with the count from DTSTART/DTEND
    query = recurring_ical_events.of(icalendar.Calendar.from_ical(exports["digest"]))
    assert len(query.at((densest.year, densest.month, densest.day))) == most
    assert len(query.at((2022, 11, 15))) == 0  # mid-November 2022 is empty: nothing was held on a known day

    # the layouts that draw months over their days fail the same measure, so it measures something
    assert max(per_day(exports["old"]).values()) >= 10
    assert max(per_day(exports["span"]).values()) > 5

    for path in to_ics(dataset, tmp_path / "c.ics", per_series=True)[1:]:
        assert max(per_day(path.read_bytes()).values()) <= 5, path.name


def test_every_event_is_in_the_calendar_once(dataset: Dataset, exports: dict[str, bytes]) -> None:
    """As its own VEVENT or listed in a digest, named by UID or by X-IPCOOP-EVENT; never both, never twice."""
    seen: Counter[str] = Counter()
    for vevent in ical_parse(exports["digest"]).events:
        if vevent.uid.endswith(DIGEST):
            seen.update(extras(vevent, "x-ipcoop-event"))
        else:
            seen[vevent.uid.removesuffix("@ipcoop-data")] += 1
    ids = {e.id for e in dataset.events}
    assert len(set(seen) & ids) / len(ids) >= 0.95  # the target of issue 13
    assert set(seen) == ids and set(seen.values()) == {1}  # and in fact all of them, each once
    # vobject reads the same names
    listed = [
        p.value for v in vobject_parse(exports["digest"]).vevent_list for p in v.contents.get("x-ipcoop-event", [])
    ]
    assert sorted(listed) == sorted(e.id for e in dataset.events if e.date.precision != Precision.DAY)


def test_a_digest_lists_each_event_with_its_title_source_and_quote(dataset: Dataset, exports: dict[str, bytes]) -> None:
    for vevent in digests_of(exports["digest"]):
        (edtf,) = extras(vevent, "x-ipcoop-edtf")
        (precision,) = extras(vevent, "x-ipcoop-precision")
        first = date(int(edtf[:4]), int(edtf[5:7]) if precision == "month" else 1, 1)
        assert (vevent.dtstart, vevent.dtend) == (first, first + timedelta(days=1)), vevent.uid  # its day only
        assert vevent.transparency == "TRANSPARENT"
        description = vevent.description or ""
        assert len(description) < GOOGLE_DESCRIPTION_LIMIT, vevent.uid
        listed = [dataset.event(i) for i in extras(vevent, "x-ipcoop-event")]
        assert listed and all(listed)
        for event in listed:
            assert event is not None
            assert period(event) == edtf and str(event.date.precision) == precision
            assert event.title in description
            for citation in event.citations:
                source = dataset.source(citation.source)
                assert source is not None and source.title in description
                assert f'"{citation.quote}"' in description
        total = sum(period(e) == edtf and e.date.precision != Precision.DAY for e in dataset.events)
        if total == 1:
            assert vevent.summary.endswith(f": {listed[0].title}")
            assert vevent.summary.startswith(said(listed[0].date.start))
        else:
            assert re.fullmatch(
                rf"{said(edtf)}: {total} events known only to the {precision}( \(part \d of \d\))?", vevent.summary
            ), vevent.summary
        assert f"is not {'its' if total == 1 else 'their'} date" in description


def test_november_2022_reads_as_one_list(dataset: Dataset, exports: dict[str, bytes]) -> None:
    november = [e for e in dataset.events if e.date.text == "2022-11"]
    assert len(november) >= 5
    (digest,) = [e for e in digests_of(exports["digest"]) if e.dtstart == date(2022, 11, 1)]
    assert digest.summary == f"November 2022: {len(november)} events known only to the month"
    assert digest.uid == "2022-11.1@digest.ipcoop-data"
    assert sorted(extras(digest, "x-ipcoop-event")) == sorted(e.id for e in november)
    assert digest.description is not None
    assert digest.description.startswith(
        f"{len(november)} events whose sources give the month (November 2022) but not the day."
    )
    assert digest.description.count("From CNIPA Annual Report 2022") == 1  # the source once, its items under it


def test_long_digests_are_cut_into_parts_between_entries(dataset: Dataset, exports: dict[str, bytes]) -> None:
    parts = [e for e in digests_of(exports["digest"]) if e.dtstart == date(2022, 1, 1)]
    year_2022 = [e for e in dataset.events if e.date.text == "2022"]
    assert len(parts) > 1  # 72 events with their quotes do not fit one description
    assert [e.summary for e in parts] == [
        f"2022: {len(year_2022)} events known only to the year (part {i} of {len(parts)})"
        for i in range(1, len(parts) + 1)
    ]
    assert [e.uid for e in parts] == [f"2022.{i}@digest.ipcoop-data" for i in range(1, len(parts) + 1)]
    listed = [i for e in parts for i in extras(e, "x-ipcoop-event")]
    assert sorted(listed) == sorted(e.id for e in year_2022)
    for part in parts:
        assert part.description is not None
        assert part.description.count("• ") == len(extras(part, "x-ipcoop-event"))  # whole entries only


def test_a_digest_keeps_its_uid_when_its_month_changes(dataset: Dataset) -> None:
    november = sorted((e for e in dataset.events if e.date.text == "2022-11"), key=lambda e: e.id)
    some = [v.uid for v in ical_parse(calendar_bytes(dataset, november[:2], "t", "t")).events]
    all_ = [v.uid for v in ical_parse(calendar_bytes(dataset, november, "t", "t")).events]
    assert some == all_ == ["2022-11.1@digest.ipcoop-data"]  # re-importing updates the item


def test_a_digest_of_one_event_names_it_and_says_everything(dataset: Dataset, exports: dict[str, bytes]) -> None:
    vevents = {e.dtstart: e for e in digests_of(exports["digest"])}
    one = vevents[date(2015, 12, 1)]
    (event_id,) = extras(one, "x-ipcoop-event")
    event = dataset.event(event_id)
    assert event is not None
    assert one.summary == f"December 2015: {event.title}"  # short before the title: month views cut the rest
    assert one.description is not None and f"ipcoop-data event {event.id}" in one.description


# --- dates --------------------------------------------------------------------------------------


def test_day_events_fall_on_their_day(dataset: Dataset, exports: dict[str, bytes]) -> None:
    cal = ical_parse(exports["digest"])
    events = {e.uid: e for e in cal.events}
    hague = events[uid(DAY_EVENT)]
    assert (hague.dtstart, hague.dtend) == (date(2022, 2, 5), date(2022, 2, 6))
    day_events = [e for e in dataset.events if e.date.precision == Precision.DAY and not e.date.is_interval]
    assert len(day_events) == 13
    for event in day_events:
        vevent = events[uid(event.id)]
        assert (vevent.dtstart, vevent.dtend) == (event.date.lower, event.date.lower + timedelta(days=1))
        assert vevent.summary == event.title  # no marker: the day is known


def test_interval_spans_its_days(exports: dict[str, bytes]) -> None:
    vevent = by_uid(exports["digest"])[uid(INTERVAL_EVENT)]
    assert vevent.dtstart.value == date(2024, 9, 11)
    assert vevent.dtend.value == date(2024, 9, 14)  # exclusive: the 11th, 12th and 13th
    assert (vevent.dtend.value - vevent.dtstart.value).days == 3
    assert vevent.x_ipcoop_edtf.value == "2024-09-11/2024-09-13"
    assert vevent.location.value == "Beijing, China"
    assert vevent.categories.value == ["conference", "Belt and Road High-Level Conference on Intellectual Property"]


def test_a_multi_month_span_is_marked_in_every_layout(dataset: Dataset, exports: dict[str, bytes]) -> None:
    marker = "(May 2022 to December 2023, exact days unknown)"
    vevent = by_uid(exports["span"])[uid(PILOT)]
    assert (vevent.dtstart.value, vevent.dtend.value) == (date(2022, 5, 1), date(2024, 1, 1))
    assert vevent.x_ipcoop_precision.value == "month"
    assert vevent.summary.value == f"CNIPA patent open-license pilot programme {marker}"
    assert "Shown from the first day of its first month to the last day of its last" in vevent.description.value
    # listed once, in the digest of the month it began, with the whole span
    (may,) = [e for e in digests_of(exports["digest"]) if PILOT in extras(e, "x-ipcoop-event")]
    assert may.dtstart == date(2022, 5, 1)
    assert f"• CNIPA patent open-license pilot programme {marker}" in (may.description or "")


def test_month_event_fills_its_month_and_only_it(exports: dict[str, bytes]) -> None:
    import icalendar  # only to feed recurring_ical_events, which is built on it

    query = recurring_ical_events.of(icalendar.Calendar.from_ical(exports["span"]))
    in_may = {str(e["UID"]) for e in query.at((2017, 5))}
    assert uid(MONTH_EVENT) in in_may
    assert uid(MONTH_EVENT) not in {str(e["UID"]) for e in query.at((2017, 4))}
    assert uid(MONTH_EVENT) not in {str(e["UID"]) for e in query.at((2017, 6))}
    assert uid(MONTH_EVENT) in {str(e["UID"]) for e in query.at((2017, 5, 31))}

    vevent = by_uid(exports["span"])[uid(MONTH_EVENT)]
    assert (vevent.dtstart.value, vevent.dtend.value) == (date(2017, 5, 1), date(2017, 6, 1))
    assert vevent.transp.value == "TRANSPARENT"
    assert vevent.x_ipcoop_edtf.value == "2017-05"
    assert vevent.x_ipcoop_precision.value == "month"
    first, second = vevent.description.value.splitlines()[:2]
    assert first == "Date known only to the month: May 2017 (EDTF 2017-05)"
    assert second == "Shown over the whole month, since its day is unknown."
    # Month views show only the summary: it says the day is unknown.
    assert vevent.summary.value == "Belt and Road Forum for International Cooperation (sometime in May 2017)"


def test_only_events_with_an_unknown_day_are_marked_in_the_summary(dataset: Dataset, exports: dict[str, bytes]) -> None:
    vevents = by_uid(exports["span"])
    for event in dataset.events:
        summary = vevents[uid(event.id)].summary.value
        if event.date.precision == Precision.DAY:
            assert summary == event.title
        elif event.date.is_interval:
            assert summary == f"{event.title} ({said(event.date.start)} to {said(event.date.end)}, exact days unknown)"
        else:
            assert summary == f"{event.title} (sometime in {said(event.date.text)})"


def test_span_gives_year_events_their_whole_year(dataset: Dataset, exports: dict[str, bytes]) -> None:
    vevents = by_uid(exports["span"])
    year_only = [e for e in dataset.events if e.date.precision == Precision.YEAR]
    assert len(year_only) == 145
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


def test_skip_leaves_events_out_and_says_how_many(dataset: Dataset, exports: dict[str, bytes]) -> None:
    cal = ical_parse(exports["skip"])
    assert [e.uid for e in cal.events] == [
        uid(e.id) for e in sorted(dataset.events, key=lambda e: e.id) if e.date.precision == Precision.DAY
    ]
    (description,) = cal.description
    assert "Of 252 events: 14 shown on their own, 0 listed in 0 digest items, 238 left out." in description
    assert "Events known only to the month or the year are left out" in description


def test_unknown_layout_is_refused(dataset: Dataset, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="year_events"):
        to_ics(dataset, tmp_path / "c.ics", year_events="first-of-january")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="month_events"):
        to_ics(dataset, tmp_path / "c.ics", month_events="first")  # type: ignore[arg-type]
    assert not (tmp_path / "c.ics").exists()


# --- text -----------------------------------------------------------------------------------------


def test_description_quotes_the_sources(dataset: Dataset, exports: dict[str, bytes]) -> None:
    event = dataset.event(DAY_EVENT)
    assert event is not None and len(event.citations) == 4
    description = {e.uid: e.description for e in ical_parse(exports["digest"]).events}[uid(DAY_EVENT)]
    assert description is not None
    lines = description.splitlines()
    assert lines[0] == "Date: 5 February 2022 (EDTF 2022-02-05)"
    assert "Parties: World Intellectual Property Organization (WIPO)" in lines
    assert "Sources:" in lines
    for citation in event.citations:
        assert citation.quote in description
        assert f"- {citation_line(dataset, citation)}" in lines
    assert "on 5th February" in description  # the caption that gives the day


def test_description_names_the_countries_an_event_is_with(exports: dict[str, bytes]) -> None:
    described = {e.uid: (e.description or "").splitlines() for e in ical_parse(exports["span"]).events}
    assert "Countries: China; France" in described[uid("2022-china-france-high-level-economic-financial-dialogue")]
    assert "Countries: China" in described[uid(DAY_EVENT)]  # WIPO has no country; the record names China
    munich = described[uid("2017-03-ip5-deputy-heads-17")]
    assert "Countries: China" in munich  # with whom; Germany is where (its LOCATION)


def test_url_wherever_a_cited_source_has_one(dataset: Dataset, exports: dict[str, bytes]) -> None:
    with_url = {s.id: s.url for s in dataset.sources if s.url}
    assert with_url and len(with_url) < len(dataset.sources)  # some sources have one, some not
    vevents = by_uid(exports["span"])
    linked = 0
    for event in dataset.events:
        urls = [with_url[c.source] for c in event.citations if c.source in with_url]
        vevent = vevents[uid(event.id)]
        if urls:
            assert vevent.url.value == urls[0], event.id  # the first cited source that has one
            linked += 1
        else:
            assert "url" not in vevent.contents, event.id
    assert linked > 0
    # a digest whose events cite one linked source carries its URL, and names it under the source
    for vevent in digests_of(exports["digest"]):
        listed = [dataset.event(i) for i in extras(vevent, "x-ipcoop-event")]
        urls = {with_url[c.source] for e in listed if e for c in e.citations if c.source in with_url}
        assert vevent.url == (urls.pop() if len(urls) == 1 else None), vevent.uid
        for url in urls:
            assert url in (vevent.description or "")


def test_url_is_the_first_cited_source_with_one(dataset: Dataset) -> None:
    event = dataset.event(DAY_EVENT)
    assert event is not None
    first, last = event.citations[0].source, event.citations[-1].source
    assert first != last

    def with_urls(urls: dict[str, str | None]) -> Dataset:
        sources = [s.model_copy(update={"url": urls[s.id]}) if s.id in urls else s for s in dataset.sources]
        return dataclasses.replace(dataset, sources=sources)

    none = with_urls({c.source: None for c in event.citations})
    assert "url" not in by_uid(calendar_bytes(none, [event], "t", "t"))[uid(DAY_EVENT)].contents
    only_last = with_urls({first: None, last: "https://example.org/last"})
    assert by_uid(calendar_bytes(only_last, [event], "t", "t"))[uid(DAY_EVENT)].url.value == "https://example.org/last"
    both = with_urls({first: "https://example.org/first", last: "https://example.org/last"})
    assert by_uid(calendar_bytes(both, [event], "t", "t"))[uid(DAY_EVENT)].url.value == "https://example.org/first"


def test_text_is_escaped_and_reads_back_whole(dataset: Dataset) -> None:
    """Commas, semicolons, backslashes and line breaks survive, in an event and in a digest alike."""
    day, month = dataset.event(DAY_EVENT), dataset.event(MONTH_EVENT)
    assert day is not None and month is not None
    title = 'A, B; C\\D "quoted" – 国家'
    note = "line one\nline two, with; all\\of it"
    events = [
        day.model_copy(update={"title": title, "note": note}),
        month.model_copy(update={"title": title}),
        month.model_copy(update={"id": "2017-05-other", "title": "Other; event"}),
    ]
    content = calendar_bytes(dataset, events, "t", "t")
    raw = content.replace(b"\r\n ", b"").decode("utf-8")  # unfolded
    assert "SUMMARY:A\\, B\\; C\\\\D" in raw
    cal = ical_parse(content)
    (own,) = [e for e in cal.events if e.uid == uid(DAY_EVENT)]
    assert own.summary == title and own.description is not None and f"Note: {note}" in own.description
    (digest,) = digests_of(content)
    assert digest.description is not None and f"• {title}\n" in digest.description
    assert "• Other; event" in digest.description
    vevents = by_uid(content)
    assert vevents[uid(DAY_EVENT)].summary.value == title
    assert f"Note: {note}" in vevents[uid(DAY_EVENT)].description.value


def test_findings_of_a_report_are_shown(dataset: Dataset) -> None:
    event = dataset.event(MONTH_EVENT)
    assert event is not None
    report = Report(
        findings=[
            Finding("quote-mismatch", "warning", "the quote differs", record_id=event.id, record_type="event"),
            Finding("trivia", "info", "just so you know", record_id=event.id, record_type="event"),
        ]
    )
    for layout in ("span", "digest"):  # in its own VEVENT, and in the digest that lists it
        content = calendar_bytes(dataset, [event], "t", "t", report=report, month_events=layout)  # type: ignore[arg-type]
        (vevent,) = ical_parse(content).events
        assert vevent.description is not None
        assert "Validation warning (quote-mismatch): the quote differs" in vevent.description
        assert "just so you know" not in vevent.description


# --- bytes ----------------------------------------------------------------------------------------


def assert_well_folded(content: bytes) -> None:
    assert content.endswith(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")  # no bare LF
    assert b"\r" not in content.replace(b"\r\n", b"")  # no bare CR
    for line in content.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character


@pytest.mark.parametrize("layout", LAYOUTS)
def test_lines_are_crlf_and_folded_at_75_octets(layout: str, exports: dict[str, bytes]) -> None:
    content = exports[layout]
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
    with_events = {s.id for s in dataset.series if any(e.series == s.id for e in dataset.events)}
    assert 0 < len(with_events) < len(dataset.series)  # some series have no event at all
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
        members = sorted(e.id for e in dataset.events if e.series == series.id)
        own = [e.uid.removesuffix("@ipcoop-data") for e in cal.events if not e.uid.endswith(DIGEST)]
        listed = [i for e in cal.events if e.uid.endswith(DIGEST) for i in extras(e, "x-ipcoop-event")]
        assert sorted(own + listed) == members  # every event of the series, once
        assert len(vobject_parse(content).vevent_list) == len(cal.events)
        for event in cal.events:
            if not event.uid.endswith(DIGEST):
                assert series.name in event.categories


def test_per_series_writes_only_series_with_something_to_show(dataset: Dataset, tmp_path: Path) -> None:
    skip = to_ics(dataset, tmp_path / "skip" / "c.ics", per_series=True, month_events="skip", year_events="skip")
    digest = to_ics(dataset, tmp_path / "digest" / "c.ics", per_series=True)
    with_day = {
        s.id
        for s in dataset.series
        if any(e.series == s.id and e.date.precision == Precision.DAY for e in dataset.events)
    }
    assert {p.stem for p in skip[1:]} == with_day
    assert len(digest) > len(skip)


def test_failed_write_leaves_the_previous_file(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ipcoop-data.ics"
    target.write_bytes(b"previous")
    import ipcoop_data.export.ics as ics

    real = ics.calendar_chunks

    def half_then_fail(*args: Any, **kwargs: Any) -> Any:
        for n, chunk in enumerate(real(*args, **kwargs)):
            if n == 5:  # a few components written, then the disk is full
                raise OSError("disk full")
            yield chunk

    monkeypatch.setattr(ics, "calendar_chunks", half_then_fail)
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

    real = ics.calendar_chunks
    monkeypatch.setattr(ics, "calendar_chunks", fail_on_a_series)
    with pytest.raises(RuntimeError, match="boom"):
        to_ics(dataset, target, year_events="span", per_series=True)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
