"""Write-only worksheets whose hyperlinks wait on disk, not in memory, until the sheet is closed.

openpyxl's write-only sheet streams its cells, but not their hyperlinks: the ``<hyperlinks>``
element comes after ``<sheetData>`` in the sheet's XML, so every link written is kept, as one
``Hyperlink`` object, until the sheet is closed, and then all of them are made into one element
tree and serialised at once. The workbook links about two cells of each event and observation:
at 100k events the Events sheet's links alone took 160 MB (the objects, then their tree), and
the export's peak was 250 MB above the dataset's.

Here each link is written, as it is met, to a line of a temporary file, and read back one at a
time when the sheet's tail is written: each is written by openpyxl's own ``Hyperlink.to_tree``,
after the relationship openpyxl's ``WorksheetWriter.write_hyperlinks`` would give an external
link, so the sheet's XML and its relationships are the same bytes. Only this exporter's sheets
are so made (``new_sheet``); openpyxl itself is left as it is.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Any

from openpyxl.packaging.relationship import Relationship
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.hyperlink import Hyperlink

#: What a Hyperlink holds (``id`` is given only when the sheet's tail is written, as here).
_FIELDS = ("ref", "location", "tooltip", "display", "id", "target")


class SpilledLinks:
    """A sheet's hyperlinks, in the order added, one JSON line each in a temporary file.

    It stands in for the list openpyxl keeps in ``ws._hyperlinks``, whose only other user is the
    cell writer's ``append``. The file is deleted when closed (or collected).
    """

    def __init__(self) -> None:
        # Closed by close(), when the sheet's tail has been written (or else when collected).
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._count = 0

    def append(self, link: Hyperlink) -> None:
        # json.dumps escapes line breaks: one link, one line, whatever its target holds.
        self._file.write(json.dumps([getattr(link, name) for name in _FIELDS]) + "\n")
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Hyperlink]:
        """Each link as a new Hyperlink, made when it is reached."""
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield Hyperlink(**dict(zip(_FIELDS, json.loads(line), strict=True)))
        self._file.seek(0, 2)  # appending goes on at the end

    def close(self) -> None:
        self._file.close()


class _SpillingWriter(WorksheetWriter):  # type: ignore[misc]  # openpyxl has no type hints
    """openpyxl's sheet writer, with the hyperlinks kept in a ``SpilledLinks`` and streamed out."""

    def __init__(self, ws: Any, out: Any = None) -> None:
        super().__init__(ws, out)
        self.ws._hyperlinks = SpilledLinks()

    def write_hyperlinks(self) -> None:
        """What ``WorksheetWriter.write_hyperlinks`` writes, one link at a time.

        There, ``HyperlinkList(links).to_tree()`` makes the ``<hyperlinks>`` element with every
        link in it; here the element is opened on the stream and each link's element written into it.
        """
        links: SpilledLinks = self.ws._hyperlinks
        if links:
            xf = self.xf.send(True)  # the sheet's xmlfile, as write_rows takes it
            with xf.element("hyperlinks"):
                for link in links:
                    if link.target:
                        rel = Relationship(type="hyperlink", TargetMode="External", Target=link.target)
                        self._rels.append(rel)
                        link.id = rel.id
                    xf.write(link.to_tree())
            self.xf.send(None)  # give the stream back
        links.close()


class _SpillingSheet(WriteOnlyWorksheet):  # type: ignore[misc]  # openpyxl has no type hints
    """A write-only sheet written by ``_SpillingWriter`` (``_get_writer`` is openpyxl's, but for the class)."""

    _writer: Any

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _SpillingWriter(self)
            self._writer.write_top()


def new_sheet(book: Any, title: str) -> Any:
    """A new last sheet of the write-only workbook ``book``, as ``book.create_sheet(title)``
    makes one, but keeping its hyperlinks on disk."""
    ws = _SpillingSheet(parent=book, title=title)
    book._add_sheet(ws)
    return ws
