"""The reports people read: Markdown for a job summary (read back by markdown-it-py), GitHub
annotations within GitHub's limits, and the text report's colour, width and quiet mode."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ipcoop_data.cli import main
from ipcoop_data.report.findings import Finding, Report
from ipcoop_data.report.render import ANNOTATIONS_PER_LEVEL, TextStyle, to_github, to_markdown, to_text


def _report(errors: int = 0, warnings: int = 0, infos: int = 0, message: str = "problem {n}") -> Report:
    findings = [
        Finding(code, severity, message.format(n=n), record_id=f"r{n}", file="events/2017.yaml", line=n + 1)  # type: ignore[arg-type]
        for severity, code, count in (
            ("error", "invalid-value", errors),
            ("warning", "metric-growth", warnings),
            ("info", "series-gap", infos),
        )
        for n in range(count)
    ]
    return Report(findings=findings, dataset="datasets", files=3, records=40, checks=["schema"])


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every table's body rows as cell texts, as a Markdown renderer sees them."""
    tokens = MarkdownIt("gfm-like").parse(markdown)
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    in_body = False
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tbody_open":
            in_body = True
        elif token.type == "tbody_close":
            in_body = False
        elif token.type == "tr_open" and in_body:
            row = []
        elif token.type == "tr_close" and in_body and row is not None:
            tables[-1].append(row)
            row = None
        elif token.type == "inline" and row is not None and tokens[i - 1].type == "td_open":
            row.append("".join(child.content for child in token.children or [] if child.type == "text"))
    return tables


def test_markdown_puts_counts_first_then_errors_and_warnings_and_folds_infos() -> None:
    markdown = to_markdown(_report(errors=2, warnings=1, infos=3))
    tables = _tables(markdown)
    assert tables[0] == [["2", "1", "3", "3", "40"]]  # the counts
    assert [len(t) for t in tables[1:]] == [2, 1, 3]
    assert markdown.index("### Errors (2)") < markdown.index("### Warnings (1)") < markdown.index("<details>")
    html = MarkdownIt("gfm-like").render(markdown)
    assert "<details><summary>Info (3)</summary>" in html  # folded: GitHub shows it closed
    assert tables[1][0] == ["datasets/events/2017.yaml:1", "invalid-value", "r0", "problem 0"]


def test_markdown_shows_a_hostile_message_as_text() -> None:
    hostile = "a | b ![x](http://tracker/x.png) [click](javascript:alert(1)) <img src=x> **bold** `code`\nnext"
    markdown = to_markdown(_report(errors=1, message=hostile))
    html = MarkdownIt("gfm-like").render(markdown)
    assert "<img" not in html and "javascript" not in html.split("<td>")[0] and 'href="javascript' not in html
    cells = html.split("<tbody>")[-1]
    assert "<strong>" not in cells and "<code>" not in cells
    [[row]] = _tables(markdown)[1:]
    assert len(row) == 4  # the '|' did not open a cell
    assert row[3] == hostile.replace("\n", "\\n")


def test_markdown_of_many_findings_stays_short() -> None:
    markdown = to_markdown(_report(errors=500))
    assert len(_tables(markdown)[1]) == 20
    assert "480 more findings are not listed" in markdown
    assert len(markdown.encode()) < 1024 * 1024


@pytest.mark.parametrize("count", [3, ANNOTATIONS_PER_LEVEL, ANNOTATIONS_PER_LEVEL + 1, 300])
def test_github_annotations_stay_within_ten_a_level(count: int) -> None:
    lines = to_github(_report(errors=count, warnings=count, infos=count)).splitlines()
    for level in ("error", "warning", "notice"):
        annotations = [line for line in lines if line.startswith(f"::{level} ")]
        assert len(annotations) == min(count, ANNOTATIONS_PER_LEVEL)
        if count > ANNOTATIONS_PER_LEVEL:
            more = count - ANNOTATIONS_PER_LEVEL + 1
            assert f"{more} more" in annotations[-1] and "not annotated" in annotations[-1]
    assert sum(1 for line in lines if line.startswith("::") and "group::" not in line) <= 30
    # every finding (up to the text report's 20 a code) is still in the step's log, folded
    group = lines[lines.index("::group::All findings (text report)") + 1 : lines.index("::endgroup::")]
    assert sum(1 for line in group if "invalid-value" in line and "problem" in line) == min(count, 20)


