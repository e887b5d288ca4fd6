"""Safe YAML reading for hand-edited files: every scalar a string, duplicate keys refused, lines kept.

YAML 1.1 guesses types: ``NO`` becomes False, ``1.20`` a float that prints as 1.2, ``2017-05-01`` a
date. Here every scalar stays the string the curator typed (only an empty value, ``~`` and ``null``
mean "none"), and the schema decides what it is. libyaml's C parser does the parsing; only node
composition and the conversion below run in Python.

A plain dataset file (a list of records, nothing but records, comments and blank lines at the
left margin) is parsed a few dozen records at a time rather than whole: the node tree of a large
file does not fit in the processor's cache, and walking it then costs a third more per record, so
reading grew faster than the data. Anything unusual, and any error, is left to a whole-file parse,
so the records, the lines and the messages are those of the whole file either way.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ipcoop_data.model.characters import CONTROL, MAX_CHARS

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
#: Scalars up to this length are interned: ids, codes, dates and names, rarely a quote.
_INTERNED_CHARS = 64
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Path = tuple[str | int, ...]

# Characters no value may hold: XML 1.0 (the workbook, JUnit) cannot hold C0 controls, U+FFFE or
# U+FFFF, and C1 controls, DEL and CR are never data but can rewrite a terminal line or a log.
# Tab and line feed are fine. A raw file may also hold CR (CRLF line ends) and U+0085 (a YAML line
# break); only double-quoted escapes ("\x07") can put the others into a parsed value.
_FORBIDDEN_IN_FILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# The value's class is model.characters.CONTROL (which the JSON Schemas carry too), plus surrogates.
_FORBIDDEN_IN_VALUE = re.compile(f"[{CONTROL}\\ud800-\\udfff]")

#: The longest value a record may hold: what one Excel cell holds (longer text would be cut there).
MAX_VALUE_CHARS = MAX_CHARS

#: The deepest a value may nest inside a record (a record's own fields are depth 1; the deepest
#: field of the schema is at depth 5).
MAX_DEPTH = 64

#: Values that aliases may add to a file beyond the file's own size: a few legitimate aliases
#: pass, a "billion laughs" of nested aliases stops here instead of exhausting memory.
ALIAS_BUDGET = 10_000


def forbidden_character(text: str) -> tuple[int, int, str] | None:
    """``(line, column, U+XXXX)`` of the first character a dataset file may not contain, or None."""
    match = _FORBIDDEN_IN_FILE.search(text)
    if match is None:
        return None
    start = match.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column, f"U+{ord(match.group()):04X}"


class _StringLoader(_BaseLoader):  # type: ignore[misc]
    """Resolves every plain scalar to a string, except the spellings of null."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if implicit[0] and value in _NULLS:
                return _NULL_TAG
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


