"""A bounded, seeded fuzz test: mutated copies of the bundled dataset never crash ipcoop.

Each case is the bundled dataset with one to three mutations of its files' text or bytes (lines
deleted, duplicated, swapped or re-indented; a scalar replaced with an edge value; control
characters, anchors, aliases, tags or duplicate keys inserted; a file truncated, re-encoded,
deleted or swapped for a symlink, a directory or a FIFO). Every case is loaded with
``read_dataset``, validated, rendered in every report format and exported in every format.
Bad input must become findings: the only exception allowed is DatasetNotFoundError from ``read_dataset``.
The JUnit report must parse as XML, the JSON report as strict JSON, the JSON exports as strict
JSON, and the GitHub report must hold no workflow-command line that is not the annotation of a
finding (no line injected by a value).

The cases run on a trimmed copy of the bundled dataset (``trimmed``: the first records of each
event and observation file, the records they name, and all sources, rulings, relations and
texts), so that a few hundred cases fit in well under a minute; ``bench/fuzz.py`` runs the same
cases (``run_case``) by the thousand, on the trimmed or the whole dataset.

Every case follows from ``SEED`` and its index alone (``make_case``), so a failure reproduces:
``python bench/fuzz.py --case INDEX --write-case DIR`` writes that case's dataset.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

import ipcoop_data
from ipcoop_data.checks import validate
from ipcoop_data.report.render import ANNOTATIONS_PER_LEVEL, FORMATS, render

REPO = Path(__file__).resolve().parents[1]
DATASET = REPO / "datasets"

SEED = 20240917
#: About 0.18 s a case on one core (the xlsx export alone is 0.07 s): 250 cases take about 45 s.
CASES = 250
#: The most one case may take (load, checks, renders and exports) before it counts as a hang.
CASE_SECONDS = 30.0


# --- the tree of files a case writes --------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A symlink; ``OUTSIDE`` as target is a file beside the dataset directory, outside it."""

    target: str


@dataclass(frozen=True)
class Directory:
    pass


@dataclass(frozen=True)
class Fifo:
    pass


OUTSIDE = "<outside>"
Entry = bytes | Link | Directory | Fifo
Tree = dict[str, Entry]  # path relative to the dataset directory, with '/' -> what is there


def read_tree(root: Path) -> Tree:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def write_tree(tree: Tree, root: Path, outside: Path) -> None:
    root.mkdir(parents=True)
    for name, entry in sorted(tree.items()):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(entry, bytes):
            path.write_bytes(entry)
        elif isinstance(entry, Link):
            os.symlink(str(outside) if entry.target == OUTSIDE else entry.target, path)
        elif isinstance(entry, Directory):
            path.mkdir(exist_ok=True)
            (path / "inner.yaml").write_bytes(b"- id: inner\n")
        elif hasattr(os, "mkfifo"):
            os.mkfifo(path)


# --- a smaller base dataset -----------------------------------------------------------------------

_LEAF_FILES = re.compile(r"(events|observations)/[^/]+\.yaml")
_ALWAYS_WHOLE = ("sources.yaml", "rulings.yaml", "relations.yaml")
_CHUNK_ID = re.compile(r"^(?:- |  )id: *[\"']?([^\"'\s#]+)", re.MULTILINE)


