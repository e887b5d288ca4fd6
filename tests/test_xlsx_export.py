"""The workbook, read back by readers that did not write it: python-calamine, the zip's own XML
(read with zipfile and ElementTree), and LibreOffice headless."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from python_calamine import CalamineWorkbook

import ipcoop_data
from ipcoop_data import Dataset, Precision
from ipcoop_data.analysis.discrepancies import comparisons
from ipcoop_data.analysis.kinds import FAMILIES, kind_family
from ipcoop_data.checks import validate
from ipcoop_data.export import to_xlsx

from .conftest import MakeDataset

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
SHEETS = [
    "About",
    "Summary",
    "Events",
    "Observations",
    "Metrics",
    "Discrepancies",
    "Sources",
    "Organizations",
    "People",
    "Series",
    "Rulings",
    "Relations",
    "Findings",
]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return ipcoop_data.load()


@pytest.fixture(scope="module")
def workbook_path(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "ipcoop-data.xlsx"
    to_xlsx(dataset, path, validate(dataset))
    return path


@pytest.fixture(scope="module")
def book(workbook_path: Path) -> dict[str, list[list[Any]]]:
    wb = CalamineWorkbook.from_path(str(workbook_path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def rows_as_dicts(sheet: list[list[Any]]) -> list[dict[str, Any]]:
    header = sheet[0]
    return [dict(zip(header, row, strict=True)) for row in sheet[1:]]


class SheetXml:
    """One worksheet's XML with the workbook's styles: cell -> number format and fill, links, panes."""

    def __init__(self, path: Path, sheet_name: str) -> None:
        with zipfile.ZipFile(path) as z:
            workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            sheet = next(s for s in workbook.iter(f"{{{NS['m']}}}sheet") if s.get("name") == sheet_name)
            target = next(r.get("Target") for r in rels if r.get("Id") == sheet.get(REL))
            self.name = "xl/" + str(target).lstrip("/").removeprefix("xl/")
            self.root = ElementTree.fromstring(z.read(self.name))
            rels_name = self.name.replace("worksheets/", "worksheets/_rels/") + ".rels"
            self.rels = ElementTree.fromstring(z.read(rels_name)) if rels_name in z.namelist() else None
            styles = ElementTree.fromstring(z.read("xl/styles.xml"))
            self.tables = {n: ElementTree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("xl/tables/")}
        formats = {f.get("numFmtId"): f.get("formatCode") for f in styles.iter(f"{{{NS['m']}}}numFmt")}
        fills = list(styles.find("m:fills", NS) or [])
        self.xfs = []
        for xf in styles.find("m:cellXfs", NS) or []:
            fill = fills[int(xf.get("fillId", "0"))]
            fg = fill.find("m:patternFill/m:fgColor", NS)
            alignment = xf.find("m:alignment", NS)
            self.xfs.append(
                {
                    "format": formats.get(xf.get("numFmtId", "0"), xf.get("numFmtId")),
                    "fill": fg.get("rgb") if fg is not None else None,
                    "quote_prefix": xf.get("quotePrefix") in ("1", "true"),
                    "wrap": alignment is not None and alignment.get("wrapText") in ("1", "true"),
                }
            )
        self.cells = {c.get("r"): c for c in self.root.iter(f"{{{NS['m']}}}c")}
        self.heights = {int(r.get("r", "0")): float(r.get("ht", "0")) for r in self.root.iter(f"{{{NS['m']}}}row")}

    def widths(self) -> list[float]:
        """Each column's width, in column order."""
        out: list[float] = []
        for c in self.root.iter(f"{{{NS['m']}}}col"):
            out += [float(c.get("width", "0"))] * (int(c.get("max", "0")) - int(c.get("min", "0")) + 1)
        return out

    def style(self, ref: str) -> dict[str, Any]:
        return self.xfs[int(self.cells[ref].get("s", "0"))]

    def links(self) -> dict[str, str]:
        return {h.get("ref", ""): h.get("location", "") for h in self.root.iter(f"{{{NS['m']}}}hyperlink")}

    def formulas(self) -> list[str]:
        return [f.text or "" for f in self.root.iter(f"{{{NS['m']}}}f")]


def col(sheet: list[list[Any]], header: str) -> str:
    index = sheet[0].index(header)
    return re.sub(r"\d", "", _ref(index, 1))


