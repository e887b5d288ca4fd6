"""The real bundled dataset: loads, validates clean with its quotes checked, and holds the B&R figures."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import ipcoop_data
from ipcoop_data.analysis.dataframes import EventsFrame, ObservationsFrame
from ipcoop_data.checks import validate

from .conftest import DATASET, TEXTS


def test_bundled_dataset_loads_from_the_source_tree() -> None:
    dataset = ipcoop_data.load()
    assert ipcoop_data.bundled_dataset_path().resolve() == DATASET.resolve()
    assert len(dataset.sources) == 5
    assert dataset.events and dataset.observations
    for _, record in dataset.records():
        assert record.origin is not None and record.origin.line >= 1


def test_bundled_dataset_validates_clean_with_quotes_checked_against_its_own_texts() -> None:
    report = validate(ipcoop_data.load())
    assert report.count("error") == 0, "\n".join(f"{f.location()} {f.code} {f.message}" for f in report.errors)
    families = ["schema", "integrity", "dates", "provenance", "identity", "series", "consistency", "relations"]
    assert report.checks == [*families, "duplicates", "frames"]
    assert "quotes checked against 5 source texts in texts/" in report.notes
    assert not [f for f in report if f.code.startswith("source-text")]


def test_every_source_text_is_in_the_dataset_and_matches_its_pin() -> None:
    for source in ipcoop_data.load().sources:
        assert source.text and source.text_sha256, source.id
        data = (TEXTS / source.text).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source.text_sha256, source.id


def test_both_belt_and_road_pph_figures_are_recorded_as_stated() -> None:
    dataset = ipcoop_data.load()
    pph = {o.citations[0].source: o for o in dataset.observations if o.metric == "bri-pph-partners"}
    assert pph["scio-press-conference-2024-07-29"].value == 17
    assert pph["feature-2024-09-bri-conference"].value == 18
    assert "17 BRI partners" in pph["scio-press-conference-2024-07-29"].citations[0].quote
    assert "18 Belt and Road partners" in pph["feature-2024-09-bri-conference"].citations[0].quote


def test_trainee_figures_keep_their_qualifiers() -> None:
    dataset = ipcoop_data.load()
    trainees = {o.citations[0].source: o for o in dataset.observations if o.metric == "bri-trainees"}
    assert (
        trainees["scio-press-conference-2024-07-29"].value,
        trainees["scio-press-conference-2024-07-29"].qualifier,
    ) == (1200, "more_than")
    assert (trainees["feature-2024-09-bri-conference"].value, trainees["feature-2024-09-bri-conference"].qualifier) == (
        1300,
        "more_than",
    )


def test_frames_match_their_public_pandera_models() -> None:
    dataset = ipcoop_data.load()
    events = EventsFrame.validate(dataset.events_frame())
    observations = ObservationsFrame.validate(dataset.observations_frame())
    assert len(events) == len(dataset.events) and len(observations) == len(dataset.observations)
    assert events["id"].is_unique


def test_cli_validate_exits_0_and_imports_no_exporter() -> None:
    probe = (
        "import sys; from ipcoop_data.cli import main; code = main(['validate']); "
        "heavy = sorted(m for m in ('openpyxl', 'icalendar', 'ipcoop_data.export') if m in sys.modules); "
        "print('IMPORTED', heavy); sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "IMPORTED []" in result.stdout
    assert "OK: 0 errors" in result.stdout
