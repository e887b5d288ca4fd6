"""The TimelineJS3 export, read back with json and html.parser and checked against the dataset it came from."""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections import Counter, defaultdict
from datetime import date
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import ipcoop_data
from ipcoop_data import Dataset
from ipcoop_data.analysis.kinds import FAMILIES, kind_family
from ipcoop_data.checks import validate
from ipcoop_data.export.atomic import batch
from ipcoop_data.export.common import dataset_version
from ipcoop_data.export.timeline import (
    MAX_ROWS,
    NO_SERIES,
    OTHER_SERIES,
    PILE,
    YEAR_ROW,
    GroupBy,
    digest_slide,
    document_json,
    iter_slides,
    kind_name,
    rows,
    slide,
    timeline_document,
    to_timeline,
)
from ipcoop_data.export.timeline_page import page_html, page_path
from ipcoop_data.model.dates import PartialDate, Precision
from ipcoop_data.model.records import RECORD_TYPES, Event

HTML_ID = re.compile(r"^[^\s]+$")  # HTML5: an id is any non-empty string without whitespace
VENDOR = Path(ipcoop_data.__file__).parent / "export" / "vendor" / "timelinejs"


class Details(HTMLParser):
    """Each ``<details data-event=ID>`` of a digest slide: the event's id and its HTML inside."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.open: tuple[str, int] | None = None
        self.found: dict[str, str] = {}
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "details":
            assert self.open is None, "details inside details"
            event_id = dict(attrs)["data-event"]
            assert event_id is not None
            start = self._offset() + len(self.get_starttag_text() or "")
            self.open = (event_id, start)

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            assert self.open is not None
            event_id, start = self.open
            assert event_id not in self.found, f"{event_id} twice in one slide"
            self.found[event_id] = self.text[start : self._offset()]
            self.open = None


def read(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert set(doc) == {"title", "events"} and doc["title"]["text"]["headline"]
    return doc


def placements(doc: dict[str, Any]) -> dict[str, tuple[dict[str, Any], str]]:
    """Where each event is shown: its slide, and its HTML (the slide's text, or its part of a digest)."""
    out: dict[str, tuple[dict[str, Any], str]] = {}
    for s in doc["events"]:
        inside = Details(s["text"]["text"]).found
        shown = inside.items() if inside else [(s["unique_id"], s["text"]["text"])]
        for event_id, html in shown:
            assert event_id not in out, f"{event_id} is shown twice"
            out[event_id] = (s, html)
    return out


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return ipcoop_data.load()


@pytest.fixture(scope="module")
def doc(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return read(to_timeline(dataset, tmp_path_factory.mktemp("timeline") / "t.json", validate(dataset)))


@pytest.fixture(scope="module")
def by_series(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return read(to_timeline(dataset, tmp_path_factory.mktemp("timeline") / "s.json", group_by="series"))


@pytest.fixture(scope="module")
def slides(doc: dict[str, Any]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = doc["events"]
    return events


def by_id(dataset: Dataset) -> dict[str, Event]:
    return {e.id: e for e in dataset.events}


def day(d: date) -> dict[str, int]:
    return {"year": d.year, "month": d.month, "day": d.day}


def tricky_dataset() -> Dataset:
    """Markup in a title, a quote and a series name, which must reach the page as text."""
    dataset = Dataset()
    records: list[tuple[str, dict[str, Any]]] = [
        ("source", {"id": "s1", "title": "News <i>daily</i>", "kind": "news", "published": "2020-06-01"}),
        ("series", {"id": "talks", "name": "Talks & <em>more</em>"}),
        (
            "event",
            {
                "id": "2020-05-x",
                "title": 'A <b>&</b> "x"',
                "kind": "entry_into_force",
                "date": "2020-05",
                "series": "talks",
                "citations": [{"source": "s1", "quote": "<script>alert(1)</script>"}],
            },
        ),
    ]
    for record_type, data in records:
        dataset.add(record_type, RECORD_TYPES[record_type].model_validate(data))
    return dataset


def export(dataset: Dataset, path: Path, **kwargs: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = read(to_timeline(dataset, path, **kwargs))["events"]
    return events


def test_every_event_is_shown_once(doc: dict[str, Any], by_series: dict[str, Any], dataset: Dataset) -> None:
    for document in (doc, by_series):
        assert set(placements(document)) == {e.id for e in dataset.events}
        ids = [s["unique_id"] for s in document["events"]]
        assert len(ids) == len(set(ids)) and all(HTML_ID.match(i) for i in ids)
    own = {s["unique_id"] for s in doc["events"]} & {e.id for e in dataset.events}
    assert len(own) >= 50  # most dated events keep a slide of their own


def test_slides_are_sorted_by_start(slides: list[dict[str, Any]]) -> None:
    starts = [(s["start_date"]["year"], s["start_date"].get("month", 1), s["start_date"].get("day", 1)) for s in slides]
    assert starts == sorted(starts)


def test_no_date_is_drawn_more_precise_than_it_is_known(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    """A day is a point; a month spans the month and a year the year, never a point on the 1st."""
    placed = placements({"events": slides})
    seen: Counter[Precision] = Counter()
    for event in dataset.events:
        s, _ = placed[event.id]
        d = event.date
        seen[d.precision] += 1
        if d.precision is Precision.DAY and not d.is_interval:
            assert s["start_date"] == day(d.lower) and "end_date" not in s
            continue
        assert s["start_date"] == day(d.lower) and s["end_date"] == day(d.upper), event.id
        if d.precision is Precision.YEAR:
            assert s["group"] == YEAR_ROW
            assert (s["start_date"]["month"], s["start_date"]["day"]) == (1, 1)
            assert (s["end_date"]["month"], s["end_date"]["day"]) == (12, 31)
        elif not d.is_interval:  # known to the month: the whole month
            last = calendar.monthrange(d.lower.year, d.lower.month)[1]
            assert s["start_date"]["day"] == 1 and s["end_date"]["day"] == last
    assert seen[Precision.YEAR] >= 100 and seen[Precision.MONTH] >= 50 and seen[Precision.DAY] >= 5
    # the only points are days
    points = [s for s in slides if "end_date" not in s]
    assert points and all(set(s["start_date"]) == {"year", "month", "day"} for s in points)


def test_year_only_events_share_one_slide_per_year(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    placed = placements({"events": slides})
    per_year: defaultdict[str, list[Event]] = defaultdict(list)
    for e in dataset.events:
        if e.date.precision is Precision.YEAR:
            per_year[e.date.text].append(e)
    assert len(per_year["2022"]) >= 50
    for year, events in per_year.items():
        shared = {placed[e.id][0]["unique_id"] for e in events}
        assert len(shared) == 1, year
        (slide_id,) = shared
        if len(events) == 1:
            assert slide_id == events[0].id
            assert placed[slide_id][0]["text"]["headline"] == escape(events[0].title)
        else:
            assert ":" in slide_id  # a digest's id, which no record id can be
            headline = unescape(placed[events[0].id][0]["text"]["headline"])
            assert headline == f"{year}: {len(events)} events known only to the year"
    rows = {s["group"] for s in slides if s["group"] == YEAR_ROW}
    assert rows == {YEAR_ROW}


def test_a_pile_of_events_on_one_row_and_month_shares_a_slide(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    placed = placements({"events": slides})
    piles: defaultdict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in dataset.events:
        if e.date.precision is not Precision.YEAR:
            piles[(e.date.text, kind_family(e.kind))].append(e)
    assert max(len(p) for p in piles.values()) >= 5  # e.g. five meetings in September 2017
    digests = 0
    for (_, family), events in piles.items():
        slide_ids = {placed[e.id][0]["unique_id"] for e in events}
        if len(events) >= PILE:
            assert len(slide_ids) == 1
            digests += 1
        else:
            assert slide_ids == {e.id for e in events}
        assert {placed[e.id][0]["group"] for e in events} == {escape(family)}
    assert digests >= 5
    september = [s for s in slides if s["unique_id"] == "2017-09:meetings-and-visits"]
    assert [s["text"]["headline"] for s in september] == ["September 2017: 5 meetings and visits"]


def test_display_dates_and_precision_notes(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    placed = placements({"events": slides})
    for event in dataset.events:
        s, html = placed[event.id]
        if s["unique_id"] != event.id:
            continue  # in a digest: its date is the digest's
        if event.date_basis == "report_year":
            assert s["display_date"] == f"{event.date.year} (report year)"
            assert "annual report" in html
        elif event.date.precision is Precision.MONTH and not event.date.is_interval:
            assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", s["display_date"]), s["display_date"]
            assert "Date known only to the month." in html
        assert "media" not in s
    shown = {s["display_date"] for s in slides}
    assert {"11–13 September 2024", "2022", "September 2017"} <= shown


def test_text_holds_parties_and_quotes(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    placed = placements({"events": slides})
    for event in dataset.events:
        _, html = placed[event.id]
        assert html.count("<blockquote>") == len(event.citations)
        assert ("<p>Parties: " in html) == bool(event.parties)
        countries = {o.country for p in event.parties if (o := dataset.organization(p.id)) and o.country}
        assert ("<p>Countries: " in html) == bool(countries | set(event.countries)), event.id
    _, dialogue = placed["2022-china-france-high-level-economic-financial-dialogue"]
    assert "<p>Countries: China, France</p>" in dialogue


def test_kind_rows_are_the_families_and_the_year_row(slides: list[dict[str, Any]]) -> None:
    groups = {unescape(s["group"]) for s in slides}
    assert groups <= {*FAMILIES, YEAR_ROW} and YEAR_ROW in groups
    assert len(groups) <= MAX_ROWS == 8
    assert kind_name("entry_into_force") == "Entry into force"


def test_series_rows_stay_within_eight(by_series: dict[str, Any], dataset: Dataset) -> None:
    groups = Counter(unescape(s["group"]) for s in by_series["events"])
    names = {s.name for s in dataset.series}
    assert set(groups) <= names | {NO_SERIES, OTHER_SERIES, YEAR_ROW}
    assert len(groups) == MAX_ROWS and OTHER_SERIES in groups  # the bundled data has 24 series
    placed = placements(by_series)
    events = by_id(dataset)
    for event_id, (s, _) in placed.items():
        event = events[event_id]
        group = unescape(s["group"])
        if event.date.precision is Precision.YEAR:
            assert group == YEAR_ROW
        elif event.series is None:
            assert group == NO_SERIES
        else:
            series = dataset.series_by_id(event.series)
            assert series is not None and group in (series.name, OTHER_SERIES)


def test_many_series_fold_into_other_series(tmp_path: Path) -> None:
    dataset = Dataset()
    dataset.add(
        "source", RECORD_TYPES["source"].model_validate({"id": "s", "title": "S", "kind": "news", "published": "2021"})
    )
    for n in range(12):
        dataset.add("series", RECORD_TYPES["series"].model_validate({"id": f"s{n:02d}", "name": f"Series {n:02d}"}))
        for k in range(2 + (n == 11)):  # the last series has the most events
            event = {
                "id": f"e{n:02d}-{k}",
                "title": f"Meeting {k} of series {n}",
                "kind": "meeting",
                "date": f"2020-{k + 1:02d}-{n + 1:02d}",
                "series": f"s{n:02d}",
                "citations": [{"source": "s", "quote": "q"}],
            }
            dataset.add("event", RECORD_TYPES["event"].model_validate(event))
    slides = export(dataset, tmp_path / "s.json", group_by="series")
    groups = Counter(s["group"] for s in slides)
    assert len(groups) == MAX_ROWS and groups[OTHER_SERIES] == 2 * 5  # 7 rows of series, the last "Other"
    assert groups["Series 11"] == 3 and "Series 00" in groups and "Series 10" not in groups
    assert {s["group"] for s in export(dataset, tmp_path / "k.json")} == {"Meetings and visits"}


def test_the_title_slide_says_what_this_is_not_how_validation_went(doc: dict[str, Any], dataset: Dataset) -> None:
    title = doc["title"]["text"]
    text = unescape(title["text"])
    assert unescape(title["headline"]) == "International cooperation in intellectual property"
    report = validate(dataset)
    assert report.findings  # the bundled data has warnings and info: none of it belongs here
    assert report.summary() not in text
    assert not re.search(r"\b(errors?|warnings?|info|OK|FAILED)\b", text), text
    assert "ipcoop-data" in text and dataset_version(dataset) in text
    assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0" in title["text"]
    assert f"{len(dataset.sources)} source documents" in text
    for source in dataset.sources:
        assert source.title in text


def test_markup_from_the_data_is_escaped(tmp_path: Path) -> None:
    (by_kind,) = export(tricky_dataset(), tmp_path / "k.json")
    assert by_kind["text"]["headline"] == "A &lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot;"
    text = by_kind["text"]["text"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert "News &lt;i&gt;daily&lt;/i&gt;" in text
    assert by_kind["group"] == "Agreements and treaties"
    tricky = tricky_dataset()
    second = tricky.events[0].model_copy(update={"id": "2020-06-y", "date": PartialDate("2020-06")})
    tricky.add("event", second)
    by_series = export(tricky, tmp_path / "s.json", group_by="series")
    assert {s["group"] for s in by_series} == {"Talks &amp; &lt;em&gt;more&lt;/em&gt;"}
    third = tricky.events[0].model_copy(update={"id": "2020-05-z"})
    fourth = tricky.events[0].model_copy(update={"id": "2020-05-w"})
    tricky.add("event", third)
    tricky.add("event", fourth)
    digest = next(s for s in export(tricky, tmp_path / "d.json") if ":" in s["unique_id"])
    assert "&lt;b&gt;" in digest["text"]["text"] and "<b>" not in digest["text"]["text"]


def test_the_sources_italics_are_shown_as_italics() -> None:
    from ipcoop_data.export.timeline import quote_html

    assert quote_html("signed *the Agreement* in May") == "signed <em>the Agreement</em> in May"
    assert quote_html("the *Marrakesh Treaty") == "the Marrakesh Treaty"  # the span began before the quote
    assert quote_html("a *<b>* b") == "a <em>&lt;b&gt;</em> b"


def test_no_asterisk_reaches_a_slide(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    quoted = [e for e in dataset.events if any("*" in c.quote for c in e.citations)]
    assert len(quoted) >= 10  # the 2017 report marks titles of agreements with asterisks
    placed = placements({"events": slides})
    assert all("*" not in placed[e.id][1] for e in quoted)
    assert sum("<em>" in placed[e.id][1] for e in quoted) >= len(quoted) // 2


def test_output_is_deterministic_sorted_json(dataset: Dataset, tmp_path: Path) -> None:
    a = to_timeline(dataset, tmp_path / "a.json", page=tmp_path / "a.html")
    b = to_timeline(ipcoop_data.load(), tmp_path / "b.json", page=tmp_path / "b.html")
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    text = a.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Page(HTMLParser):
    """What a browser would load: external references, scripts and their text."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.hidden_pre = ""
        self._in: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.references += [v for k, v in attrs if k in ("src", "href") and v]
        if tag in ("script", "pre"):
            self._in, self._text = (tag, found), []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag == self._in[0]:
            if tag == "script":
                self.scripts.append((self._in[1], "".join(self._text)))
            else:
                self.hidden_pre = "".join(self._text)
            self._in = None


def test_the_page_holds_the_timeline_and_a_pinned_timelinejs(dataset: Dataset, tmp_path: Path) -> None:
    json_path = to_timeline(dataset, tmp_path / "ipcoop-data.timeline.json", page=tmp_path / "p.html")
    assert page_path(json_path) == tmp_path / "ipcoop-data.timeline.html"
    assert page_path(tmp_path / "timeline") == tmp_path / "timeline.html"
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    assert page.references == []  # nothing to fetch: no src, no href, no stylesheet link
    data = [text for attrs, text in page.scripts if attrs.get("id") == "timeline-data"]
    assert [json.loads(t) for t in data] == [json.loads(json_path.read_text(encoding="utf-8"))]
    assert "<" not in data[0]  # so no '</script>' from the data can end the element
    sums = dict(line.split()[::-1] for line in (VENDOR / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert set(sums) == {"timeline.js", "timeline.css", "tl-icons.woff2", "timeline.js.LICENSE.txt", "LICENSE"}
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, f"vendored {name} changed"
    library = (VENDOR / "timeline.js").read_text(encoding="utf-8")
    assert any(library in text for _, text in page.scripts)  # unchanged inside the page
    assert (VENDOR / "timeline.css").read_text(encoding="utf-8") in html
    assert "Mozilla Public License" in html and "github.com/NUKnightLab/TimelineJS3" in html
    assert page.hidden_pre == (VENDOR / "LICENSE").read_text(encoding="utf-8")  # the MPL, whole
    assert "DOMPurify" in html and dataset_version(dataset) in html


def test_a_failed_export_leaves_the_previous_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target, page = tmp_path / "t.json", tmp_path / "t.html"
    target.write_text("previous", encoding="utf-8")
    page.write_text("previous page", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("ipcoop_data.export.timeline_page.page_frame", boom)  # the JSON file is open by then
    with pytest.raises(RuntimeError, match="disk full"):
        to_timeline(tricky_dataset(), target, page=page)
    assert target.read_text(encoding="utf-8") == "previous"
    assert page.read_text(encoding="utf-8") == "previous page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.html", "t.json"]


def test_a_batch_inside_a_batch_waits_for_the_outer_one(tmp_path: Path) -> None:
    target, page = tmp_path / "t.json", tmp_path / "t.html"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError, match="a later format failed"), batch():
        to_timeline(tricky_dataset(), target, page=page)  # its own batch joins this one
        assert target.read_text(encoding="utf-8") == "previous" and not page.exists()
        raise RuntimeError("a later format failed")
    assert target.read_text(encoding="utf-8") == "previous" and not page.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]
    with batch():
        to_timeline(tricky_dataset(), target, page=page)
    assert read(target)["events"] and page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def slides_sorted_at_once(dataset: Dataset, group_by: GroupBy) -> list[dict[str, Any]]:
    """The slides as the timeline made them before it made them a day at a time: every event
    grouped at once, then every slide sorted by (first day, id), ties in the order of grouping."""
    together: dict[tuple[PartialDate, str], list[Event]] = defaultdict(list)
    for event, row in zip(dataset.events, rows(dataset, dataset.events, group_by), strict=True):
        together[(event.date, row)].append(event)
    made: list[tuple[date, str, dict[str, Any]]] = []
    taken: set[str] = set()
    for (when, label), events in together.items():
        if len(events) >= (2 if label == YEAR_ROW else PILE):
            digest = digest_slide(dataset, when, label, events)
            while digest["unique_id"] in taken:
                digest["unique_id"] += "+"
            taken.add(digest["unique_id"])
            made.append((when.lower, digest["unique_id"], digest))
        else:
            made.extend((when.lower, e.id, slide(dataset, e, label)) for e in events)
    made.sort(key=lambda s: (s[0], s[1]))
    return [s for _, _, s in made]


def ties_dataset() -> Dataset:
    """What decides an order only in a tie, interleaved in file order: ids given twice (an error
    the checks report), rows whose digest ids clash, and several dates that start on one day."""
    dataset = Dataset()
    cite = [{"source": "s1", "quote": "q"}]
    dataset.add(
        "source", RECORD_TYPES["source"].model_validate({"id": "s1", "title": "S", "kind": "news", "published": "2020"})
    )
    for sid, name in (("a", "Heads, Meeting"), ("b", "Heads Meeting"), ("c", "Heads-Meeting!")):
        dataset.add("series", RECORD_TYPES["series"].model_validate({"id": sid, "name": name}))
    events: list[dict[str, Any]] = []
    for n in range(PILE):
        for sid in ("c", "a", "b"):  # the clashing digests of 2017-09, first seen in the order c, a, b
            events.append({"id": f"m-{sid}-{n}", "title": "M", "kind": "meeting", "date": "2017-09", "series": sid})
        if n < 2:  # two events with one id on one day, each with its own slide, twice
            events.append({"id": "twin", "title": f"Twin {n}", "kind": "meeting", "date": "2017-09-01"})
            events.append({"id": "twin", "title": f"Twin span {n}", "kind": "meeting", "date": "2017-09-01/2017-09-03"})
        events.append({"id": f"y-{n}", "title": f"Year {n}", "kind": "training", "date": "2017"})
        events.append({"id": f"z-{n}", "title": f"Z {n}", "kind": "meeting", "date": f"2016-0{n + 1}"})
        events.append({"id": "twin", "title": f"Twin years {n}", "kind": "meeting", "date": "2017/2018"})
    for data in events:
        dataset.add("event", RECORD_TYPES["event"].model_validate(data | {"citations": cite}))
    return dataset


@pytest.mark.parametrize("group_by", ["kind", "series"])
@pytest.mark.parametrize("make", [ipcoop_data.load, ties_dataset, tricky_dataset], ids=["bundled", "ties", "tricky"])
def test_slides_made_a_day_at_a_time_are_those_sorted_at_once(make: Any, group_by: GroupBy, tmp_path: Path) -> None:
    dataset = make()
    assert list(iter_slides(dataset, group_by)) == slides_sorted_at_once(dataset, group_by)
    # and the files, written a slide at a time, are the whole document written at once
    to_timeline(dataset, tmp_path / "t.json", group_by=group_by, page=tmp_path / "t.html")
    whole = timeline_document(dataset, group_by=group_by)
    assert (tmp_path / "t.json").read_text(encoding="utf-8") == document_json(whole)
    assert (tmp_path / "t.html").read_text(encoding="utf-8") == page_html(whole, dataset_version(dataset))
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8")) == json.loads(document_json(whole))


def test_ties_are_settled_as_before() -> None:
    found = [s.get("unique_id") for s in iter_slides(ties_dataset(), "series")]
    assert found[found.index("2017-09:heads-meeting") :][:3] == [
        "2017-09:heads-meeting",
        "2017-09:heads-meeting+",
        "2017-09:heads-meeting++",
    ]
    twins = [s["text"]["headline"] for s in iter_slides(ties_dataset(), "series") if s.get("unique_id") == "twin"]
    # ties in the order of grouping: by (date, row) in the order first seen, then in file order
    assert twins == ["Twin 0", "Twin 1", "Twin span 0", "Twin span 1"]
