"""Read a dataset directory into a Dataset, turning every problem into a Finding with file and line."""

from __future__ import annotations

import difflib
import hashlib
import os
import pickle
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import Dataset, set_deprecated_load_findings
from ipcoop_data.model.finding import Finding, sort_key
from ipcoop_data.model.origin import Origin
from ipcoop_data.model.records import RECORD_TYPES, Fielded, Part, Record, fields_of
from ipcoop_data.read.cache import Cache
from ipcoop_data.read.files import MAX_YAML_BYTES, RefusedFile, read_bytes, refusal
from ipcoop_data.read.loaded import Loaded
from ipcoop_data.read.root import DatasetNotFoundError, dataset_root
from ipcoop_data.read.shared import Sharer
from ipcoop_data.read.yamlfile import Located, YamlError, forbidden_character, iter_records

__all__ = ["LAYOUT", "DatasetLoadError", "DatasetNotFoundError", "Loaded", "load", "read_dataset"]

#: Which files hold which record type, relative to the dataset directory.
LAYOUT: tuple[tuple[str, str], ...] = (
    ("source", "sources.yaml"),
    ("organization", "organizations.yaml"),
    ("person", "people.yaml"),
    ("series", "series.yaml"),
    ("metric", "metrics.yaml"),
    ("event", "events/*.yaml"),
    ("observation", "observations/*.yaml"),
    ("ruling", "rulings.yaml"),
    ("relation", "relations.yaml"),
    ("exclusion", "coverage.yaml"),
)


class DatasetLoadError(Exception):
    """Raised by ``load(errors="raise")`` when records cannot be read; carries the findings."""

    def __init__(self, findings: list[Finding], dataset: str) -> None:
        self.findings = sorted(findings, key=sort_key)
        self.dataset = dataset
        first = "\n".join(f"  {f.location()}: [{f.code}] {f.message}" for f in self.findings[:10])
        more = len(findings) - 10
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(findings)} problem(s) reading {dataset}:\n{first}{tail}")


def shown_path(path: Path, root: Path) -> str:
    """A dataset file as findings name it: relative to the dataset root, with ``/`` separators.

    Never relative to the working directory, so that a finding's identity (and every export) is
    the same wherever ``ipcoop`` runs.
    """
    shown = path.relative_to(root).as_posix()
    if _undecodable(shown):  # a name that is not UTF-8: shown with its bytes escaped, never raw
        return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return shown


def _undecodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _skip_reason(path: Path) -> str | None:
    name = path.name
    if name.startswith("._"):
        return "a macOS resource-fork file ('._' prefix), not data"
    if name.startswith("."):
        return "a hidden file; rename it without the leading '.' to include it"
    return None


