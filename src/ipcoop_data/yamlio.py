"""Safe YAML reading for hand-edited files: every scalar a string, duplicate keys refused, lines kept.

YAML 1.1 guesses types: ``NO`` becomes False, ``1.20`` a float that prints as 1.2, ``2017-05-01`` a
date. Here every scalar stays the string the curator typed (only an empty value, ``~`` and ``null``
mean "none"), and the schema decides what it is. libyaml's C parser does the parsing; only node
composition and the conversion below run in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Path = tuple[str | int, ...]


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


def to_python(node: Node, lines: dict[Path, int], path: Path) -> Any:
    """Convert a node to plain dicts, lists, strings and None, recording the line of each part."""
    if isinstance(node, ScalarNode):
        if node.tag == _NULL_TAG:
            return None
        if node.tag != _STR_TAG:
            raise YamlError(
                "yaml-unsafe-tag",
                f"YAML tag {node.tag!r} is not allowed: write plain values (no !!python or custom tags)",
                node.start_mark.line + 1,
            )
        return node.value
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ_TAG:
            raise YamlError("yaml-unsafe-tag", f"YAML tag {node.tag!r} is not allowed", node.start_mark.line + 1)
        out_list = []
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            lines[item_path] = item.start_mark.line + 1
            out_list.append(to_python(item, lines, item_path))
        return out_list
    if isinstance(node, MappingNode):
        if node.tag != _MAP_TAG:
            raise YamlError("yaml-unsafe-tag", f"YAML tag {node.tag!r} is not allowed", node.start_mark.line + 1)
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR_TAG, _NULL_TAG):
                raise YamlError("yaml-syntax", "a mapping key must be a plain name", key_node.start_mark.line + 1)
            key = key_node.value
            key_line = key_node.start_mark.line + 1
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
            out[key] = to_python(value_node, lines, field_path)
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
    root = parse(text)
    if root is None or (isinstance(root, ScalarNode) and root.tag == _NULL_TAG):
        return [], []
    if not isinstance(root, SequenceNode):
        raise YamlError(
            "file-structure",
            "a dataset file must be a YAML list of records (each starting with '- id: ...')",
            root.start_mark.line + 1,
        )
    records: list[Located] = []
    errors: list[YamlError] = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, MappingNode):
            errors.append(YamlError("file-structure", "each list item must be a mapping of fields (key: value)", line))
            continue
        lines: dict[Path, int] = {}
        try:
            value = to_python(item, lines, ())
        except YamlError as exc:
            exc.record_id = _node_id(item)
            errors.append(exc)
            continue
        records.append(Located(value, line, lines))
    return records, errors
