"""Report renderers, read back by independent readers (junitparser, json, the GitHub command grammar)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import junitparser
import pytest

from ipcoop_data import read_dataset
from ipcoop_data.checks import validate
from ipcoop_data.report.findings import Finding, Report
from ipcoop_data.report.render import to_github, to_json, to_junit, to_text

from .conftest import MakeDataset

BROKEN = """\
- id: 2017-05-a
  title: A
  kind: meating
  date: "2017-05"
  citations: [{source: report-2017, quote: "In May, the office held the 3rd Heads Meeting"}]
- id: 2017-05-b
  title: 'B, with 100% "quotes": and a colon'
  kind: meeting
  date: "2017-05"
  parties: [ghost]
  citations: [{source: report-2017, quote: "In May, the office held the 3rd Heads Meeting"}]
"""


def broken_report(make_dataset: MakeDataset) -> Report:
    root = make_dataset({"events/2017.yaml": BROKEN, "events/x.yml": "[]\n"})
    return validate(read_dataset(root))


GITHUB_LINE = re.compile(r"^::(error|warning|notice) (file=[^,:]+(,line=\d+)?,)?title=[^,:]+::[^\r\n]*$")


def test_github_annotations_follow_the_workflow_command_grammar(make_dataset: MakeDataset) -> None:
    report = broken_report(make_dataset)
    lines = to_github(report).splitlines()
    annotations = [line for line in lines if line.startswith("::") and "group::" not in line]
    assert len(annotations) == len(report)
    for line in annotations:
        assert GITHUB_LINE.match(line), line
    assert any(
        line.startswith("::error file=") and "line=3," in line and "invalid-value" in line for line in annotations
    )
    assert any(line.startswith("::warning ") and "unknown-file" in line for line in annotations)
    assert lines[-1].startswith("FAILED: 2 errors, 1 warning")


def test_junit_is_read_by_a_junit_parser(make_dataset: MakeDataset, tmp_path: Path) -> None:
    report = broken_report(make_dataset)
    path = tmp_path / "report.xml"
    path.write_text(to_junit(report), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    cases = [case for suite in xml for case in suite]
    assert len(cases) == len(report) == 3
    failed = [c for c in cases if any(isinstance(r, junitparser.Failure) for r in c.result)]
    skipped = [c for c in cases if any(isinstance(r, junitparser.Skipped) for r in c.result)]
    assert len(failed) == 2 and len(skipped) == 1
    messages = " ".join(r.message for c in failed for r in c.result)
    assert "kind" in messages and "ghost" in messages


def test_junit_of_a_clean_run_has_one_passing_case(tmp_path: Path) -> None:
    path = tmp_path / "ok.xml"
    path.write_text(to_junit(Report(files=1, records=1, checks=["schema"])), encoding="utf-8")
    cases = [case for suite in junitparser.JUnitXml.fromfile(str(path)) for case in suite]
    assert len(cases) == 1 and cases[0].is_passed


def test_json_lists_every_finding_with_a_fingerprint(make_dataset: MakeDataset) -> None:
    report = broken_report(make_dataset)
    doc = json.loads(to_json(report))
    assert doc["summary"]["errors"] == 2 and doc["summary"]["ok"] is False
    assert {f["code"] for f in doc["findings"]} == {"invalid-value", "dangling-reference", "unknown-file"}
    assert all(re.fullmatch(r"[0-9a-f]{16}", f["fingerprint"]) for f in doc["findings"])


def test_fingerprint_survives_a_line_shift() -> None:
    a = Finding("duplicate-id", "error", "event x is used twice", record_id="x", file="f.yaml", line=3)
    b = Finding("duplicate-id", "error", "event x is used twice", record_id="x", file="f.yaml", line=30)
    assert a.fingerprint == b.fingerprint


def test_text_output_stays_bounded_with_thousands_of_findings() -> None:
    findings = [
        Finding(
            "quote-not-found",
            "error",
            f"event e{i}: quote not found",
            record_id=f"e{i}",
            file="events/2017.yaml",
            line=i,
        )
        for i in range(1, 5001)
    ]
    report = Report(findings=findings, files=1, records=5000, checks=["provenance"])
    text = to_text(report)
    assert len(text.splitlines()) < 40
    assert "4980 more quote-not-found findings not shown (5000 in all" in text
    assert text.rstrip().endswith("FAILED: 5000 errors, 0 warnings, 0 info in 1 file (5000 records, 1 check families)")
    assert len(json.loads(to_json(report))["findings"]) == 5000


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit"])
def test_cli_writes_each_format_to_a_file(
    fmt: str, make_dataset: MakeDataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ipcoop_data.cli import main

    root = make_dataset({"events/2017.yaml": BROKEN})
    out = tmp_path / f"report.{fmt}"
    assert main(["validate", "--dataset", str(root), "--format", fmt, "--output", str(out)]) == 1
    assert out.read_text(encoding="utf-8").strip()
    assert "FAILED" in capsys.readouterr().err
