"""Benchmarks of whole processes against baselines run side by side: medians, ratios and targets.

Run: python bench/run.py [--quick] [--scenario both|generated|replicated] [--work DIR] [--runs N] [--only NAME,...]

Two scenarios, both in one run by default, in one table: generated (synthetic datasets of 1k, 10k
and 100k events from bench/generate.py, spread evenly) and replicated (the bundled dataset 1, 10
and 100 times with new ids, bench/replicate.py: many records alike). The datasets are made once
and kept in --work (default /tmp/ipcoop-bench, never in the repository). The script then times each measurement and its
baseline in separate processes, alternating them run by run so that a busy machine slows both
alike, and prints one table: measurement, median seconds, baseline, baseline median, ratio,
target, and PASS, MISS or info (a ratio shown with no target). Ratios within one run are what
matter; absolute seconds depend on the machine and on what else it is doing.

What each figure is:
- ``ipcoop validate``: the command, all checks, the whole process;
- parse floor: one process that only parses the same YAML files with PyYAML's C loader;
- import floor: ``python -c "import pydantic, pandas, yaml"``;
- growth of validate: a process that loads and checks a dataset and renders the text report
  (what ``ipcoop validate`` does), timed whole and, inside it, the load and the checks;
- exports: a process that loads a dataset and calls one exporter (report=None), timed whole and,
  inside it, the export call; its peak memory above the memory held once the dataset is loaded;
- bare XlsxWriter / icalendar: a process that writes the same cell values (read back from the
  workbook the exporter wrote, every sheet) with XlsxWriter in constant_memory mode, or builds the
  same VEVENTs (uid, dtstamp, dtstart, dtend, summary, description, read back from the calendar)
  and serialises them with to_ical; the ratio is of the export call against that write, both
  timed inside their processes (loading the dataset is not part of either);
- frictionless: ``frictionless validate`` of the data-package export of the same 10k data;
- findings: bench/same_findings.py, the 100k findings are the 10k ones, ten times over.

--quick (the smoke test) uses datasets of 100, 500 and 1000 events and one run: it shows that
the scripts work, not how fast anything is.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
EXPORTS = ("json", "xlsx", "ics", "datapackage", "timeline", "sqlite")
#: Where each exporter writes, inside the output directory of one export run.
TARGET = {
    "json": "x.json",
    "xlsx": "x.xlsx",
    "ics": "x.ics",
    "datapackage": "dp",
    "timeline": "x.timeline.json",
    "sqlite": "x.sqlite",
}


# --- processes ------------------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float  # wall-clock time of the whole process
    maxrss_kb: int  # peak resident memory of that process
    returncode: int
    phases: dict[str, Any] = field(default_factory=dict)  # what the process reported about itself


def run_process(cmd: Sequence[str], cwd: Path | None = None) -> Sample:
    """Run ``cmd`` to completion; time it and read its own peak memory (wait4, not RUSAGE_CHILDREN)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        report = Path(tmp.name)
    env = {**os.environ, "BENCH_REPORT": str(report), "IPCOOP_NO_PROGRESS": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    error = proc.stderr.read()  # drained before waiting, so a chatty process cannot block
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    phases = json.loads(report.read_text()) if report.stat().st_size else {}
    report.unlink()
    if proc.returncode not in (0, 1):  # 1 is "findings" for the validators
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{error.decode()[-2000:]}")
    return Sample(seconds, usage.ru_maxrss, proc.returncode, phases)


@dataclass
class Timing:
    samples: list[Sample]

    def median(self, phase: str | None = None) -> float:
        return statistics.median(s.phases[phase] if phase else s.seconds for s in self.samples)


def side_by_side(commands: dict[str, Sequence[str]], runs: int | dict[str, int]) -> dict[str, Timing]:
    """Run every command ``runs`` times (or ``runs[name]``), interleaved (a, b, a, b, ...), after one
    untimed warm-up each: a machine that slows down for a while slows every command alike, so the
    ratios between them hold even when the seconds do not."""
    counts = runs if isinstance(runs, dict) else dict.fromkeys(commands, runs)
    for cmd in commands.values():
        run_process(cmd)  # warm the page cache and the .pyc files
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for i in range(max(counts.values(), default=0)):
        for name, cmd in commands.items():
            if i < counts[name]:
                samples[name].append(run_process(cmd))
    return {name: Timing(s) for name, s in samples.items()}


def worker(*args: str) -> list[str]:
    return [PYTHON, str(Path(__file__).resolve()), "--worker", *args]


# --- what the worker processes do -------------------------------------------------------------------


def _current_rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _report(**phases: Any) -> None:
    phases["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    Path(os.environ["BENCH_REPORT"]).write_text(json.dumps(phases))


def work_export(fmt: str, dataset: str, out: str) -> None:
    """Load a dataset, then call one exporter: report the seconds of each and the memory.

    Also what explains the export's time: the seconds spent in the cyclic garbage collector and in
    hashing the dataset for its version (``dataset_fingerprint``) during the call.
    """
    import gc

    from ipcoop_data import export, read_dataset
    from ipcoop_data.export import common

    t0 = time.perf_counter()
    data = read_dataset(dataset).dataset
    t1 = time.perf_counter()
    loaded_kb = _current_rss_kb()
    spent = {"gc": 0.0, "fingerprint": 0.0}
    gc_started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            spent["gc"] += time.perf_counter() - gc_started[0]

    fingerprint = common.dataset_fingerprint

    def timed_fingerprint(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fingerprint(*args, **kwargs)
        finally:
            spent["fingerprint"] += time.perf_counter() - start

    common.dataset_fingerprint = timed_fingerprint  # type: ignore[assignment]
    gc.callbacks.append(on_gc)
    target = Path(out) / TARGET[fmt]
    t2 = time.perf_counter()
    getattr(export, f"to_{fmt}")(data, target)
    t3 = time.perf_counter()
    gc.callbacks.remove(on_gc)
    _report(load=t1 - t0, export=t3 - t2, loaded_rss_kb=loaded_kb, **spent)


def work_validate(dataset: str) -> None:
    """What ``ipcoop validate`` does (load, all checks, text report), with the seconds of each part."""
    from ipcoop_data import read_dataset
    from ipcoop_data.checks import validate
    from ipcoop_data.report.render import render

    t0 = time.perf_counter()
    data = read_dataset(dataset)
    report = validate(data)
    render(report, "text")
    _report(work=time.perf_counter() - t0)


def work_xlsx_cells(xlsx: str, cells: str) -> None:
    """Read every sheet of a workbook back (python-calamine): the cell values for the bare baseline."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(xlsx)
    sheets = [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
    Path(cells).write_bytes(pickle.dumps(sheets, protocol=pickle.HIGHEST_PROTOCOL))


def work_xlsx_bare(cells: str, out: str) -> None:
    """Write the cell values with XlsxWriter in constant_memory mode, and nothing else."""
    from datetime import date, datetime

    import xlsxwriter

    sheets = pickle.loads(Path(cells).read_bytes())
    start = time.perf_counter()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets:
        sheet = book.add_worksheet(name[:31])
        for r, row in enumerate(rows):  # constant_memory: rows in order, each written once
            for c, value in enumerate(row):
                if value == "" or value is None:
                    continue
                if isinstance(value, date | datetime):
                    sheet.write_datetime(r, c, value, day)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    book.close()
    _report(write=time.perf_counter() - start)


def work_xlsx_openpyxl_bare(cells: str, out: str) -> None:
    """Write the same cell values with openpyxl in write-only mode, and nothing else: the floor
    of the library the exporter uses (no styles, links, tables or widths)."""
    from openpyxl import Workbook

    sheets = pickle.loads(Path(cells).read_bytes())
    start = time.perf_counter()
    book = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = book.create_sheet(name[:31])
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
    book.save(out)
    _report(write=time.perf_counter() - start)


_ICS_FIELDS = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION")


def work_ics_events(ics: str, events: str) -> None:
    """Read the VEVENTs of a calendar back: their six fields, as Python values, for the bare baseline."""
    from icalendar.prop import vDDDTypes, vText

    lines: list[str] = []
    for raw in Path(ics).read_bytes().decode("utf-8").split("\r\n"):  # read_text would turn CRLF into LF
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]  # unfold a continuation line
        else:
            lines.append(raw)
    found: list[tuple[Any, ...]] = []
    current: dict[str, Any] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            found.append(tuple(current.get(name) for name in _ICS_FIELDS))
            current = None
        elif current is not None:
            head, _, value = line.partition(":")
            name = head.split(";", 1)[0]
            if name in ("DTSTAMP", "DTSTART", "DTEND"):
                current[name] = vDDDTypes.from_ical(value)
            elif name in _ICS_FIELDS:
                current[name] = str(vText.from_ical(value))
    Path(events).write_bytes(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))


def work_ics_bare(events: str, out: str) -> None:
    """Build the same VEVENTs with icalendar, serialise them with to_ical, and write the bytes."""
    from icalendar import Calendar, Event

    found = pickle.loads(Path(events).read_bytes())
    start = time.perf_counter()
    calendar = Calendar()
    calendar.add("prodid", "-//bench//bare icalendar//EN")
    calendar.add("version", "2.0")
    for uid, stamp, begin, end, summary, description in found:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", begin)
        event.add("dtend", end)
        event.add("summary", summary)
        if description is not None:
            event.add("description", description)
        calendar.add_component(event)
    Path(out).write_bytes(calendar.to_ical())
    _report(write=time.perf_counter() - start)


WORKERS: dict[str, Callable[..., None]] = {
    "export": work_export,
    "validate": work_validate,
    "xlsx-cells": work_xlsx_cells,
    "xlsx-bare": work_xlsx_bare,
    "xlsx-openpyxl-bare": work_xlsx_openpyxl_bare,
    "ics-events": work_ics_events,
    "ics-bare": work_ics_bare,
}


# --- the table ----------------------------------------------------------------------------------


@dataclass
class Row:
    measurement: str
    seconds: float | None
    baseline: str
    baseline_seconds: float | None
    ratio: float | None = None
    target: str = ""
    verdict: str = ""  # PASS, MISS, info, or a reason it was not measured
    unit: str = "s"
    why: str = ""  # what the measurements say about a miss


class Table:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.scenario = ""  # which scenario the rows being added measure, when a run holds several

    def _add(self, row: Row) -> None:
        if self.scenario:
            row.measurement = f"[{self.scenario}] {row.measurement}"
        self.rows.append(row)
        self._show(row)

    def at_most(
        self,
        measurement: str,
        value: float,
        baseline: str,
        base: float,
        limit: float,
        unit: str = "s",
        why: str = "",
    ) -> None:
        ratio = value / base if base else float("inf")
        verdict = "PASS" if ratio <= limit else "MISS"
        self._add(Row(measurement, value, baseline, base, ratio, f"<= {limit:g}x", verdict, unit, why))

    def info(self, measurement: str, value: float, baseline: str, base: float, unit: str = "s") -> None:
        """A ratio shown for what it tells, with no target."""
        ratio = value / base if base else float("inf")
        self._add(Row(measurement, value, baseline, base, ratio, "-", "info", unit))

    def faster(self, measurement: str, value: float, baseline: str, base: float, factor: float, why: str = "") -> None:
        ratio = base / value if value else float("inf")  # how many times faster than the baseline
        verdict = "PASS" if ratio >= factor else "MISS"
        self._add(Row(measurement, value, baseline, base, ratio, f">= {factor:g}x faster", verdict, why=why))

    def skip(self, measurement: str, why: str) -> None:
        self._add(Row(measurement, None, "", None, verdict=why))

    @staticmethod
    def _fmt(value: float | None, unit: str) -> str:
        if value is None:
            return "-"
        if unit == "kb":
            return f"{value / 1024:.0f} MB"
        if unit == "MB":
            return f"{value:.0f} MB"
        return f"{value:.3f}"

    def _show(self, row: Row) -> None:
        print(
            f"  {row.measurement}: {self._fmt(row.seconds, row.unit)} vs {self._fmt(row.baseline_seconds, row.unit)}"
            f" -> {row.verdict}",
            file=sys.stderr,
            flush=True,
        )

    def render(self) -> str:
        head = ("measurement", "median s", "baseline", "baseline s", "ratio", "target", "result")
        body = [
            (
                r.measurement,
                self._fmt(r.seconds, r.unit),
                r.baseline,
                self._fmt(r.baseline_seconds, r.unit),
                "-" if r.ratio is None else f"{r.ratio:.2f}x",
                r.target,
                r.verdict,
            )
            for r in self.rows
        ]
        widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
        lines = [" | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in [head, *body]]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        return "\n".join(lines)


# --- datasets -------------------------------------------------------------------------------------


def dataset(work: Path, events: int, block: int, seed: int = 0) -> Path:
    """The generated dataset of ``events`` events, made again only when generate.py has changed."""
    stamp = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:16]
    root = work / f"events-{events}-block{block}-seed{seed}"
    marker = work / f"{root.name}.done"
    if not (marker.exists() and marker.read_text() == stamp and root.is_dir()):
        print(f"generating {root} ...", file=sys.stderr, flush=True)
        subprocess.run(
            [
                PYTHON,
                str(BENCH / "generate.py"),
                "--events",
                str(events),
                "--out",
                str(root),
                "--seed",
                str(seed),
                "--block",
                str(block),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        marker.write_text(stamp)
    return root


def yaml_files(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*.yaml"))


def exporter_available(fmt: str) -> bool:
    return importlib.util.find_spec(f"ipcoop_data.export.{fmt}") is not None


# --- the benchmarks -------------------------------------------------------------------------------


@dataclass
class Plan:
    work: Path
    small: Path  # the "1k" dataset (informational)
    mid: Path  # the "10k" dataset
    large: Path  # the "100k" dataset
    small_label: str
    mid_label: str
    large_label: str
    runs: int
    large_runs: int
    block: int
    only: set[str]

    def wants(self, name: str) -> bool:
        return not self.only or name in self.only


def parse_floor(root: Path) -> list[str]:
    """A process that only parses the dataset's YAML files with PyYAML's C loader."""
    code = (
        "import glob, yaml\n"
        f"files = sorted(glob.glob({str(root)!r} + '/**/*.yaml', recursive=True))\n"
        "[yaml.load(open(f), Loader=yaml.CSafeLoader) for f in files]"
    )
    return [PYTHON, "-c", code]


def bench_validate(plan: Plan, table: Table) -> None:
    ipcoop = str(BIN / "ipcoop")
    files = yaml_files(plan.mid)
    assert len(files) > 0
    big = side_by_side(
        {"validate": [ipcoop, "validate", "--no-cache", "--dataset", str(plan.mid)], "parse": parse_floor(plan.mid)},
        plan.runs,
    )
    imports = [PYTHON, "-c", "from pydantic import BaseModel; import yaml"]
    # validate never imports pandas: the floor is what it cannot do without
    small = side_by_side(
        {"cold": [ipcoop, "validate", "--no-cache"], "warm": [ipcoop, "validate"], "imports": imports}, plan.runs
    )
    validated, parsed, start = big["validate"].median(), big["parse"].median(), small["cold"].median()
    table.at_most(
        f"ipcoop validate {plan.mid_label}, no cache",
        validated,
        f"PyYAML CSafeLoader parse of its {len(files)} files",
        parsed,
        1.5,
        why=f"a whole run on the bundled dataset takes {start:.2f} s (starting and importing); "
        f"beyond that, validation took {(validated - start) / parsed:.2f}x the parse",
    )
    table.at_most(
        "ipcoop validate (bundled dataset), unchanged since the last run",
        small["warm"].median(),
        'python -c "from pydantic import BaseModel; import yaml"',
        small["imports"].median(),
        2.0,
        why="the report of an unchanged dataset comes from the cache, with no model imported",
    )
    table.info(
        "ipcoop validate (bundled dataset), no cache",
        start,
        'python -c "from pydantic import BaseModel; import yaml"',
        small["imports"].median(),
    )
    large_files = yaml_files(plan.large)
    subprocess.run([ipcoop, "validate", "--dataset", str(plan.large)], capture_output=True, check=False)  # fill it
    again = side_by_side(
        {"warm": [ipcoop, "validate", "--dataset", str(plan.large)], "parse": parse_floor(plan.large)},
        plan.large_runs,
    )
    table.at_most(
        f"ipcoop validate {plan.large_label}, unchanged since the last run",
        again["warm"].median(),
        f"PyYAML CSafeLoader parse of its {len(large_files)} files",
        again["parse"].median(),
        0.3,
    )


def bench_growth_validate(plan: Plan, table: Table) -> None:
    both = side_by_side(
        {"mid": worker("validate", str(plan.mid)), "large": worker("validate", str(plan.large))},
        {"mid": plan.runs, "large": plan.large_runs},
    )
    mid, large = both["mid"], both["large"]
    label = f"validate {plan.large_label}"
    table.at_most(f"{label}, whole process", large.median(), f"same, {plan.mid_label}", mid.median(), 11)
    table.at_most(
        f"{label}, load+checks in process", large.median("work"), f"same, {plan.mid_label}", mid.median("work"), 11
    )
    small = side_by_side({"small": worker("validate", str(plan.small))}, plan.runs)["small"]
    # Below 10k the data fit in the processor's cache, so this step grows faster than 10x.
    table.info(
        f"validate {plan.mid_label}, load+checks in process",
        mid.median("work"),
        f"same, {plan.small_label}",
        small.median("work"),
    )


def bench_export_all(plan: Plan, table: Table) -> None:
    """``ipcoop export all`` as a user runs it, whole process: its time and its peak memory grow
    with the data (the cache is off, so that each run reads and checks everything)."""
    ipcoop = str(BIN / "ipcoop")

    def command(root: Path, name: str) -> list[str]:
        return [ipcoop, "export", "all", "-q", "--no-cache", "--dataset", str(root), "--out", str(plan.work / name)]

    both = side_by_side(
        {"mid": command(plan.mid, "all-mid"), "large": command(plan.large, "all-large")},
        {"mid": plan.runs, "large": plan.large_runs},
    )
    mid, large = both["mid"], both["large"]
    label = f"ipcoop export all {plan.large_label}"
    table.at_most(f"{label}, whole process", large.median(), f"same, {plan.mid_label}", mid.median(), 11)
    peak_mid = max(s.maxrss_kb for s in mid.samples) / 1024
    peak_large = max(s.maxrss_kb for s in large.samples) / 1024
    table.at_most(f"{label}, peak memory", peak_large, f"same, {plan.mid_label}", peak_mid, 4, unit="MB")


#: Exports compared with the bare library writing the same content: (reader, bare writer, what).
BARE = {
    "xlsx": ("xlsx-cells", "xlsx-bare", "XlsxWriter constant_memory dump of the same cells"),
    "ics": ("ics-events", "ics-bare", "icalendar build + to_ical of the same VEVENTs (6 fields)"),
}


BARE_WHY = {
    "xlsx": "the exporter writes with openpyxl (write-only; see the bare openpyxl row for its floor), "
    "with a link on two cells a row (a cell object and a hyperlink element each), date and number "
    "formats, fills, tables, and rows built from the records",
    "ics": "the exporter writes 11-12 properties on each VEVENT against the baseline's 6 (categories, "
    "status, transparency, location, X-IPCOOP-*), and icalendar folds each line character by character",
}


def _growth_why(mid: Timing, large: Timing, plan: Plan) -> str:
    """What the export call's growth is made of: garbage collection, the fingerprint, the rest."""

    def part(timing: Timing, name: str) -> float:
        return timing.median(name)

    rest_mid = part(mid, "export") - part(mid, "gc") - part(mid, "fingerprint")
    rest_large = part(large, "export") - part(large, "gc") - part(large, "fingerprint")
    return (
        f"in the export call, garbage collection took {part(large, 'gc'):.1f} s at {plan.large_label} vs "
        f"{part(mid, 'gc'):.2f} s at {plan.mid_label}, hashing the dataset for its version "
        f"{part(large, 'fingerprint'):.1f} s vs {part(mid, 'fingerprint'):.2f} s; the rest grew "
        f"{rest_large / rest_mid:.1f}x ({rest_large:.1f} s vs {rest_mid:.2f} s)"
    )


def bench_exports(plan: Plan, table: Table) -> dict[str, Path]:
    """Growth and memory of every export, and xlsx and ics against their bare library.

    Returns where the mid-size exports were written.
    """
    written: dict[str, Path] = {}
    for fmt in EXPORTS:
        if not plan.wants(fmt):
            continue
        if not exporter_available(fmt):
            table.skip(f"{fmt} export", f"not available yet (no ipcoop_data.export.{fmt})")
            continue
        # Both sizes and the bare baselines in one interleaved series: the growth and the ratios
        # compare runs made at the same time, not minutes apart on a shared machine.
        commands: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        try:
            for size, root, n in (("mid", plan.mid, plan.runs), ("large", plan.large, plan.large_runs)):
                out = plan.work / f"out-{fmt}-{root.name}"
                out.mkdir(exist_ok=True)
                commands[size], counts[size] = worker("export", fmt, str(root), str(out)), n
                written.setdefault(fmt, out / TARGET[fmt])
                if fmt in BARE and root == plan.large:
                    # The bare baseline writes what the exporter wrote: run the exporter once first.
                    reader, bare, _ = BARE[fmt]
                    content = plan.work / f"{fmt}-content-{root.name}.pickle"
                    run_process(commands[size])
                    run_process(worker(reader, str(out / TARGET[fmt]), str(content)))
                    commands["bare"], counts["bare"] = worker(bare, str(content), str(plan.work / f"bare.{fmt}")), n
                    if fmt == "xlsx":  # where the time goes: the library's own floor, between the two
                        floor_out = str(plan.work / "bare-op.xlsx")
                        commands["openpyxl"] = worker("xlsx-openpyxl-bare", str(content), floor_out)
                        counts["openpyxl"] = n
            runs = side_by_side(commands, counts)
        except RuntimeError as exc:
            table.skip(f"{fmt} export", f"failed: {str(exc).splitlines()[-1][:120]}")
            continue
        mid, large = runs["mid"], runs["large"]
        label = f"{fmt} export {plan.large_label}"
        same = f"same, {plan.mid_label}"
        why = _growth_why(mid, large, plan)
        table.at_most(f"{label}, whole process (load+export)", large.median(), same, mid.median(), 11, why=why)
        table.at_most(f"{label}, export call only", large.median("export"), same, mid.median("export"), 11, why=why)
        # Memory of the export above what the loaded dataset holds: flat when written as it goes.
        extra_large = max(s.phases["peak_rss_kb"] - s.phases["loaded_rss_kb"] for s in large.samples)
        extra_mid = max(s.phases["peak_rss_kb"] - s.phases["loaded_rss_kb"] for s in mid.samples)
        memory = (f"{label}, peak memory above the loaded dataset", max(extra_large, 1), same, max(extra_mid, 1))
        if fmt == "xlsx":  # written in write-only mode: the one export whose memory must stay flat
            table.at_most(
                *memory,
                3,
                "kb",
                why="grows with the data: what the export call holds at once is proportional to the dataset "
                "(openpyxl keeps a sheet's hyperlinks until the sheet ends: two per event and per observation)",
            )
        else:
            table.info(*memory, "kb")
        if fmt in BARE:
            bare_timing = runs["bare"]
            exported, bare = large.median("export"), bare_timing.median("write")
            fingerprint, collector = large.median("fingerprint"), large.median("gc")
            rest = exported - fingerprint - collector
            table.at_most(
                f"{label}, export call",
                exported,
                f"bare {BARE[fmt][2]}",
                bare,
                1.5,
                why=f"of the export call's {exported:.1f} s, {fingerprint:.1f} s hash the dataset for its version "
                f"and {collector:.1f} s are garbage collection; the remaining {rest:.1f} s is {rest / bare:.1f}x "
                f"the bare write: {BARE_WHY[fmt]}",
            )
            floor = runs.get("openpyxl")
            if floor is not None:
                table.info(
                    f"{label}: bare openpyxl write-only dump of the same cells",
                    floor.median("write"),
                    f"bare {BARE[fmt][2]}",
                    bare,
                )
                table.info(f"{label}, export call", exported, "bare openpyxl write-only dump", floor.median("write"))
    return written


def bench_frictionless(plan: Plan, table: Table, written: dict[str, Path]) -> None:
    package = written.get("datapackage")
    if package is None and exporter_available("datapackage"):  # not benchmarked in this run: export once
        out = plan.work / f"out-datapackage-{plan.mid.name}"
        run_process(worker("export", "datapackage", str(plan.mid), str(out)))
        package = out / TARGET["datapackage"]
    if package is None:
        table.skip("frictionless validate", "not available yet (needs the datapackage export)")
        return
    t = side_by_side(
        {
            "validate": [str(BIN / "ipcoop"), "validate", "--dataset", str(plan.mid)],
            "frictionless": [str(BIN / "frictionless"), "validate", str(package / "datapackage.json")],
            "parse": parse_floor(plan.mid),
        },
        max(1, min(plan.runs, 3)),  # frictionless takes a while; three runs give a fair median
    )
    goal, floor = t["frictionless"].median() / 5, t["parse"].median()
    table.faster(
        f"ipcoop validate {plan.mid_label}",
        t["validate"].median(),
        "frictionless validate of its data package",
        t["frictionless"].median(),
        5,
        why=f"5x faster would be {goal:.2f} s, "
        + (f"less than the {floor:.2f} s" if goal < floor else f"against the {floor:.2f} s")
        + " that PyYAML's C loader alone takes to parse the same records in YAML (frictionless reads CSV)",
    )


def check_same_findings(plan: Plan) -> str:
    result = subprocess.run(
        [PYTHON, str(BENCH / "same_findings.py"), str(plan.mid), str(plan.large), "--block", str(plan.block)],
        capture_output=True,
        text=True,
    )
    return (result.stdout + result.stderr).strip()


def compile_package() -> None:
    """Write the package's bytecode, as installing a wheel does.

    An editable install run where PYTHONDONTWRITEBYTECODE is set (as on the machines this is
    measured on) compiles every module of the package again in every process: about 0.1 s that
    a user's installed ipcoop never spends, and that the baselines (libraries installed with
    their bytecode) do not pay either.
    """
    import compileall

    spec = importlib.util.find_spec("ipcoop_data")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="tiny datasets and one run: does it all still work?")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "ipcoop-bench",
        help="where datasets and exports go (default: %(default)s); never inside the repository",
    )
    parser.add_argument("--runs", type=int, help="runs per measurement (default 5, and 3 at 100k)")
    parser.add_argument(
        "--only", default="", help="comma-separated: validate, growth, all, frictionless, " + ", ".join(EXPORTS)
    )
    parser.add_argument(
        "--scenario",
        choices=("both", "generated", "replicated"),
        default="both",
        help="generated: synthetic records spread evenly (1k/10k/100k events); replicated: the bundled "
        "data 1, 10 and 100 times with new ids (many alike records, the shape that makes pairwise checks "
        "quadratic); both (the default): one after the other in this run, in one table",
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        try:
            WORKERS[args.worker[0]](*args.worker[1:])
        except Exception:  # exit 1 means "findings" to run_process: a crash must not look like that
            import traceback

            traceback.print_exc()
            return 3
        return 0

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    compile_package()
    # The runs of `ipcoop validate` keep their cache here, not in the user's own cache folder.
    os.environ["IPCOOP_CACHE_DIR"] = str(work / "cache")
    if args.quick:
        sizes, block, runs, large_runs, labels = (100, 500, 1000), 250, 1, 1, ("100", "500", "1k")
    else:
        sizes, block, runs, large_runs, labels = (1000, 10_000, 100_000), 1000, 5, 3, ("1k", "10k", "100k")
    if args.runs:
        runs = large_runs = args.runs
    only = {name for name in args.only.split(",") if name}
    plans: dict[str, Plan] = {}
    if args.scenario in ("both", "generated"):
        small, mid, large = (dataset(work, n, min(block, n)) for n in sizes)
        plans["generated"] = Plan(work, small, mid, large, *labels, runs, large_runs, block, only)
    if args.scenario in ("both", "replicated"):
        from replicate import replicate

        times = (1, 3, 10) if args.quick else (1, 10, 100)
        small, mid, large = (replicate(k, work / f"replicated-{k}") for k in times)
        copies = tuple(f"{k}x bundled" for k in times)
        plans["replicated"] = Plan(work, small, mid, large, *copies, runs, large_runs, block, only)

    table = Table()
    started = time.perf_counter()
    same: dict[str, str] = {}
    for scenario, plan in plans.items():
        print(f"scenario {scenario}: {plan.mid.name} and {plan.large.name}", file=sys.stderr, flush=True)
        table.scenario = scenario if len(plans) > 1 else ""
        if plan.wants("validate"):
            bench_validate(plan, table)
        if plan.wants("growth"):
            bench_growth_validate(plan, table)
        if plan.wants("all"):
            bench_export_all(plan, table)
        written = bench_exports(plan, table)
        if plan.wants("frictionless"):
            bench_frictionless(plan, table, written)
        if scenario == "replicated":
            same[scenario] = "(not compared: copies add findings by design)"
        elif not only or "growth" in only:
            same[scenario] = check_same_findings(plan)
        else:
            same[scenario] = "(not checked with --only)"

    scenarios = "; ".join(f"{name}: {plan.mid.name} and {plan.large.name}" for name, plan in plans.items())
    print(
        f"\nipcoop-data benchmarks in {work} ({scenarios}); "
        f"{runs} run{'s' if runs > 1 else ''} ({large_runs} at the largest size), medians;"
        f" {time.perf_counter() - started:.0f} s in all\n"
    )
    print(table.render())
    for scenario, plan in plans.items():
        print(f"\nfindings, {scenario}, at {plan.large_label} vs {plan.mid_label}: {same[scenario]}")
    missed = [r for r in table.rows if r.verdict not in ("PASS", "info")]
    if missed:
        print("\nnot met or not measured, and why:")
        for r in missed:
            print(f"  {r.measurement}: {r.verdict}" + (f"\n    {r.why}" if r.why else ""))
    for leftover in work.glob("bare.*"):
        leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
    return 0


if __name__ == "__main__":
    sys.exit(main())
