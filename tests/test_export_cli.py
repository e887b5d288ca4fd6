"""`ipcoop export` as a user runs it: every format, the files named in the README, clear failures."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from ipcoop_data.cli import main
from ipcoop_data.export.common import progress

from .conftest import MakeDataset

ALL_FILES = [
    "datapackage/datapackage.json",
    "ipcoop-data.ics",
    "ipcoop-data.json",
    "ipcoop-data.timeline.html",
    "ipcoop-data.metadata.json",
    "ipcoop-data.sqlite",
    "ipcoop-data.timeline.json",
    "ipcoop-data.xlsx",
]


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def test_export_all_writes_every_format_and_the_same_bytes_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "all", "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    for name in ALL_FILES:
        assert (tmp_path / "a" / name).is_file(), name
        assert f"wrote {tmp_path / 'a' / name}" in err
    assert main(["export", "all", "--out", str(tmp_path / "b")]) == 0
    first, second = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert first == second and len(first) > len(ALL_FILES)  # the data package has a CSV per table
    assert not [p for p in (tmp_path / "a").rglob("*.tmp")]


def test_export_one_format_with_its_options(tmp_path: Path) -> None:
    out = tmp_path / "cal" / "all.ics"
    args = ["export", "ics", "--out", str(out), "--month-events", "span", "--year-events", "span", "--per-series"]
    assert main(args) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("BEGIN:VEVENT") == 252  # one each
    assert sorted(p.name for p in (out.parent / "series").iterdir())  # one calendar per series
    assert main(["export", "ics", "--out", str(out)]) == 0  # the default: days, and digests of the rest
    text = out.read_text(encoding="utf-8")
    assert text.count("X-IPCOOP-EVENT:") + text.count("X-IPCOOP-PRECISION:day") == 252
    assert main(["export", "ics", "--out", str(out), "--year-events", "skip"]) == 0  # as before: years left out
    assert "X-IPCOOP-PRECISION:year" not in out.read_text(encoding="utf-8")
    timeline = tmp_path / "t.json"
    assert main(["export", "timeline", "--out", str(timeline), "--group-by", "series"]) == 0
    groups = {e.get("group") for e in json.loads(timeline.read_text(encoding="utf-8"))["events"]}
    assert {"Not in a series", "Other series"} <= groups and len(groups) <= 8
    page = (tmp_path / "t.html").read_text(encoding="utf-8")  # its page, beside it
    assert page.startswith("<!DOCTYPE html>") and '"Other series"' in page


def test_a_directory_where_a_file_belongs_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "xlsx", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"ipcoop: cannot write xlsx to {tmp_path}" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_export_all_into_a_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "build"
    target.write_text("not a directory", encoding="utf-8")
    assert main(["export", "all", "--out", str(target)]) == 2
    assert "is not a directory; 'export all' needs one" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "not a directory"


def test_unreadable_dataset_is_not_exported(
    make_dataset: MakeDataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_dataset({"events/2017.yaml": "- id: [unclosed\n"})
    out = tmp_path / "out"
    assert main(["export", "all", "--dataset", str(root), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not exporting: some files cannot be read" in err and "events/2017.yaml" in err
    assert not out.exists()


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("IPCOOP_NO_PROGRESS", raising=False)
    terminal, pipe = FakeTerminal(), io.StringIO()
    assert list(progress(range(5000), 5000, "xlsx: events", terminal)) == list(range(5000))
    assert list(progress(range(5000), 5000, "xlsx: events", pipe)) == list(range(5000))
    assert terminal.getvalue().endswith("\rxlsx: events: 5000/5000\n")
    assert "\rxlsx: events: 2500/5000" in terminal.getvalue()
    assert pipe.getvalue() == ""
    small = FakeTerminal()
    list(progress(range(100), 100, "ics", small))
    assert small.getvalue() == ""  # too short to be worth a progress line
    monkeypatch.setenv("CI", "true")
    quiet = FakeTerminal()
    list(progress(range(5000), 5000, "ics", quiet))
    assert quiet.getvalue() == ""


def test_every_iso_country_code_has_a_name_for_the_exports() -> None:
    from ipcoop_data.export.common import country_name
    from ipcoop_data.model.countries import COUNTRY_NAMES, ISO_3166_ALPHA2

    assert set(COUNTRY_NAMES) == ISO_3166_ALPHA2
    assert (country_name("CN"), country_name("KR"), country_name(None)) == ("China", "South Korea", None)
