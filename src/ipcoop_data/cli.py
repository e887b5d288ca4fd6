"""The ``ipcoop`` command: a thin layer over the Python API (load, validate, export, schema, stats)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ipcoop_data.read.gitref import GitRefError
from ipcoop_data.read.root import DatasetNotFoundError
from ipcoop_data.report.baseline import BaselineError, read_baseline
from ipcoop_data.version import __version__

if TYPE_CHECKING:
    from ipcoop_data.model.dataset import Dataset
    from ipcoop_data.read.cache import Cache
    from ipcoop_data.read.loaded import Loaded
    from ipcoop_data.report.findings import Report
    from ipcoop_data.report.render import TextStyle

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


def _add_quiet(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help=what)


def _percentage(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"a percentage from 0 to 100, not {text}")
    return value


def _width(text: str) -> int:
    if not text.isdigit() or (0 < int(text) < 40) or int(text) > 10_000:
        raise argparse.ArgumentTypeError(f"0 (whole units) or a width from 40 to 10000, not {text!r}")
    return int(text)


def _add_dataset(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dataset",
        metavar="PATH",
        type=Path,
        default=None,
        help="dataset directory (default: the bundled dataset)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="read and check everything afresh, without the cache of unchanged files (also: IPCOOP_NO_CACHE=1)",
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
        choices=("text", "json", "github", "markdown", "junit"),
        default="text",
        help="text for people (default), json for machines, github for workflow annotations, "
        "markdown for a job summary ($GITHUB_STEP_SUMMARY), junit for CI dashboards",
    )
    _add_quiet(v, "text report: errors and warnings only, no info findings or notes")
    v.add_argument(
        "--color",
        "--colour",
        dest="colour",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report: auto (on a terminal, unless NO_COLOR is set; the default), always, never",
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
    _add_quiet(e, "do not list the files written (problems are still reported)")
    for unit in ("month", "year"):
        e.add_argument(
            f"--{unit}-events",
            choices=("digest", "span", "skip"),
            default="digest",
            help=f"ics: events known only to their {unit} are listed in one item on the 1st of it "
            f"(digest, the default), drawn over the whole {unit} (span), or left out (skip)",
        )
    e.add_argument("--per-series", action="store_true", help="ics: also write one calendar per series")
    e.add_argument(
        "--group-by",
        choices=("kind", "series"),
        default="kind",
        help="timeline: rows by family of event kind or by series (its page, NAME.html, is written beside NAME.json)",
    )

    s = sub.add_parser("schema", help="write the JSON Schema of every record type")
    s.add_argument("--out", metavar="DIR", type=Path, default=Path("schemas"))
    s.add_argument("--check", action="store_true", help="exit 1 if the files in DIR differ from fresh output")
    _add_quiet(s, "say nothing when all is well")

    dc = sub.add_parser(
        "discrepancies", help="every difference between figures of one quantity, with outcome and ruling"
    )
    _add_dataset(dc)
    dc.add_argument("--format", choices=("text", "json"), default="text")
    dc.add_argument("--all", action="store_true", help="also list pairs that agree")

    df = sub.add_parser(
        "diff",
        help="what changed between two versions of a dataset: records, fields, discrepancies",
        description="Compare two dataset folders, or the dataset as it was at a git ref with the working "
        "tree: records added, removed and changed field by field, discrepancies opened and settled.",
    )
    df.add_argument("old", metavar="OLD", help="a dataset folder, or a git ref (e.g. main, HEAD~1, v0.1.0)")
    df.add_argument(
        "new", metavar="NEW", nargs="?", type=Path, help="a dataset folder (default: --dataset, or the bundled one)"
    )
    _add_dataset(df)
    df.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    cv = sub.add_parser(
        "coverage",
        help="how much of each source text the quotes cover: the dated or numbered sentences no record cites",
        description="Cut each source text into sentences and captions, count those that carry a date or a "
        "figure, and list the ones that no record's quote covers (with line and character offset), less "
        "those excluded in coverage.yaml. Exit 0, or 1 with --fail-under when the share is lower.",
    )
    _add_dataset(cv)
    cv.add_argument("--sources-dir", metavar="DIR", type=Path, help="directory of source texts (default: texts/)")
    cv.add_argument("--format", choices=("text", "json"), default="text")
    cv.add_argument("--source", metavar="ID", help="only this source")
    cv.add_argument(
        "--fail-under",
        metavar="PCT",
        type=_percentage,
        help="exit 1 when the share covered (of all sources, or of --source) is below PCT (0-100)",
    )
    cv.add_argument(
        "--width",
        metavar="N",
        type=_width,
        default=100,
        help="text: shorten each unit to fit lines of N characters (default 100; 0: whole units)",
    )

    co = sub.add_parser("codes", help="list every finding code with its family, severity and meaning")
    co.add_argument("--format", choices=("text", "json"), default="text")

    st = sub.add_parser("stats", help="count records, and events and observations per source")
    _add_dataset(st)
    st.add_argument("--format", choices=("text", "json"), default="text")

    ini = sub.add_parser(
        "init",
        help="start a new dataset in DIR: the layout, example records, schemas, editor and CI set-up",
        description="Write a minimal dataset into DIR (a new or empty directory; nothing is ever "
        "overwritten): one source with its text, one organization, one event, a README, the JSON "
        "Schemas with editor hints, and a GitHub workflow. 'ipcoop validate --dataset DIR' passes on it.",
    )
    ini.add_argument("dir", metavar="DIR", type=Path)
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
        if args.command == "diff":
            return _diff(args)
        if args.command == "discrepancies":
            return _discrepancies(args)
        if args.command == "coverage":
            return _coverage(args)
        if args.command == "init":
            return _init(args)
    except (DatasetNotFoundError, BaselineError, GitRefError) as exc:
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


def _cache(args: argparse.Namespace) -> Cache | None:
    from ipcoop_data.read.cache import Cache, disabled_by_environment

    return None if args.no_cache or disabled_by_environment() else Cache()


def _read(args: argparse.Namespace) -> Loaded:
    """The dataset of ``--dataset``, read through the cache, with the problems reading it."""
    from ipcoop_data.read.load import read_dataset

    return read_dataset(args.dataset, cache=_cache(args))


def _validate(args: argparse.Namespace) -> int:
    from ipcoop_data.report.render import render
    from ipcoop_data.validation import validate_path

    baseline = read_baseline(args.baseline) if args.baseline else set()
    report = validate_path(
        args.dataset,
        sources_dir=args.sources_dir,
        baseline=baseline,
        select=args.select,
        ignore=args.ignore,
        cache=_cache(args),
    )
    report.strict = args.strict
    text = render(report, args.format, _text_style(args, to_terminal=args.output is None))
    if args.output:
        from ipcoop_data.export.atomic import write_text

        write_text(args.output, text)
        print(report.summary(), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return report.exit_code()


def _text_style(args: argparse.Namespace, to_terminal: bool) -> TextStyle:
    """Width and colour of the text report: on a terminal, wrapped at its width and coloured;
    elsewhere (a file, a pipe, a CI log) one line a finding and no colour, so that grep finds a
    message whole and the same input gives the same bytes whatever the window."""
    from ipcoop_data.report.render import TextStyle

    tty = to_terminal and sys.stdout.isatty()
    if args.colour == "auto":
        colour = tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    else:
        colour = args.colour == "always"
    width = None
    if tty:
        import shutil

        width = max(60, shutil.get_terminal_size((100, 24)).columns)
    return TextStyle(width=width, colour=colour, quiet=args.quiet)


def _export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out_is_folder = args.out.endswith(("/", os.sep))  # `--out build/`: Path() would drop the '/'
    from ipcoop_data.checks import validate
    from ipcoop_data.export.common import FILE_NAMES, BadSourceDateEpoch, dataset_timestamp

    loaded = _read(args)
    dataset = loaded.dataset
    try:
        dataset_timestamp(dataset)
    except BadSourceDateEpoch as exc:
        print(f"ipcoop: {exc}; unset it or give seconds since 1970-01-01", file=sys.stderr)
        return EXIT_USAGE
    report = validate(loaded, sources_dir=args.sources_dir)
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
    for path in written if not args.quiet else ():
        print(f"wrote {path}", file=sys.stderr)
    if report.count("error"):
        print(f"ipcoop: exported a dataset with errors ({report.summary()})", file=sys.stderr)
    return EXIT_OK


def _export_one(fmt: str, dataset: Dataset, report: Report, target: Path, args: argparse.Namespace) -> list[Path]:
    from ipcoop_data import export

    if fmt == "xlsx":
        return [export.to_xlsx(dataset, target, report)]
    if fmt == "ics":
        return list(
            export.to_ics(
                dataset,
                target,
                report,
                month_events=args.month_events,
                year_events=args.year_events,
                per_series=args.per_series,
            )
        )
    if fmt == "json":
        export.to_json(dataset, target, report)
        return [target]
    if fmt == "datapackage":
        return list(export.to_datapackage(dataset, target, report))
    if fmt == "timeline":
        from ipcoop_data.export.timeline_page import page_path

        page = page_path(target)  # the page that shows it, beside it: ipcoop-data.timeline.html
        return [export.to_timeline(dataset, target, report, group_by=args.group_by, page=page), page]
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
        if not args.quiet:
            print(f"schemas in {args.out} are up to date", file=sys.stderr)
        return EXIT_OK
    written = write_schemas(args.out)
    if not args.quiet:
        print(f"wrote {len(written)} schemas to {args.out}", file=sys.stderr)
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from ipcoop_data.scaffold import InitRefused, init_dataset

    try:
        written = init_dataset(args.dir)
    except InitRefused as exc:
        print(f"ipcoop: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"wrote a new dataset ({len(written)} files) to {args.dir}; check it: ipcoop validate --dataset {args.dir}",
        file=sys.stderr,
    )
    return EXIT_OK


def _discrepancies(args: argparse.Namespace) -> int:
    from ipcoop_data.analysis import discrepancies

    dataset = _read(args).dataset
    items = discrepancies.comparisons(dataset, include_agreement=args.all)
    render = discrepancies.to_json if args.format == "json" else discrepancies.to_text
    sys.stdout.write(render(items))
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    import tempfile

    from ipcoop_data.analysis.diff import diff
    from ipcoop_data.read.gitref import extract_at_ref
    from ipcoop_data.read.load import read_dataset
    from ipcoop_data.read.root import dataset_root
    from ipcoop_data.report.diff import RENDERERS

    new_root = dataset_root(args.new if args.new is not None else args.dataset)
    cache = _cache(args)
    with tempfile.TemporaryDirectory(prefix="ipcoop-diff-") as scratch:
        if Path(args.old).is_dir():
            old_root, old_name = Path(args.old), args.old
        else:
            old_root, old_name = extract_at_ref(args.old, new_root, Path(scratch)), f"{args.old} (git)"
        old, new = read_dataset(old_root, cache=cache), read_dataset(new_root, cache=cache)
    notes = []
    for name, loaded in ((old_name, old), (str(new_root), new)):
        unread = sum(1 for f in loaded.findings if f.severity == "error")
        if unread:
            notes.append(
                f"{name}: {unread} problems reading records (run ipcoop validate on it): "
                "a record that could not be read shows as removed or missing"
            )
    sys.stdout.write(RENDERERS[args.format](diff(old.dataset, new.dataset), old_name, str(new_root), notes))
    return EXIT_OK


def _coverage(args: argparse.Namespace) -> int:
    from ipcoop_data.checks.coverage import measured
    from ipcoop_data.report import coverage as rendering

    loaded = _read(args)
    dataset = loaded.dataset
    if args.source is not None and dataset.source(args.source) is None:
        import difflib

        ids = [s.id for s in dataset.sources]
        close = difflib.get_close_matches(args.source, ids, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (sources: {', '.join(ids)})"
        print(f"ipcoop: no source {args.source!r} in the dataset{hint}", file=sys.stderr)
        return EXIT_USAGE
    coverage, report = measured(dataset, args.sources_dir)
    if coverage is None:
        print("ipcoop: no source text could be read, so there is nothing to measure", file=sys.stderr)
        for f in report.sorted():
            print(f"  {report.location(f)}: {f.severity} {f.code}: {f.message}", file=sys.stderr)
        return EXIT_USAGE
    if args.source is not None:
        coverage, report = rendering.selected(coverage, report, args.source)
    if args.format == "json":
        sys.stdout.write(rendering.to_json(coverage, report))
    else:
        sys.stdout.write(rendering.to_text(coverage, report, args.width))
    incomplete = loaded.incomplete
    if incomplete:
        print(
            "ipcoop: some records could not be read, so coverage may be understated (see 'ipcoop validate')",
            file=sys.stderr,
        )
    if args.fail_under is None:
        return EXIT_OK
    if incomplete:
        return EXIT_USAGE
    share = coverage.share
    if share is not None and share * 100 < args.fail_under:
        print(
            f"ipcoop: coverage {rendering.percent(share):.1f}% is under --fail-under {args.fail_under:g}%",
            file=sys.stderr,
        )
        return EXIT_ERRORS
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
    from ipcoop_data.analysis.stats import stats_json, stats_table

    dataset = _read(args).dataset
    sys.stdout.write(stats_json(dataset) if args.format == "json" else stats_table(dataset))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