def dataset_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every file of the layout under ``root``, whether it can be read or not (``_entry_problem`` says)."""
    for record_type, pattern in LAYOUT:
        for path in sorted(root.glob(pattern)):
            yield record_type, path


def _entry_problem(path: Path, root: Path) -> Finding | None:
    """A finding for a layout entry that is not read: hidden, a directory, a symlink out, a device."""
    shown = shown_path(path, root)
    if _undecodable(path.relative_to(root).as_posix()):
        return Finding("file-refused", "error", "not read: its name is not UTF-8; rename it", file=shown)
    skip = _skip_reason(path)
    if skip is not None:
        return Finding("file-skipped", "warning", f"not read: {skip}", file=shown)
    reason = refusal(path, root)
    if reason is not None:
        return Finding("file-refused", "error", f"not read: {reason}", file=shown)
    return None


def _unexpected_files(root: Path, expected: set[Path]) -> Iterator[Path]:
    # Suffixes compared without case: '2032.YAML' is most likely meant as data, and must not vanish.
    # Hidden folders hold tools, not data (a dataset that is its repository's root has
    # .github/workflows/*.yml), as hidden files do: neither is reported as a stray data file.
    for path in sorted(root.rglob("*")):
        if (
            path.suffix.lower() in (".yaml", ".yml")
            and path not in expected
            and _skip_reason(path) is None
            and not any(part.startswith(".") for part in path.relative_to(root).parent.parts)
        ):
            yield path


def read_dataset(path: str | os.PathLike[str] | None = None, *, cache: Cache | None = None) -> Loaded:
    """Read a dataset directory (default: the bundled dataset): its readable records, and a
    finding for each problem reading it (``Loaded.dataset``, ``Loaded.findings``).

    Never raises for a record or file that cannot be read: that is a finding, and the other files
    are still read. ``checks.validate(loaded)`` reports the findings with those of the checks.
    ``cache`` (a ``read.cache.Cache``) keeps the records of each file that reads cleanly, keyed by
    its bytes: an unchanged file is then not parsed again. Records and findings are the same either way.
    Raises DatasetNotFoundError when there is no dataset at ``path``.
    """
    root = dataset_root(path)
    entries = list(dataset_files(root))
    if not entries:
        wanted = ", ".join(pattern for _, pattern in LAYOUT)
        raise DatasetNotFoundError(f"no dataset files in {root} (expected some of: {wanted})")

    dataset = Dataset(root=root)
    findings: list[Finding] = []
    sharer = Sharer()
    with paused_gc():
        for record_type, file_path in entries:
            problem = _entry_problem(file_path, root)
            if problem is not None:
                findings.append(problem)
                continue
            shown = shown_path(file_path, root)
            dataset.files.append(shown)
            findings.extend(_load_file(dataset, record_type, file_path, root, shown, cache, sharer))
    for stray in _unexpected_files(root, {p for _, p in entries}):
        findings.append(
            Finding(
                "unknown-file",
                "warning",
                "this YAML file is not part of the dataset layout and was not read "
                "(expected: " + ", ".join(p for _, p in LAYOUT) + ", with a lower-case '.yaml')",
                file=shown_path(stray, root),
            )
        )
    return Loaded(dataset, tuple(findings))


def load(path: str | os.PathLike[str] | None = None, *, errors: str = "raise", cache: Cache | None = None) -> Dataset:
    """Load a dataset directory (default: the bundled dataset) into a Dataset.

    ``errors="raise"`` raises DatasetLoadError when any record cannot be read. ``errors="collect"``
    (deprecated) returns the readable records instead; the problems are no longer on the Dataset:
    ``read_dataset(path)`` returns both, and ``checks.validate`` takes what it returns.
    ``cache``: as for ``read_dataset``. Raises DatasetNotFoundError when there is no dataset at ``path``.
    """
    if errors not in ("raise", "collect"):
        raise ValueError("errors must be 'raise' or 'collect'")
    if errors == "collect":
        # validate(load(path, errors="collect")) used to report the problems reading the files;
        # it no longer can, since they are not on the Dataset: say so rather than pass in silence.
        warnings.warn(
            'load(path, errors="collect") is deprecated: use read_dataset(path), whose .dataset is the '
            "records and .findings the problems reading them; validate(read_dataset(path)) reports both",
            DeprecationWarning,
            stacklevel=2,
        )
    loaded = read_dataset(path, cache=cache)
    if errors == "raise" and loaded.incomplete:
        raise DatasetLoadError(list(loaded.findings), str(loaded.dataset.root))
    if errors == "collect":
        set_deprecated_load_findings(loaded.dataset, loaded.findings)
    return loaded.dataset


def _read_data(file_path: Path, root: Path, shown: str) -> tuple[bytes | None, Finding | None]:
    try:
        return read_bytes(file_path, root, MAX_YAML_BYTES), None
    except RefusedFile as exc:
        return None, Finding("file-unreadable", "error", f"cannot read file: {exc.reason}", file=shown)


def _decode(data: bytes, shown: str) -> tuple[str | None, Finding | None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Finding(
            "file-encoding",
            "error",
            f"file is not UTF-8: byte 0x{data[exc.start]:02x} at line {line} cannot be decoded "
            "(save the file as UTF-8)",
            file=shown,
            line=line,
        )
    bad = forbidden_character(text)
    if bad is not None:
        line, column, char = bad
        return None, Finding(
            "file-control-character",
            "error",
            f"line {line}, column {column}: the control character {char} is not allowed in a dataset file "
            "(YAML refuses it, and no export could hold it): remove it",
            file=shown,
            line=line,
        )
    return text, None


def _load_file(
    dataset: Dataset, record_type: str, file_path: Path, root: Path, shown: str, cache: Cache | None, sharer: Sharer
) -> Iterator[Finding]:
    data, problem = _read_data(file_path, root, shown)
    if problem is not None:
        yield problem
        return
    assert data is not None
    model = RECORD_TYPES[record_type]
    slot = key = ""
    if cache is not None:
        slot, key = records_slot(root, shown), records_key(record_type, shown, data)
        cached = cached_records(cache.get("records", slot, key), model, shown)
        if cached is not None:
            for record in cached:
                sharer.record(record)
                dataset.add(record_type, record)
            dataset.records_read += len(cached)
            return
    text, problem = _decode(data, shown)
    if problem is not None:
        yield problem
        return
    assert text is not None
    records: list[Record] = []
    yaml_findings: list[Finding] = []
    schema_problems: list[Finding] = []
    try:
        # Records are validated a piece of the file at a time, while the piece is still in the
        # processor's cache; they join the dataset once the whole file has been read.
        for batch in iter_records(text):
            if batch is None:  # a piece did not parse alone and the whole file follows: start again
                records.clear()
                yaml_findings.clear()
                schema_problems.clear()
                continue
            located, yaml_errors = batch
            yaml_findings.extend(_yaml_finding(e, record_type, shown) for e in yaml_errors)
            for item in located:
                record_id = item.value.get("id") if isinstance(item.value.get("id"), str) else None
                origin = sharer.origin(shown, item.line, item.lines)
                try:
                    record = model.model_validate(item.value)
                except ValidationError as exc:
                    schema_problems.extend(schema_findings(exc, item, origin, record_type, record_id, model))
                    continue
                record.with_origin(origin)
                sharer.record(record)
                records.append(record)
    except YamlError as exc:
        yield Finding(exc.code, "error", exc.message, file=shown, line=exc.line, record_type=record_type)
        return
    yield from yaml_findings
    yield from schema_problems
    if cache is not None and not yaml_findings and not schema_problems:
        cache.put("records", slot, key, pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    for record in records:
        dataset.add(record_type, record)
    dataset.records_read += len(records)


def records_slot(root: Path, shown: str) -> str:
    """Which cache entry holds a file's records: one per file of one dataset folder."""
    return f"{os.path.realpath(root)}\x1f{shown}"


