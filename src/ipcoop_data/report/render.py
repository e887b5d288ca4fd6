"""Render a Report as text (for people), JSON (for machines), GitHub annotations, Markdown (for a
job summary) or JUnit XML."""

from __future__ import annotations

import json
import os
import re
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from ipcoop_data.report.findings import Finding, Report, Severity

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
FORMATS = ("text", "json", "github", "markdown", "junit")


@dataclass(frozen=True)
class TextStyle:
    """How the text report is laid out: the width messages wrap at (None: one line a finding, for
    files, pipes and grep), colour, and whether info findings are shown."""

    width: int | None = None
    colour: bool = False
    quiet: bool = False


_COLOURS = {"error": "31", "warning": "33", "info": "2", "OK": "32", "FAILED": "31", "INCOMPLETE": "31"}


def _paint(text: str, what: str, style: TextStyle) -> str:
    code = _COLOURS.get(what)
    return f"\x1b[{code}m{text}\x1b[0m" if style.colour and code else text


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


def to_text(report: Report, limit: int = EXAMPLES_PER_CODE, style: TextStyle | None = None) -> str:
    """Findings grouped by file, each message wrapped under its own column at ``style.width``."""
    style = style or TextStyle()
    shown, hidden = _bounded(report, limit)
    if style.quiet:
        shown = [f for f in shown if f.severity != "info"]
    lines: list[str] = []
    current_file: str | None = "\0"
    indent = " " * 7 + "  " + " " * 8 + " " * 25
    for f in shown:
        if f.file != current_file:
            current_file = f.file
            if lines:
                lines.append("")
            lines.append(_header(report.shown_file(f.file) or "(dataset)"))
        where = f"  {f.line:>5}" if f.line else "       "
        head = f"{where}  {f.severity:<7} {f.code:<24} "
        message = visible(f.message)
        body = _wrap(message, style.width - len(indent)) if style.width else [message]
        lines.append(head.replace(f.severity, _paint(f.severity, f.severity, style), 1) + body[0])
        lines.extend(indent + rest for rest in body[1:])
    if hidden:
        lines.append("")
        for code, count in sorted(hidden.items()):
            total = count + limit
            lines.append(
                f"... {count} more {code} findings not shown ({total} in all; see --format json for every one)"
            )
    counts = report.by_code()
    tail: list[str] = []
    if counts:
        lines.append("")
        tail.append("by code: " + ", ".join(f"{code} {n}" for code, n in sorted(counts.items())))
    if report.dataset and not style.quiet:
        tail.append(f"dataset: {visible(report.dataset)}")
    if not style.quiet:
        tail.extend(f"note: {visible(note)}" for note in report.notes)
    for line in tail:
        lines.extend(_wrap(line, style.width, "  ") if style.width else [line])
    summary = report.summary()
    status, _, rest = summary.partition(":")
    lines.append(_paint(status + ":", status, style) + rest)
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    # Long words (paths, fingerprints, URLs) stay whole: a broken path cannot be copied.
    wrapped = textwrap.wrap(
        text, max(width, 40), subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    return wrapped or [""]


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
    document.update(report.sections)  # e.g. the coverage counts; the units: `ipcoop coverage`
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _escape_data(text: str) -> str:
    # GitHub workflow commands: % CR LF in the message, plus , and : in properties. Other control
    # characters are shown as escapes first, so nothing but the renderer's own lines start with '::'.
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


#: GitHub shows at most 10 annotations of each level a step (and 50 a job); more are dropped
#: without a word. Nine findings of a level are annotated, and the tenth annotation says how many
#: more there are: with the job's other steps, one ipcoop step stays within the job's 50.
ANNOTATIONS_PER_LEVEL = 10
_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def to_github(report: Report, limit: int = EXAMPLES_PER_CODE) -> str:
    """Workflow annotations within GitHub's limits, then every finding as a log line in a folded group."""
    by_level: dict[str, list[Finding]] = defaultdict(list)
    for f in report.sorted():
        by_level[f.severity].append(f)
    lines = []
    for severity in ("error", "warning", "info"):
        findings = by_level.get(severity, [])
        fits = len(findings) <= ANNOTATIONS_PER_LEVEL
        for f in findings if fits else findings[: ANNOTATIONS_PER_LEVEL - 1]:
            props = []
            if f.file:
                props.append(f"file={_escape_property(report.shown_file(f.file) or f.file)}")
                if f.line:
                    props.append(f"line={f.line}")
            props.append(f"title={_escape_property(f.code)}")
            lines.append(f"::{_LEVEL[severity]} {','.join(props)}::{_escape_data(f.message)}")
        if not fits:
            more = len(findings) - (ANNOTATIONS_PER_LEVEL - 1)
            word = {"error": "errors", "warning": "warnings", "info": "info findings"}[severity]
            lines.append(
                f"::{_LEVEL[severity]} title=ipcoop%3A {more} more {word}::{more} more {word} are not annotated "
                "(GitHub shows 10 a step): see the job summary or the log of this step"
            )
    lines.append("::group::All findings (text report)")
    lines.extend(_escape_log_line(line) for line in to_text(report, limit).splitlines()[:-1])
    lines.append("::endgroup::")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def _escape_log_line(line: str) -> str:
    # Inside the group, a line is log text: it must never be read as a command of its own.
    return f" {line}" if line.startswith(("::", "##[")) else line


# --- Markdown, for $GITHUB_STEP_SUMMARY -------------------------------------------------------

#: GitHub keeps at most 1 MiB of a step's summary; the report stays well within it.
MARKDOWN_BUDGET = 512 * 1024
#: What can start a link, an image, HTML, emphasis or a new cell inside a table cell.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~&])")


def markdown_cell(text: str) -> str:
    """Text for a Markdown table cell: shown as written, never as a link, an image, HTML or a new cell."""
    return _MD_SPECIAL.sub(r"\\\1", visible(text))


def to_markdown(report: Report, limit: int = EXAMPLES_PER_CODE) -> str:
    """Counts first, then errors and warnings as tables, info findings folded away."""
    code = report.exit_code()
    status = {0: "✅ OK", 1: "❌ FAILED", 2: "⚠️ INCOMPLETE"}[code]
    out = [
        "## ipcoop validate",
        "",
        f"**{status}**: {markdown_cell(report.summary().split(': ', 1)[-1])}",
        "",
        "| errors | warnings | info | files | records |",
        "|---:|---:|---:|---:|---:|",
        f"| {report.count('error')} | {report.count('warning')} | {report.count('info')} "
        f"| {report.files} | {report.records} |",
        "",
    ]
    shown, hidden = _bounded(report, limit)
    size = sum(len(line) + 1 for line in out)
    left_out = 0
    sections: tuple[tuple[Severity, str], ...] = (("error", "Errors"), ("warning", "Warnings"), ("info", "Info"))
    for severity, title in sections:
        rows = [f for f in shown if f.severity == severity]
        if not rows:
            continue
        section = (
            [f"### {title} ({report.count(severity)})", ""]
            if severity != "info"
            else [
                f"<details><summary>Info ({report.count(severity)})</summary>",
                "",
            ]
        )
        section += ["| where | code | record | message |", "|---|---|---|---|"]
        for f in rows:
            cells = (report.location(f), f.code, f.record_id or "", f.message)
            row = "| " + " | ".join(markdown_cell(cell) for cell in cells) + " |"
            if size + len(row) + 1 > MARKDOWN_BUDGET:
                left_out += 1
                continue
            section.append(row)
            size += len(row) + 1
        section.append("")
        if severity == "info":
            section += ["</details>", ""]
        out += section
    if hidden or left_out:
        counts = ", ".join(f"{markdown_cell(c)} {n}" for c, n in sorted(hidden.items()))
        more = f"{sum(hidden.values()) + left_out} more findings are not listed"
        out += [
            f"{more} (at most {limit} of a code{'; ' + counts if counts else ''}): run "
            "`ipcoop validate --format json` for every one.",
            "",
        ]
    out += [f"- {markdown_cell(note)}" for note in report.notes]
    return "\n".join(out).rstrip("\n") + "\n"


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


def render(report: Report, fmt: str, style: TextStyle | None = None) -> str:
    if fmt == "text":
        return to_text(report, style=style)
    renderers = {"json": to_json, "github": to_github, "markdown": to_markdown, "junit": to_junit}
    return renderers[fmt](report)
