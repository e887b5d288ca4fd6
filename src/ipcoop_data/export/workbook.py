"""Writing a workbook of tabular sheets with openpyxl in write-only mode, deterministically.

This module knows about cells, tables and zip files, nothing about the dataset: ``xlsx.py`` says
what goes in each sheet. Write-only mode streams every row to a temporary file, the sheets' rows
come from generators, and each sheet's hyperlinks wait in a temporary file of their own
(``workbook_links``), so memory stays flat however many events there are; the price is that
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
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import Any, Literal, NamedTuple, NoReturn

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.table import Table, TableStyleInfo

from ipcoop_data.export.workbook_links import new_sheet
from ipcoop_data.model.dates import PartialDate, Precision

#: Excel shows a partial date only as precisely as it is known: 2017, May 2017, 2017-05-20.
DATE_FORMATS = {Precision.YEAR: "yyyy", Precision.MONTH: "mmm yyyy", Precision.DAY: "yyyy-mm-dd"}
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0###########"
TABLE_STYLE = "TableStyleMedium2"
MAX_WIDTH = 60
MIN_WIDTH = 6
#: A long-text column (a title, a quote, a note) is wrapped at this width unless it says otherwise.
WRAP_WIDTH = 40
#: A wrapped row grows to show its longest text, but no taller than this many lines (the rest of
#: a long note is in the cell, shown when it is selected): a table stays a table to scan.
MAX_LINES = 6
#: Height of a line of text, in points, for the body font (Excel's own row height for Arial 10).
LINE_HEIGHT = 12.75
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
# One font everywhere, named on every font the workbook holds: a font without a name is drawn
# in whatever the program falls back to (LibreOffice chose a serif for the header), and openpyxl's
# default, Calibri, is a theme font that LibreOffice replaces by Carlito or, where Carlito is not
# installed, by a wider font than the widths were set for. Arial is on every Windows and macOS,
# and every Linux maps it to Liberation Sans, made to its metrics: widths look the same everywhere.
FONT_NAME = "Arial"
FONT_SIZE = 10
_BODY_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, family=2)
_LINK_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, family=2, color="FF0563C1", underline="single")
# The header is styled on its cells as well as by the table style: LibreOffice (7.x) draws a
# table's autofilter but not its style, and the header must stand out in both programs.
_HEADER_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, family=2, bold=True, color="FFFFFFFF")
_HEADER_FILL = PatternFill("solid", start_color="FF4472C4")
_LABEL_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, family=2, bold=True)
_TITLE_FONT = Font(name=FONT_NAME, sz=12, family=2, bold=True)
# Every cell is aligned to the top: in a row made tall by a wrapped quote, the short cells beside
# it read as the same line.
_TOP = Alignment(vertical="top")
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
    """A column; ``width`` caps its width (a long-text column wraps at it, ``WRAP_WIDTH`` if not given).

    A wrapped column makes its rows tall enough for its text unless ``grows`` is false: then its text
    wraps in the room the row has (a curator's long note must not make every row around it tall;
    selecting the cell shows all of it).
    """

    header: str
    kind: ColumnKind = "text"
    width: float | None = None
    grows: bool = True

    @property
    def wraps(self) -> bool:
        return self.kind == "long_text"

    @property
    def max_width(self) -> float:
        return self.width or (WRAP_WIDTH if self.wraps else MAX_WIDTH)


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
    # The header row and the first column (what the row is about) stay in view.
    freeze: str = "B2"
    #: How many leading columns answer the sheet's question (None: all). They are made to fit the
    #: first screen, and they are what is printed: every column of a wide sheet fitted to a page
    #: is too small to read (a quarter of its size for Events).
    key_columns: int | None = None


@dataclass
class NotesSheet:
    """A sheet of labelled paragraphs (About): two columns, the second wrapped."""

    name: str
    paragraphs: list[tuple[str, str | Link]]


@dataclass
class ChartSheet:
    """A count table (categories down, series across), a stacked column chart of it, then a key.

    ``colors`` (hex RGB, one a series) colour the chart's series; ``notes`` are lines of text
    written between the table and the chart; ``key`` is a small table (``key_header`` and rows)
    written below the chart, such as what each series holds.
    """

    name: str
    title: str
    category_header: str
    categories: list[int | str]
    series: list[str]
    counts: list[list[int]]
    colors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    key_header: list[str] = field(default_factory=list)
    key: list[list[Value]] = field(default_factory=list)


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
    """Widths fitted to the longest value of each column (a little room for the filter button),
    each capped at its column's ``max_width`` (the header is never cut: it is short)."""
    widths = [_header_width(c.header) for c in columns]
    for row in rows:
        for i, value in enumerate(row.values if isinstance(row, Highlighted) else row):
            widths[i] = max(widths[i], _display_width(value) + 1)
    caps = [max(c.max_width, _header_width(c.header)) for c in columns]
    return [float(max(MIN_WIDTH, min(cap, w))) for cap, w in zip(caps, widths, strict=True)]


