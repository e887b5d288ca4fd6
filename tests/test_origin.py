"""Origins keep every field's line, compactly: records of one shape share their paths."""

from __future__ import annotations

import pickle

from ipcoop_data import load
from ipcoop_data.model.origin import Origin
from tests.conftest import DATASET


def test_lines_come_back_as_given_and_line_of_falls_back_to_the_parent() -> None:
    lines = {("title",): 12, ("citations",): 14, ("citations", 0): 15, ("citations", 0, "quote"): 17}
    origin = Origin.with_lines("events/2017.yaml", 11, lines)
    assert origin.lines == lines
    assert origin.line_of(("citations", 0, "quote")) == 17
    assert origin.line_of(("citations", 0, "locator")) == 15  # not given: its parent's line
    assert origin.line_of(("note",)) == 11  # nothing known: the record's own line
    assert pickle.loads(pickle.dumps(origin)).lines == lines


def test_records_of_one_shape_share_their_paths() -> None:
    dataset = load(DATASET)
    origins = [e.origin for e in dataset.events if e.origin is not None]
    assert len(origins) == len(dataset.events)
    shapes = {id(o.paths) for o in origins}
    assert len(shapes) < len(origins)  # shapes shared by the 252 hand-curated events
    # and every line still points at the field: the first citation's quote line holds its words
    text = (DATASET / "events" / "2022.yaml").read_text(encoding="utf-8").splitlines()
    for event in dataset.events:
        if event.origin and event.origin.file == "events/2022.yaml" and event.citations:
            line = text[event.origin.line_of(("citations", 0, "quote")) - 1]
            assert "quote:" in line
