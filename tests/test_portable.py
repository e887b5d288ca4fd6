"""The clone is self-contained, and what ipcoop says does not depend on where it runs.

The same dataset must give the same findings, fingerprints and exported bytes from the repository
root, from another directory, with a relative or an absolute ``--dataset``; and its quotes are
checked against the texts kept inside it, with no flag.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ipcoop_data import load, read_dataset
from ipcoop_data.checks import validate
from ipcoop_data.cli import main

from .conftest import DATASET, GOOD_EVENT, REPO, SOURCE_TEXT, MakeDataset


def _json_report(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code = main(["validate", "--format", "json", *args])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    document: dict[str, object] = json.loads(out)
    return document


def test_findings_and_fingerprints_are_the_same_from_any_directory(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    from_root = _json_report(capsys, "--dataset", "datasets")
    bundled_from_root = _json_report(capsys)
    monkeypatch.chdir(tmp_path)
    from_elsewhere = _json_report(capsys, "--dataset", str(DATASET))
    bundled_from_elsewhere = _json_report(capsys)
    monkeypatch.chdir(DATASET / "events")
    from_inside = _json_report(capsys, "--dataset", "..")

    reports = [from_root, bundled_from_root, from_elsewhere, bundled_from_elsewhere, from_inside]
    assert all(r["findings"] == from_root["findings"] for r in reports)
    assert all(r["summary"] == from_root["summary"] for r in reports)
    assert {r["dataset"] for r in reports} == {str(DATASET)}
    findings = from_root["findings"]
    assert isinstance(findings, list) and findings
    files = {f["file"] for f in findings if f["file"]}
    assert "people.yaml" in files and "observations/scio-press-conference-2024-07-29.yaml" in files
    assert not [f for f in findings if f["code"] == "stale-ruling"]


def test_the_text_report_names_files_a_user_can_open_from_where_they_ran_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    main(["validate"])
    assert "\ndatasets/people.yaml\n" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)
    main(["validate", "--format", "github"])
    assert f"file={DATASET}/observations/feature-2024-09-bri-conference.yaml,line=" in capsys.readouterr().out


@pytest.mark.slow
def test_every_export_is_byte_identical_from_any_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy = tmp_path / "clone" / "datasets"
    shutil.copytree(DATASET, copy)
    runs = {
        "root": (REPO, ["--dataset", "datasets"]),
        "tmp": (tmp_path, []),
        "copy": (copy.parent, ["--dataset", "datasets"]),
    }
    for name, (cwd, args) in runs.items():
        monkeypatch.chdir(cwd)
        assert main(["export", "all", *args, "--out", str(tmp_path / "out" / name)]) == 0

    def contents(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    reference = contents(tmp_path / "out" / "root")
    assert len(reference) >= 20
    for name in ("tmp", "copy"):
        assert contents(tmp_path / "out" / name) == reference, name


def test_every_export_carries_the_dataset_version(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    assert main(["export", "all", "--out", str(tmp_path)]) == 0
    document = json.loads((tmp_path / "ipcoop-data.json").read_text(encoding="utf-8"))
    version = document["dataset_version"]
    assert version.startswith("0.1.0+") and len(version.split("+")[1]) == 12
    assert version in (tmp_path / "ipcoop-data.ics").read_text(encoding="utf-8")
    assert version in (tmp_path / "ipcoop-data.timeline.json").read_text(encoding="utf-8")
    assert version in (tmp_path / "datapackage" / "datapackage.json").read_text(encoding="utf-8")
    about = CalamineWorkbook.from_path(str(tmp_path / "ipcoop-data.xlsx")).get_sheet_by_name("About").to_python()
    assert any(version in str(cell) for row in about for cell in row)


def test_strict_failure_never_says_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--strict"]) == 1  # the bundled data has two open warnings
    last = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert last.startswith("FAILED: 0 errors, 2 warnings") and "--strict" in last
    assert main(["validate", "--strict", "--format", "json"]) == 1
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["ok"] is False and summary["exit_code"] == 1


# --- the texts inside the dataset -----------------------------------------------------------------


def test_quotes_are_checked_against_the_datasets_own_texts_with_no_flag(make_dataset: MakeDataset) -> None:
    bad = GOOD_EVENT.replace("in Geneva", "in Paris")
    report = validate(read_dataset(make_dataset({"events/2017.yaml": bad})))
    assert [f.code for f in report.errors] == ["quote-not-found"]
    assert "quotes checked against 1 source texts in texts/" in report.notes


def test_a_changed_text_is_an_error_naming_both_hashes(make_dataset: MakeDataset) -> None:
    changed = SOURCE_TEXT.replace("52", "53")
    root = make_dataset({"events/2017.yaml": GOOD_EVENT, "texts/report.txt": changed})
    [finding] = validate(load(root)).errors
    assert finding.code == "source-text-changed" and finding.file == "sources.yaml"
    assert hashlib.sha256(changed.encode()).hexdigest() in finding.message
    assert hashlib.sha256(SOURCE_TEXT.encode()).hexdigest() in finding.message


def test_an_unpinned_text_is_a_warning_that_gives_the_pin(make_dataset: MakeDataset) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    sources = root / "sources.yaml"
    sources.write_text("\n".join(li for li in sources.read_text().splitlines() if "sha256" not in li) + "\n")
    [finding] = validate(load(root)).warnings
    assert finding.code == "source-text-unpinned"
    assert f"text_sha256: {hashlib.sha256(SOURCE_TEXT.encode()).hexdigest()}" in finding.message


def test_a_missing_text_is_an_error_and_sources_dir_overrides(make_dataset: MakeDataset, tmp_path: Path) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    elsewhere = tmp_path / "elsewhere"
    (root / "texts").rename(elsewhere)
    [missing] = validate(load(root)).errors
    assert missing.code == "source-text-missing" and "'report.txt' not found in texts/" in missing.message
    report = validate(load(root), sources_dir=elsewhere)
    assert not report.errors and report.notes == [f"quotes checked against 1 source texts in {elsewhere}"]
    [gone] = validate(load(root), sources_dir=tmp_path / "nowhere").errors
    assert gone.code == "sources-dir-missing"


def test_a_text_symlinked_out_of_the_texts_folder_is_refused(make_dataset: MakeDataset, tmp_path: Path) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    outside = tmp_path / "outside.txt"
    outside.write_text(SOURCE_TEXT, encoding="utf-8")
    (root / "texts" / "report.txt").unlink()
    (root / "texts" / "report.txt").symlink_to(outside)
    [refused] = validate(read_dataset(root)).errors
    assert refused.code == "source-text-refused" and "outside" in refused.message


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "/proc/self/environ", "sub/report.txt", ".hidden"])
def test_a_text_is_named_never_located(make_dataset: MakeDataset, name: str) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    sources = root / "sources.yaml"
    sources.write_text(sources.read_text().replace("text: report.txt", f"text: {json.dumps(name)}"))
    [finding] = read_dataset(root).findings
    assert finding.code == "invalid-value" and finding.file == "sources.yaml" and finding.line == 6
    assert "plain file name" in finding.message


# --- nothing outside the clone ------------------------------------------------------------------------


# Spelt in pieces, so that this file does not name what it looks for.
_BESIDE = "sha" + "red"
NEEDLES = (f"../{_BESIDE}", f"{_BESIDE}/seeds")


def test_nothing_in_the_repository_refers_to_files_beside_the_clone() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.splitlines()
    if not tracked:  # not a git checkout (an sdist): every file of the tree
        tracked = [p.relative_to(REPO).as_posix() for p in REPO.rglob("*") if p.is_file() and ".venv" not in p.parts]
    offenders = []
    for name in tracked:
        if name.startswith("datasets/texts/"):
            continue
        path = REPO / name
        if path.suffix in {".py", ".md", ".toml", ".yml", ".yaml", ".cff", ""} and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if any(needle in text for needle in NEEDLES):
                offenders.append(name)
    assert offenders == []
