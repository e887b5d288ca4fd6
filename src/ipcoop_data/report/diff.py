"""A DatasetDiff as text (a terminal), Markdown (a pull request comment or job summary) or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ipcoop_data.analysis.diff import DatasetDiff, DiscrepancyChange
from ipcoop_data.report.render import markdown_cell, visible

#: Long values (quotes, notes) are shortened in text and Markdown; JSON has them whole.
SHOWN_VALUE = 160


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = visible(text)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"


#: Characters of context kept on each side of the changed part of a long text.
CONTEXT = 40


def _pair(old: Any, new: Any) -> tuple[str, str]:
    """Both values as shown; of two long texts, the part that changed with some context around it."""
    if not (isinstance(old, str) and isinstance(new, str)) or max(len(old), len(new)) <= SHOWN_VALUE:
        return _value(old), _value(new)
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = max(0, start - CONTEXT)

    def window(text: str) -> str:
        stop = min(len(text), len(text) - end + CONTEXT)
        shown = ("…" if begin else "") + text[begin:stop] + ("…" if stop < len(text) else "")
        return _value(shown)

    return window(old), window(new)


def _counts(d: DatasetDiff) -> str:
    return (
        f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed; "
        f"discrepancies: {len(d.opened)} opened, {len(d.settled)} settled"
    )


def _discrepancy(c: DiscrepancyChange) -> str:
    was = c.old or "new"
    now = c.new or "gone"
    return f"{c.metric}: {c.first} vs {c.second} ({was} -> {now}): {c.explanation}"


def to_text(d: DatasetDiff, old: str, new: str, notes: list[str]) -> str:
    lines = [f"ipcoop diff {visible(old)} -> {visible(new)}"]
    lines.extend(f"note: {visible(n)}" for n in notes)
    if d.empty:
        lines.append("no change in records or discrepancies")
        return "\n".join(lines) + "\n"
    for title, refs, mark in (("added", d.added, "+"), ("removed", d.removed, "-")):
        if refs:
            lines += ["", f"{title} ({len(refs)})"]
            lines += [f"  {mark} {r.record_type} {visible(r.id)}: {_value(r.label)}" for r in refs]
    if d.changed:
        lines += ["", f"changed ({len(d.changed)})"]
        for c in d.changed:
            where = f" ({c.file}:{c.line})" if c.file else ""
            lines.append(f"  ~ {c.record_type} {visible(c.id)}{visible(where)}")
            for f in c.changes:
                before, after = _pair(f.old, f.new)
                lines.append(f"      {visible(f.field)}: {before} -> {after}")
    for title, items in (("discrepancies opened", d.opened), ("discrepancies settled", d.settled)):
        if items:
            lines += ["", f"{title} ({len(items)})"]
            lines += [f"  {visible(_discrepancy(c))}" for c in items]
    lines += ["", _counts(d)]
    return "\n".join(lines) + "\n"


def to_markdown(d: DatasetDiff, old: str, new: str, notes: list[str]) -> str:
    out = [f"## ipcoop diff: {markdown_cell(old)} → {markdown_cell(new)}", "", f"**{_counts(d)}**", ""]
    out += [f"> {markdown_cell(n)}" for n in notes]
    if d.empty:
        return "\n".join([*out, "No change in records or discrepancies.", ""])
    for title, refs in (("Added", d.added), ("Removed", d.removed)):
        if refs:
            out += [f"### {title} ({len(refs)})", "", "| type | id | title or label |", "|---|---|---|"]
            out += [f"| {r.record_type} | {markdown_cell(r.id)} | {markdown_cell(_value(r.label))} |" for r in refs]
            out.append("")
    if d.changed:
        out += [f"### Changed ({len(d.changed)})", "", "| record | field | before | after |", "|---|---|---|---|"]
        for c in d.changed:
            for i, f in enumerate(c.changes):
                who = f"{c.record_type} {markdown_cell(c.id)}" if i == 0 else ""
                before, after = _pair(f.old, f.new)
                out.append(f"| {who} | {markdown_cell(f.field)} | {markdown_cell(before)} | {markdown_cell(after)} |")
        out.append("")
    for title, items in (("Discrepancies opened", d.opened), ("Discrepancies settled", d.settled)):
        if items:
            out += [f"### {title} ({len(items)})", ""]
            out += [f"- {markdown_cell(_discrepancy(c))}" for c in items]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def to_json(d: DatasetDiff, old: str, new: str, notes: list[str]) -> str:
    document = {"old": old, "new": new, "notes": notes, **asdict(d)}
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n"


RENDERERS = {"text": to_text, "markdown": to_markdown, "json": to_json}
