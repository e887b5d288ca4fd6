"""The workbook writer on its own: streamed rows, cells written as plain values or styled cells.

Read back with python-calamine and the zip's XML, never with openpyxl, which wrote it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from python_calamine import CalamineWorkbook

from ipcoop_data import Precision
from ipcoop_data.export import workbook
from ipcoop_data.export.workbook import Column, Day, Highlighted, Link, Row, Sheet, WorkbookWriter

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
COLUMNS = [Column("id", "id"), Column("text", "long_text"), Column("figure", "number"), Column("day", "date")]


def write(path: Path, *sheets: Sheet) -> None:
    writer = WorkbookWriter(datetime(2024, 9, 30, tzinfo=UTC), title="t", subject="s", creator="c")
    for sheet in sheets:
        writer.add(sheet)
    writer.save(path)


def sheet_xml(path: Path, number: int) -> tuple[ElementTree.Element, list[dict[str, Any]]]:
    """Sheet ``number``'s XML and, per cell style index, its fill colour and quote prefix."""
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read(f"xl/worksheets/sheet{number}.xml"))
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
    fills = list(styles.find("m:fills", NS) or [])
    xfs = []
    for xf in styles.find("m:cellXfs", NS) or []:
        fg = fills[int(xf.get("fillId", "0"))].find("m:patternFill/m:fgColor", NS)
        xfs.append({"fill": None if fg is None else fg.get("rgb"), "quote": xf.get("quotePrefix") in ("1", "true")})
    return root, xfs


def test_rows_from_a_generator_are_all_written_and_the_table_covers_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook, "WIDTH_SAMPLE", 3)
    consumed: list[int] = []

    def rows() -> Iterator[Row]:
        for i in range(10):
            consumed.append(i)
            text = "x" * 200 if i == 7 else f"row {i}"  # longer than any width, but after the sample
            yield [f"r{i}", text, i, Day(date(2020, 1, i + 1), Precision.DAY)]

    path = tmp_path / "stream.xlsx"
    write(path, Sheet("Data", COLUMNS, rows()))
    assert consumed == list(range(10))  # read once
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    assert values[0] == ["id", "text", "figure", "day"]
    assert [r[0] for r in values[1:]] == [f"r{i}" for i in range(10)]
    assert values[8][1] == "x" * 200
    assert values[3][3] == date(2020, 1, 3)
    with zipfile.ZipFile(path) as z:
        table = ElementTree.fromstring(z.read("xl/tables/table1.xml"))
    assert table.get("ref") == "A1:D11"
    root, _ = sheet_xml(path, 1)
    widths = [float(c.get("width", "0")) for c in root.iter(f"{{{NS['m']}}}col")]
    assert widths[1] == 8  # fitted to the header ("text" and its filter button) and the sample, not to row 7