def records_key(record_type: str, shown: str, data: bytes) -> str:
    """What a file's records depend on: its bytes, what it holds, and the name its findings carry."""
    return f"{record_type}\x1f{shown}\x1f{hashlib.sha256(data).hexdigest()}"


def cached_records(payload: bytes | None, model: type[Record], shown: str) -> list[Record] | None:
    """The records of a signed cache entry, or None when there is none or it is not what this file
    would give (checked again here, however the entry came to be)."""
    if payload is None:
        return None
    try:
        records = pickle.loads(payload)
    except Exception:  # a signed entry that still does not unpickle (a library upgrade): recompute
        return None
    if not isinstance(records, list):
        return None
    for record in records:
        origin = record.origin if type(record) is model else None
        if not isinstance(origin, Origin) or origin.file != shown:
            return None
    return records


def _yaml_finding(problem: YamlError, record_type: str, shown: str) -> Finding:
    rid = problem.record_id
    who = f"{record_type} {rid}: " if rid else ""
    return Finding(
        problem.code,
        "error",
        who + problem.message,
        record_id=rid,
        file=shown,
        line=problem.line,
        record_type=record_type,
    )


# --- pydantic errors as findings ----------------------------------------------------------------

_CODE_BY_TYPE = {
    "extra_forbidden": "unknown-field",
    "missing": "missing-field",
    "invalid_date": "invalid-date",
    "date_type": "invalid-date",
    "end_before_start": "end-before-start",
}


#: pydantic's errors for a part (a dataclass) and for a tuple, as it words them for a model and a
#: list: what a curator wrote is a mapping or a list, whatever Python type holds it, and a finding's
#: message and key (its fingerprint) must not change with that type.
_AS_WRITTEN = {
    "unexpected_keyword_argument": "extra_forbidden",
    "dataclass_type": "model_type",
    "tuple_type": "list_type",
}
_WORDS_AS_WRITTEN = (
    ("Input should be a dictionary or an instance of ", "Input should be a valid dictionary or instance of "),
    ("Input should be a valid tuple", "Input should be a valid list"),
    ("Tuple should have", "List should have"),
)


def _as_written(error_type: str, message: str) -> tuple[str, str]:
    for said, written in _WORDS_AS_WRITTEN:
        if message.startswith(said):
            message = written + message[len(said) :]
    return _AS_WRITTEN.get(error_type, error_type), message


def _error_code(error_type: str) -> str:
    if error_type in _CODE_BY_TYPE:
        return _CODE_BY_TYPE[error_type]
    if error_type.endswith(("_type", "_parsing")):
        return "wrong-type"
    return "invalid-value"


def _field_name(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def _allowed_fields(model: type[Fielded], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at ``loc`` (the parent of an unknown field), for a did-you-mean hint."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = fields_of(current).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
        if current is None:
            return []
    return sorted(fields_of(current))


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, Part):
        return annotation
    return None


def schema_findings(
    exc: ValidationError,
    item: Located,
    origin: Origin,
    record_type: str,
    record_id: str | None,
    model: type[Record],
) -> Iterator[Finding]:
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        error_type, msg = _as_written(error["type"], error["msg"])
        code = _error_code(error_type)
        name = _field_name(loc)
        if code == "unknown-field":
            allowed = _allowed_fields(model, loc)
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"unknown field {name!r}{hint} (allowed: {', '.join(allowed)})"
        elif code == "missing-field":
            message = f"required field {name!r} is missing"
        else:
            got = error.get("input")
            shown = (
                f" (got {got!r})"
                if isinstance(got, str | int | float | type(None)) and not isinstance(got, bool)
                else ""
            )
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
            message = f"{name}: {msg}{shown}" if name else msg
        yield Finding(
            code,
            "error",
            f"{record_type} {record_id or '(no id)'}: {message}",
            record_id=record_id,
            file=origin.file,
            line=origin.line_of(loc) if loc else item.line,
            record_type=record_type,
            key=f"{name}:{error_type}",
        )