def test_the_bundled_data_stays_within_githubs_limits(capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate", "--format", "github"])
    out = capsys.readouterr().out
    notices = [line for line in out.splitlines() if line.startswith("::notice ")]
    assert len(notices) == ANNOTATIONS_PER_LEVEL  # 16 info findings: 9 shown and one that counts the rest
    assert "7 more info findings are not annotated" in notices[-1]


def test_text_wraps_long_messages_under_their_column_only_when_asked() -> None:
    long = "word " * 80 + "/a/path/that/must/stay/whole/" + "x" * 60
    report = _report(errors=1, message=long.strip())
    one_line = to_text(report)
    assert max(len(line) for line in one_line.splitlines()) > 400  # a file or a pipe: whole lines
    wrapped = to_text(report, style=TextStyle(width=100)).splitlines()
    rows = [line for line in wrapped if "word" in line or "/a/path" in line]
    assert len(rows) > 3
    assert all(len(line) <= 100 for line in rows if "/a/path" not in line)
    column = rows[0].index("word")
    assert all(line.index(line.strip()) == column for line in rows[1:])
    assert any(("/a/path/that/must/stay/whole/" + "x" * 60) in line for line in rows)


def test_quiet_leaves_out_info_and_notes() -> None:
    report = _report(errors=1, infos=2)
    report.notes.append("quotes checked")
    quiet = to_text(report, style=TextStyle(quiet=True))
    assert "series-gap" not in quiet.split("by code")[0] and "quotes checked" not in quiet
    assert "invalid-value" in quiet and quiet.splitlines()[-1].startswith("FAILED")


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run ``ipcoop`` with a pseudo-terminal as its stdout, and return what it printed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipcoop_data", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path: Path) -> None:
    env = {"TERM": "xterm", "COLUMNS": "90"}
    coloured = _on_a_terminal(["validate"], {**env, "NO_COLOR": ""})
    assert "\x1b[33mwarning\x1b[0m" in coloured
    assert "\x1b[32mOK:" in coloured
    plain = coloured.replace("\x1b[33m", "").replace("\x1b[32m", "").replace("\x1b[2m", "").replace("\x1b[0m", "")
    # a long word (a path, an id) is never broken, so only lines of several words must fit
    assert max(len(line) for line in plain.splitlines() if len(line.split()) > 1) <= 90
    assert "\x1b[" not in _on_a_terminal(["validate"], {**env, "NO_COLOR": "1"})
    piped = subprocess.run(
        [sys.executable, "-m", "ipcoop_data", "validate"], capture_output=True, text=True, env={**os.environ, **env}
    )
    assert "\x1b[" not in piped.stdout


def test_colour_can_be_forced(capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate", "--color", "always"])
    assert "\x1b[33mwarning\x1b[0m" in capsys.readouterr().out
    main(["validate", "--color", "never"])
    assert "\x1b[" not in capsys.readouterr().out


def test_export_quiet_lists_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "json", "--out", str(tmp_path / "x.json"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["export", "json", "--out", str(tmp_path / "x.json")]) == 0
    assert "wrote" in capsys.readouterr().err


def test_stats_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    main(["stats", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert document["records"]["events"] == 252
    by_source = {s["id"]: s for s in document["sources"]}
    assert sum(s["events"] for s in by_source.values()) >= 252
    main(["stats"])
    text = capsys.readouterr().out
    for source in document["sources"]:
        assert f"{source['id']}" in text and str(source["events"]) in text
