"""Render a Report as text (for people), JSON (for machines), GitHub annotations or JUnit XML."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from xml.etree import ElementTree as ET

from .findings import Finding, Report

#: In text and GitHub output, at most this many findings of one code are shown; JSON has them all.
EXAMPLES_PER_CODE = 20
FORMATS = ("text", "json", "github", "junit")


def _bounded(report: Report, limit: int) -> tuple[list[Finding], dict[str, int]]:
    """The findings to show (at most ``limit`` per code) and how many of each code were left out."""
    shown: list[Finding] = []
    per_code: dict[str, int] = defaultdict(int)
    hidden: dict[str, int] = defaultdict(int)
    for finding in report.sorted():
        per_code[finding.code] += 1
        if per_code[finding.code] <= limit:
            shown.append(finding)
        else:
            hidden[finding.code] += 1
    return shown, dict(hidden)


def to_text(report: Report, limit: int = EXAMPLES_PER_CODE) -> str:
    shown, hidden = _bounded(report, limit)
    lines: list[str] = []
    current_file: str | None = "\0"
    for f in shown:
        if f.file != current_file:
            current_file = f.file
            if lines:
                lines.append("")
            lines.append(report.shown_file(f.file) or "(dataset)")
        where = f"  {f.line:>5}" if f.line else "       "
        lines.append(f"{where}  {f.severity:<7} {f.code:<24} {f.message}")
    if hidden:
        lines.append("")
        for code, count in sorted(hidden.items()):
            total = count + limit
            lines.append(
                f"... {count} more {code} findings not shown ({total} in all; see --format json for every one)"
            )
    counts = report.by_code()
    if counts:
        lines.append("")
        lines.append("by code: " + ", ".join(f"{code} {n}" for code, n in sorted(counts.items())))
    if report.dataset:
        lines.append(f"dataset: {report.dataset}")
    lines.extend(f"note: {note}" for note in report.notes)
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> str:
    document = {
        "dataset": os.path.abspath(report.dataset) if report.dataset else "",
        "summary": {
            "ok": report.ok(),
            "exit_code": report.exit_code(),
            "errors": report.count("error"),
            "warnings": report.count("warning"),
            "info": report.count("info"),
            "files": report.files,
            "records": report.records,
            "checks": report.checks,
            "by_code": dict(sorted(report.by_code().items())),
            "notes": report.notes,
        },
        "findings": [f.as_dict() for f in report.sorted()],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _escape_data(text: str) -> str:
    # GitHub workflow commands: % CR LF in the message, plus , and : in properties.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: Report, limit: int = EXAMPLES_PER_CODE) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}
    shown, hidden = _bounded(report, limit)
    lines = []
    for f in shown:
        props = []
        if f.file:
            props.append(f"file={_escape_property(report.shown_file(f.file) or f.file)}")
            if f.line:
                props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f.code)}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{_escape_data(f.message)}")
    for code, count in sorted(hidden.items()):
        lines.append(f"::notice title={_escape_property(code)}::{count} more {code} findings not annotated")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def to_junit(report: Report) -> str:
    """JUnit XML: one testsuite per check family code group; a finding is a failing testcase."""
    suites = ET.Element(
        "testsuites",
        name="ipcoop validate",
        tests=str(max(len(report), 1)),
        failures=str(report.count("error")),
    )
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in report.sorted():
        by_file[report.shown_file(f.file) or "(dataset)"].append(f)
    if not by_file:
        suite = ET.SubElement(suites, "testsuite", name="dataset", tests="1", failures="0", errors="0", skipped="0")
        ET.SubElement(suite, "testcase", classname="ipcoop.validate", name=report.summary())
    for file, findings in sorted(by_file.items()):
        failures = sum(1 for f in findings if f.severity == "error")
        skipped = len(findings) - failures
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=file,
            tests=str(len(findings)),
            failures=str(failures),
            errors="0",
            skipped=str(skipped),
        )
        for f in findings:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"ipcoop.{f.code}",
                name=f"{f.record_id or file}:{f.line or 0} {f.code}",
                file=file,
            )
            if f.line:
                case.set("line", str(f.line))
            if f.severity == "error":
                failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
                failure.text = f"{report.location(f)}: {f.message}"
            else:
                # Warnings and info are not failures; JUnit has no other place a reader shows them.
                ET.SubElement(case, "skipped", message=f"{f.severity}: {f.message}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def render(report: Report, fmt: str) -> str:
    renderers = {"text": to_text, "json": to_json, "github": to_github, "junit": to_junit}
    return renderers[fmt](report)
