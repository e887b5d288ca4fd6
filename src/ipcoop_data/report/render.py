"""Render a Report as text (for people), JSON (for machines), GitHub annotations or JUnit XML."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from xml.etree import ElementTree as ET

from ipcoop_data.report.findings import Finding, Report

# Control characters (C0, DEL, C1), line and paragraph separators, and bidirectional overrides
# (which reorder what a reader sees): none may reach a terminal, a CI log or XML as it is.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\n``, ``\\x07``, ``\\u202e``).

    Every renderer passes what it prints through here, so no input (a record id with a newline,
    a file name with ``::error``) can start a line of its own, forge a CI command or break XML.
    """
    if _INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub(_escape_one, text)


def _header(path: str) -> str:
    """A file's path as a line of its own: never one a CI runner reads as a command (``::``, ``##[``)."""
    shown = visible(path)
    return f"./{shown}" if shown.startswith((":", "#")) else shown


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


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
            lines.append(_header(report.shown_file(f.file) or "(dataset)"))
        where = f"  {f.line:>5}" if f.line else "       "
        lines.append(f"{where}  {f.severity:<7} {f.code:<24} {visible(f.message)}")
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
        lines.append(f"dataset: {visible(report.dataset)}")
    lines.extend(f"note: {visible(note)}" for note in report.notes)
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
    if report.coverage is not None:  # measured by the coverage check; the units: `ipcoop coverage`
        from ipcoop_data.report.coverage import summary

        document["coverage"] = summary(report.coverage)
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _escape_data(text: str) -> str:
    # GitHub workflow commands: % CR LF in the message, plus , and : in properties. Other control
    # characters are shown as escapes first, so nothing but the renderer's own lines start with '::'.
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
        by_file[visible(report.shown_file(f.file) or "(dataset)")].append(f)
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
                name=f"{visible(f.record_id or '') or file}:{f.line or 0} {f.code}",
                file=file,
            )
            if f.line:
                case.set("line", str(f.line))
            if f.severity == "error":
                failure = ET.SubElement(case, "failure", message=visible(f.message), type=f.code)
                failure.text = visible(f"{report.location(f)}: {f.message}")
            else:
                # Warnings and info are not failures; JUnit has no other place a reader shows them.
                ET.SubElement(case, "skipped", message=visible(f"{f.severity}: {f.message}"))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def render(report: Report, fmt: str) -> str:
    renderers = {"text": to_text, "json": to_json, "github": to_github, "junit": to_junit}
    return renderers[fmt](report)
