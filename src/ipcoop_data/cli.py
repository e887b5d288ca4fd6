"""The ``ipcoop`` command: a thin layer over the Python API (load, validate, export, schema, stats)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ipcoop_data.read.load import DatasetNotFoundError, load
from ipcoop_data.report.baseline import BaselineError, read_baseline
from ipcoop_data.version import __version__

if TYPE_CHECKING:
    from ipcoop_data.model.dataset import Dataset
    from ipcoop_data.report.findings import Report

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
EXPORT_FORMATS = ("xlsx", "ics", "json", "datapackage", "timeline", "sqlite")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}{_suggestion(message)}\n")


def _suggestion(message: str) -> str:
    """'; did you mean 'validate'?' for argparse's "invalid choice: 'valdate' (choose from ...)"."""
    import difflib
    import re

    found = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if found is None:
        return ""
    choices = re.findall(r"'([^']*)'", found.group(2)) or [c.strip() for c in found.group(2).split(",")]
    close = difflib.get_close_matches(found.group(1), choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _codes_list(text: str) -> list[str]:
    from ipcoop_data.report.codes import selection

    names = [name.strip() for name in text.split(",") if name.strip()]
    try:
        selection(names)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return names


def _add_dataset(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dataset",
        metavar="PATH",
        type=Path,
        default=None,
        help="dataset directory (default: the bundled dataset)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ipcoop", description="Validate and export the ipcoop-data dataset.")
    parser.add_argument("--version", action="version", version=f"ipcoop-data {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    v = sub.add_parser("validate", help="check the dataset; exit 0 clean, 1 errors, 2 unreadable input")
    _add_dataset(v)
    v.add_argument("--sources-dir", metavar="DIR", type=Path, help="directory of source texts: check every quote")
    v.add_argument(
        "--format",
        choices=("text", "json", "github", "junit"),
        default="text",
        help="text for people (default), json for machines, github for workflow annotations, junit for CI",
    )
    v.add_argument("--output", "-o", metavar="FILE", type=Path, help="write the report to FILE (default: stdout)")
    v.add_argument("--strict", action="store_true", help="fail on warnings too")
    v.add_argument(
        "--select",
        metavar="CODES",
        type=_codes_list,
        default=[],
        help="report only these finding codes or families, comma-separated (e.g. consistency,quote-not-found)",
    )
    v.add_argument("--ignore", metavar="CODES", type=_codes_list, default=[], help="leave out these codes or families")
    v.add_argument(
        "--baseline",
        metavar="FILE",
        type=Path,
        help="known findings (a JSON report of an earlier run, or one fingerprint a line): only new ones fail",
    )

    e = sub.add_parser(
        "export",
        help="write the dataset, with its findings, as xlsx, ics, json, a data package, a timeline or SQLite",
        description="Write the dataset as a workbook, a calendar, JSON, a Frictionless data package, a "
        "TimelineJS timeline or a SQLite database (with its Datasette metadata beside it). 'all' writes "
        "every format into the --out directory. Files are written "
        "atomically, and the same data always gives the same bytes.",
    )
    e.add_argument("format", choices=(*EXPORT_FORMATS, "all"))
    _add_dataset(e)
    e.add_argument(
        "--out",
        metavar="PATH",
        type=str,  # kept as typed: a trailing '/' (which Path drops) means a folder
        required=True,
        help="output file (a path ending in '/' is a folder to write it into); a directory for datapackage and all",
    )
    e.add_argument("--sources-dir", metavar="DIR", type=Path, help="check quotes when collecting findings")
    e.add_argument(
        "--year-events",
        choices=("skip", "span"),
        default="skip",
        help="ics: events known only to their year are left out (skip, the default) or shown as "
        "all-day spans over the whole year (span)",
    )
    e.add_argument("--per-series", action="store_true", help="ics: also write one calendar per series")
    e.add_argument(
        "--group-by", choices=("kind", "series"), default="kind", help="timeline: group events by kind or series"
    )

    s = sub.add_parser("schema", help="write the JSON Schema of every record type")
    s.add_argument("--out", metavar="DIR", type=Path, default=Path("schemas"))
    s.add_argument("--check", action="store_true", help="exit 1 if the files in DIR differ from fresh output")

    dc = sub.add_parser(
        "discrepancies", help="every difference between figures of one quantity, with outcome and ruling"
    )
    _add_dataset(dc)
    dc.add_argument("--format", choices=("text", "json"), default="text")
    dc.add_argument("--all", action="store_true", help="also list pairs that agree")

    co = sub.add_parser("codes", help="list every finding code with its family, severity and meaning")
    co.add_argument("--format", choices=("text", "json"), default="text")

    st = sub.add_parser("stats", help="count records, and events and observations per source")
    _add_dataset(st)
    return parser


class Terminated(BaseException):
    """SIGTERM, raised where the program is so that every temporary file is removed on the way out."""


#: Signals received during this run. A library may wrap the exception a signal raises in one of its
#: own (pydantic's serializer does), so the run is judged by what arrived, not by what was raised.
_RECEIVED: list[int] = []


def _on_signal(signum: int, frame: object) -> None:
    _RECEIVED.append(signum)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated


def _quiet_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    # After Ctrl-C or a full disk, libraries' finalizers (a half-written zip) raise as they are
    # collected; the user has already been told what failed, once, in one line.
    if os.environ.get("IPCOOP_DEBUG"):
        sys.__unraisablehook__(unraisable)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in ("stdout", "stderr"):  # started with a closed stream (`ipcoop codes >&-`)
        if getattr(sys, stream) is None:
            setattr(sys, stream, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):  # bare `ipcoop`: say what it can do
        parser.print_help()
        return EXIT_OK
    args = parser.parse_args(argv)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_unraisable
    _RECEIVED.clear()
    handlers = (
        {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)} if _main_thread() else {}
    )
    code = EXIT_USAGE
    try:
        code = _run(args)
        return code
    finally:
        if code not in (EXIT_OK, EXIT_ERRORS):
            import gc

            gc.collect()  # the half-done writers' finalizers run now, under the quiet hook
        sys.unraisablehook = previous_hook
        for sig, handler in handlers.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


def _closed_pipe() -> int:
    # The reader went away (`ipcoop codes | head`): stop quietly, as the Python docs advise,
    # pointing stdout at devnull so that the interpreter's last flush cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_ERRORS


def _interrupted() -> int:
    terminated = signal.SIGTERM in _RECEIVED
    print(f"ipcoop: {'terminated' if terminated else 'interrupted'}; no file was half-written", file=sys.stderr)
    return 143 if terminated else 130


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "export":
            return _export(args)
        if args.command == "schema":
            return _schema(args)
        if args.command == "stats":
            return _stats(args)
        if args.command == "codes":
            return _codes(args)
        if args.command == "discrepancies":
            return _discrepancies(args)
    except (DatasetNotFoundError, BaselineError) as exc:
        print(f"ipcoop: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (KeyboardInterrupt, Terminated):
        return _interrupted()
    except OSError as exc:  # a place that cannot be written or read: the machine's answer, not a bug
        if isinstance(exc, BrokenPipeError):
            return _closed_pipe()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"ipcoop: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug, not bad input: say so in one line unless debugging
        if _RECEIVED:  # a signal, wrapped by a library on its way up
            return _interrupted()
        if os.environ.get("IPCOOP_DEBUG"):
            raise
        print(
            f"ipcoop: internal error ({type(exc).__name__}: {exc}); this is a bug in ipcoop-data, "
            "please report it (set IPCOOP_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 3
    raise AssertionError(args.command)  # pragma: no cover - argparse rejects unknown commands


def _validate(args: argparse.Namespace) -> int:
    from ipcoop_data.checks import validate
    from ipcoop_data.report.render import render

    baseline = read_baseline(args.baseline) if args.baseline else set()
    dataset = load(args.dataset, errors="collect")
    report = validate(dataset, sources_dir=args.sources_dir, baseline=baseline, select=args.select, ignore=args.ignore)
    report.strict = args.strict
    text = render(report, args.format)
    if args.output:
        from ipcoop_data.export.atomic import write_text

        write_text(args.output, text)
        print(report.summary(), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return report.exit_code()


def _export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out_is_folder = args.out.endswith(("/", os.sep))  # `--out build/`: Path() would drop the '/'
    from ipcoop_data.checks import validate
    from ipcoop_data.export.common import FILE_NAMES, BadSourceDateEpoch, dataset_timestamp

    dataset = load(args.dataset, errors="collect")
    try:
        dataset_timestamp(dataset)
    except BadSourceDateEpoch as exc:
        print(f"ipcoop: {exc}; unset it or give seconds since 1970-01-01", file=sys.stderr)
        return EXIT_USAGE
    report = validate(dataset, sources_dir=args.sources_dir)
    if report.unreadable:
        from ipcoop_data.report.findings import UNREADABLE_CODES
        from ipcoop_data.report.render import visible

        print("ipcoop: not exporting: some files cannot be read", file=sys.stderr)
        for f in report.sorted():
            if f.code in UNREADABLE_CODES:
                print(visible(f"  {report.location(f)}: {f.severity} {f.code}: {f.message}"), file=sys.stderr)
        print(report.summary(), file=sys.stderr)
        return EXIT_USAGE
    if args.format == "all":
        if out.exists() and not out.is_dir():
            print(f"ipcoop: --out {out} is not a directory; 'export all' needs one", file=sys.stderr)
            return EXIT_USAGE
        targets = {fmt: out / FILE_NAMES[fmt] for fmt in EXPORT_FORMATS}
    elif out_is_folder and args.format != "datapackage":
        # `--out build/` names a folder: the export goes inside it, under its usual name
        targets = {args.format: out / FILE_NAMES[args.format]}
    else:
        targets = {args.format: out}
    from ipcoop_data.export.atomic import batch

    written: list[Path] = []
    fmt, target = "", out
    try:
        with batch():  # every format written first; the previous files are replaced only if all succeed
            for fmt, target in targets.items():
                written.extend(_export_one(fmt, dataset, report, target, args))
    except OSError as exc:
        print(f"ipcoop: cannot write {fmt} to {target}: {exc.strerror or exc}", file=sys.stderr)
        if len(targets) > 1:
            print("ipcoop: nothing was replaced: the previous files are as they were", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    if report.count("error"):
        print(f"ipcoop: exported a dataset with errors ({report.summary()})", file=sys.stderr)
    return EXIT_OK


def _export_one(fmt: str, dataset: Dataset, report: Report, target: Path, args: argparse.Namespace) -> list[Path]:
    from ipcoop_data import export

    if fmt == "xlsx":
        return [export.to_xlsx(dataset, target, report)]
    if fmt == "ics":
        return list(export.to_ics(dataset, target, report, year_events=args.year_events, per_series=args.per_series))
    if fmt == "json":
        export.to_json(dataset, target, report)
        return [target]
    if fmt == "datapackage":
        return list(export.to_datapackage(dataset, target, report))
    if fmt == "timeline":
        return [export.to_timeline(dataset, target, report, group_by=args.group_by)]
    if fmt == "sqlite":
        return export.to_sqlite(dataset, target, report)  # the database and its Datasette metadata
    raise AssertionError(fmt)


def _schema(args: argparse.Namespace) -> int:
    from ipcoop_data.export.jsonschema import stale_schemas, write_schemas

    if args.check:
        stale = stale_schemas(args.out)
        if stale:
            print(
                f"ipcoop: stale schemas in {args.out}: {', '.join(stale)}; run 'ipcoop schema --out {args.out}'",
                file=sys.stderr,
            )
            return EXIT_ERRORS
        print(f"schemas in {args.out} are up to date", file=sys.stderr)
        return EXIT_OK
    written = write_schemas(args.out)
    print(f"wrote {len(written)} schemas to {args.out}", file=sys.stderr)
    return EXIT_OK


def _discrepancies(args: argparse.Namespace) -> int:
    from ipcoop_data.analysis import discrepancies

    dataset = load(args.dataset, errors="collect")
    items = discrepancies.comparisons(dataset, include_agreement=args.all)
    render = discrepancies.to_json if args.format == "json" else discrepancies.to_text
    sys.stdout.write(render(items))
    return EXIT_OK


def _codes(args: argparse.Namespace) -> int:
    from ipcoop_data.report.codes import CODES

    if args.format == "json":
        import json

        rows = [{"code": c.code, "family": c.family, "severity": c.severity, "title": c.title} for c in CODES.values()]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    width = max(len(c) for c in CODES)
    for c in CODES.values():
        sys.stdout.write(f"{c.code:<{width}}  {c.family:<12} {c.severity:<8} {c.title}\n")
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    from ipcoop_data.analysis.stats import stats_table

    dataset = load(args.dataset, errors="collect")
    sys.stdout.write(stats_table(dataset))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