def test_an_empty_sheet_has_its_header_and_no_table(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write(path, Sheet("Data", COLUMNS, iter(())))
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python() == [
        ["id", "text", "figure", "day"]
    ]
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/tables/")]


def test_a_highlighted_row_is_filled_cell_by_cell_including_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "fills.xlsx"
    rows: list[Row] = [
        ["plain", "text", 1, None],
        Highlighted(["open", None, Decimal("2.50"), Day(date(2020, 5, 1), Precision.MONTH)], "open"),
        Highlighted([Link("settled", sheet="Data", row=2), "-3", 3, None], "settled"),
    ]
    write(path, Sheet("Data", COLUMNS, rows))
    root, xfs = sheet_xml(path, 1)
    cells = {c.get("r"): c for c in root.iter(f"{{{NS['m']}}}c")}

    def style(ref: str) -> dict[str, Any]:
        return xfs[int(cells[ref].get("s", "0"))] if ref in cells else {"fill": None, "quote": False}

    assert [style(f"{c}2")["fill"] for c in "ABCD"] == [None, None, None, None]
    assert [style(f"{c}3")["fill"] for c in "ABCD"] == ["FFF4CCCC"] * 4
    assert [style(f"{c}4")["fill"] for c in "ABCD"] == ["FFD9EAD3"] * 4
    assert style("B4")["quote"] and not style("A4")["quote"]
    links = {h.get("ref"): h.get("location") for h in root.iter(f"{{{NS['m']}}}hyperlink")}
    assert links == {"A4": "'Data'!A2"}
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    assert values[2][:3] == ["open", "", 2.5]
    assert values[3][:3] == ["settled", "-3", 3]


def test_text_that_a_spreadsheet_would_read_as_an_error_or_formula_stays_text(tmp_path: Path) -> None:
    texts = ["#N/A", "#DIV/0!", "=1+1", "=", "plain", "bell\x07"]
    path = tmp_path / "text.xlsx"
    write(path, Sheet("Data", [Column("text")], [[t] for t in texts]))
    root, xfs = sheet_xml(path, 1)
    cells = [c for c in root.iter(f"{{{NS['m']}}}c") if c.get("r") != "A1"]
    assert {c.get("t") for c in cells} == {"inlineStr"}  # text: not "e" (an error), not "str" (a formula's)
    assert not list(root.iter(f"{{{NS['m']}}}f"))
    assert [xfs[int(c.get("s", "0"))]["quote"] for c in cells] == [False, False, True, True, False, False]
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    assert [r[0] for r in values[1:]] == ["#N/A", "#DIV/0!", "=1+1", "=", "plain", "bell\N{REPLACEMENT CHARACTER}"]


def test_long_text_wraps_at_its_column_width_and_its_row_grows_to_show_it(tmp_path: Path) -> None:
    columns = [
        Column("what", "long_text", 20),
        Column("note", "long_text", 20, grows=False),
        Column("code"),
        Column("link", "long_text", 20),
    ]
    long = "word " * 20  # 100 characters: five lines or more in a column 20 wide
    rows: list[Row] = [
        ["short", None, "a", None],
        [long, None, "b", None],
        ["short", long * 3, "c", None],  # a note wraps in the room the row has: it does not make it tall
        ["short", None, "d", Link(long, sheet="Data", row=2)],
        ["x" * 2000, None, "e", None],  # at most MAX_LINES lines
    ]
    path = tmp_path / "wrap.xlsx"
    write(path, Sheet("Data", columns, rows))
    root, _ = sheet_xml(path, 1)
    with zipfile.ZipFile(path) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
    alignments = [xf.find("m:alignment", NS) for xf in styles.findall("m:cellXfs/m:xf", NS)]
    cells = {c.get("r"): c for c in root.iter(f"{{{NS['m']}}}c")}

    def wraps(ref: str) -> bool:
        alignment = alignments[int(cells[ref].get("s", "0"))]
        return alignment is not None and alignment.get("wrapText") == "1"

    assert [wraps(r) for r in ("A2", "A3", "B4", "C2", "D5")] == [True, True, True, False, True]
    widths = [float(c.get("width", "0")) for c in root.iter(f"{{{NS['m']}}}col")]
    assert widths[:2] == [20, 20] and widths[3] == 20
    heights = {int(r.get("r", "0")): float(r.get("ht") or 0) for r in root.iter(f"{{{NS['m']}}}row")}
    line = workbook.LINE_HEIGHT
    assert heights[2] == 0 and heights[4] == 0  # one line: the default height
    assert 5 * line <= heights[3] <= 7 * line
    assert 5 * line <= heights[5] <= 7 * line  # the link's text counts too
    assert heights[6] <= workbook.MAX_LINES * line + 3
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    assert values[5][0] == "x" * 2000  # the row is capped, the cell holds every character


def test_a_row_out_of_step_with_the_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Data: a row of 3 cells under 4 columns"):
        write(tmp_path / "short.xlsx", Sheet("Data", COLUMNS, [["a", "b", 1]]))


def test_every_font_is_the_body_font_and_every_cell_is_aligned_to_the_top(tmp_path: Path) -> None:
    path = tmp_path / "fonts.xlsx"
    rows: list[Row] = [["plain", "text", 1, None], Highlighted([Link("x", sheet="Data", row=2), "=1", 2, None], "open")]
    write(path, Sheet("Data", COLUMNS, rows))
    with zipfile.ZipFile(path) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
    fonts = styles.findall("m:fonts/m:font", NS)
    assert {(f.find("m:name", NS).get("val"), f.find("m:sz", NS).get("val")) for f in fonts} == {  # type: ignore[union-attr]
        (workbook.FONT_NAME, str(workbook.FONT_SIZE))
    }
    xfs = styles.findall("m:cellXfs/m:xf", NS)
    assert {xf.find("m:alignment", NS).get("vertical") for xf in xfs} == {"top"}  # type: ignore[union-attr]
    # The columns' and rows' own formats are the default one (a cell without a format takes its column's).
    root, _ = sheet_xml(path, 1)
    assert {c.get("style", "0") for c in root.iter(f"{{{NS['m']}}}col")} == {"0"}
