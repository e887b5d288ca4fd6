"""The Data Package export, read back by independent readers: frictionless, csv, hashlib."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import pytest

import ipcoop_data
from ipcoop_data import Dataset
from ipcoop_data.checks import validate
from ipcoop_data.export.common import dataset_timestamp, dataset_version
from ipcoop_data.export.datapackage import DESCRIPTOR, PROFILE, to_datapackage
from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.records import RECORD_TYPES
from ipcoop_data.report.findings import Report

from .conftest import expected_counts


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return ipcoop_data.load()


@pytest.fixture(scope="module")
def report(dataset: Dataset) -> Report:
    return validate(dataset)


@pytest.fixture(scope="module")
def package(dataset: Dataset, report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("datapackage")
    to_datapackage(dataset, directory, report)
    return directory


def descriptor(directory: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((directory / DESCRIPTOR).read_text(encoding="utf-8"))
    return doc


def rows(directory: Path, table: str) -> list[dict[str, str]]:
    with open(directory / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def frictionless_errors(path: Path) -> list[tuple[str, str, str]]:
    """(resource, error type, message) of every error frictionless finds in the package."""
    result = frictionless.validate(str(path))
    found = [("<package>", e.type, e.message) for e in result.errors]
    found += [(task.name, e.type, e.message) for task in result.tasks for e in task.errors]
    assert result.valid == (not found)
    return found


def small_dataset(title: str = "A meeting", party: str = "wipo") -> Dataset:
    """A dataset built in Python: one source, one organization, one event citing the source."""
    dataset = Dataset()
    source = {"id": "s1", "title": "A source", "kind": "news", "published": "2020-06-01"}
    dataset.add("source", RECORD_TYPES["source"].model_validate(source))
    org = {"id": "wipo", "kind": "igo", "names": [{"name": "World Intellectual Property Organization"}]}
    dataset.add("organization", RECORD_TYPES["organization"].model_validate(org))
    event = {
        "id": "2020-05-meeting",
        "title": title,
        "kind": "meeting",
        "date": "2020-05",
        "parties": [party],
        "citations": [{"source": "s1", "quote": 'It said "yes", then\nno.'}],
    }
    dataset.add("event", RECORD_TYPES["event"].model_validate(event))
    return dataset


# --- frictionless ---------------------------------------------------------------------------------


def test_frictionless_command_line_reports_valid(package: Path) -> None:
    command = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(command), "validate", str(package / DESCRIPTOR)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INVALID" not in result.stdout


def test_frictionless_api_reports_valid(package: Path) -> None:
    errors = frictionless_errors(package / DESCRIPTOR)
    for error in errors:
        print(error)
    assert errors == []


def test_frictionless_finds_a_dangling_foreign_key(tmp_path: Path) -> None:
    # Proves the foreign keys are declared and checked: a party that is no organization fails.
    to_datapackage(small_dataset(party="no-such-body"), tmp_path)
    errors = frictionless_errors(tmp_path / DESCRIPTOR)
    assert [(name, kind) for name, kind, _ in errors] == [("event_parties", "foreign-key")]


# --- the descriptor and the files -----------------------------------------------------------------


def test_descriptor_is_v2_with_fixed_metadata(package: Path, dataset: Dataset) -> None:
    text = (package / DESCRIPTOR).read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert doc["$schema"] == PROFILE == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert doc["name"] == "ipcoop-data"
    assert doc["version"] == dataset_version(dataset)
    assert doc["created"] == dataset_timestamp(dataset).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert sorted(s["title"] for s in doc["sources"]) == sorted(s.title for s in dataset.sources)
    assert [lic["name"] for lic in doc["licenses"]] == ["CC-BY-4.0"]  # the records' licence, DATA-LICENSE.md
    names = [r["name"] for r in doc["resources"]]
    assert names[0] == "sources" and "findings" in names and "discrepancies" in names
    assert sorted(p.name for p in package.iterdir()) == sorted([*(f"{n}.csv" for n in names), DESCRIPTOR])


def test_every_csv_matches_its_size_and_sha256(package: Path) -> None:
    for resource in descriptor(package)["resources"]:
        data = (package / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data), resource["name"]
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}", resource["name"]
        assert (resource["format"], resource["mediatype"], resource["encoding"]) == ("csv", "text/csv", "utf-8")


def test_csv_files_are_utf8_crlf_with_a_header(package: Path) -> None:
    for resource in descriptor(package)["resources"]:
        data = (package / resource["path"]).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        header = data.split(b"\r\n", 1)[0].decode("utf-8").split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert data.endswith(b"\r\n")
        assert resource["schema"]["missingValues"] == [""]


def test_row_counts_equal_the_datasets_record_counts(package: Path, dataset: Dataset, report: Report) -> None:
    expected = expected_counts(dataset, report)
    assert {r["name"] for r in descriptor(package)["resources"]} == set(expected)
    assert {name: len(rows(package, name)) for name in expected} == expected
    assert expected["events"] > 0 and expected["citations"] > expected["events"]


def test_rows_are_sorted_by_key(package: Path) -> None:
    ids = [row["id"] for row in rows(package, "events")]
    assert ids == sorted(ids)
    parties = [(row["event"], int(row["position"])) for row in rows(package, "event_parties")]
    assert parties == sorted(parties)


def test_ids_and_keys_are_declared(package: Path) -> None:
    resources = {r["name"]: r["schema"] for r in descriptor(package)["resources"]}
    events = resources["events"]
    assert events["primaryKey"] == ["id"]
    assert events["fields"][0]["constraints"] == {"required": True, "unique": True}
    assert {"fields": ["series"], "reference": {"resource": "series", "fields": ["id"]}} in events["foreignKeys"]
    kind = next(f for f in events["fields"] if f["name"] == "kind")
    assert "meeting" in kind["constraints"]["enum"]
    title = next(f for f in resources["observations"]["fields"] if f["name"] == "value")
    assert title["type"] == "number" and "4.425 million" in title["description"]
    assert resources["event_parties"]["primaryKey"] == ["event", "position"]


# --- values ---------------------------------------------------------------------------------------


def test_decimal_figures_keep_their_exact_digits(package: Path, dataset: Dataset) -> None:
    cells = {row["id"]: row["value"] for row in rows(package, "observations")}
    million = [o for o in dataset.observations if o.as_reported == "4.425 million"]
    assert million, "the bundled dataset states '4.425 million'"
    assert cells[million[0].id] == "4425000"
    fractions = [o for o in dataset.observations if o.value != o.value.to_integral_value()]
    assert fractions
    for obs in dataset.observations:
        assert "E" not in cells[obs.id] and Decimal(cells[obs.id]) == obs.value
    for obs in fractions:
        assert cells[obs.id] == format(obs.value.normalize(), "f")


def test_dates_carry_text_bounds_and_precision(package: Path, dataset: Dataset) -> None:
    precisions = set()
    for row in rows(package, "events"):
        date = PartialDate(row["date"])
        assert (row["date_lower"], row["date_upper"]) == (date.lower.isoformat(), date.upper.isoformat())
        assert row["date_precision"] == str(date.precision)
        precisions.add(row["date_precision"])
    assert precisions == {"year", "month", "day"}
    optional = rows(package, "observations")
    assert any(r["as_of"] == "" and r["as_of_lower"] == "" and r["period"] for r in optional)


def test_commas_quotes_and_newlines_round_trip(tmp_path: Path) -> None:
    title = 'Talks, "informal" — then\nthe signing; ünïcode'
    dataset = small_dataset(title=title)
    to_datapackage(dataset, tmp_path)
    assert rows(tmp_path, "events")[0]["title"] == title
    assert rows(tmp_path, "citations")[0]["quote"] == 'It said "yes", then\nno.'
    assert frictionless_errors(tmp_path / DESCRIPTOR) == []


def _with_repeated_ids() -> Dataset:
    """Records whose ids repeat (an error validation reports; the package still holds them all),
    added out of id order, with several citations, names and roles each."""
    dataset = small_dataset()
    add = dataset.add

    def cite(*quotes: str) -> list[dict[str, str]]:
        return [{"source": "s1", "quote": q} for q in quotes]

    for n, org_id in enumerate(["zeta", "alpha", "zeta"]):
        names = [{"name": f"{org_id} {n} name {i}", "citations": cite(f"{org_id} {n}/{i}")} for i in range(1, 3)]
        add("organization", RECORD_TYPES["organization"].model_validate({"id": org_id, "kind": "igo", "names": names}))
    for n, person_id in enumerate(["p-b", "p-a", "p-b"]):
        roles = [{"title": f"role {i}", "citations": cite(f"{person_id} {n}/{i}")} for i in range(1, 3)]
        add("person", RECORD_TYPES["person"].model_validate({"id": person_id, "name": "N", "roles": roles}))
    for n, event_id in enumerate(["2020-b", "2020-a", "2020-b"]):
        event = {"id": event_id, "title": f"t{n}", "kind": "meeting", "date": "2020", "citations": cite(f"e{n}", "x")}
        add("event", RECORD_TYPES["event"].model_validate(event))
    return dataset


def test_citations_are_in_key_order_and_repeated_ids_in_the_order_read() -> None:
    """One stable sort of every list of citations by (record type, record id, item): the order
    the table had when its rows were all made at once, which is made type by type now."""
    from ipcoop_data.export.datapackage import _citations

    dataset = _with_repeated_ids()
    owners: list[tuple[str, str, int, list[Any]]] = [
        (t, r.id, 0, r.citations) for t, r in dataset.records() if hasattr(r, "citations")
    ]
    owners += [
        ("organization_name", o.id, n, m.citations) for o in dataset.organizations for n, m in enumerate(o.names, 1)
    ]
    owners += [("role", p.id, n, r.citations) for p in dataset.people for n, r in enumerate(p.roles, 1)]
    owners.sort(key=lambda owner: owner[:3])
    expected = [(t, i, str(item), str(p), c.quote) for t, i, item, cs in owners for p, c in enumerate(cs, 1)]
    table = _citations(dataset)
    made = [(r["record_type"], r["record_id"], r["item"], r["position"], r["quote"]) for r in table.rows]
    assert made == expected
    assert len(table.rows) == len(made) and [tuple(r.values()) for r in table.rows] == [
        tuple(r.values()) for r in table.rows
    ]  # counted without being made, and made alike each time they are read
    assert [m for m in made if m[0] == "organization_name"][:4] == [
        ("organization_name", "alpha", "1", "1", "alpha 1/1"),
        ("organization_name", "alpha", "2", "1", "alpha 1/2"),
        ("organization_name", "zeta", "1", "1", "zeta 0/1"),
        ("organization_name", "zeta", "1", "1", "zeta 2/1"),
    ]


# --- determinism and atomicity --------------------------------------------------------------------


def test_two_exports_are_byte_identical(tmp_path: Path, report: Report) -> None:
    to_datapackage(ipcoop_data.load(), tmp_path / "a", report)
    to_datapackage(ipcoop_data.load(), tmp_path / "b", report)
    assert digests(tmp_path / "a") == digests(tmp_path / "b")


def test_descriptor_is_renamed_into_place_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    real = os.replace

    def replace(src: str, dst: str) -> None:
        order.append(Path(dst).name)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)  # what atomic_path renames with
    written = to_datapackage(small_dataset(), tmp_path)
    assert order[-1] == DESCRIPTOR and len(order) == len(written)
    assert sorted(p.name for p in written) == sorted(order) and written[-1].name == DESCRIPTOR


def test_a_failure_mid_export_leaves_the_previous_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    to_datapackage(small_dataset(title="Before"), tmp_path)
    before = digests(tmp_path)
    calls: list[Path] = []

    import ipcoop_data.export.datapackage as datapackage

    real = datapackage._write_csv

    def fail_on_third(path: Path, table: Any) -> tuple[int, str]:
        calls.append(path)
        if len(calls) == 3:  # two tables staged, the third half-written when the disk fills
            path.write_bytes(b"half a row")
            raise OSError("disk full")
        return real(path, table)

    monkeypatch.setattr(datapackage, "_write_csv", fail_on_third)
    with pytest.raises(OSError, match="disk full"):
        to_datapackage(small_dataset(title="After"), tmp_path)
    assert len(calls) == 3
    assert digests(tmp_path) == before  # same files, same bytes, no temporary left behind
    assert rows(tmp_path, "events")[0]["title"] == "Before"


def test_without_a_report_there_is_no_findings_table(tmp_path: Path, report: Report) -> None:
    dataset = ipcoop_data.load()
    to_datapackage(dataset, tmp_path, report)
    assert (tmp_path / "findings.csv").exists()
    written = to_datapackage(dataset, tmp_path)
    assert "findings" not in {r["name"] for r in descriptor(tmp_path)["resources"]}
    assert not (tmp_path / "findings.csv").exists()  # a stale table would contradict the descriptor
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_the_package_states_the_records_licence(tmp_path: Path) -> None:
    to_datapackage(small_dataset(), tmp_path)
    package = frictionless.Package(str(tmp_path / DESCRIPTOR))
    assert [(lic["name"], lic["path"]) for lic in package.licenses] == [
        ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")
    ]
    assert "CC BY 4.0" in (Path(__file__).resolve().parents[1] / "DATA-LICENSE.md").read_text(encoding="utf-8")