def _out_of_step(sheet: Sheet, values: Sequence[Value]) -> NoReturn:
    # A row out of step with the header would shift every cell after it under the wrong heading.
    # The sampled rows are checked before the sheet's stream is opened: an error there leaves no
    # half-written stream behind (openpyxl complains about one when it is collected).
    raise ValueError(f"{sheet.name}: a row of {len(values)} cells under {len(sheet.columns)} columns")


def _header_width(header: str) -> int:
    # Bold letters are a little wider than the digits a width counts; the filter button takes three.
    return -(-len(header) * 11 // 10) + 3


def wrapped_lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide.

    A column's width counts digits; a line of prose in Arial holds about as many characters
    (narrower letters, less what word wrap leaves at the end of each line). An estimate, from the
    length alone: the rows are streamed, and laying out every word would cost more than the rest
    of the row.
    """
    per_line = max(1, int(width))
    if "\n" not in text:
        return -(-len(text) // per_line)
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def _row_height(lines: int, most: int = MAX_LINES) -> float:
    return LINE_HEIGHT * min(lines, most) + 2.25


def _shown(value: Value) -> str:
    """The text a cell shows (enough to estimate its lines)."""
    if isinstance(value, Link):
        return value.text
    return value if isinstance(value, str) else str(value)


#: The default cell format (xf 0) as a style array: the body font, aligned to the top.
_DEFAULT_STYLE = StyleArray()
_DEFAULT_STYLE.alignmentId = 1  # _set_default_style puts _TOP at 1


def _width(ws: Any, column: int, width: float) -> None:
    """Set a column's width, and its format to the default one.

    A column's format applies to its cells that have none of their own (LibreOffice draws them
    in it): left at openpyxl's default, it would be a second, bottom-aligned format.
    """
    dimension = ws.column_dimensions[get_column_letter(column)]
    dimension.width = float(width)
    dimension._style = copy(_DEFAULT_STYLE)


def _height(ws: Any, row: int, height: float) -> RowDimension:
    """A row's dimension of that height, in the default format (as for columns, see ``_width``)."""
    return RowDimension(ws, index=row, ht=height, customHeight=True, s=copy(_DEFAULT_STYLE))


def _set_default_style(book: Any) -> None:
    """Make the body font, aligned to the top, the workbook's default style.

    Most cells are written as plain values, which take the default cell format (xf 0), and
    Excel and LibreOffice start a new cell in the Normal style: both are set. openpyxl has no
    public setting for either, so its style lists are replaced while they hold only its defaults
    (tests/test_xlsx_export.py reads styles.xml back to check that every font is this one).
    """
    book._fonts = IndexedList([_BODY_FONT])
    book._alignments = IndexedList([Alignment(), _TOP])
    book._cell_styles = IndexedList([copy(_DEFAULT_STYLE)])
    normal = book._named_styles["Normal"]
    normal.font = copy(_BODY_FONT)
    normal.alignment = copy(_TOP)


def _table_name(sheet_name: str) -> str:
    # Table names are workbook-wide identifiers: letters, digits and underscores.
    return re.sub(r"\W", "_", sheet_name)


