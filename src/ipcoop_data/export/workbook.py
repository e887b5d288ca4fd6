"""Writing a workbook of tabular sheets with openpyxl in write-only mode, deterministically.

This module knows about cells, tables and zip files, nothing about the dataset: ``xlsx.py`` says
what goes in each sheet. Write-only mode streams every row to a temporary file, so memory stays
flat however many events there are; the price is that each sheet is written once, top to bottom,
and its column widths must be known before its first row.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo

from ..dates import PartialDate, Precision

#: Excel shows a partial date only as precisely as it is known: 2017, May 2017, 2017-05-20.
DATE_FORMATS = {Precision.YEAR: "yyyy", Precision.MONTH: "mmm yyyy", Precision.DAY: "yyyy-mm-dd"}
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0###########"
TABLE_STYLE = "TableStyleMedium2"
MAX_WIDTH = 60
MIN_WIDTH = 6
HIGHLIGHTS = {
    "open": PatternFill("solid", start_color="FFF4CCCC"),  # disputed: light red
    "settled": PatternFill("solid", start_color="FFD9EAD3"),  # ruled on: light green
}
# openpyxl refuses XML-illegal control characters; tab, LF and CR are legal and kept.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
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


@dataclass
class Sheet:
    """One sheet: a header row and data rows, shown as an Excel table with a frozen header."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Value]] = field(default_factory=list)
    #: Per row, a key of HIGHLIGHTS (or None): the fill of the whole row.
    highlights: list[str | None] = field(default_factory=list)
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


def column_widths(sheet: Sheet) -> list[float]:
    """Widths fitted to the longest value of each column (a little room for the filter button)."""
    widths = [len(c.header) + 3 for c in sheet.columns]
    for row in sheet.rows:
        for i, value in enumerate(row):
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

    def add(self, sheet: AnySheet) -> None:
        if isinstance(sheet, Sheet):
            self._add_table_sheet(sheet)
        elif isinstance(sheet, NotesSheet):
            self._add_notes_sheet(sheet)
        else:
            self._add_chart_sheet(sheet)

    # --- cells ----------------------------------------------------------------------------
    def _cell(self, ws: Any, value: Value, fill: PatternFill | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws)
        if isinstance(value, Link):
            cell.value = text_cell_value(value.text)
            cell.data_type = "s"
            if value.url:
                cell.hyperlink = Hyperlink(ref="", target=value.url)
            else:
                cell.hyperlink = Hyperlink(ref="", location=f"{quote_sheetname(value.sheet or '')}!A{value.row}")
            cell.font = _LINK_FONT
        elif isinstance(value, Day):
            cell.value = value.value
            cell.number_format = DATE_FORMATS[value.precision]
        elif isinstance(value, bool):
            cell.value = "yes" if value else "no"
        elif isinstance(value, Decimal):
            exact = value.normalize()
            integral = exact == exact.to_integral_value()
            cell.value = int(exact) if integral else exact
            cell.number_format = INTEGER_FORMAT if integral else DECIMAL_FORMAT
        elif isinstance(value, int):
            cell.value = value
        elif value is not None:
            # Always a string cell: openpyxl would make "=..." a formula, and a leading
            # '+', '-', '@', tab or CR invites a spreadsheet to evaluate it on edit.
            cell.value = text_cell_value(value)
            cell.data_type = "s"
            if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                cell.quotePrefix = True
        if fill is not None:
            cell.fill = fill
        return cell

    def _header(self, ws: Any, headers: Iterable[str]) -> list[WriteOnlyCell]:
        cells = []
        for header in headers:
            cell = self._cell(ws, header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cells.append(cell)
        return cells

    # --- sheets ---------------------------------------------------------------------------
    def _add_table_sheet(self, sheet: Sheet) -> None:
        ws = self.book.create_sheet(sheet.name)
        ws.freeze_panes = sheet.freeze
        _print_setup(ws, repeat_header=True)
        for i, width in enumerate(column_widths(sheet), 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.append(self._header(ws, (c.header for c in sheet.columns)))
        fills = sheet.highlights or [None] * len(sheet.rows)
        for row, highlight in zip(sheet.rows, fills, strict=True):
            fill = HIGHLIGHTS[highlight] if highlight else None
            ws.append([self._cell(ws, v, fill) for v in row])
        if sheet.rows:  # a table needs at least one data row
            ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
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
        """Save, then rewrite the zip with a fixed time on every entry (zip stamps "now")."""
        from openpyxl.writer.excel import ExcelWriter

        raw = path.with_name(path.name + ".raw")
        try:
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
                # ExcelWriter directly: save_workbook() would overwrite properties.modified with now.
                ExcelWriter(self.book, archive).save()
            # A zip entry cannot be dated before 1980 (SOURCE_DATE_EPOCH=0 is a common setting).
            stamp = max(self.timestamp, datetime(1980, 1, 1)).timetuple()[:6]
            with zipfile.ZipFile(raw) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    entry = zipfile.ZipInfo(info.filename, date_time=stamp)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    entry.external_attr = 0o644 << 16
                    target.writestr(entry, source.read(info.filename))
        finally:
            raw.unlink(missing_ok=True)
