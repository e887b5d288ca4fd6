"""A plain dataset file is parsed a few records at a time: the result must be the whole file's."""

from __future__ import annotations

import random

import pytest

from ipcoop_data.read import yamlfile as yamlio
from ipcoop_data.read.yamlfile import YamlError, read_records

from .conftest import DATASET


def outcome(text: str) -> object:
    try:
        records, errors = read_records(text)
    except YamlError as exc:
        return ("raises", exc.code, exc.message, exc.line)
    return (
        [(r.value, r.line, r.lines) for r in records],
        [(e.code, e.message, e.line, e.record_id) for e in errors],
    )


def both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """(read in pieces of one record, read whole)"""
    with monkeypatch.context() as m:
        m.setattr(yamlio, "PIECE", 1)
        pieces = outcome(text)
        m.setattr(yamlio, "_pieces", lambda text: None)
        whole = outcome(text)
    return pieces, whole


PLAIN = """\
# a comment before the records

- id: a
  note: |
    a block scalar
    of two lines
  list: [x, y]
# a comment at the margin
-
  id: b
  note: a plain scalar
    that goes on
- id: c
  nested:
    - {k: v}
"""

CASES = {
    "plain": PLAIN,
    "quote open across records": '- id: a\n  note: "open\n- id: b\n  note: closed"\n',
    "bracket open across records": "- id: a\n  list: [x,\n- id: b\n",
    "alias to an earlier record": "- id: &first a\n- id: *first\n",
    "anchor used twice": "- id: &x a\n- id: &x b\n",
    "duplicate key": "- id: a\n- id: b\n  id: c\n- id: d\n",
    "unsafe tag": "- id: a\n- id: !!python/object:os.system b\n",
    "not a mapping": "- id: a\n- just text\n- id: c\n",
    "content before the records": "key: value\n- id: a\n",
    "indented content before the records": "  key: value\n- id: a\n",
    "a mapping after the records": "- id: a\nkey: value\n",
    "second document": "- id: a\n---\n- id: b\n",
    "CRLF line ends": "- id: a\r\n  title: A\r\n- id: b\r\n",
    "tab at the margin": "- id: a\n\t- id: b\n",
    "record at the end without newline": "- id: a\n- id: b",
    "empty": "",
    "comments only": "# nothing yet\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_pieces_read_like_the_whole_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pieces, whole = both_ways(CASES[name], monkeypatch)
    assert pieces == whole


def test_a_plain_file_is_read_in_pieces_with_its_own_line_numbers() -> None:
    pieces = yamlio._pieces(PLAIN)
    assert pieces is not None and [first for first, _ in pieces] == [3]
    [a, b, c], errors = read_records(PLAIN)
    assert errors == [] and (a.line, b.line, c.line) == (3, 10, 13)  # b: its mapping starts below "-"
    assert a.lines[("note",)] == 4 and c.lines[("nested", 0, "k")] == 15


def test_the_bundled_files_read_the_same_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in sorted(DATASET.rglob("*.yaml")):
        pieces, whole = both_ways(path.read_text(encoding="utf-8"), monkeypatch)
        assert pieces == whole, path


def test_damaged_files_read_the_same_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random damage near record boundaries: whatever the whole file gives, the pieces give."""
    text = (DATASET / "observations" / "sipo-annual-report-2017-ch7.yaml").read_text(encoding="utf-8")
    snippets = ['"', "'", "[", "{", "&a ", "*a", "- ", "-", "\n- x\n", "|\n", ": ", "\t", "---", "#", "? ", "!!str "]
    rng = random.Random(5)
    for _ in range(300):
        lines = text.split("\n")
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            cut = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:cut] + rng.choice(snippets) + lines[i][cut:]
        damaged = "\n".join(lines)
        pieces, whole = both_ways(damaged, monkeypatch)
        assert pieces == whole, damaged
