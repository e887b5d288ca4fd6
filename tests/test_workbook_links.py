"""Hyperlinks kept on disk until a sheet is closed (export.workbook_links).

A sheet made by ``new_sheet`` must be the same bytes as openpyxl's own write-only sheet: the
two are written side by side and compared part by part, and what they hold is read back with
zipfile and ElementTree (never with openpyxl) and python-calamine.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.worksheet.hyperlink import Hyperlink
from python_calamine import CalamineWorkbook

from ipcoop_data.export.workbook_links import SpilledLinks, new_sheet

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
URL = "https://example.org/a?b=1&c='two'&d=\"3\"#ü"  # escaped in the XML, kept whole in JSON


def _linked(ws: Any, text: str, **link: str) -> Cell:
    cell = Cell(ws, 1, 1)
    cell.value = text
    cell.hyperlink = Hyperlink(ref="", **link)
    return cell


def _write(path: Path, make_sheet: Callable[[Any, str], Any]) -> None:
    """Two sheets of links (internal, external, a tooltip) written by ``make_sheet``, and one without."""
    book = Workbook(write_only=True)
    ws = make_sheet(book, "Data")
    for row in range(1, 301):
        ws.append(
            [
                _linked(ws, f"row {row}", location=f"'Other sheet'!A{row}"),
                f"plain {row}",
                _linked(ws, "site", target=f"{URL}{row % 3}") if row % 100 == 0 else None,
            ]
        )
    ws.append([_linked(ws, "tip", location="Data!A1", tooltip="back to the top", display="top")])
    other = make_sheet(book, "Other sheet")
    other.append(["no links here"])
    book.save(path)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_sheet_with_spilled_links_is_the_bytes_openpyxl_writes(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    _write(ours, new_sheet)
    _write(theirs, lambda book, title: book.create_sheet(title))
    mine, stock = _parts(ours), _parts(theirs)
    assert list(mine) == list(stock)
    # docProps/core.xml holds the time of the save (openpyxl stamps it with the clock at save), and
    # two saves can straddle a second: it says nothing about links
    assert [name for name in mine if mine[name] != stock[name] and name != "docProps/core.xml"] == []
    assert b"<hyperlinks>" in mine["xl/worksheets/sheet1.xml"]


def test_the_links_read_back_with_their_cells_locations_and_targets(tmp_path: Path) -> None:
    path = tmp_path / "links.xlsx"
    _write(path, new_sheet)
    parts = _parts(path)
    sheet = ElementTree.fromstring(parts["xl/worksheets/sheet1.xml"])
    rels = ElementTree.fromstring(parts["xl/worksheets/_rels/sheet1.xml.rels"])
    targets = {r.get("Id"): (r.get("Target"), r.get("TargetMode")) for r in rels.findall("rel:Relationship", NS)}
    links = sheet.findall("m:hyperlinks/m:hyperlink", NS)
    internal = [(h.get("ref"), h.get("location")) for h in links if h.get("location")]
    external = [(h.get("ref"), targets[h.get(f"{{{NS['r']}}}id", "")]) for h in links if not h.get("location")]
    assert internal[:300] == [(f"A{row}", f"'Other sheet'!A{row}") for row in range(1, 301)]
    assert internal[300] == ("A301", "Data!A1")
    assert [(h.get("tooltip"), h.get("display")) for h in links][-1] == ("back to the top", "top")
    assert external == [(f"C{row}", (f"{URL}{row % 3}", "External")) for row in (100, 200, 300)]
    # The <hyperlinks> element follows the rows, as the schema orders a sheet's parts.
    assert [child.tag.split("}")[1] for child in sheet].index("hyperlinks") > [
        child.tag.split("}")[1] for child in sheet
    ].index("sheetData")
    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    assert cells[0][:2] == ["row 1", "plain 1"] and cells[99][2] == "site"
    assert "hyperlinks" not in parts["xl/worksheets/sheet2.xml"].decode()


def test_spilled_links_come_back_as_added_and_appending_goes_on_after_reading() -> None:
    links = SpilledLinks()
    assert not links
    links.append(Hyperlink(ref="A1", location="Data!A2"))
    links.append(Hyperlink(ref="B7", target="https://example.org/line\nbreak\ttab", tooltip="ü “quoted”"))
    first = [(h.ref, h.location, h.target, h.tooltip, h.display, h.id) for h in links]
    links.append(Hyperlink(ref="C9", location="'A sheet'!A3"))
    again = [(h.ref, h.location, h.target, h.tooltip) for h in links]
    links.close()
    assert first == [
        ("A1", "Data!A2", None, None, None, None),
        ("B7", None, "https://example.org/line\nbreak\ttab", "ü “quoted”", None, None),
    ]
    assert len(links) == 3
    assert again == [(ref, loc, target, tip) for ref, loc, target, tip, *_ in first] + [
        ("C9", "'A sheet'!A3", None, None)
    ]
