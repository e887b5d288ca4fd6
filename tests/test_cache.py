"""The content cache: a second run of an unchanged dataset reuses the first's work, and the cache
never changes a finding, whatever happened to it (edited data, corrupt, foreign or unwritable cache)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ipcoop_data.cli import main
from ipcoop_data.read import load as load_module
from ipcoop_data.read.cache import Cache
from ipcoop_data.read.load import read_dataset
from ipcoop_data.read.snapshot import snapshot
from tests.conftest import DATASET, GOOD_EVENT, MakeDataset

TABLES = ("sources", "organizations", "people", "series", "metrics", "events", "observations", "rulings", "relations")


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", "--format", "json", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("IPCOOP_CACHE_DIR", str(folder))
    monkeypatch.delenv("IPCOOP_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    root = tmp_path / "datasets"
    shutil.copytree(DATASET, root)
    return root


def _same_dataset(a: object, b: object) -> None:
    for table in TABLES:
        left, right = getattr(a, table), getattr(b, table)
        assert left == right, table
        assert [r.origin for r in left] == [r.origin for r in right], table
        assert [r.origin.lines for r in left] == [r.origin.lines for r in right], table


def test_cached_records_are_the_records(cache_dir: Path) -> None:
    cache = Cache(cache_dir)
    fresh = read_dataset(DATASET)
    first = read_dataset(DATASET, cache=cache)
    second = read_dataset(DATASET, cache=cache)
    assert len(fresh.dataset) > 800
    _same_dataset(fresh.dataset, first.dataset)
    _same_dataset(fresh.dataset, second.dataset)
    assert second.dataset.records_read == fresh.dataset.records_read
    assert second.dataset.files == fresh.dataset.files
    assert second.findings == first.findings == fresh.findings


def test_only_a_changed_file_is_parsed_again(
    cache_dir: Path, dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(cache_dir)
    read_dataset(dataset_copy, cache=cache)
    events = dataset_copy / "events" / "2022.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("China-France", "China–France", 1), encoding="utf-8")
    parsed: list[str] = []
    real = load_module.iter_records

    def counting(text: str):  # type: ignore[no-untyped-def]
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(load_module, "iter_records", counting)
    again = read_dataset(dataset_copy, cache=cache).dataset
    assert len(parsed) == 1  # the edited file only
    _same_dataset(again, read_dataset(dataset_copy).dataset)
    assert any("China–France" in e.title for e in again.events)


def test_a_warm_run_gives_the_same_report_without_loading_a_model(cache_dir: Path, dataset_copy: Path) -> None:
    env = {**os.environ, "IPCOOP_CACHE_DIR": str(cache_dir)}
    probe = (
        "import sys; from ipcoop_data.cli import main; code = main(sys.argv[1:]); "
        "print('models loaded' if 'ipcoop_data.model.records' in sys.modules else 'no model', file=sys.stderr); "
        "raise SystemExit(code)"
    )
    args = ["validate", "--format", "json", "--dataset", str(dataset_copy)]

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", probe, *args, *extra], capture_output=True, text=True, env=env, check=False
        )

    uncached, cold, warm = run("--no-cache"), run(), run()
    assert uncached.returncode == cold.returncode == warm.returncode == 0
    assert uncached.stdout == cold.stdout == warm.stdout
    assert json.loads(warm.stdout)["summary"]["records"] > 800
    assert "models loaded" in cold.stderr
    assert "no model" in warm.stderr  # the whole report came from the cache


def test_edits_between_runs_are_seen(
    cache_dir: Path, make_dataset: MakeDataset, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    assert _report(capsys, "--dataset", str(root))[0] == 0
    (root / "events" / "2017.yaml").write_text(GOOD_EVENT.replace("date:", "titel: x\n  date:"), encoding="utf-8")
    code, cached = _report(capsys, "--dataset", str(root))
    assert code == 1 and "unknown-field" in cached
    assert (code, cached) == _report(capsys, "--dataset", str(root), "--no-cache")
    (root / "texts" / "report.txt").write_text("something else\n", encoding="utf-8")
    code, cached = _report(capsys, "--dataset", str(root))
    assert "source-text-changed" in cached
    assert (code, cached) == _report(capsys, "--dataset", str(root), "--no-cache")


def test_selection_and_baseline_apply_to_a_cached_report(
    cache_dir: Path, make_dataset: MakeDataset, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT.replace("held the 3rd", "held the third")})
    full = json.loads(_report(capsys, "--dataset", str(root))[1])
    assert any(f["code"] == "quote-not-found" for f in full["findings"])
    for extra in (["--ignore", "quote-not-found"], ["--select", "dates"]):
        cached = _report(capsys, "--dataset", str(root), *extra)
        assert cached == _report(capsys, "--dataset", str(root), "--no-cache", *extra)
        assert "quote-not-found" not in cached[1]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(full), encoding="utf-8")
    cached = _report(capsys, "--dataset", str(root), "--baseline", str(baseline))
    assert cached[0] == 0
    assert cached == _report(capsys, "--dataset", str(root), "--baseline", str(baseline), "--no-cache")


@pytest.mark.parametrize(
    "damage",
    ["truncate", "flip-a-byte", "garbage", "other-key", "empty-key", "swap-entries"],
)
def test_a_damaged_or_foreign_cache_is_ignored(
    cache_dir: Path, dataset_copy: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    args = ("--dataset", str(dataset_copy))
    expected = _report(capsys, *args, "--no-cache")
    assert _report(capsys, *args) == expected  # fills the cache
    entries = sorted(p for p in cache_dir.rglob("*") if p.is_file() and p.name != "key")
    assert len(entries) > 5
    if damage == "other-key":
        (cache_dir / "key").write_bytes(os.urandom(32))  # entries signed by someone else
    elif damage == "empty-key":
        (cache_dir / "key").write_bytes(b"")
    elif damage == "swap-entries":  # each entry signed, but stored under another file's name
        contents = [p.read_bytes() for p in entries]
        for path, content in zip(entries, contents[1:] + contents[:1], strict=True):
            path.write_bytes(content)
    else:
        for path in entries:
            data = path.read_bytes()
            if damage == "truncate":
                path.write_bytes(data[: len(data) // 2])
            elif damage == "flip-a-byte":
                path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
            else:
                path.write_bytes(b"\x80garbage" * 10)
    assert _report(capsys, *args) == expected
    assert _report(capsys, *args) == expected  # and once the damaged entries were rewritten


def test_an_unusable_cache_folder_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    expected = _report(capsys, "--no-cache")
    monkeypatch.setenv("IPCOOP_CACHE_DIR", str(blocker / "cache"))
    assert _report(capsys) == expected
    assert blocker.read_text(encoding="utf-8") == "x"


def test_no_cache_writes_nothing(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _report(capsys, "--no-cache")
    assert not cache_dir.exists()


def test_the_environment_can_turn_it_off(
    cache_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPCOOP_NO_CACHE", "1")
    _report(capsys)
    assert not cache_dir.exists()


def test_one_entry_per_file_however_often_it_changes(cache_dir: Path, make_dataset: MakeDataset) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    cache = Cache(cache_dir)
    for n in range(5):
        (root / "events" / "2017.yaml").write_text(GOOD_EVENT.replace("Third", f"Third ({n})"), encoding="utf-8")
        read_dataset(root, cache=cache)
    assert len(list((cache_dir / "records").iterdir())) == 2  # sources.yaml and events/2017.yaml


def test_a_folder_with_a_symlink_is_always_checked_in_full(make_dataset: MakeDataset, tmp_path: Path) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    assert snapshot(root, root / "texts") is not None
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(GOOD_EVENT, encoding="utf-8")
    (root / "events" / "2018.yaml").symlink_to(outside)
    assert snapshot(root, root / "texts") is None


def test_the_digest_follows_every_byte_that_is_read(make_dataset: MakeDataset) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    digests = {snapshot(root, root / "texts")}
    (root / "texts" / "report.txt").write_text("changed\n", encoding="utf-8")
    digests.add(snapshot(root, root / "texts"))
    (root / "events" / "2017.yaml").write_text(GOOD_EVENT + "\n", encoding="utf-8")
    digests.add(snapshot(root, root / "texts"))
    (root / ".hidden.yaml").write_text("", encoding="utf-8")
    digests.add(snapshot(root, root / "texts"))
    assert len(digests) == 4
