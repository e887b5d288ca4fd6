"""Writing a workbook of tabular sheets with openpyxl in write-only mode, deterministically.

This module knows about cells, tables and zip files, nothing about the dataset: ``xlsx.py`` says
what goes in each sheet. Write-only mode streams every row to a temporary file, and the sheets'
rows come from generators, so memory stays flat however many events there are; the price is that
each sheet is written once, top to bottom, and its column widths must be known before its first
row: they are fitted to the first ``WIDTH_SAMPLE`` rows.

Most cells are handed to openpyxl as plain values, which it writes cheaply; only a cell that
needs a style, a link or a forced type becomes a cell object, and its style is copied from a
template made once per combination (setting a font or fill on each cell would hash the style
objects again for every cell: most of the export's time on a large dataset).
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import Any, Literal, NamedTuple

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo

from ipcoop_data.model.dates import PartialDate, Precision

#: Excel shows a partial date only as precisely as it is known: 2017, May 2017, 2017-05-20.
DATE_FORMATS = {Precision.YEAR: "yyyy", Precision.MONTH: "mmm yyyy", Precision.DAY: "yyyy-mm-dd"}
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0###########"
TABLE_STYLE = "TableStyleMedium2"
MAX_WIDTH = 60
MIN_WIDTH = 6
#: Column widths are fitted to the header and this many first rows of each sheet: the rows are
#: streamed, and holding them all to measure them would make memory grow with the data.
WIDTH_SAMPLE = 1000
HIGHLIGHTS = {
    "open": PatternFill("solid", start_color="FFF4CCCC"),  # disputed: light red
    "settled": PatternFill("solid", start_color="FFD9EAD3"),  # ruled on: light green
}
# openpyxl (lxml) refuses what XML 1.0 cannot hold: control characters but tab, LF and CR, lone
# surrogates, U+FFFE and U+FFFF. Records cannot hold them (the loader refuses them at their line),
# but a finding quotes what it found, a broken id included.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_LINK_FONT = Font(color="FF0563C1", underline="single")
# The header is styled on its cells as well as by the table style: LibreOffice (7.x) draws a
# table's autofilter but not its style, and the header must stand out in both programs.
_HEADER_FONT = Font(bold=True, color="FFFFFFFF")
_HEADER_FILL = PatternFill("solid", start_color="FF4472C4")
_LABEL_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Link:
    """A cell showing ``text`` that jumps to ``sheet``!A``row`` (internal) or to ``url`` (external)."""

    text: str
    sheet: str | None = None
    row: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class Day:
    """A partial date as a real date cell (its lower or upper bound) formatted to its precision."""

    value: date
    precision: Precision

    @classmethod
    def lower(cls, when: PartialDate | None) -> Day | None:
        return None if when is None else cls(when.lower, _PRECISION_OF_LENGTH[len(when.start)])

    @classmethod
    def upper(cls, when: PartialDate | None) -> Day | None:
        return None if when is None else cls(when.upper, _PRECISION_OF_LENGTH[len(when.end)])


# An interval's ends may differ in precision (2022-05/2023-12-31): each end is shown as stated.
_PRECISION_OF_LENGTH = {4: Precision.YEAR, 7: Precision.MONTH, 10: Precision.DAY}


Value = str | int | Decimal | bool | Day | Link | None
ColumnKind = Literal["text", "long_text", "id", "date", "number", "flag"]


@dataclass(frozen=True)
class Column:
    header: str
    kind: ColumnKind = "text"


class Highlighted(NamedTuple):
    """A row whose every cell is filled: ``highlight`` is a key of HIGHLIGHTS."""

    values: Sequence[Value]
    highlight: str


Row = Sequence[Value] | Highlighted


@dataclass
class Sheet:
    """One sheet: a header row and data rows, shown as an Excel table with a frozen header.

    ``rows`` may be a generator: it is read once, while the sheet is written.
    """

    name: str
    columns: Sequence[Column]
    rows: Iterable[Row] = ()
    freeze: str = "A2"


@dataclass
class NotesSheet:
    """A sheet of labelled paragraphs (About): two columns, the second wrapped."""

    name: str
    paragraphs: list[tuple[str, str | Link]]


@dataclass
class ChartSheet:
    """A count table (categories down, series across) and a stacked column chart of it."""

    name: str
    title: str
    category_header: str
    categories: list[int | str]
    series: list[str]
    counts: list[list[int]]
    note: str = ""


AnySheet = Sheet | NotesSheet | ChartSheet


def text_cell_value(text: str) -> str:
    return _ILLEGAL.sub("\N{REPLACEMENT CHARACTER}", text)


def _display_width(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, Link):
        return len(value.text)
    if isinstance(value, Day):
        return {Precision.YEAR: 4, Precision.MONTH: 8, Precision.DAY: 10}[value.precision]
    if isinstance(value, bool):
        return 5
    if isinstance(value, int | Decimal):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(columns: Sequence[Column], rows: Iterable[Row]) -> list[float]:
    """Widths fitted to the longest value of each column (a little room for the filter button)."""
    widths = [len(c.header) + 3 for c in columns]
    for row in rows:
        for i, value in enumerate(row.values if isinstance(row, Highlighted) else row):
            widths[i] = max(widths[i], _display_width(value) + 1)
    return [float(min(MAX_WIDTH, max(MIN_WIDTH, w))) for w in widths]


def _table_name(sheet_name: str) -> str:
    # Table names are workbook-wide identifiers: letters, digits and underscores.
    return re.sub(r"\W", "_", sheet_name)


def _print_setup(ws: Any, repeat_header: bool) -> None:
    # Printed (or saved as PDF): landscape A4 with the header row on every page. Not fitted to one
    # page wide: twenty columns squeezed onto one page are too small to read.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    if repeat_header:
        ws.print_title_rows = "1:1"


class WorkbookWriter:
    """Builds the openpyxl write-only workbook; ``save`` makes the bytes reproducible."""

    def __init__(self, timestamp: datetime, title: str, subject: str, creator: str) -> None:
        self.timestamp = timestamp.replace(tzinfo=None)
        self.book = Workbook(write_only=True)
        props = self.book.properties
        props.title, props.subject, props.creator = title, subject, creator
        props.created = props.modified = self.timestamp
        props.lastModifiedBy = creator
        self._styles: dict[tuple[str | None, bool, str | None, bool], Any] = {}

    def add(self, sheet: AnySheet) -> None:
        if isinstance(sheet, Sheet):
            self._add_table_sheet(sheet)
        elif isinstance(sheet, NotesSheet):
            self._add_notes_sheet(sheet)
        else:
            self._add_chart_sheet(sheet)

    # --- cells ----------------------------------------------------------------------------
    def _cell(self, ws: Any, value: Value) -> Cell:
        """One value as a cell object, for sheets that style cells further (headers, About, Summary)."""
        converted = self._row(ws, [value])[0]
        # Not a cell already: text that _text found safe as a plain value, an int, or None.
        return converted if isinstance(converted, Cell) else WriteOnlyCell(ws, converted)

    def _header(self, ws: Any, headers: Iterable[str]) -> list[WriteOnlyCell]:
        cells = []
        for header in headers:
            cell = self._cell(ws, header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cells.append(cell)
        return cells

    def _style(self, ws: Any, number_format: str | None, link: bool, highlight: str | None, quote: bool) -> Any:
        """The style array of a cell so formatted, made once per combination (a template)."""
        key = (number_format, link, highlight, quote)
        style = self._styles.get(key)
        if style is None:
            template = WriteOnlyCell(ws)
            if number_format:
                template.number_format = number_format
            if link:
                template.font = _LINK_FONT
            if highlight:
                template.fill = HIGHLIGHTS[highlight]
            if quote:
                template.quotePrefix = True
            style = self._styles[key] = template._style
        return style

    def _styled(self, ws: Any, value: Any, number_format: str | None = None, *, highlight: str | None) -> Cell:
        cell = Cell(ws, 1, 1, style_array=self._style(ws, number_format, False, highlight, False))
        cell.value = value
        return cell

    def _text(self, ws: Any, text: str, highlight: str | None, link: bool = False) -> str | Cell:
        """Plain text stays a plain value unless openpyxl or a spreadsheet would read it as more."""
        if _ILLEGAL.search(text):
            text = text_cell_value(text)
        risky = text[:1] in _RISKY_START
        if not (risky or link or highlight or text in ERROR_CODES):
            return text
        cell = Cell(ws, 1, 1, style_array=self._style(ws, None, link, highlight, risky))
        cell.value = text
        # Always a string cell: openpyxl would make "=..." a formula and "#N/A" an error, and a
        # leading '+', '-', '@', tab or CR (quote-prefixed) invites a spreadsheet to evaluate it.
        cell.data_type = "s"
        return cell

    def _row(self, ws: Any, values: Sequence[Value], highlight: str | None = None) -> list[Any]:
        """A row as openpyxl takes it: plain values where they suffice, cells where they do not."""
        out: list[Any] = []
        for value in values:
            kind = type(value)
            if value is None:  # in a highlighted row, an empty cell is filled too: the row reads as one
                out.append(
                    Cell(ws, 1, 1, style_array=self._style(ws, None, False, highlight, False)) if highlight else None
                )
            elif kind is str:
                out.append(self._text(ws, value, highlight))  # type: ignore[arg-type]
            elif kind is int:
                out.append(self._styled(ws, value, highlight=highlight) if highlight else value)
            elif isinstance(value, Link):
                cell = self._text(ws, value.text, highlight, link=True)
                assert isinstance(cell, Cell)
                if value.url:
                    cell.hyperlink = Hyperlink(ref="", target=value.url)
                else:
                    cell.hyperlink = Hyperlink(ref="", location=f"{quote_sheetname(value.sheet or '')}!A{value.row}")
                out.append(cell)
            elif isinstance(value, Day):
                out.append(self._styled(ws, value.value, DATE_FORMATS[value.precision], highlight=highlight))
            elif isinstance(value, bool):
                out.append(self._text(ws, "yes" if value else "no", highlight))
            elif isinstance(value, Decimal):
                exact = value.normalize()
                integral = exact == exact.to_integral_value()
                number = int(exact) if integral else exact
                out.append(
                    self._styled(ws, number, INTEGER_FORMAT if integral else DECIMAL_FORMAT, highlight=highlight)
                )
            elif isinstance(value, int):
                out.append(self._styled(ws, int(value), highlight=highlight))
            else:
                out.append(self._text(ws, str(value), highlight))
        return out

    # --- sheets ---------------------------------------------------------------------------
    def _add_table_sheet(self, sheet: Sheet) -> None:
        ws = self.book.create_sheet(sheet.name)
        ws.freeze_panes = sheet.freeze
        _print_setup(ws, repeat_header=True)
        rows: Iterator[Row] = iter(sheet.rows)
        first = list(islice(rows, WIDTH_SAMPLE))
        for i, width in enumerate(column_widths(sheet.columns, first), 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.append(self._header(ws, (c.header for c in sheet.columns)))
        written = 0
        for row in chain(first, rows):
            if isinstance(row, Highlighted):
                ws.append(self._row(ws, row.values, row.highlight))
            else:
                ws.append(self._row(ws, row))
            written += 1
        if written:  # a table needs at least one data row
            ref = f"A1:{get_column_letter(len(sheet.columns))}{written + 1}"
            table = Table(displayName=_table_name(sheet.name), ref=ref)
            table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
            # Write-only mode cannot read the header cells back, so the columns are named here;
            # the names must equal the header cells or Excel "repairs" the file.
            table._initialise_columns()
            for column, spec in zip(table.tableColumns, sheet.columns, strict=True):
                column.name = text_cell_value(spec.header)
            with warnings.catch_warnings():
                # openpyxl warns on every write-only add_table; the columns are named above.
                warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")
                ws.add_table(table)

    def _add_notes_sheet(self, sheet: NotesSheet) -> None:
        ws = self.book.create_sheet(sheet.name)
        _print_setup(ws, repeat_header=False)
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["B"].width = 110
        for row, (label, text) in enumerate(sheet.paragraphs, 1):
            # Neither Excel nor LibreOffice grows a row to fit wrapped text written without a
            # height, so the height is estimated: 15 points a line of about 105 characters.
            shown = text.text if isinstance(text, Link) else text
            lines = sum(max(1, -(-len(line) // 105)) for line in shown.splitlines() or [""])
            ws.row_dimensions[row].height = 15 * lines + 3
            head = self._cell(ws, label)
            head.font = _LABEL_FONT
            head.alignment = _WRAP
            body = self._cell(ws, text)
            body.alignment = _WRAP
            ws.append([head, body])

    def _add_chart_sheet(self, sheet: ChartSheet) -> None:
        ws = self.book.create_sheet(sheet.name)
        ws.freeze_panes = "B2"
        _print_setup(ws, repeat_header=False)
        ws.column_dimensions["A"].width = max(8, len(sheet.category_header) + 2)
        for i, name in enumerate(sheet.series, 2):
            ws.column_dimensions[get_column_letter(i)].width = max(8, len(name) + 2)
        ws.append(self._header(ws, [sheet.category_header, *sheet.series, "total"]))
        for category, counts in zip(sheet.categories, sheet.counts, strict=True):
            ws.append([self._cell(ws, category), *(self._cell(ws, n) for n in counts), self._cell(ws, sum(counts))])
        last_row = len(sheet.categories) + 1
        if sheet.note:
            ws.append([])
            ws.append([self._cell(ws, sheet.note)])
        if not sheet.categories:
            return
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
        chart.title = sheet.title
        chart.y_axis.title = "events"
        chart.x_axis.title = sheet.category_header
        chart.width, chart.height = 28, 14
        data = Reference(ws, min_col=2, max_col=len(sheet.series) + 1, min_row=1, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last_row))
        # openpyxl hides both axes by default (delete=True); a chart without them is unreadable.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        ws.add_chart(chart, f"A{last_row + 4}")

    def save(self, path: Path) -> None:
        """Save with a fixed time on every zip entry (zipfile would stamp each with "now")."""
        from openpyxl.writer.excel import ExcelWriter

        # A zip entry can be dated only 1980-2107 (SOURCE_DATE_EPOCH=0 is a common setting, and a
        # source may be published up to 2199).
        stamp = min(max(self.timestamp, datetime(1980, 1, 1)), datetime(2107, 12, 31, 23, 59, 58)).timetuple()[:6]
        with _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.stamp = (stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5])
            # ExcelWriter directly: save_workbook() would overwrite properties.modified with now.
            ExcelWriter(self.book, archive).save()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry ``stamp`` and mode 644, however openpyxl adds them."""

    stamp: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def _entry(self, name: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, date_time=self.stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        return entry

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        super().writestr(self._entry(name), data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # A write-only sheet arrives as a temporary file: copied across in chunks, never read whole.
        entry = self._entry(str(arcname or filename))
        entry.file_size = os.path.getsize(filename)
        with open(filename, "rb") as source, self.open(entry, "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)