def _ref(index: int, row: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


# --- sheets and values ------------------------------------------------------------------------


def test_every_sheet_is_there_in_order(book: dict[str, list[list[Any]]]) -> None:
    assert list(book) == SHEETS


def test_events_sheet_holds_every_event_with_typed_cells(dataset: Dataset, book: dict[str, list[list[Any]]]) -> None:
    rows = {r["id"]: r for r in rows_as_dicts(book["Events"])}
    assert len(rows) == len(dataset.events)
    for event in dataset.events:
        row = rows[event.id]
        assert row["title"] == event.title
        assert row["date (EDTF)"] == event.date.text
        assert row["precision"] == str(event.date.precision)
        # A real date cell, holding the first day the date admits; never text.
        assert isinstance(row["start"], date) and not isinstance(row["start"], datetime)
        assert row["start"] == event.date.lower
        if event.date.is_interval:
            assert row["end"] == event.date.upper
        assert row["ordinal"] == (event.ordinal if event.ordinal is not None else "")


def test_events_sheet_says_with_which_countries_each_event_is(
    dataset: Dataset, book: dict[str, list[list[Any]]]
) -> None:
    rows = {r["id"]: r for r in rows_as_dicts(book["Events"])}
    # "with whom", not "where": the IP5 meeting in Munich has no German party
    munich = rows["2017-03-ip5-deputy-heads-17"]
    assert (munich["country"], munich["countries"]) == ("Germany", "China")
    # CNIPA is the dialogue's only party; France is the record's own countries field
    assert rows["2022-china-france-high-level-economic-financial-dialogue"]["countries"] == "China; France"
    for event in dataset.events:
        codes = {org.country for p in event.parties if (org := dataset.organization(p.id)) and org.country}
        codes |= set(event.countries)
        names = rows[event.id]["countries"].split("; ") if rows[event.id]["countries"] else []
        assert len(names) == len(codes) and names == sorted(names), event.id  # each once, by name


def test_dates_are_formatted_to_their_precision(workbook_path: Path, book: dict[str, list[list[Any]]]) -> None:
    xml = SheetXml(workbook_path, "Events")
    start = col(book["Events"], "start")
    expected = {"year": "yyyy", "month": "mmm yyyy", "day": "yyyy-mm-dd"}
    seen = set()
    for i, row in enumerate(rows_as_dicts(book["Events"]), 2):
        if "/" in row["date (EDTF)"]:
            continue
        assert xml.style(f"{start}{i}")["format"] == expected[row["precision"]], row["id"]
        seen.add(row["precision"])
    assert seen == set(expected)


def test_figures_are_numbers_with_their_exact_value(dataset: Dataset, book: dict[str, list[list[Any]]]) -> None:
    rows = {r["id"]: r for r in rows_as_dicts(book["Observations"])}
    assert len(rows) == len(dataset.observations)
    for obs in dataset.observations:
        cell = rows[obs.id]["value"]
        assert isinstance(cell, int | float), obs.id
        assert cell == pytest.approx(float(obs.value), rel=1e-15), obs.id
        assert rows[obs.id]["as reported"] == obs.as_reported


def test_metrics_show_the_latest_or_ruled_value(book: dict[str, list[list[Any]]]) -> None:
    rows = {(r["metric"], r["subject"]): r for r in rows_as_dicts(book["Metrics"])}
    pph = rows[("bri-pph-partners", "")]
    # 17 (as of end 2023) and 18 (as of mid 2024) partners: the later figure is the headline.
    assert pph["value"] == 18 and pph["basis"] == "latest of 2 figures"
    assert pph["observation"].startswith("feature2024.")
    trainees = rows[("bri-trainees", "")]
    assert (trainees["value"], trainees["qualifier"], trainees["as reported"]) == (1300, "more than", "more than 1,300")


def test_discrepancies_are_listed_and_open_ones_highlighted(
    dataset: Dataset, workbook_path: Path, book: dict[str, list[list[Any]]]
) -> None:
    expected = comparisons(dataset)
    sheet = book["Discrepancies"]
    rows = rows_as_dicts(sheet)
    assert len(rows) == len(expected) > 0
    assert {(r["first"], r["second"]) for r in rows} == {(c.first.id, c.second.id) for c in expected}
    xml = SheetXml(workbook_path, "Discrepancies")
    outcome_col = col(sheet, "outcome")
    for i, row in enumerate(rows, 2):
        fill = xml.style(f"{outcome_col}{i}")["fill"]
        if row["status"] == "open":
            assert fill == "FFF4CCCC", row
        else:
            assert fill != "FFF4CCCC", row
    assert any(r["status"] == "open" and r["metric"] == "bri-pph-partners" for r in rows)


def _summary_table(sheet: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """The year table of the Summary sheet: its header (up to 'total') and its rows of years."""
    header = sheet[0][: sheet[0].index("total") + 1]
    rows = [row[: len(header)] for row in sheet[1:] if isinstance(row[0], int | float) and row[0] != ""]
    return header, rows


def test_summary_counts_every_event_once_by_family(dataset: Dataset, book: dict[str, list[list[Any]]]) -> None:
    header, table = _summary_table(book["Summary"])
    assert header[0] == "year" and header[-1] == "total"
    per_year = Counter(e.date.lower.year for e in dataset.events)
    assert {int(r[0]): int(r[-1]) for r in table if r[-1]} == dict(per_year)
    assert sum(int(r[-1]) for r in table) == len(dataset.events)
    families = Counter(kind_family(e.kind) for e in dataset.events)
    assert header[1:-1] == [f for f in FAMILIES if f in families]  # every family with events, in order
    for j, family in enumerate(header[1:-1], 1):
        assert sum(int(r[j]) for r in table) == families[family]
    for r in table:
        assert sum(int(v) for v in r[1:-1]) == int(r[-1])


def test_summary_says_the_counts_follow_the_sources(dataset: Dataset, book: dict[str, list[list[Any]]]) -> None:
    """The two towering years are the two annual reports' years, and a line of text says so."""
    _, table = _summary_table(book["Summary"])
    reports = [s for s in dataset.sources if s.kind == "annual_report"]
    covered = sorted(s.covers.lower.year for s in reports if s.covers)
    assert covered == [2017, 2022]
    tallest = sorted(int(r[0]) for r in sorted(table, key=lambda r: -int(r[-1]))[:2])
    assert tallest == covered
    text = [str(c) for row in book["Summary"] for c in row if isinstance(c, str) and "annual report" in c]
    said = [t for t in text if "follow what the sources cover" in t]
    assert any("2017 and 2022" in t and "two annual reports" in t for t in said), text


def test_summary_chart_stacks_at_most_six_families_in_distinct_colours(workbook_path: Path) -> None:
    with zipfile.ZipFile(workbook_path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = ElementTree.fromstring(z.read(charts[0]))
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    [bar] = list(chart.iter(f"{c}barChart"))
    assert bar.find(f"{c}grouping").get("val") == "stacked"  # type: ignore[union-attr]
    series = bar.findall(f"{c}ser")
    assert 3 <= len(series) <= 6
    colours = [s.find(f"{c}spPr/{a}solidFill/{a}srgbClr").get("val") for s in series]  # type: ignore[union-attr]
    assert len(set(colours)) == len(colours), colours
    names = [s.find(f"{c}tx/{c}strRef/{c}f").text for s in series]  # type: ignore[union-attr]
    assert names == [f"'Summary'!{chr(66 + i)}1" for i in range(len(series))]  # the table's family columns
    title = "".join(t.text or "" for t in chart.find(f".//{c}title").iter(f"{a}t"))  # type: ignore[union-attr]
    assert title.startswith("Events per year, by kind") and "2017 and 2022" in title


# --- links, tables, panes -----------------------------------------------------------------------


def test_citations_link_to_their_row_in_sources(workbook_path: Path, book: dict[str, list[list[Any]]]) -> None:
    source_rows = {row["id"]: i for i, row in enumerate(rows_as_dicts(book["Sources"]), 2)}
    for sheet_name in ("Events", "Observations"):
        sheet = book[sheet_name]
        xml = SheetXml(workbook_path, sheet_name)
        source_col = col(sheet, "source")
        links = xml.links()
        checked = 0
        for i, row in enumerate(rows_as_dicts(sheet), 2):
            ref = f"{source_col}{i}"
            assert links[ref] == f"'Sources'!A{source_rows[row['source']]}", (sheet_name, ref)
            checked += 1
        assert checked == len(sheet) - 1
        # Internal links only: a link with a relationship id would point outside the workbook.
        assert all(h.get(REL) is None for h in xml.root.iter(f"{{{NS['m']}}}hyperlink"))


def test_every_data_sheet_is_a_table_with_its_header_and_first_column_frozen(
    workbook_path: Path, book: dict[str, Any]
) -> None:
    tables = {}
    for name in SHEETS[2:]:
        xml = SheetXml(workbook_path, name)
        pane = xml.root.find(".//m:sheetView/m:pane", NS)
        assert pane is not None and pane.get("state") == "frozen", name
        assert (pane.get("xSplit"), pane.get("ySplit"), pane.get("topLeftCell")) == ("1", "1", "B2"), name
        tables.update(xml.tables)
        widths = [float(c.get("width", "0")) for c in xml.root.iter(f"{{{NS['m']}}}col")]
        assert len(widths) == len(book[name][0]) and all(6 <= w <= 60 for w in widths), name
    by_name = {t.get("displayName"): t for t in tables.values()}
    assert set(by_name) == set(SHEETS[2:])
    assert len({t.get("id") for t in tables.values()}) == len(tables)  # duplicate ids make Excel repair
    for name, table in by_name.items():
        sheet = book[name]
        last = _ref(len(sheet[0]) - 1, len(sheet))
        assert table.get("ref") == f"A1:{last}", name
        assert table.find("m:autoFilter", NS) is not None
        columns = [c.get("name") for c in table.iter(f"{{{NS['m']}}}tableColumn")]
        assert columns == sheet[0], name  # Excel repairs a table whose names differ from its header
        assert len(set(columns)) == len(columns), name  # or repeat one
        assert table.find("m:tableStyleInfo", NS).get("name")  # type: ignore[union-attr]


# --- layout: the first screen, fonts, wrapped text, print set-up ------------------------------------

#: LibreOffice Calc at 100 % draws a column of width w (as the file states it, in characters) about
#: 7.84 w pixels wide with Arial 10 as the default font (measured on a 1600x1000 Xvfb screen:
#: width 48 -> 376 px, 11 -> 86 px, 44 -> 345 px).
PX_PER_WIDTH = 7.84
#: Of a 1600-pixel-wide screen, the cells get about 1500: Calc's row numbers take 36 pixels and its
#: scroll bar and sidebar about 60.
SCREEN_PX = 1500
#: What each sheet's first screen answers: these columns must all be in view when it opens.
FIRST_SCREEN = {
    "Events": ["title", "start", "end", "kind", "city", "country", "parties"],
    "Observations": ["label", "as reported", "value", "when (EDTF)", "source"],
    "Discrepancies": [
        "label",
        "first as reported",
        "second as reported",
        "first when",
        "second when",
        "first source",
        "second source",
        "outcome",
    ],
}
IDS = {"id", "metric", "first", "second", "observation", "person"}


def test_the_first_screen_answers_each_sheets_question(workbook_path: Path, book: dict[str, Any]) -> None:
    for name, needed in FIRST_SCREEN.items():
        header = book[name][0]
        widths = SheetXml(workbook_path, name).widths()
        last = max(header.index(h) for h in needed)
        shown = sum(widths[: last + 1]) * PX_PER_WIDTH
        assert shown <= SCREEN_PX, (name, shown, header[: last + 1])
        assert not IDS & set(header[: last + 1]), name  # ids come after what answers the question
    # The frozen first column says what a row is about.
    assert [book[n][0][0] for n in FIRST_SCREEN] == ["title", "label", "label"]
    discrepancies = book["Discrepancies"][0]
    assert discrepancies.index("second as reported") == discrepancies.index("first as reported") + 1


def test_one_font_everywhere(workbook_path: Path) -> None:
    with zipfile.ZipFile(workbook_path) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        charts = [ElementTree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("xl/charts/")]
    fonts = styles.findall("m:fonts/m:font", NS)
    names = [name.get("val") if (name := f.find("m:name", NS)) is not None else None for f in fonts]
    assert names and set(names) == {"Arial"}, names  # a font without a name falls back (to a serif, in Calc)
    # No theme font ("scheme"): Excel would draw a theme font in the theme's face, not the name's.
    assert not [f for f in fonts if f.find("m:scheme", NS) is not None]
    # The default format (xf 0) and the Normal style use it, aligned to the top like every format.
    for group in ("m:cellXfs", "m:cellStyleXfs"):
        xfs = styles.findall(f"{group}/m:xf", NS)
        assert xfs[0].get("fontId") == "0", group
        assert {xf.find("m:alignment", NS).get("vertical") for xf in xfs} == {"top"}, group  # type: ignore[union-attr]
    typefaces = {t.get("typeface") for chart in charts for t in chart.iter(f"{{{DRAWING}}}latin")}
    assert typefaces == {"Arial"}


def test_quotes_and_long_text_wrap_at_a_readable_width(workbook_path: Path, book: dict[str, Any]) -> None:
    checked = 0
    for name in ("Events", "Observations", "People", "Rulings"):
        sheet = book[name]
        xml = SheetXml(workbook_path, name)
        widths = xml.widths()
        for header in ("quote", "title", "label", "parties"):
            if header not in sheet[0]:
                continue
            j = sheet[0].index(header)
            assert widths[j] <= 60, (name, header)
            for i, row in enumerate(sheet[1:], 2):
                if not row[j]:
                    continue
                assert xml.style(_ref(j, i))["wrap"], (name, header, i)
                if header == "quote" and len(row[j]) > 2 * widths[j]:
                    # Three lines at least: the row is made taller to show them (Arial 10: 12.75 pt a line).
                    assert xml.heights.get(i, 0) >= 3 * 12.75, (name, i)
                checked += 1
    assert checked > 500


def _defined_names(path: Path) -> dict[tuple[str, str], str]:
    """(sheet name, defined name) -> reference, for the workbook's sheet-scoped names."""
    with zipfile.ZipFile(path) as z:
        workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
    sheets = [s.get("name", "") for s in workbook.iter(f"{{{NS['m']}}}sheet")]
    return {
        (sheets[int(d.get("localSheetId", "0"))], d.get("name", "")): d.text or ""
        for d in workbook.iter(f"{{{NS['m']}}}definedName")
        if d.get("localSheetId") is not None
    }


def test_every_sheet_prints_landscape_fitted_to_the_width(workbook_path: Path, book: dict[str, Any]) -> None:
    names = _defined_names(workbook_path)
    for name in SHEETS:
        root = SheetXml(workbook_path, name).root
        setup = root.find("m:pageSetup", NS)
        assert setup is not None, name
        assert (setup.get("orientation"), setup.get("paperSize")) == ("landscape", "9"), name  # A4
        assert (setup.get("fitToWidth"), setup.get("fitToHeight")) == ("1", "0"), name
        fit = root.find("m:sheetPr/m:pageSetUpPr", NS)
        assert fit is not None and fit.get("fitToPage") == "1", name
        margins = root.find("m:pageMargins", NS)
        assert margins is not None and all(0.2 <= float(margins.get(k, "0")) <= 1 for k in ("left", "top")), name
        footer = root.find("m:headerFooter/m:oddFooter", NS)
        assert footer is not None and "&P of &N" in (footer.text or ""), name
        if name in SHEETS[2:]:
            assert names[(name, "_xlnm.Print_Titles")] == f"'{name}'!$1:$1"  # the header on every page
    # A wide sheet prints the columns of its first screen, every row, and says so in the footer.
    for name, needed in FIRST_SCREEN.items():
        area = names[(name, "_xlnm.Print_Area")]
        match = re.fullmatch(rf"'{name}'!\$A\$1:\$([A-Z]+)\$(\d+)", area)
        assert match, area
        header = book[name][0]
        printed = header[: header.index(col_header(header, match.group(1))) + 1]
        assert set(needed) <= set(printed) and len(printed) < len(header), name
        assert int(match.group(2)) == len(book[name]), name
        footer = SheetXml(workbook_path, name).root.find("m:headerFooter/m:oddFooter", NS)
        assert f"the first {len(printed)} of {len(header)} columns" in (footer.text or ""), name  # type: ignore[union-attr]


def col_header(header: list[Any], letters: str) -> Any:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return header[index - 1]


# --- safety and determinism ---------------------------------------------------------------------

# A value starting with CR is refused when the file is read (tests/test_hostile_input.py), so it
# never reaches the workbook.
HOSTILE = ['=HYPERLINK("http://example.com/x","click")', "+1+2", "-3", "@SUM(A1)", "\tx"]


def test_text_that_looks_like_a_formula_stays_text(make_dataset: MakeDataset, tmp_path: Path) -> None:
    # Titles are stripped of white space, so a leading tab is tried in a note.
    events = "".join(
        f"""
        - id: e{i}
          title: event {i}
          kind: meeting
          date: "2017-05"
          note: {json.dumps(text)}
          citations: [{{source: report-2017, quote: "In May"}}]
        """
        for i, text in enumerate(HOSTILE)
    )
    dataset = ipcoop_data.load(make_dataset({"events/2017.yaml": events}))
    assert sorted(e.note or "" for e in dataset.events) == sorted(HOSTILE)
    path = tmp_path / "hostile.xlsx"
    to_xlsx(dataset, path)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Events").to_python()
    notes = {r["id"]: r["note"] for r in rows_as_dicts(sheet)}
    assert {k: v.replace("\r", "").replace("\n", "") for k, v in notes.items()} == {
        e.id: (e.note or "").replace("\n", "") for e in dataset.events
    }
    xml = SheetXml(path, "Events")
    assert xml.formulas() == []
    note_col = col(sheet, "note")
    for i in range(2, len(HOSTILE) + 2):
        ref = f"{note_col}{i}"
        assert xml.cells[ref].get("t") in ("s", "inlineStr"), ref  # a string, never t="str" (formula result)
        assert xml.style(ref)["quote_prefix"], ref  # and Excel keeps it text when the cell is edited


def test_two_exports_are_byte_identical(dataset: Dataset, tmp_path: Path) -> None:
    to_xlsx(dataset, tmp_path / "a.xlsx", validate(dataset))
    again = ipcoop_data.load()
    to_xlsx(again, tmp_path / "b.xlsx", validate(again))
    a, b = (tmp_path / "a.xlsx").read_bytes(), (tmp_path / "b.xlsx").read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 9, 30, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2024-09-30T00:00:00Z" in core and "ipcoop-data" in core


def test_a_failed_export_leaves_the_previous_file(dataset: Dataset, tmp_path: Path, monkeypatch: Any) -> None:
    target = tmp_path / "d.xlsx"
    target.write_bytes(b"previous")

    def boom(self: Any, ws: Any, value: Any, fill: Any = None) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("ipcoop_data.export.workbook.WorkbookWriter._cell", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        to_xlsx(dataset, target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["d.xlsx"]


def test_precision_formats_cover_every_precision() -> None:
    from ipcoop_data.export.workbook import DATE_FORMATS

    assert set(DATE_FORMATS) == set(Precision)


# --- LibreOffice ----------------------------------------------------------------------------------


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def converted(workbook_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workbook converted by LibreOffice headless to .ods and .pdf, in the directory returned."""
    soffice = _soffice()
    if soffice is None:
        if os.environ.get("IPCOOP_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc); CI requires it")
    out = tmp_path_factory.mktemp("libreoffice")
    profile = out / "profile"
    for target in ("ods", "pdf"):
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(workbook_path),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
def test_libreoffice_opens_the_workbook_and_reads_every_sheet(
    converted: Path, book: dict[str, list[list[Any]]]
) -> None:
    ods = converted / "ipcoop-data.ods"
    assert ods.stat().st_size > 0 and (converted / "ipcoop-data.pdf").stat().st_size > 0
    # What LibreOffice understood, saved in its own format, read back: every sheet and value survives.
    reread = CalamineWorkbook.from_path(str(ods))
    assert reread.sheet_names == SHEETS
    for name in ("Events", "Observations", "Sources", "Discrepancies"):
        theirs = reread.get_sheet_by_name(name).to_python()
        ours = book[name]
        assert len(theirs) == len(ours), name
        assert theirs[0] == ours[0], name
        for mine, libre in zip(ours[1:], theirs[1:], strict=True):
            assert [str(v) for v in libre[: len(mine)]] == [str(v) for v in mine], (name, mine[0])


@pytest.mark.slow
def test_printed_by_libreoffice_the_workbook_takes_a_page_per_dozen_rows_or_less(
    converted: Path, book: dict[str, list[list[Any]]]
) -> None:
    """Printed (here: saved as PDF), each sheet is one page wide on landscape A4.

    Before the print set-up, Calc printed one column a page: 300 pages. A page holds about 16
    rows of a sheet on average (measured: 57 pages for the bundled data's 848 rows, the tallest
    rows six lines of a quote); the bound allows a dozen rows a page, and one page more a sheet.
    """
    pdf = (converted / "ipcoop-data.pdf").read_bytes()
    # LibreOffice writes each page as an uncompressed dictionary "/Type/Page" (the tree is "/Pages").
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    boxes = {tuple(round(float(v)) for v in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    assert boxes == {(0, 0, 842, 595)}  # A4, landscape
    rows = sum(len(sheet) - 1 for name, sheet in book.items() if name not in ("About", "Summary"))
    assert 0 < pages <= rows / 12 + len(SHEETS), (pages, rows)