def _chart_fonts(chart: Any) -> None:
    """The chart's title, axes and legend in the workbook's font (a chart otherwise takes the theme's)."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
    from openpyxl.drawing.text import Font as TextFont

    def props(size: int, bold: bool = False) -> CharacterProperties:
        return CharacterProperties(latin=TextFont(typeface=FONT_NAME), sz=size * 100, b=bold)

    def text(size: int) -> RichText:
        return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props(size)), endParaRPr=props(size))])

    for title, size in ((chart.title, 14), (chart.x_axis.title, 10), (chart.y_axis.title, 10)):
        for paragraph in title.tx.rich.paragraphs if title is not None else ():
            paragraph.pPr = ParagraphProperties(defRPr=props(size, bold=True))
            for run in paragraph.r or ():
                run.rPr = props(size, bold=True)
    chart.x_axis.txPr = text(FONT_SIZE)
    chart.y_axis.txPr = text(FONT_SIZE)
    chart.legend.txPr = text(FONT_SIZE)


def _print_setup(ws: Any, repeat_header: bool, note: str = "") -> None:
    """Printed (or saved as PDF): landscape A4, the printed columns scaled to the page's width (as
    many pages down as the rows need), the header row on every page, the sheet's name and the page
    number in the footer, and ``note`` at its left."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4: the paper of most of the world's printers
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0: as many pages as needed
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3)
    # A printed table without its lines is hard to follow; About and Summary are not tables.
    ws.print_options.gridLines = repeat_header
    ws.HeaderFooter.oddFooter.center.text = "&A, page &P of &N"
    if note:
        ws.HeaderFooter.oddFooter.left.text = note
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
        _set_default_style(self.book)
        self._styles: dict[tuple[str | None, bool, str | None, bool, bool], Any] = {}

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

    def _header(self, ws: Any, headers: Iterable[str], wrap: bool = False) -> list[WriteOnlyCell]:
        cells = []
        for header in headers:
            cell = self._cell(ws, header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = _WRAP if wrap else _TOP
            cells.append(cell)
        return cells

    def _style(
        self, ws: Any, number_format: str | None, link: bool, highlight: str | None, quote: bool, wrap: bool = False
    ) -> Any:
        """The style array of a cell so formatted, made once per combination (a template)."""
        key = (number_format, link, highlight, quote, wrap)
        style = self._styles.get(key)
        if style is None:
            template = WriteOnlyCell(ws)
            # Named on every styled cell, as in the default style: one font and alignment throughout.
            template.font = _LINK_FONT if link else _BODY_FONT
            template.alignment = _WRAP if wrap else _TOP
            if number_format:
                template.number_format = number_format
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

    def _text(self, ws: Any, text: str, highlight: str | None, link: bool = False, wrap: bool = False) -> str | Cell:
        """Plain text stays a plain value unless openpyxl or a spreadsheet would read it as more,
        or it is to be wrapped or highlighted."""
        if _ILLEGAL.search(text):
            text = text_cell_value(text)
        risky = text[:1] in _RISKY_START
        if not (risky or link or highlight or wrap or text in ERROR_CODES):
            return text
        cell = Cell(ws, 1, 1, style_array=self._style(ws, None, link, highlight, risky, wrap))
        cell.value = text
        # Always a string cell: openpyxl would make "=..." a formula and "#N/A" an error, and a
        # leading '+', '-', '@', tab or CR (quote-prefixed) invites a spreadsheet to evaluate it.
        cell.data_type = "s"
        return cell

    def _row(
        self, ws: Any, values: Sequence[Value], highlight: str | None = None, wraps: Sequence[bool] = ()
    ) -> list[Any]:
        """A row as openpyxl takes it: plain values where they suffice, cells where they do not.

        ``wraps`` says, column by column, which text is wrapped (none if empty).
        """
        out: list[Any] = []
        for i, value in enumerate(values):
            kind = type(value)
            if value is None:  # in a highlighted row, an empty cell is filled too: the row reads as one
                out.append(
                    Cell(ws, 1, 1, style_array=self._style(ws, None, False, highlight, False)) if highlight else None
                )
            elif kind is str:
                out.append(self._text(ws, value, highlight, wrap=bool(wraps) and wraps[i]))  # type: ignore[arg-type]
            elif kind is int:
                out.append(self._styled(ws, value, highlight=highlight) if highlight else value)
            elif isinstance(value, Link):
                cell = self._text(ws, value.text, highlight, link=True, wrap=bool(wraps) and wraps[i])
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
        ws = new_sheet(self.book, sheet.name)
        ws.freeze_panes = sheet.freeze
        printed = len(sheet.columns) if sheet.key_columns is None else min(sheet.key_columns, len(sheet.columns))
        if printed < len(sheet.columns):
            last = sheet.columns[printed - 1].header
            note = f"Printed: the first {printed} of {len(sheet.columns)} columns, to '{last}'; all are in the workbook"
            _print_setup(ws, repeat_header=True, note=note.replace("&", "&&"))
        else:
            _print_setup(ws, repeat_header=True)
        rows: Iterator[Row] = iter(sheet.rows)
        first = list(islice(rows, WIDTH_SAMPLE))
        for row in first:  # checked before the sheet's stream opens too (see _out_of_step)
            if len(values := row.values if isinstance(row, Highlighted) else row) != len(sheet.columns):
                _out_of_step(sheet, values)
        widths = column_widths(sheet.columns, first)
        for i, width in enumerate(widths, 1):
            _width(ws, i, width)
        ws.append(self._header(ws, (c.header for c in sheet.columns)))
        wraps = [c.wraps for c in sheet.columns]
        wrapped = [(i, widths[i]) for i, c in enumerate(sheet.columns) if c.wraps and c.grows]
        heights = ws.row_dimensions
        written = 0
        for row in chain(first, rows):
            values, highlight = (row.values, row.highlight) if isinstance(row, Highlighted) else (row, None)
            if len(values) != len(wraps):
                _out_of_step(sheet, values)
            # A row with wrapped text is made tall enough to show it (neither Excel nor LibreOffice
            # fits a row to wrapped text on opening a file); the dimension is dropped once the row
            # is written, so that memory does not grow with the rows.
            lines = max((wrapped_lines(_shown(values[i]), w) for i, w in wrapped if values[i] is not None), default=1)
            if lines > 1:
                heights[written + 2] = _height(ws, written + 2, _row_height(lines))
            ws.append(self._row(ws, values, highlight, wraps))
            heights.pop(written + 2, None)
            written += 1
        if printed < len(sheet.columns):
            ws.print_area = f"A1:{get_column_letter(printed)}{written + 1}"
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
        ws = new_sheet(self.book, sheet.name)
        _print_setup(ws, repeat_header=False)
        _width(ws, 1, 24)
        _width(ws, 2, 110)
        for row, (label, text) in enumerate(sheet.paragraphs, 1):
            # Neither Excel nor LibreOffice grows a row to fit wrapped text written without a
            # height, so the height is estimated; a line of this prose holds about 120 characters
            # in a column 110 wide (measured in LibreOffice).
            lines = wrapped_lines(_shown(text), 120)
            ws.row_dimensions[row] = _height(ws, row, _row_height(lines, most=1000) + 3)
            head = self._cell(ws, label)
            head.font = _TITLE_FONT if row == 1 else _LABEL_FONT
            head.alignment = _WRAP
            body = self._cell(ws, text)
            if not isinstance(text, Link):
                body.font = _BODY_FONT
            body.alignment = _WRAP
            ws.append([head, body])

    def _add_chart_sheet(self, sheet: ChartSheet) -> None:
        ws = new_sheet(self.book, sheet.name)
        ws.freeze_panes = "B2"
        _print_setup(ws, repeat_header=False)
        headers = [sheet.category_header, *sheet.series, "total"]
        # Series names wrap in the header (two lines at most), so that the table stays narrow.
        widths = [max(8.0, len(sheet.category_header) + 2)]
        widths += [float(min(16, max(8, len(name) + 2))) for name in sheet.series] + [8.0]
        key_col = len(headers) + 2  # the key stands right of the table, one column apart
        key_widths = [
            max(len(h) + 3, *(len(_shown(r[j])) + 1 for r in sheet.key)) for j, h in enumerate(sheet.key_header)
        ]
        for i, width in enumerate(widths, 1):
            _width(ws, i, width)
        for j, width in enumerate(key_widths):
            _width(ws, key_col + j, min(width, 50))
        header_lines = max((wrapped_lines(h, w) for h, w in zip(headers, widths, strict=True)), default=1)
        ws.row_dimensions[1] = _height(ws, 1, _row_height(header_lines))
        rows: list[list[Any]] = [self._header(ws, headers, wrap=True)]
        for category, counts in zip(sheet.categories, sheet.counts, strict=True):
            rows.append([self._cell(ws, category), *(self._cell(ws, n) for n in counts), self._cell(ws, sum(counts))])
        last_row = len(sheet.categories) + 1
        if sheet.key_header:  # the key, beside the table's rows
            gap = [None] * (key_col - 1 - len(headers))
            key_rows = [
                self._header(ws, sheet.key_header),
                *(self._row(ws, r) for r in sheet.key),
            ]
            for i, key_row in enumerate(key_rows):
                while len(rows) <= i:
                    rows.append([])
                rows[i] = rows[i] + [None] * (len(headers) - len(rows[i])) + gap + key_row
        rows.append([])
        rows += [[self._cell(ws, note)] for note in sheet.notes]
        for row in rows:
            ws.append(row)
        if not sheet.categories:
            return
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap, chart.gapWidth = "col", "stacked", 100, 60
        chart.title = sheet.title
        chart.y_axis.title = "events"
        chart.x_axis.title = sheet.category_header
        chart.width, chart.height = 26, 12
        data = Reference(ws, min_col=2, max_col=len(sheet.series) + 1, min_row=1, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last_row))
        for series, color in zip(chart.series, sheet.colors, strict=False):
            series.graphicalProperties = GraphicalProperties(solidFill=color)
            series.graphicalProperties.line.solidFill = color
        # openpyxl hides both axes by default (delete=True); a chart without them is unreadable.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        _chart_fonts(chart)
        ws.add_chart(chart, f"A{len(rows) + 2}")

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
