"""The SQLite export, read back with the standard library's sqlite3 through plain SQL and PRAGMAs
(never the exporter's own table list), and served by Datasette as a user would."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ipcoop_data
from ipcoop_data import Dataset
from ipcoop_data.analysis.discrepancies import comparisons, status
from ipcoop_data.checks import validate
from ipcoop_data.cli import main
from ipcoop_data.export import sqlite as sqlite_export
from ipcoop_data.export.common import dataset_version
from ipcoop_data.export.sqlite import metadata_path, to_sqlite
from ipcoop_data.export.sqlite_views import View
from ipcoop_data.report.findings import Report

from .conftest import GOOD_EVENT, MakeDataset, expected_counts


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return ipcoop_data.load()


@pytest.fixture(scope="module")
def report(dataset: Dataset) -> Report:
    return validate(dataset)


@pytest.fixture(scope="module")
def db_path(dataset: Dataset, report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "ipcoop-data.sqlite"
    to_sqlite(dataset, path, report)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def names(conn: sqlite3.Connection, kind: str) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,)).fetchall()
    # FTS5 keeps its index in tables of its own (<table>_fts, _fts_data, ...): not the data's tables
    return {r[0] for r in rows if "_fts" not in r[0]}


def count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def test_every_table_holds_every_record(db: sqlite3.Connection, dataset: Dataset, report: Report) -> None:
    expected = expected_counts(dataset, report)
    assert names(db, "table") == {*expected, "_metadata"}
    assert {t: count(db, t) for t in expected} == expected
    assert expected["events"] > 200 and expected["citations"] > 700 and expected["discrepancies"] > 0


def test_keys_are_declared(db: sqlite3.Connection) -> None:
    def primary_key(table: str) -> list[str]:
        info = sorted((r["pk"], r["name"]) for r in db.execute(f'PRAGMA table_info("{table}")') if r["pk"])
        return [name for _, name in info]

    def foreign_keys(table: str) -> set[tuple[str, str, str]]:
        return {(r["from"], r["table"], r["to"]) for r in db.execute(f'PRAGMA foreign_key_list("{table}")')}

    for table in names(db, "table"):
        assert primary_key(table), f"{table} has no primary key"
    assert primary_key("events") == ["id"]
    assert primary_key("citations") == ["record_type", "record_id", "item", "position"]
    assert primary_key("discrepancies") == ["metric", "first_observation", "second_observation"]
    assert foreign_keys("events") == {("series", "series", "id")}
    assert foreign_keys("event_parties") == {("event", "events", "id"), ("organization", "organizations", "id")}
    assert foreign_keys("observations") == {("metric", "metrics", "id")}
    assert foreign_keys("citations") == {("source", "sources", "id")}
    assert ("ruling", "rulings", "id") in foreign_keys("discrepancies")
    assert ("parent", "organizations", "id") in foreign_keys("organizations")
    # the child tables' foreign keys are indexed, so that a join or Datasette's "links from" is quick
    indexed = {r["name"] for r in db.execute("PRAGMA index_list(event_parties)")}
    assert any("organization" in name for name in indexed)


def test_foreign_keys_hold_and_are_enforced(db_path: Path, dataset: Dataset, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(db_path.read_bytes())
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("PRAGMA foreign_keys = ON")
        event = next(e for e in sorted(dataset.events, key=lambda e: e.id) if e.parties)
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            conn.execute("INSERT INTO event_parties VALUES (?, 99, 'no-such-organization', NULL)", (event.id,))
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            conn.execute("DELETE FROM events WHERE id = ?", (event.id,))
        # a change that keeps the keys whole goes through (no "foreign key mismatch" in any table)
        conn.execute("UPDATE event_parties SET name = 'x' WHERE event = ? AND position = 1", (event.id,))
        for table in names(conn, "table"):
            conn.execute(f'DELETE FROM "{table}" WHERE 0')
        # the closed vocabularies and minimums are CHECK constraints
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute("UPDATE events SET kind = 'party' WHERE id = ?", (event.id,))
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute("UPDATE event_parties SET position = 0 WHERE event = ? AND position = 1", (event.id,))
    finally:
        conn.close()


def test_values_are_typed_and_exact(db: sqlite3.Connection, dataset: Dataset) -> None:
    events = {r["id"]: r for r in db.execute("SELECT * FROM events")}
    for e in dataset.events:
        row = events[e.id]
        assert (row["title"], row["kind"], row["date"]) == (e.title, e.kind, e.date.text)
        assert row["date_lower"] == e.date.lower.isoformat() and row["date_upper"] == e.date.upper.isoformat()
        assert row["date_precision"] == str(e.date.precision)
        assert row["ordinal"] == e.ordinal and (e.ordinal is None or isinstance(row["ordinal"], int))
        assert row["location_country"] == (e.location.country if e.location else None)
    observations = {r["id"]: r for r in db.execute("SELECT id, value, typeof(value) AS type, as_of FROM observations")}
    for o in dataset.observations:
        row = observations[o.id]
        # a figure is a number (it sorts and compares as one), and reads back as the digits curated
        assert row["type"] == ("integer" if o.value == o.value.to_integral_value() else "real"), o.id
        assert Decimal(repr(row["value"])) == o.value, o.id
        assert row["as_of"] == (o.as_of.text if o.as_of else None)
    assert {r["type"] for r in observations.values()} == {"integer", "real"}
    prospective = {r[0] for r in db.execute("SELECT DISTINCT typeof(prospective) || prospective FROM citations")}
    assert prospective <= {"integer0", "integer1"}


def _words(text: str) -> list[str]:
    return [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if len(w) > 3]


def _a_conference(dataset: Dataset) -> Any:
    return next(e for e in sorted(dataset.events, key=lambda e: e.id) if "Conference" in e.title.split())


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_full_text_search_finds_titles_quotes_and_notes(db: sqlite3.Connection, dataset: Dataset) -> None:
    def search(table: str, key: str, query: str) -> list[str]:
        sql = (
            f'SELECT t.{key} FROM "{table}_fts" f JOIN "{table}" t ON t.rowid = f.rowid '
            f'WHERE "{table}_fts" MATCH ? ORDER BY rank'
        )
        return [r[0] for r in db.execute(sql, (query,))]

    for e in dataset.events:
        assert e.id in search("events", "id", _phrase(e.title)), e.title
    for o in dataset.observations:
        for c in o.citations:
            assert o.id in search("citations", "record_id", _phrase(c.quote)), c.quote
    noted = next(e for e in sorted(dataset.events, key=lambda e: e.id) if e.note and len(e.note.split()) > 8)
    assert noted.id in search("events", "id", _phrase(" ".join(noted.note.split()[2:8]).strip(".,;:()\"'")))
    # stemmed: a conference is found by a word its title does not contain as such
    conference = _a_conference(dataset)
    assert conference.id in search("events", "id", " AND ".join(("conferences", *_words(conference.title)[-2:])))


def test_views_join_what_the_dataset_holds(db: sqlite3.Connection, dataset: Dataset) -> None:
    assert names(db, "view") == {v.name for v in sqlite_export.VIEWS}
    events = {r["id"]: r for r in db.execute("SELECT * FROM event_details")}
    assert len(events) == len(dataset.events)
    for e in dataset.events:
        row = events[e.id]
        assert row["parties"] == ("; ".join(p.id for p in e.parties) or None), e.id
        sources = list(dict.fromkeys(c.source for c in e.citations))
        assert row["sources"] == ("; ".join(sources) or None)
        assert row["quotes"] == ("\n\n".join(f"\u201c{c.quote}\u201d" for c in e.citations) or None)
        people = [dataset.person(p.person) for p in e.people]
        assert row["people"] == ("; ".join(p.name for p in people if p) or None)
        series = dataset.series_by_id(e.series) if e.series else None
        assert row["series_name"] == (series.name if series else None)
        assert row["date_lower"] == e.date.lower.isoformat()
    observations = {r["id"]: r for r in db.execute("SELECT * FROM observation_details")}
    assert len(observations) == len(dataset.observations)
    for o in dataset.observations:
        row, metric = observations[o.id], dataset.metric(o.metric)
        assert metric is not None
        assert (row["metric_label"], row["unit"], row["as_reported"]) == (metric.label, metric.unit, o.as_reported)
        assert (row["date"], row["date_kind"]) == (o.when.text, "as_of" if o.as_of else "period")
        assert row["date_precision"] == str(o.when.precision)
        assert row["quotes"].startswith(f"\u201c{o.citations[0].quote}\u201d")
    found = {
        (r["metric"], r["first_observation"], r["second_observation"]): r
        for r in db.execute("SELECT * FROM discrepancy_details")
    }
    items = comparisons(dataset)
    assert len(found) == len(items) > 0
    for c in items:
        row = found[(c.metric.id, c.first.id, c.second.id)]
        assert (row["outcome"], row["status"], row["explanation"]) == (c.outcome, status(c), c.explanation)
        assert (row["first_as_reported"], row["second_as_reported"]) == (c.first.as_reported, c.second.as_reported)
        assert row["first_quote"] == f"\u201c{c.first.citations[0].quote}\u201d"
        assert row["ruling"] == (c.ruling.id if c.ruling else None)


def test_metadata_describes_every_table_view_and_column(
    db: sqlite3.Connection, db_path: Path, dataset: Dataset
) -> None:
    sidecar = metadata_path(db_path)
    assert sidecar.name == "ipcoop-data.metadata.json"
    meta: dict[str, Any] = json.loads(sidecar.read_text(encoding="utf-8"))
    assert meta["title"].startswith("ipcoop-data")
    assert (meta["license"], meta["license_url"]) == ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    assert "documents in the sources table" in meta["source"]
    assert f"Dataset version {dataset_version(dataset)}," in meta["description"]
    assert "<p>Dates: a date column x holds an EDTF" in meta["description_html"]  # a paragraph of its own
    assert meta["databases"]["ipcoop-data"]["description"].startswith("Start with the views")
    described = meta["databases"]["ipcoop-data"]["tables"]  # Datasette names a database after its file
    assert names(db, "table") | names(db, "view") == set(described)
    for name, table in described.items():
        assert table["description"], name
        columns = {r["name"] for r in db.execute(f'PRAGMA table_info("{name}")')}
        assert set(table.get("columns", {})) <= columns, name  # no description of a column that is not there
    events = described["events"]["columns"]
    assert events["date_basis"].startswith("'report_year' when the source gives no date")  # from the model
    assert events["kind"].startswith("What sort of event. One of meeting, visit")  # the vocabulary after it
    assert events["status"] == "held (the default), planned or cancelled"  # one that names its values already
    assert events["series"] == "Id of the series it belongs to (series.yaml)"  # the model's own words
    assert events["location_country"].startswith("ISO 3166-1")  # a nested part's field, described too
    assert "`" not in json.dumps(described)  # Datasette shows descriptions as plain text
    # the same metadata inside the database, so that the file alone carries it
    stored = dict(db.execute("SELECT key, value FROM _metadata").fetchall())
    assert json.loads(stored["datasette_metadata"]) == meta
    assert stored["license"] == "CC BY 4.0" and stored["title"] == meta["title"]


def test_same_data_same_bytes_and_nothing_left_beside(dataset: Dataset, report: Report, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "ipcoop-data.sqlite", tmp_path / "b" / "ipcoop-data.sqlite"
    assert to_sqlite(dataset, first, report) == [first, metadata_path(first)]
    to_sqlite(dataset, second, report)
    assert first.read_bytes() == second.read_bytes()
    assert metadata_path(first).read_bytes() == metadata_path(second).read_bytes()
    to_sqlite(dataset, first, report)  # over the previous file: replaced, same bytes
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in first.parent.iterdir()) == ["ipcoop-data.metadata.json", "ipcoop-data.sqlite"]
    # the journal mode used while building stays behind: a user's writes get the usual rollback journal
    conn = sqlite3.connect(first)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_failed_export_keeps_the_previous_file(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ipcoop-data.sqlite"
    to_sqlite(dataset, target)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    broken = View("broken", "a view that cannot be made", "events", (("x", "id", None),), "FROM (")
    monkeypatch.setattr(sqlite_export, "VIEWS", (*sqlite_export.VIEWS, broken))
    with pytest.raises(sqlite3.OperationalError):
        to_sqlite(dataset, target)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temporary or journal file either


def test_dangling_references_are_exported_and_listed(make_dataset: MakeDataset, tmp_path: Path) -> None:
    event = GOOD_EVENT + "  parties: [no-such-office]\n"
    root = make_dataset({"events/2017.yaml": event})
    dataset = ipcoop_data.load(root)
    report = validate(dataset)
    assert report.count("error")
    target = tmp_path / "x.sqlite"
    to_sqlite(dataset, target, report)
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [("event_parties", 1, "organizations", 0)]
        codes = {r[0] for r in conn.execute("SELECT code FROM findings")}
        assert "dangling-reference" in codes
    finally:
        conn.close()
    meta = json.loads(metadata_path(target).read_text(encoding="utf-8"))
    assert list(meta["databases"]) == ["x"]


def test_a_repeated_id_keeps_the_first_record(make_dataset: MakeDataset, tmp_path: Path) -> None:
    second = GOOD_EVENT.replace("Third Heads Meeting", "The same id again").replace('"2017-05"', '"2017"')
    loaded = ipcoop_data.read_dataset(make_dataset({"events/2017.yaml": GOOD_EVENT + second}))
    dataset = loaded.dataset
    report = validate(loaded)
    assert len(dataset.events) == 2 and "duplicate-id" in {f.code for f in report.findings}
    to_sqlite(dataset, tmp_path / "x.sqlite", report)
    conn = sqlite3.connect(tmp_path / "x.sqlite")
    try:
        assert conn.execute("SELECT id, title, date FROM events").fetchall() == [
            ("2017-05-heads-3", "Third Heads Meeting", "2017-05")
        ]
        assert count(conn, "citations") == 1
        assert "duplicate-id" in {r[0] for r in conn.execute("SELECT code FROM findings")}
        version = json.loads(dict(conn.execute("SELECT key, value FROM _metadata"))["datasette_metadata"])
    finally:
        conn.close()
    assert dataset_version(dataset) in version["description"]  # the version of the data as read


@pytest.mark.parametrize("value", ["999999999999999", "0.00000000000001", "123456789.012345", "-52", "12.90"])
def test_figures_at_the_edge_keep_every_digit(make_dataset: MakeDataset, tmp_path: Path, value: str) -> None:
    metric = "- id: agreements\n  label: Agreements signed\n  unit: count\n  kind: flow\n"
    obs = (
        f"- id: o1\n  metric: agreements\n  value: {value}\n  as_reported: '52'\n  as_of: '2017'\n"
        "  citations: [{source: report-2017, quote: signed 52 new agreements}]\n"
    )
    dataset = ipcoop_data.load(make_dataset({"metrics.yaml": metric, "observations/report-2017.yaml": obs}))
    to_sqlite(dataset, tmp_path / "x.sqlite")
    conn = sqlite3.connect(tmp_path / "x.sqlite")
    try:
        [(stored,)] = conn.execute("SELECT value FROM observations").fetchall()
    finally:
        conn.close()
    assert Decimal(repr(stored)) == Decimal(value)


def test_cli_writes_it_alone_and_in_export_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "sqlite", "--out", f"{tmp_path / 'one'}/"]) == 0
    err = capsys.readouterr().err
    for name in ("ipcoop-data.sqlite", "ipcoop-data.metadata.json"):
        assert (tmp_path / "one" / name).is_file() and f"wrote {tmp_path / 'one' / name}" in err
    assert main(["export", "all", "--out", str(tmp_path / "all")]) == 0
    alone, in_all = tmp_path / "one" / "ipcoop-data.sqlite", tmp_path / "all" / "ipcoop-data.sqlite"
    assert in_all.read_bytes() == alone.read_bytes()


def test_a_sqlite_without_fts5_is_a_clear_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sqlite_export.has_fts5()  # this machine's: the tests above searched with it
    monkeypatch.setattr(sqlite_export, "has_fts5", lambda: False)
    assert main(["export", "sqlite", "--out", str(tmp_path / "x.sqlite")]) == 2
    err = capsys.readouterr().err
    assert "has no FTS5 full-text search" in err and "internal error" not in err
    assert list(tmp_path.iterdir()) == []


# --- served by Datasette ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.mark.slow
def test_datasette_serves_the_tables_and_the_metadata(db_path: Path, dataset: Dataset) -> None:
    port = _free_port()
    datasette = Path(sys.executable).with_name("datasette")
    command = [str(datasette), "serve", str(db_path), "--metadata", str(metadata_path(db_path))]
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # until it listens (or has died)
            if server.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
        meta = _get_json(f"{base}/-/metadata.json")
        assert meta["title"].startswith("ipcoop-data") and meta["license"] == "CC BY 4.0"
        events = _get_json(f"{base}/ipcoop-data/events.json?_shape=array&_size=max")
        assert sorted(e["id"] for e in events) == sorted(e.id for e in dataset.events)
        conference = _a_conference(dataset)
        query = "+".join(_words(conference.title))
        found = _get_json(f"{base}/ipcoop-data/events.json?_shape=array&_search={query}")
        assert conference.id in [e["id"] for e in found]  # Datasette found the FTS table and searched it
        index = urllib.request.urlopen(f"{base}/", timeout=10).read().decode("utf-8")
        assert meta["title"] in index
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout:
            server.stdout.close()