class YamlError(Exception):
    """A YAML file that cannot be turned into data; ``code`` is the finding code."""

    def __init__(self, code: str, message: str, line: int | None, record_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.record_id = record_id


@dataclass
class Located:
    """A value read from YAML, with the 1-based line of the value and of every field inside it."""

    value: Any
    line: int
    lines: dict[Path, int] = field(default_factory=dict)


def parse(text: str) -> Any:
    """Compose ``text`` into a node tree, or raise YamlError with the line of the problem."""
    loader = _StringLoader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        context = ""
        if exc.context:
            started = exc.context_mark.line + 1 if exc.context_mark is not None else None
            context = f" ({exc.context} started on line {started})" if started else f" ({exc.context})"
        raise YamlError("yaml-syntax", f"YAML syntax error: {problem}{context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError("yaml-syntax", f"YAML error: {exc}", None) from None
    finally:
        loader.dispose()


class _Budget:
    """How many more values a file's conversion may produce (aliases let a few bytes make billions)."""

    __slots__ = ("left",)

    def __init__(self, size: int) -> None:
        self.left = size + ALIAS_BUDGET


def to_python(node: Node, lines: dict[Path, int], path: Path, first: int = 1, budget: _Budget | None = None) -> Any:
    """Convert a node to plain dicts, lists, strings and None, recording the line of each part.

    ``first`` is the line number of the parsed text's first line (1 unless it is a piece of a file).
    ``budget`` bounds the values produced, so that nested aliases cannot exhaust memory; ``path``
    (the fields and items above this node) bounds the nesting, so that neither a deep value nor an
    alias that contains itself (``&a [*a]``) can exhaust the stack.
    """
    if len(path) > MAX_DEPTH:
        raise YamlError(
            "yaml-too-deep",
            f"values nested more than {MAX_DEPTH} levels deep (or an alias that contains itself, such as "
            "'&a [*a]'); no record has that shape: write the value out flat",
            node.start_mark.line + first,
        )
    if budget is not None:
        budget.left -= 1
        if budget.left < 0:
            raise YamlError(
                "yaml-alias-expansion",
                "YAML aliases here expand to more values than the file holds plus "
                f"{ALIAS_BUDGET:,}; write the values out instead of repeating them with aliases (*name)",
                node.start_mark.line + first,
            )
    if isinstance(node, ScalarNode):
        if node.tag == _NULL_TAG:
            return None
        if node.tag != _STR_TAG:
            raise YamlError(
                "yaml-unsafe-tag",
                f"YAML tag {node.tag!r} is not allowed: write plain values (no !!python or custom tags)",
                node.start_mark.line + first,
            )
        value: str = node.value
        if len(value) > MAX_VALUE_CHARS:
            raise YamlError(
                "value-too-long",
                f"a value of {len(value):,} characters; at most {MAX_VALUE_CHARS:,} fit in a workbook cell, "
                "and no record needs more: shorten it",
                node.start_mark.line + first,
            )
        if node.style == '"':  # only a double-quoted escape can make a forbidden character
            bad = _FORBIDDEN_IN_VALUE.search(value)
            if bad is not None:
                raise YamlError(
                    "invalid-character",
                    f"the value holds the control character U+{ord(bad.group()):04X} (from an escape such as "
                    '"\\x07"); no export can hold it: remove it',
                    node.start_mark.line + first,
                )
        # Ids, kinds, codes and dates recur across a dataset's records: kept once, not per record.
        return sys.intern(value) if len(value) <= _INTERNED_CHARS else value
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ_TAG:
            raise YamlError("yaml-unsafe-tag", f"YAML tag {node.tag!r} is not allowed", node.start_mark.line + first)
        out_list = []
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            lines[item_path] = item.start_mark.line + first
            out_list.append(to_python(item, lines, item_path, first, budget))
        return out_list
    if isinstance(node, MappingNode):
        if node.tag != _MAP_TAG:
            raise YamlError("yaml-unsafe-tag", f"YAML tag {node.tag!r} is not allowed", node.start_mark.line + first)
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR_TAG, _NULL_TAG):
                raise YamlError("yaml-syntax", "a mapping key must be a plain name", key_node.start_mark.line + first)
            key = key_node.value
            key_line = key_node.start_mark.line + first
            if key in first_line:
                raise YamlError(
                    "yaml-duplicate-key",
                    f"duplicate key {key!r} on lines {first_line[key]} and {key_line}: "
                    "the second would silently replace the first",
                    key_line,
                )
            first_line[key] = key_line
            field_path = (*path, key)
            lines[field_path] = key_line
            out[key] = to_python(value_node, lines, field_path, first, budget)
        return out
    raise YamlError("yaml-syntax", f"unexpected YAML node {type(node).__name__}", None)


def _node_id(node: MappingNode) -> str | None:
    for key_node, value_node in node.value:
        if key_node.value == "id" and isinstance(value_node, ScalarNode):
            return str(value_node.value)
    return None


def read_records(text: str) -> tuple[list[Located], list[YamlError]]:
    """Parse a dataset file: a YAML list of mappings, each returned with its lines.

    A record that cannot be read (a duplicate key, a forbidden tag) is left out and reported, and
    the others are still read. A file that does not parse, or is not a list of mappings, raises
    YamlError. An empty file is an empty list.
    """
    records: list[Located] = []
    errors: list[YamlError] = []
    for batch in iter_records(text):
        if batch is None:
            records.clear()
            errors.clear()
        else:
            records.extend(batch[0])
            errors.extend(batch[1])
    return records, errors


def iter_records(text: str) -> Iterator[tuple[list[Located], list[YamlError]] | None]:
    """What ``read_records`` returns, a piece of the file at a time (all of it at once if not plain).

    ``None`` means: forget the pieces given so far, the whole file follows (a piece did not parse
    on its own). Raises YamlError as ``read_records`` does, once the whole file is parsed.
    """
    pieces = _pieces(text)
    if pieces is not None:
        try:
            for first, piece in pieces:
                root = parse(piece)
                if not isinstance(root, SequenceNode):  # pragma: no cover - a piece starts with "- "
                    raise YamlError("file-structure", "not a list", None)
                records: list[Located] = []
                errors: list[YamlError] = []
                _read_items(root.value, first, records, errors, len(piece))
                yield records, errors
            return
        except YamlError:
            yield None  # the whole file says what is wrong, with the lines and context it always gave
    root = parse(text)
    if root is None or (isinstance(root, ScalarNode) and root.tag == _NULL_TAG):
        yield [], []
        return
    if not isinstance(root, SequenceNode):
        raise YamlError(
            "file-structure",
            "a dataset file must be a YAML list of records (each starting with '- id: ...')",
            root.start_mark.line + 1,
        )
    records, errors = [], []
    _read_items(root.value, 1, records, errors, len(text))
    yield records, errors


def _read_items(items: list[Node], first: int, records: list[Located], errors: list[YamlError], size: int) -> None:
    budget = _Budget(size)
    for item in items:
        line = item.start_mark.line + first
        if not isinstance(item, MappingNode):
            errors.append(YamlError("file-structure", "each list item must be a mapping of fields (key: value)", line))
            continue
        lines: dict[Path, int] = {}
        try:
            value = to_python(item, lines, (), first, budget)
        except YamlError as exc:
            if exc.code in ("yaml-alias-expansion", "yaml-too-deep"):
                raise  # the file's budget is spent: no later record can be read either
            exc.record_id = _node_id(item)
            errors.append(exc)
            continue
        records.append(Located(value, line, lines))


#: Records per piece: small enough for the piece's nodes to stay in cache, large enough that
#: starting a parser is cheap beside parsing.
PIECE = 64
# Line breaks other than \n (libyaml counts them, str.split("\n") would not) and anchors (a
# duplicate anchor is an error only within one document) leave a file to the whole-file parse.
_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&\S", re.MULTILINE)


def _pieces(text: str) -> list[tuple[int, str]] | None:
    """``(first line, text)`` pieces of whole records, or None unless the file is a plain list.

    Plain: at the left margin there is nothing but record starts (``- `` or ``-``), comments and
    blank lines, and before the first record only comments and blank lines. Each record start at
    the margin then ends whatever came before it (a block scalar, a plain scalar, a nested
    mapping), so the pieces parse to the same records as the whole file; anything that would
    span two pieces (an open quote or bracket, an alias) fails to parse on its own, and the
    caller falls back to the whole file.
    """
    if any(c in text for c in _BREAKS) or ("&" in text and _ANCHOR.search(text)):
        return None
    lines = text.split("\n")
    starts: list[int] = []
    for number, line in enumerate(lines):
        if not line or line[0] == " ":
            if not starts and line.strip() and not line.lstrip().startswith("#"):
                return None  # content before the first record
            continue
        if line == "-" or line.startswith(("- ", "-\t")):
            starts.append(number)
        elif line[0] != "#":
            return None
    if not starts:
        return None
    bounds = [*starts[::PIECE], len(lines)]
    return [(start + 1, "\n".join(lines[start:end])) for start, end in pairwise(bounds)]
