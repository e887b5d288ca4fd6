"""ipcoop diff: two dataset folders, or a git ref and the working tree; text, Markdown and JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ipcoop_data.cli import main
from tests.conftest import DATASET

OBS = "observations/feature-2024-09-bri-conference.yaml"


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(DATASET, old)
    shutil.copytree(DATASET, new)
    return old, new


def _edit(root: Path, name: str, before: str, after: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["diff", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_the_same_dataset_has_no_change(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(DATASET), str(DATASET)]) == 0
    assert "no change in records or discrepancies" in capsys.readouterr().out


def test_added_removed_and_changed_field_by_field(
    versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = versions
    _edit(
        new, "events/2022.yaml", "title: China-France Seminar on Geographical Indications", "title: A renamed seminar"
    )
    _edit(new, "people.yaml", "- id: ge-shu\n", "- id: ge-shu-2\n")  # one removed, one added
    document = _json(capsys, str(old), str(new))
    [changed] = document["changed"]
    assert changed["record_type"] == "event" and changed["file"] == "events/2022.yaml"
    assert changed["changes"] == [
        {"field": "title", "old": "China-France Seminar on Geographical Indications", "new": "A renamed seminar"}
    ]
    assert [(r["record_type"], r["id"]) for r in document["added"]] == [("person", "ge-shu-2")]
    assert [(r["record_type"], r["id"]) for r in document["removed"]] == [("person", "ge-shu")]


def test_a_discrepancy_opened_and_one_settled(versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = versions
    # 18 PPH partners becomes 17: the open growth 17 -> 18 is gone (settled by the correction)
    _edit(new, OBS, 'value: 18\n  as_reported: "18"', 'value: 17\n  as_reported: "17"')
    document = _json(capsys, str(old), str(new))
    settled = [(d["metric"], d["old"], d["new"]) for d in document["settled"]]
    assert ("bri-pph-partners", "open", None) in settled
    back = _json(capsys, str(new), str(old))  # the other way round it opens
    assert [(d["metric"], d["old"], d["new"]) for d in back["opened"]] == [("bri-pph-partners", None, "open")]


def test_markdown_is_a_table_a_reviewer_reads(versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = versions
    _edit(new, "events/2022.yaml", "title: China-France Seminar on Geographical Indications", "title: A | <b>x</b>")
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    html = MarkdownIt("gfm-like").render(markdown)
    assert "<table>" in html and "<b>x</b>" not in html
    assert "A | &lt;b&gt;x&lt;/b&gt;" in html  # shown as written, the '|' inside its cell


def test_a_long_text_shows_where_it_changed(versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = versions
    _edit(new, "events/2022.yaml", "and the China-France high-level", "and the China–France high-level")
    assert main(["diff", str(old), str(new)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "citations[0].quote" in line]
    assert lines
    for line in lines:  # the quotes run to 300 characters: each side is cut to the change and its context
        before, after = line.split(": ", 1)[1].split(" -> ")
        assert before.startswith("…") and "China-France" in before and "China–France" in after
        assert len(before) < 140


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo, check=True, capture_output=True
    )


def test_a_git_ref_against_the_working_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DATASET, repo / "data")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "data")
    _edit(repo / "data", "events/2022.yaml", "title: China-France Seminar on Geographical Indications", "title: X")
    document = _json(capsys, "HEAD", "--dataset", str(repo / "data"))
    [changed] = document["changed"]
    assert changed["changes"][0]["new"] == "X" and changed["file"] == "events/2022.yaml"
    assert document["old"] == "HEAD (git)"


@pytest.mark.parametrize("ref", ["no-such-ref", "--output=/tmp/x", "HEAD:../../etc"])
def test_a_bad_ref_is_a_clear_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str], ref: str) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DATASET, repo / "data")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "data")
    assert main(["diff", "--dataset", str(repo / "data"), "--", ref]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ipcoop: ") and "Traceback" not in err


def test_a_ref_outside_a_repository_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(DATASET, tmp_path / "data")
    assert main(["diff", "HEAD", "--dataset", str(tmp_path / "data")]) == 2
    assert "not inside a git repository" in capsys.readouterr().err