def _chunks(text: str) -> tuple[str, list[str]]:
    """The header (comments before the first record) and each top-level record's lines, as text."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line == "-" or line.startswith("- ")]
    if not starts:
        return text, []
    header = "\n".join(lines[: starts[0]])
    return header, ["\n".join(lines[a:b]) for a, b in pairwise([*starts, len(lines)])]


def _words(text: str) -> set[str]:
    """Every id-like word of ``text``, and each of its prefixes that ends before a '.'."""
    words = set()
    for word in re.findall(r"[\w.-]+", text):
        parts = word.split(".")
        words.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    return words


def trimmed(tree: Tree, per_file: int = 2) -> Tree:
    """The first ``per_file`` records of each event and observation file, plus every record of the
    other files that they (or the sources, rulings and relations) name, so that references resolve."""
    split = {name: _chunks(data.decode("utf-8")) for name, data in tree.items() if name.endswith(".yaml")}
    kept: dict[str, list[bool]] = {}
    for name, (_, chunks) in split.items():
        whole = name in _ALWAYS_WHOLE
        kept[name] = [whole or (bool(_LEAF_FILES.fullmatch(name)) and i < per_file) for i in range(len(chunks))]
    named = _words("\n".join(chunk for name in _ALWAYS_WHOLE if name in split for chunk in split[name][1]))
    for name, (_, chunks) in split.items():  # observations and events a ruling or relation names
        if _LEAF_FILES.fullmatch(name):
            for i, chunk in enumerate(chunks):
                found = _CHUNK_ID.search(chunk)
                if found and found.group(1) in named:
                    kept[name][i] = True
    changed = True
    while changed:  # organizations, people, series and metrics named by what is kept
        changed = False
        words = _words(
            "\n".join(c for name, (_, chunks) in split.items() for c, k in zip(chunks, kept[name], strict=True) if k)
        )
        for name, (_, chunks) in split.items():
            if _LEAF_FILES.fullmatch(name) or name in _ALWAYS_WHOLE:
                continue
            for i, chunk in enumerate(chunks):
                found = _CHUNK_ID.search(chunk)
                if not kept[name][i] and found and found.group(1) in words:
                    kept[name][i] = changed = True
    out = dict(tree)
    for name, (header, chunks) in split.items():
        body = [c for c, k in zip(chunks, kept[name], strict=True) if k]
        text = "\n".join([header, *body]) if chunks else header
        out[name] = (text.rstrip("\n") + "\n").encode("utf-8")
    return out


# --- edge values, as YAML source text -------------------------------------------------------------

NUMBER_EDGES = [
    "1e999999999", "1e400", "-1e400", "1e-400", "4.9e-324", "-0", "-0.0", "0", "-1", "18.000000000000000001",
    "1_000", "1,300", "١٢", "۱۲", "１２", "٣.٥", ".inf", "-.inf", ".nan", "NaN", "0x1F", "0o17", "017", "1:30",
    "9" * 20, "9" * 5000, "9007199254740993", "-9223372036854775809", "999999999999999", "1000000000000000",
    "0.000000000000001", "12.", ".5", "+5", "1e3", "1E3", "100001", "true", "no", "null", "~", "''", '""', "[]",
    "{}", "[1, 2]", "{a: 1}", '"12"', "'12 '", '"\\u0661\\u0662"',
]  # fmt: skip
DATE_EDGES = [
    "0001-01-01", "9999-12-31", "1677-01-01", "2262-05-01", "1900-02-29", "1900-03-01", "1901-01-01", "2199-12-31",
    "2200-01-01", "1900", "0000", "2017-13", "2017-00", "2017-02-30", "2017-02-29", "2016-02-29", "2017-04-31",
    '"2017-05-01\\n"', '"2017-05-01 "', "'\t2017'", "2017/2016", "2017-05/2017-04", "2017/2017",
    "2017-05-01/2017-05-01", "1901-01-01/2199-12-31", "0001-01-01/9999-12-31", "2017/..", "../2017", "2017/",
    "/2017", "2017/2018/2019", "-2017", "+2017", "20170501", "2017-5-1", "2017-05-01T10:00:00",
    "2017-05-01 10:00:00+14:00", "2017-05-01Z", "2017-W05", "2017-21", "2017?", "2017~", "2017-05-XX", "٢٠١٧",
    "２０１７", "2017.0", "1e3", '"\\u0032017"', "[2017]", "{}", "''", "null", "~", "2017",
]  # fmt: skip
URL_EDGES = [
    "javascript:alert(1)", "JavaScript:alert(1)", '"https://example.org/a\\r\\nX-Injected: 1"',
    '"https://example.org/\\r\\n::error::injected"', "data:text/html,<script>alert(1)</script>",
    "'https://exa mple.org/'", "//evil.example/", "file:///etc/passwd", "vbscript:msgbox(1)",
    "https://" + "a" * 3000 + ".org/", "'https://example.org/\"><script>alert(1)</script>'",
    "https://example.org/\u202e", '"https://example.org/\\u0000"', '"https://example.org/\\u2028"',
    "https://example.org/\u00a0x", "HTTPS://EXAMPLE.ORG/", "https://", "http:/x", "https://[::1]/",
    "https://user:pass@example.org/", "https://éxample.org/", "https://example.org/%0A%0D", "ftp://example.org/",
    "'  https://example.org/  '", "https://example.org/a,b;c", "'https://example.org/?a=1&b=<2>'",
]  # fmt: skip
ID_EDGES = [
    '"a\\nb"', '"x\\n::error::injected"', '"::error::injected"', "'::error file=a,line=1::x'",
    '"x\\r\\n::warning::y"', '"x\\r::error::y"', '"id\\u2028x"', '"abc\\n"', "'id with space'", "''", "Upper-Case",
    "../../etc/passwd", '"\\x00"', '"a\\x1bb"', "'a,b'", "'%0A::error::x'", "-", "'-x'", "123", "x" * 121,
    "x" * 10000, "null", "[a, b]", "{a: b}", "é", "'a\u0301'", "'ⅸ'", "cnipa", "wipo",
    "'<script>alert(1)</script>'", "'a]]>b'", "'x</failure>'", "'\"'", "'##[error]x'", "'\u202eevil'",
]  # fmt: skip
TEXT_FIELD_EDGES = [
    "../../etc/passwd", "/etc/passwd", "texts/000_0f434306fdee9993.txt", "..", ".", "''", "README.md",
    "000_0f434306fdee9993.txt", "001_541aefc08e5fc8ba.txt", "missing.txt", '"000_0f434306fdee9993.txt\\n"',
    "/dev/zero", "../sources.yaml", "CON", "a" * 300, "'~/.ssh/id_rsa'", '"..\\\\..\\\\win.ini"', "'.hidden'",
    "[a.txt]", '"a\\x00.txt"',
]  # fmt: skip
SHA_EDGES = [
    "''", "0" * 64, "0" * 63, "0" * 65, "g" * 64, "E1F56629BF0234BD57E9C0553335D7A4C1AC59BB9853F419C34EFA23C89C0441",
    "c2f8e3e27a6b6b20b73c75df798b56ee31d567f9c911599a9d741074db66904b", "not-a-hash", "null", "[]",
]  # fmt: skip
BOOL_EDGES = ["yes", "no", "on", "off", "True", "FALSE", "1", "0", "y", "'true'", "[]", "maybe", "null"]
ENUM_EDGES = [
    "Signing", "SIGNING", "'signing '", '"signing\\n"', "xx", "cn", "CN ", "XK", "UK", "EU", "ZZ", "WO", "EP",
    "exact", "about", "held", "planned", "stated", "report_year", "prefer", "annual", "count", "percent", "other",
]  # fmt: skip
GENERIC_EDGES = [
    "''", "~", "null", "' '", '"\\t"', "[]", "{}", "[a, b]", "{a: b}", "[[], {}]", "x" * 50000,
    '"\\u0000"', '"\\a\\b\\e"', '"\\uFFFE\\uFFFF"', '"line1\\nline2"', '"\\r\\n::error::injected"',
    '"\\n::warning file=x,line=1::injected"', "'<![CDATA[x]]>'", "'&amp; <b>bold</b>'", "'=1+1'",
    "'=HYPERLINK(\"http://x\",\"y\")'", "'@SUM(1)'", "'+cmd|x'", "'-2+3'", "'%'", "'%s%n%x'", "'{0}'",
    "'${jndi:ldap://x}'", "🙂", "'\u202eevil'", "'\u00ad'", "Ｓ", "'a\u0301'", "'\U0010ffff'", "'---'", "'...'",
    "'# not a comment'", "'BEGIN:VEVENT'", '"x\\r\\nEND:VCALENDAR"', "'\\\\'", "\"'\"", "'\"'",
]  # fmt: skip
CONTROL_CHARS = [
    "\x00", "\x07", "\x1b", "\x0b", "\x0c", "\x7f", "\x80", "\x85", "\x9f", "\ufffe", "\uffff", "\u2028", "\u2029",
    "\ufeff", "\u202e", "\r", "\t", "\U0010ffff", "\U0001f600", "\u0301", "\u00ad",
]  # fmt: skip
RAW_BYTES = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff", b"\xc3", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\x00", b"\xe2\x80"]
ESCAPES = [
    "\\x00", "\\0", "\\a", "\\b", "\\e", "\\v", "\\f", "\\x7f", "\\x85", "\\x9f", "\\N", "\\_", "\\L", "\\P",
    "\\uFFFE", "\\uFFFF", "\\ud800", "\\udfff", "\\U0010FFFF", "\\U00110000", "\\u2028", "\\u2029", "\\u202e",
    "\\r\\n::error::injected", "\\n::error::injected", "\\r", "\\n", "\\t", "\\x1b[2J", "\\uFEFF", "\\x01",
    "\\uD83D\\uDE00",
]  # fmt: skip
TAGS = [
    "!!python/object:os.system", "!!python/object/apply:os.system ['true']", "!!python/name:os.system ''",
    "!!python/tuple [1, 2]", "!!binary aGVsbG8=", "!!binary '@@@'", "!!set {a, b}", "!!omap [a: 1]",
    "!!pairs [a: 1]", "!!timestamp 2017-05-01", "!!float 1e400", "!!int 1_000", "!!int 99999999999999999999",
    "!!str 12", "!!null ''", "!!bool yes", "!!map {}", "!!seq []", "!custom x", "!<tag:yaml.org,2002:str> x",
    "!<!> x", "! x", "!!merge x", "!!str", "!!binary",
]  # fmt: skip
WHOLE_FILES = [
    "", "\n", "---\n", "...\n", "null\n", "~\n", "{}\n", "[]\n", "42\n", "'text'\n", "- 1\n- 2\n", "- null\n",
    "- []\n", "- - a\n", "- {}\n", "- id:\n", "- id: x\n", "- id: [x]\n", "id: x\n", "--- \n- id: a\n--- \n- id: b\n",
    "# only a comment\n", "- id: x\n  id: y\n", "[{id: x}, {id: x}]\n", "- &a {id: x}\n- *a\n", "- *a\n",
    "%YAML 1.1\n---\n- id: x\n", "%YAML 2.0\n---\n- id: x\n", "- ? [a]\n  : b\n", "- {[a]: b}\n",
]  # fmt: skip

DATE_KEYS = {"date", "start", "end", "published", "covers", "period", "as_of"}
NUMBER_KEYS = {"value", "tolerance", "ordinal"}
ID_KEYS = {"id", "source", "metric", "series", "organization", "person", "parent", "prefer", "whole", "change"}
ID_KEYS |= {"before", "after", "duration", "of_event", "of_observation", "finding"}
BOOL_KEYS = {"numbered", "prospective", "decrease"}
ENUM_KEYS = {"kind", "unit", "qualifier", "status", "date_basis", "decision", "cadence", "country", "st3", "language"}


def edges_for(key: str | None) -> list[str]:
    if key in DATE_KEYS:
        return DATE_EDGES
    if key in NUMBER_KEYS:
        return NUMBER_EDGES
    if key == "url":
        return URL_EDGES
    if key in ID_KEYS or key is None:  # a bare list item is mostly an id: parties, organizers, parts
        return ID_EDGES
    if key == "text":
        return TEXT_FIELD_EDGES
    if key == "text_sha256":
        return SHA_EDGES
    if key in BOOL_KEYS:
        return BOOL_EDGES
    if key in ENUM_KEYS:
        return ENUM_EDGES
    return GENERIC_EDGES


ALL_EDGES = [
    DATE_EDGES, NUMBER_EDGES, URL_EDGES, ID_EDGES, TEXT_FIELD_EDGES, SHA_EDGES, BOOL_EDGES, ENUM_EDGES, GENERIC_EDGES,
]  # fmt: skip


# --- mutations ------------------------------------------------------------------------------------

#: ``key: value`` or ``- value`` on one line (not a comment, not a key that opens a nested block).
VALUE_LINE = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)*)(?:(?P<key>[A-Za-z_][\w-]*):[ \t]+)?(?P<value>[^#\s].*?)[ \t]*$")


def short(value: object, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 12]}...<{len(text)} chars>"


class Mutator:
    """Mutations of one case's tree; each method edits the tree and returns what it did."""

    def __init__(self, rng: random.Random, tree: Tree) -> None:
        self.rng = rng
        self.tree = tree

    # helpers
    def yaml_files(self) -> list[str]:
        return sorted(n for n, e in self.tree.items() if isinstance(e, bytes) and n.endswith(".yaml"))

    def text_files(self) -> list[str]:
        return sorted(n for n, e in self.tree.items() if isinstance(e, bytes) and n.startswith("texts/"))

    def pick_file(self) -> str | None:
        files = self.yaml_files()
        return self.rng.choice(files) if files else None

    def lines(self, name: str) -> list[str]:
        entry = self.tree[name]
        assert isinstance(entry, bytes)
        return entry.decode("utf-8", "surrogateescape").split("\n")

    def put(self, name: str, lines: list[str]) -> None:
        self.tree[name] = "\n".join(lines).encode("utf-8", "surrogateescape")

    def value_lines(self, lines: list[str], keys: set[str] | None = None) -> list[tuple[int, re.Match[str]]]:
        found = []
        for i, line in enumerate(lines):
            m = VALUE_LINE.match(line)
            if m is None or (m.group("key") is None and "-" not in m.group("lead")):
                continue
            if keys is not None and m.group("key") not in keys:
                continue
            found.append((i, m))
        return found

    def pick_value(self, keys: set[str] | None = None) -> tuple[str, list[str], int, re.Match[str]] | None:
        for _ in range(6):
            name = self.pick_file()
            if name is None:
                return None
            lines = self.lines(name)
            candidates = self.value_lines(lines, keys)
            if candidates:
                i, m = self.rng.choice(candidates)
                return name, lines, i, m
        return None

    @staticmethod
    def with_value(m: re.Match[str], value: str) -> str:
        key = m.group("key")
        return m.group("lead") + (f"{key}: " if key else "") + value

    # line mutations
    def delete_lines(self) -> str:
        name = self.pick_file()
        if name is None:
            return "no file to delete lines from"
        lines = self.lines(name)
        i = self.rng.randrange(len(lines))
        n = self.rng.choice([1, 1, 1, 2, 3])
        del lines[i : i + n]
        self.put(name, lines)
        return f"{name}:{i + 1}: delete {n} line(s)"

    def duplicate_line(self) -> str:
        name = self.pick_file()
        if name is None:
            return "no file to duplicate a line in"
        lines = self.lines(name)
        i = self.rng.randrange(len(lines))
        lines.insert(i, lines[i])
        self.put(name, lines)
        return f"{name}:{i + 1}: duplicate line {short(lines[i])}"

    def swap_lines(self) -> str:
        name = self.pick_file()
        if name is None:
            return "no file to swap lines in"
        lines = self.lines(name)
        i = self.rng.randrange(len(lines))
        j = min(i + 1, len(lines) - 1) if self.rng.random() < 0.6 else self.rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        self.put(name, lines)
        return f"{name}: swap lines {i + 1} and {j + 1}"

    def reindent(self) -> str:
        name = self.pick_file()
        if name is None:
            return "no file to re-indent"
        lines = self.lines(name)
        i = self.rng.randrange(len(lines))
        how = self.rng.choice(["+1", "+2", "-1", "-2", "tab", "strip", "+4"])
        line = lines[i]
        if how.startswith("+"):
            line = " " * int(how[1:]) + line
        elif how.startswith("-"):
            line = line[min(int(how[1:]), len(line) - len(line.lstrip(" "))) :]
        elif how == "tab":
            line = "\t" + line.lstrip(" ")
        else:
            line = line.lstrip()
        lines[i] = line
        self.put(name, lines)
        return f"{name}:{i + 1}: indent {how}"

    def foreign_line(self) -> str:
        src, dst = self.pick_file(), self.pick_file()
        if src is None or dst is None:
            return "no file for a foreign line"
        line = self.rng.choice(self.lines(src))
        lines = self.lines(dst)
        i = self.rng.randrange(len(lines) + 1)
        lines.insert(i, line)
        self.put(dst, lines)
        return f"{dst}:{i + 1}: insert line {short(line)} from {src}"

    # value mutations
    def scalar_edge(self) -> str:
        picked = self.pick_value()
        if picked is None:
            return "no value to replace"
        name, lines, i, m = picked
        key = m.group("key")
        pool = edges_for(key) if self.rng.random() < 0.85 else self.rng.choice(ALL_EDGES)
        value = self.rng.choice(pool)
        lines[i] = self.with_value(m, value)
        self.put(name, lines)
        return f"{name}:{i + 1}: {key or 'item'} {short(m.group('value'), 40)} -> {short(value)}"

    def keyed_edge(self) -> str:
        """An edge value in a field of one of the kinds the edge lists are about."""
        keys, pool = self.rng.choice(
            [
                (DATE_KEYS, DATE_EDGES),
                (NUMBER_KEYS, NUMBER_EDGES),
                ({"url"}, URL_EDGES),
                ({"id"}, ID_EDGES),
                ({"text"}, TEXT_FIELD_EDGES),
                ({"text_sha256"}, SHA_EDGES),
                ({"title", "name", "quote", "note", "locator", "as_reported", "label"}, GENERIC_EDGES),
            ]
        )
        picked = self.pick_value(keys)
        if picked is None:
            if "url" in keys:  # no source has a url: add one
                return self.add_field("url", self.rng.choice(URL_EDGES))
            return self.scalar_edge()
        name, lines, i, m = picked
        value = self.rng.choice(pool)
        lines[i] = self.with_value(m, value)
        self.put(name, lines)
        return f"{name}:{i + 1}: {m.group('key')} {short(m.group('value'), 40)} -> {short(value)}"

    def add_field(self, key: str, value: str) -> str:
        name = "sources.yaml" if isinstance(self.tree.get("sources.yaml"), bytes) else self.pick_file()
        if name is None:
            return "no file to add a field to"
        lines = self.lines(name)
        starts = [i for i, line in enumerate(lines) if line.startswith("- ")]
        if not starts:
            return f"{name}: no record to add {key} to"
        i = self.rng.choice(starts)
        lines.insert(i + 1, f"  {key}: {value}")
        self.put(name, lines)
        return f"{name}:{i + 2}: add {key}: {short(value)}"

    def control_char(self) -> str:
        picked = self.pick_value()
        if picked is None:
            return "no value for a control character"
        name, lines, i, m = picked
        value = m.group("value")
        char = self.rng.choice(CONTROL_CHARS)
        at = self.rng.randrange(len(value) + 1)
        lines[i] = self.with_value(m, value[:at] + char + value[at:])
        self.put(name, lines)
        return f"{name}:{i + 1}: raw {short(char)} in {m.group('key') or 'item'} at {at}"

    def raw_bytes(self) -> str:
        name = (
            self.pick_file()
            if self.rng.random() < 0.85 or not self.text_files()
            else self.rng.choice(self.text_files())
        )
        if name is None:
            return "no file for raw bytes"
        data = self.tree[name]
        assert isinstance(data, bytes)
        junk = self.rng.choice(RAW_BYTES)
        at = self.rng.randrange(len(data) + 1)
        self.tree[name] = data[:at] + junk + data[at:]
        return f"{name}: bytes {junk!r} at offset {at}"

    def escape(self) -> str:
        picked = self.pick_value()
        if picked is None:
            return "no value for an escape"
        name, lines, i, m = picked
        value = m.group("value")
        if len(value) >= 2 and value[0] == value[-1] == '"':
            inner = value[1:-1]
        elif len(value) >= 2 and value[0] == value[-1] == "'":
            inner = value[1:-1].replace("''", "'").replace("\\", "\\\\").replace('"', '\\"')
        else:
            inner = value.replace("\\", "\\\\").replace('"', '\\"')
        esc = self.rng.choice(ESCAPES)
        at = self.rng.choice([0, len(inner), self.rng.randrange(len(inner) + 1)])
        while 0 < at < len(inner) and inner[at - 1] == "\\":  # not inside an escape already there
            at -= 1
        lines[i] = self.with_value(m, f'"{inner[:at]}{esc}{inner[at:]}"')
        self.put(name, lines)
        return f"{name}:{i + 1}: escape {esc!r} in {m.group('key') or 'item'} (double-quoted)"

    def id_edge(self) -> str:
        picked = self.pick_value({"id"})
        if picked is None:
            return self.scalar_edge()
        name, lines, i, m = picked
        value = self.rng.choice(ID_EDGES)
        lines[i] = self.with_value(m, value)
        self.put(name, lines)
        return f"{name}:{i + 1}: id {m.group('value')!r} -> {short(value)}"

    def source_text(self) -> str:
        lines = self.lines("sources.yaml") if isinstance(self.tree.get("sources.yaml"), bytes) else []
        candidates = self.value_lines(lines, {"text"})
        if not candidates:
            return self.keyed_edge()
        i, m = self.rng.choice(candidates)
        value = self.rng.choice(TEXT_FIELD_EDGES[:3] + TEXT_FIELD_EDGES)  # '../../etc/passwd' most often
        lines[i] = self.with_value(m, value)
        self.put("sources.yaml", lines)
        return f"sources.yaml:{i + 1}: text {m.group('value')!r} -> {short(value)}"

    # YAML features
    def anchor_alias(self) -> str:
        name = self.pick_file()
        if name is None:
            return "no file for an alias"
        lines = self.lines(name)
        values = self.value_lines(lines)
        how = self.rng.choice(["scalar", "undefined", "recursive", "record", "merge", "laughs", "duplicate", "key"])
        if not values:
            return f"{name}: no value for an alias"
        i, m = self.rng.choice(values)
        j, n = self.rng.choice(values)
        if how == "scalar":
            first, second = sorted([(i, m), (j, n)], key=lambda p: p[0])
            lines[first[0]] = self.with_value(first[1], "&fz " + first[1].group("value"))
            if second[0] != first[0]:
                lines[second[0]] = self.with_value(second[1], "*fz")
            where = f"lines {first[0] + 1} (&fz) and {second[0] + 1} (*fz)"
        elif how == "undefined":
            lines[i] = self.with_value(m, "*nowhere")
            where = f"line {i + 1}: *nowhere"
        elif how == "recursive":
            value = self.rng.choice(["&fz [*fz]", "&fz {a: *fz}", "&fz [a, [b, *fz]]"])
            lines[i] = self.with_value(m, value)
            where = f"line {i + 1}: {value}"
        elif how in ("record", "merge"):
            starts = [k for k, line in enumerate(lines) if line.startswith("- ")]
            if not starts:
                return f"{name}: no record to anchor"
            k = self.rng.choice(starts)
            lines[k] = "- &fzrec\n  " + lines[k][2:]
            if how == "record":
                lines.append("- *fzrec")
                where = f"record at line {k + 1} anchored &fzrec, '- *fzrec' appended"
            else:
                later = [s for s in starts if s > k]
                if later:
                    s = self.rng.choice(later)
                    lines[s] = lines[s] + "\n  <<: *fzrec"
                else:
                    lines.append("- <<: *fzrec\n  id: merged")
                where = f"record at line {k + 1} anchored &fzrec, merged into a later record with '<<: *fzrec'"
        elif how == "laughs":
            depth = self.rng.choice([2, 3, 4, 5])
            parts = ["&l0 [" + ", ".join(["lol"] * 8) + "]"]
            parts += [f"&l{d} [" + ", ".join([f"*l{d - 1}"] * 8) + "]" for d in range(1, depth + 1)]
            lines[i] = self.with_value(m, "[" + ", ".join(parts) + "]")
            where = f"line {i + 1}: alias expansion 8^{depth + 1}"
        elif how == "duplicate":
            lines[i] = self.with_value(m, "&fz " + m.group("value"))
            if j != i:
                lines[j] = self.with_value(n, "&fz " + n.group("value"))
            where = f"lines {i + 1} and {j + 1}: the same anchor twice"
        else:
            lines[i] = self.with_value(m, "&fz " + m.group("value"))
            lines.append("- *fz: x")
            where = f"line {i + 1} anchored, '- *fz: x' (alias as key) appended"
        self.put(name, lines)
        return f"{name}: {how} alias: {where}"

    def tag(self) -> str:
        picked = self.pick_value()
        if picked is None:
            return "no value for a tag"
        name, lines, i, m = picked
        tag = self.rng.choice(TAGS)
        where = self.rng.choice(["replace", "prefix", "record"])
        if where == "replace":
            lines[i] = self.with_value(m, tag)
        elif where == "prefix":
            lines[i] = self.with_value(m, tag.split()[0] + " " + m.group("value"))
        else:
            starts = [k for k, line in enumerate(lines) if line.startswith("- ")]
            if not starts:
                return f"{name}: no record to tag"
            i = self.rng.choice(starts)
            lines[i] = f"- {tag.split()[0]}\n  {lines[i][2:]}"
        self.put(name, lines)
        return f"{name}:{i + 1}: tag {tag!r} ({where})"

    def duplicate_key(self) -> str:
        picked = self.pick_value(None)
        if picked is None:
            return "no key to duplicate"
        name, lines, i, m = picked
        if m.group("key") is None:
            return self.duplicate_line()
        indent = " " * len(m.group("lead"))
        value = m.group("value") if self.rng.random() < 0.5 else self.rng.choice(edges_for(m.group("key")))
        lines.insert(i + 1, f"{indent}{m.group('key')}: {value}")
        self.put(name, lines)
        return f"{name}:{i + 2}: duplicate key {m.group('key')!r} (value {short(value)})"

    def directive(self) -> str:
        name = self.pick_file()
        if name is None:
            return "no file for a directive"
        data = self.tree[name]
        assert isinstance(data, bytes)
        head = self.rng.choice(
            [
                b"%YAML 1.1\n---\n",
                b"%YAML 1.2\n---\n",
                b"%YAML 9.9\n---\n",
                b"%TAG !e! tag:e.org,2000:\n---\n",
                b"---\n",
            ]
        )
        tail = self.rng.choice([b"", b"...\n", b"---\n", b"---\n- id: second-document\n", b"\n" + data])
        self.tree[name] = head + data + tail
        return f"{name}: prefix {head!r}, suffix {short(tail, 40)}"

    # whole files
    def truncate(self) -> str:
        names = self.yaml_files() + (self.text_files() if self.rng.random() < 0.2 else [])
        if not names:
            return "no file to truncate"
        name = self.rng.choice(names)
        data = self.tree[name]
        assert isinstance(data, bytes)
        at = self.rng.randrange(len(data) + 1)
        self.tree[name] = data[:at]
        return f"{name}: truncate to {at} of {len(data)} bytes"

    def replace_file(self) -> str:
        name = self.pick_file()
        if name is None:
            return "no file to replace"
        content = self.rng.choice(WHOLE_FILES)
        self.tree[name] = content.encode()
        return f"{name}: replace whole file with {content!r}"

    def encoding(self) -> str:
        name = self.pick_file()
        if name is None:
            return "no file to re-encode"
        data = self.tree[name]
        assert isinstance(data, bytes)
        text = data.decode("utf-8", "surrogateescape")
        how = self.rng.choice(["bom", "bom-twice", "bom-middle", "crlf", "cr", "nel", "u2028", "utf-16", "latin-1"])
        if how == "bom":
            out = b"\xef\xbb\xbf" + data
        elif how == "bom-twice":
            out = b"\xef\xbb\xbf\xef\xbb\xbf" + data
        elif how == "bom-middle":
            at = data.find(b"\n", len(data) // 2) + 1
            out = data[:at] + b"\xef\xbb\xbf" + data[at:]
        elif how == "crlf":
            out = data.replace(b"\n", b"\r\n")
        elif how == "cr":
            out = data.replace(b"\n", b"\r")
        elif how == "nel":
            out = text.replace("\n", "\x85").encode("utf-8", "surrogateescape")
        elif how == "u2028":
            out = text.replace("\n", "\u2028", 3).encode("utf-8", "surrogateescape")
        elif how == "utf-16":
            out = text.encode("utf-16", "surrogatepass")
        else:
            out = text.encode("latin-1", "replace")
        self.tree[name] = out
        return f"{name}: encoding {how}"

    def records(self) -> str:
        name = self.pick_file()
        if name is None:
            return "no file for record moves"
        header, chunks = _chunks("\n".join(self.lines(name)))
        if not chunks:
            return self.delete_lines()
        how = self.rng.choice(["delete", "duplicate", "move"])
        k = self.rng.randrange(len(chunks))
        chunk = chunks[k]
        other = self.rng.choice(self.yaml_files())
        if how == "duplicate":
            chunks.insert(k, chunk)
        else:
            del chunks[k]
        self.put(name, [header, *chunks])
        if how != "move":
            return f"{name}: {how} record {k + 1}"
        self.put(other, [*self.lines(other), chunk])
        return f"{name}: move record {k + 1} to the end of {other}"

    def file_op(self) -> str:
        how = self.rng.choice(
            [
                "delete", "delete", "delete-all-yaml", "delete-sources", "directory", "symlink-outside",
                "symlink-inside", "symlink-dangling", "symlink-loop", "fifo", "upper-suffix", "stray-yml",
                "hidden", "resource-fork", "delete-texts", "text-directory", "text-symlink-outside", "text-fifo",
                "text-empty", "text-crlf", "delete-text",
            ]
        )  # fmt: skip
        if how.startswith("text-") or how == "delete-text":
            return self._text_op(how)
        if how == "delete-all-yaml":
            for n in self.yaml_files():
                del self.tree[n]
            return "every YAML file: delete"
        if how == "delete-texts":
            for n in self.text_files():
                del self.tree[n]
            return "texts/: delete every file"
        if how == "symlink-inside":
            self.tree["events/2099.yaml"] = Link("../sources.yaml")
            return "events/2099.yaml: symlink to ../sources.yaml"
        name = "sources.yaml" if how == "delete-sources" else self.pick_file()
        if name is None or name not in self.tree:
            return f"no file to {how}"
        parent, _, base = name.rpartition("/")
        folder = parent + "/" if parent else ""
        entry = self.tree.pop(name)
        if how == "directory":
            self.tree[name] = Directory()
        elif how == "symlink-outside":
            self.tree[name] = Link(OUTSIDE)
        elif how == "symlink-dangling":
            self.tree[name] = Link("nowhere.yaml")
        elif how == "symlink-loop":
            self.tree[name] = Link(base)
        elif how == "fifo":
            self.tree[name] = Fifo()
        elif how == "upper-suffix":
            self.tree[name.removesuffix(".yaml") + ".YAML"] = entry
        elif how == "stray-yml":
            self.tree[name] = self.tree[name.removesuffix(".yaml") + ".yml"] = entry
        elif how == "hidden":
            self.tree[folder + "." + base] = entry
        elif how == "resource-fork":
            self.tree[name] = entry
            self.tree[folder + "._" + base] = b"\x00\x05\x16\x07\xff\xff"
        return f"{name}: {how}"

    def _text_op(self, how: str) -> str:
        texts = self.text_files()
        if not texts:
            return f"no text file to {how}"
        name = self.rng.choice(texts)
        entry = self.tree.pop(name)
        assert isinstance(entry, bytes)
        if how == "text-directory":
            self.tree[name] = Directory()
        elif how == "text-symlink-outside":
            self.tree[name] = Link(OUTSIDE)
        elif how == "text-fifo":
            self.tree[name] = Fifo()
        elif how == "text-empty":
            self.tree[name] = b""
        elif how == "text-crlf":
            self.tree[name] = entry.replace(b"\n", b"\r\n")
        return f"{name}: {how}"

    def nesting(self) -> str:
        picked = self.pick_value()
        if picked is None:
            return "no value to nest"
        name, lines, i, m = picked
        depth = self.rng.choice([50, 300, 900, 990, 999, 1200])
        kind = self.rng.choice(["[]", "{}"])
        value = "[" * depth + "]" * depth if kind == "[]" else "{a: " * depth + "x" + "}" * depth
        lines[i] = self.with_value(m, value)
        self.put(name, lines)
        return f"{name}:{i + 1}: {m.group('key') or 'item'} -> {kind} nested {depth} deep"


#: Each mutation with its weight.
MUTATIONS: list[tuple[str, int]] = [
    ("scalar_edge", 14), ("keyed_edge", 14), ("id_edge", 4), ("source_text", 3), ("control_char", 5),
    ("escape", 6), ("raw_bytes", 3), ("delete_lines", 4), ("duplicate_line", 3), ("swap_lines", 3), ("reindent", 3),
    ("foreign_line", 2), ("anchor_alias", 5), ("tag", 4), ("duplicate_key", 3), ("directive", 2), ("truncate", 3),
    ("replace_file", 2), ("encoding", 3), ("records", 3), ("file_op", 4), ("nesting", 2),
]  # fmt: skip


@dataclass
class Case:
    index: int
    tree: Tree
    mutations: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        return "; ".join(self.mutations) or "(no mutation)"


def case_seeds(seed: int, count: int) -> list[int]:
    """One seed per case from ``random.Random(seed)``: case ``i`` is the same whatever the count."""
    master = random.Random(seed)
    return [master.getrandbits(64) for _ in range(count)]


def make_case(base: Tree, index: int, seed: int = SEED, case_seed: int | None = None) -> Case:
    """Case ``index`` (0 is the unmutated base): one to three mutations of a copy of ``base``."""
    case = Case(index, dict(base))
    if index == 0:
        return case
    if case_seed is None:
        case_seed = case_seeds(seed, index + 1)[index]
    rng = random.Random(case_seed)
    mutator = Mutator(rng, case.tree)
    names, weights = zip(*MUTATIONS, strict=True)
    for name in rng.choices(names, weights, k=rng.choices([1, 2, 3], [70, 20, 10])[0]):
        case.mutations.append(getattr(mutator, name)())
    return case


# --- running a case -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    index: int
    mutation: str
    stage: str  # load, validate, render:FMT, check:FMT, export:FMT
    kind: str  # the exception type, or "check" for an output that is wrong
    message: str
    where: str  # innermost frame in ipcoop_data (or the check that failed)

    @property
    def group(self) -> str:
        """What tells one failure from another of its kind: the place without its line number, or
        for a wrong output the check and its message without numbers."""
        if self.kind == "check":
            return f"{self.stage} ({self.where}): {re.sub('[0-9]+', 'N', self.message)[:80]}"
        return re.sub(r":[0-9]+ in ", " in ", self.where)

    def line(self) -> str:
        return f"case {self.index} [{self.stage}] {self.kind}: {self.message} (at {self.where}) <- {self.mutation}"


class CaseTimeout(BaseException):  # not an Exception: no `except Exception` may swallow it
    """A case ran longer than CASE_SECONDS."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout(f"case still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _where(exc: BaseException) -> str:
    """The innermost frame in ipcoop_data (and, if it differs, the frame that raised)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    ours = [f for f in frames if "/ipcoop_data/" in f.filename.replace(os.sep, "/")]
    frame, last = (ours or frames)[-1], frames[-1]
    path = frame.filename.replace(os.sep, "/")
    path = path[path.rfind("ipcoop_data/") :] if ours else Path(path).name
    where = f"{path}:{frame.lineno} in {frame.name}"
    if last is not frame:
        where += f" -> {Path(last.filename).name}:{last.lineno} in {last.name}"
    return where


def _message(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 240 else text[:240] + "..."


def _reject_constant(name: str) -> None:
    raise ValueError(f"not strict JSON: {name}")


def strict_json(text: str) -> object:
    return json.loads(text, parse_constant=_reject_constant)


_ANNOTATION = re.compile(r"::(error|warning|notice) (?:file=[^,:\r\n]*,(?:line=[0-9]+,)?)?title=[^,:\r\n]+::")


def github_problems(output: str, report: ipcoop_data.Report) -> list[str]:
    """Workflow-command lines in ``output`` that are not the annotation of a finding.

    The runner reads a line up to CR, LF or CR LF, and acts on a line starting with '::' (or the
    older '##['); the renderer writes at most ten annotations a level (GitHub's limit a step), and
    opens and closes one group that folds the text report.
    """
    problems = []
    lines = re.split(r"\r\n|\r|\n", output)
    ours = {GROUP_OPEN, GROUP_CLOSE}
    commands = [line for line in lines if line.startswith(("::", "##[")) and line not in ours]
    for line in commands:
        if not _ANNOTATION.match(line):
            problems.append(f"not an annotation of a finding: {short(line, 120)}")
    for marker in ours:
        if lines.count(marker) != 1:
            problems.append(f"{lines.count(marker)} lines {marker!r}, not one")
    levels = Counter(f.severity for f in report.findings)
    expected = sum(min(n, ANNOTATIONS_PER_LEVEL) for n in levels.values())
    if len(commands) != expected:
        problems.append(f"{len(commands)} workflow-command lines for {expected} annotations")
    return problems


GROUP_OPEN, GROUP_CLOSE = "::group::All findings (text report)", "::endgroup::"


def _exporters(index: int) -> list[tuple[str, str, Callable[..., object]]]:
    """Every exporter; every fourth case also the ics and timeline options (they cost as much again)."""
    from ipcoop_data.export import to_datapackage, to_ics, to_json, to_sqlite, to_timeline, to_xlsx

    exporters: list[tuple[str, str, Callable[..., object]]] = [
        ("xlsx", "dataset.xlsx", to_xlsx),
        ("ics", "dataset.ics", to_ics),
        ("json", "dataset.json", to_json),
        ("datapackage", "datapackage", to_datapackage),
        ("timeline", "timeline.json", to_timeline),
        ("sqlite", "dataset.sqlite", to_sqlite),
    ]
    if index % 4 == 1:
        exporters += [
            (
                "ics[span,per_series]",
                "span/dataset.ics",
                partial(to_ics, month_events="span", year_events="span", per_series=True),
            ),
            ("timeline[series]", "series/timeline.json", partial(to_timeline, group_by="series")),
        ]
    return exporters


def sqlite_problem(path: Path) -> str | None:
    """What is wrong with an exported database, read back by the standard library's sqlite3."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            [(verdict,)] = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"the database does not open: {exc}"
    return None if verdict == "ok" else f"integrity_check: {verdict}"


#: Exported files that must parse as strict JSON, by export stage.
JSON_OUTPUTS = {
    "json": "dataset.json",
    "datapackage": "datapackage/datapackage.json",
    "timeline": "timeline.json",
    "timeline[series]": "series/timeline.json",
}


def run_case(case: Case, work: Path) -> list[Failure]:
    """Write ``case`` under ``work`` (emptied first), then load, validate, render and export it.

    Returns every stage that raised (or whose output is wrong); DatasetNotFoundError from ``load``
    is an answer, not a failure.
    """
    if work.exists():
        shutil.rmtree(work)
    root, out, outside = work / "dataset", work / "out", work / "outside.yaml"
    work.mkdir(parents=True)
    outside.write_bytes(b"- id: outside-the-dataset\n  name: read from outside the dataset\n")
    write_tree(case.tree, root, outside)
    failures: list[Failure] = []

    def fail(stage: str, exc: BaseException) -> None:
        failures.append(Failure(case.index, case.description, stage, type(exc).__name__, _message(exc), _where(exc)))

    def wrong(stage: str, problem: str, check: str) -> None:
        failures.append(Failure(case.index, case.description, stage, "check", problem, check))

    stage = "load"
    try:
        with deadline(CASE_SECONDS):
            try:
                loaded = ipcoop_data.read_dataset(root)
            except ipcoop_data.DatasetNotFoundError:
                return failures
            dataset = loaded.dataset
            stage = "validate"
            report: ipcoop_data.Report | None
            try:
                report = validate(loaded)
            except Exception as exc:
                fail(stage, exc)
                report = None
            if report is not None:
                for fmt in FORMATS:
                    stage = f"render:{fmt}"
                    try:
                        text = render(report, fmt)
                    except Exception as exc:
                        fail(stage, exc)
                        continue
                    stage = f"check:{fmt}"
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError as exc:
                        wrong(stage, f"output cannot be written as UTF-8: {_message(exc)}", "utf-8")
                    if fmt == "junit":
                        try:
                            ET.fromstring(text.encode("utf-8", "surrogatepass"))
                        except ET.ParseError as exc:
                            wrong(stage, f"JUnit XML does not parse: {exc}", "xml.etree")
                    elif fmt == "json":
                        try:
                            strict_json(text)
                        except ValueError as exc:
                            wrong(stage, f"JSON report does not parse: {_message(exc)}", "json.loads")
                    elif fmt == "github":
                        for problem in github_problems(text, report):
                            wrong(stage, problem, "workflow commands")
            for fmt, target, export in _exporters(case.index):
                stage = f"export:{fmt}"
                path = out / target
                path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    export(dataset, path, report)
                except Exception as exc:
                    fail(stage, exc)
                    continue
                if fmt in JSON_OUTPUTS:
                    try:
                        strict_json((out / JSON_OUTPUTS[fmt]).read_text(encoding="utf-8"))
                    except (ValueError, OSError) as exc:
                        wrong(f"check:export-{fmt}", f"exported JSON does not parse: {_message(exc)}", "json.loads")
                if fmt == "sqlite":
                    problem = sqlite_problem(path)
                    if problem:
                        wrong("check:export-sqlite", problem, "sqlite3 integrity_check")
    except CaseTimeout as exc:
        fail(stage, exc)
    except Exception as exc:  # load raised something else
        fail(stage, exc)
    return failures


def base_tree(copy_dir: Path, whole: bool = False, dataset: Path = DATASET) -> Tree:
    """Copy the dataset (the bundled one) to ``copy_dir`` and read it back (``trimmed`` unless ``whole``)."""
    shutil.copytree(dataset, copy_dir)
    tree = read_tree(copy_dir)
    return tree if whole else trimmed(tree)


def summarize(failures: list[Failure]) -> str:
    """Failures grouped by exception type and place, with the first example of each."""
    groups: dict[tuple[str, str], list[Failure]] = {}
    for f in failures:
        groups.setdefault((f.kind, f.group), []).append(f)
    lines = [f"{len(failures)} failing stages in {len({f.index for f in failures})} cases, {len(groups)} kinds:"]
    for (kind, where), group in sorted(groups.items(), key=lambda item: (item[0][0], -len(item[1]))):
        first = group[0]
        stages = ", ".join(sorted({f.stage for f in group}))
        lines.append(
            f"- {kind} at {where}: {len(group)} stage(s) in {len({f.index for f in group})} case(s) [{stages}]"
        )
        lines.append(f"    first: case {first.index}: {first.message}")
        lines.append(f"    mutation: {first.mutation}")
    return "\n".join(lines)


@pytest.mark.slow
def test_mutated_datasets_never_crash(tmp_path: Path) -> None:
    base = base_tree(tmp_path / "bundled")
    failures: list[Failure] = []
    for index, case_seed in enumerate(case_seeds(SEED, CASES)):
        case = make_case(base, index, case_seed=case_seed)
        failures.extend(run_case(case, tmp_path / "work"))
    assert not failures, summarize(failures) + "\n\nevery failure:\n" + "\n".join(f.line() for f in failures)
