"""The TimelineJS3 export, read back with json and checked against the dataset it came from."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any, get_args

import pytest

import ipcoop_data
from ipcoop_data import Dataset
from ipcoop_data.export.timeline import NO_SERIES, kind_name, to_timeline
from ipcoop_data.model.dates import PartialDate, Precision
from ipcoop_data.model.records import RECORD_TYPES, Event, EventKind

HTML_ID = re.compile(r"^[^\s]+$")  # HTML5: an id is any non-empty string without whitespace


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return ipcoop_data.load()


@pytest.fixture(scope="module")
def slides(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    path = to_timeline(dataset, tmp_path_factory.mktemp("timeline") / "t.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert set(doc) == {"title", "events"} and doc["title"]["text"]["headline"]
    events: list[dict[str, Any]] = doc["events"]
    return events


def by_id(dataset: Dataset) -> dict[str, Event]:
    return {e.id: e for e in dataset.events}


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
    events: list[dict[str, Any]] = json.loads(to_timeline(dataset, path, **kwargs).read_text(encoding="utf-8"))[
        "events"
    ]
    return events


def test_one_slide_per_event_with_its_id(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    ids = [s["unique_id"] for s in slides]
    assert len(ids) == len(set(ids)) == len(dataset.events)
    assert set(ids) == {e.id for e in dataset.events}
    assert all(HTML_ID.match(i) for i in ids)


def test_slides_are_sorted_by_start_then_id(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    events = by_id(dataset)
    keys = [(events[s["unique_id"]].date.lower, s["unique_id"]) for s in slides]
    assert keys == sorted(keys)


def test_partial_dates_stay_partial(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    events = by_id(dataset)
    seen = set()
    for s in slides:
        date, start = events[s["unique_id"]].date, s["start_date"]
        assert isinstance(start["year"], int) and start["year"] == date.lower.year
        if date.is_interval:  # its start has the parts the start of the interval states
            assert start == dict(zip(("year", "month", "day"), map(int, date.start.split("-")), strict=False))
            continue
        seen.add(date.precision)
        if date.precision is Precision.YEAR:
            assert set(start) == {"year"}
        elif date.precision is Precision.MONTH:
            assert set(start) == {"year", "month"} and start["month"] == date.lower.month  # no invented day 1
        else:
            assert start == {"year": date.lower.year, "month": date.lower.month, "day": date.lower.day}
    assert seen == {Precision.YEAR, Precision.MONTH, Precision.DAY}


def test_only_intervals_have_an_end_date(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    events = by_id(dataset)
    ends = {s["unique_id"]: s["end_date"] for s in slides if "end_date" in s}
    intervals = {e.id for e in dataset.events if e.date.is_interval}
    assert intervals and set(ends) == intervals
    for event_id, end in ends.items():
        assert end["year"] == events[event_id].date.upper.year
    day_span = next(e for e in dataset.events if e.date.text == "2024-09-11/2024-09-13")
    assert ends[day_span.id] == {"year": 2024, "month": 9, "day": 13}


def test_display_dates_and_precision_notes(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    events = by_id(dataset)
    for s in slides:
        event = events[s["unique_id"]]
        if event.date_basis == "report_year":
            assert s["display_date"] == f"{event.date.year} (report year)"
            assert "annual report" in s["text"]["text"]
        elif event.date.precision is Precision.MONTH and not event.date.is_interval:
            assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", s["display_date"]), s["display_date"]
            assert "Date known only to the month." in s["text"]["text"]
        assert "media" not in s
    assert "11–13 September 2024" in {s["display_date"] for s in slides}


def test_text_holds_parties_and_quotes(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    events = by_id(dataset)
    for s in slides:
        event = events[s["unique_id"]]
        text = s["text"]["text"]
        assert text.count("<blockquote>") == len(event.citations)
        assert ("<p>Parties: " in text) == bool(event.parties)


def test_groups_are_kinds_or_series_names(slides: list[dict[str, Any]], dataset: Dataset, tmp_path: Path) -> None:
    kinds = {kind_name(k) for k in get_args(EventKind)}
    assert {s["group"] for s in slides} <= kinds
    assert kind_name("entry_into_force") == "Entry into force"
    by_series = export(dataset, tmp_path / "s.json", group_by="series")
    names = {s.id: escape(s.name) for s in dataset.series}  # TimelineJS sets the label as HTML
    assert {s["group"] for s in by_series} <= set(names.values()) | {NO_SERIES}
    sizes = Counter(e.series for e in dataset.events)
    for s in by_series:
        event = by_id(dataset)[s["unique_id"]]
        own_row = event.series is not None and sizes[event.series] >= 2
        assert s["group"] == (names[event.series] if own_row else NO_SERIES)
    # A row per series with two events or more, one for the rest: the navigation fits a screen.
    assert len({s["group"] for s in by_series}) == sum(1 for k, n in sizes.items() if k and n >= 2) + 1 <= 20
    with pytest.raises(ValueError, match="group_by"):
        to_timeline(dataset, tmp_path / "bad.json", group_by="year")  # type: ignore[arg-type]


def test_markup_from_the_data_is_escaped(tmp_path: Path) -> None:
    (by_kind,) = export(tricky_dataset(), tmp_path / "k.json")
    assert by_kind["text"]["headline"] == "A &lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot;"
    text = by_kind["text"]["text"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert "News &lt;i&gt;daily&lt;/i&gt;" in text
    assert by_kind["group"] == "Entry into force"
    tricky = tricky_dataset()
    second = tricky.events[0].model_copy(update={"id": "2020-06-y", "date": PartialDate("2020-06")})
    tricky.add("event", second)
    by_series = export(tricky, tmp_path / "s.json", group_by="series")
    assert {s["group"] for s in by_series} == {"Talks &amp; &lt;em&gt;more&lt;/em&gt;"}


def test_the_sources_italics_are_shown_as_italics() -> None:
    from ipcoop_data.export.timeline import quote_html

    assert quote_html("signed *the Agreement* in May") == "signed <em>the Agreement</em> in May"
    assert quote_html("the *Marrakesh Treaty") == "the Marrakesh Treaty"  # the span began before the quote
    assert quote_html("a *<b>* b") == "a <em>&lt;b&gt;</em> b"


def test_no_asterisk_reaches_a_slide(slides: list[dict[str, Any]], dataset: Dataset) -> None:
    quoted = [e for e in dataset.events if any("*" in c.quote for c in e.citations)]
    assert len(quoted) >= 10  # the 2017 report marks titles of agreements with asterisks
    texts = {s["unique_id"]: s["text"]["text"] for s in slides}
    assert all("*" not in texts[e.id] for e in quoted)
    assert sum("<em>" in texts[e.id] for e in quoted) >= len(quoted) // 2


def test_output_is_deterministic_sorted_json(dataset: Dataset, tmp_path: Path) -> None:
    a = to_timeline(dataset, tmp_path / "a.json").read_bytes()
    b = to_timeline(ipcoop_data.load(), tmp_path / "b.json").read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    text = a.decode("utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_a_failed_export_leaves_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "t.json"
    target.write_text("previous", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("ipcoop_data.export.timeline.json.dumps", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        to_timeline(tricky_dataset(), target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]
