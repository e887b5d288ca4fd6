"""Coverage of the source texts by the quotes: the splitter, the cues, the overlap rule, the
exclusions, the shares, the command, and the same on the real bundled texts."""

from __future__ import annotations

import difflib
import hashlib
import json
import textwrap
from pathlib import Path

import pytest

import ipcoop_data
from ipcoop_data.analysis.coverage import Coverage, covers, cues, measure, split_units
from ipcoop_data.analysis.printed import normalize_quote
from ipcoop_data.checks import validate
from ipcoop_data.cli import main

from .conftest import TEXTS, MakeDataset

# --- the splitter -------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return [u.text for u in split_units(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # titles, initials, decimals and thousands do not end a sentence
        (
            "In February, Mr. Daren Tang paid a visit. China deposited it.",
            ["In February, Mr. Daren Tang paid a visit.", "China deposited it."],
        ),
        (
            "It reached 45.909 million, up 1,200 in 2023. Exports grew by 17.7%.",
            ["It reached 45.909 million, up 1,200 in 2023.", "Exports grew by 17.7%."],
        ),
        (
            "SIPO joined the China-U.S. dialogue. The U.S. Patent Office and the P.R.C. office met, e.g. in May.",
            ["SIPO joined the China-U.S. dialogue.", "The U.S. Patent Office and the P.R.C. office met, e.g. in May."],
        ),
        # "No." and month abbreviations hold only before a number
        ("It held meeting No. 5 in Geneva. Then it closed.", ["It held meeting No. 5 in Geneva.", "Then it closed."]),
        ("They said no. Nobody came.", ["They said no.", "Nobody came."]),
        (
            "On Jan. 20 this year, the law took effect. It helps.",
            ["On Jan. 20 this year, the law took effect.", "It helps."],
        ),
        # "etc." ends a sentence before a capital, not before a comma
        (
            "Poland, Denmark, etc., in China. It met Korea, etc. It upgraded ties.",
            ["Poland, Denmark, etc., in China.", "It met Korea, etc.", "It upgraded ties."],
        ),
        # questions, exclamations, closing quotes, a sentence that opens with a figure
        (
            'What progress? Great! The series "Promoting Development." Today, we',
            [
                "What progress?",
                "Great!",
                'The series "Promoting Development."',
                "Today, we",
            ],
        ),
        (
            "It was adopted in 2017. 15 revision proposals followed.",
            ["It was adopted in 2017.", "15 revision proposals followed."],
        ),
        # a section number is not a sentence of its own
        ("VII. International Cooperation", ["VII. International Cooperation"]),
        ("1. Scope. It covers IP.", ["1. Scope.", "It covers IP."]),
        # an ellipsis inside a quotation, then a lower-case word: no end
        (
            "It included “...enhanced joint efforts” in the text.",
            ["It included “...enhanced joint efforts” in the text."],
        ),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_captions_stand_alone_and_page_breaks_are_mended() -> None:
    text = textwrap.dedent("""\
        04

        4.2 BRICS cooperation

        In September, CNIPA hosted the 14th Meeting. An upgraded Framework for IP

        was adopted, and the goals were included.



        The 14th BRICS Heads of Intellectual Property Offices Meeting in September

        The centralized examination of

        The Training Seminar was held in Tianjin city.

        applications with patent family filings were launched.
        """)
    units = split_units(text)
    assert [(u.line, u.kind, u.shown) for u in units] == [
        (1, "caption", "04"),
        (3, "caption", "4.2 BRICS cooperation"),
        (5, "sentence", "In September, CNIPA hosted the 14th Meeting."),
        # broken by a page: the lower-case line continues the sentence above it
        (5, "sentence", "An upgraded Framework for IP was adopted, and the goals were included."),
        (11, "caption", "The 14th BRICS Heads of Intellectual Property Offices Meeting in September"),
        (13, "caption", "The centralized examination of"),
        # a caption between the two halves: each half stays where it is (no guessing across it)
        (15, "sentence", "The Training Seminar was held in Tianjin city."),
        (17, "sentence", "applications with patent family filings were launched."),
    ]
    for unit in units:
        assert text[unit.offset : unit.end] == unit.text
        assert text.count("\n", 0, unit.offset) + 1 == unit.line


def test_crlf_lines_and_offsets() -> None:
    text = "A first sentence. A second one.\r\n\r\nA caption\r\n"
    units = split_units(text)
    assert [(u.line, u.offset, u.text) for u in units] == [
        (1, 0, "A first sentence."),
        (1, 18, "A second one."),
        (3, 35, "A caption"),
    ]


@pytest.mark.parametrize("path", sorted(TEXTS.glob("*.txt")), ids=lambda p: p.name)
def test_units_of_the_real_texts_tile_every_word_in_order(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    units = split_units(text)
    assert len(units) > 20
    end = 0
    for unit in units:
        assert text[unit.offset : unit.end] == unit.text and unit.text == unit.text.strip()
        assert not text[end : unit.offset].strip(), "a word between two units belongs to neither"
        assert text.count("\n", 0, unit.offset) + 1 == unit.line
        end = unit.end
    assert not text[end:].strip()


def test_the_real_texts_split_where_a_reader_would() -> None:
    def units_of(name: str) -> list[str]:
        return [u.shown for u in split_units((TEXTS / name).read_text(encoding="utf-8"))]

    report_2022 = units_of("000_0f434306fdee9993.txt")
    daren_tang = next(u for u in report_2022 if "Daren Tang, Director General" in u)
    assert daren_tang.startswith("In February, Mr. Daren Tang") and daren_tang.endswith("Beijing 2022.")
    assert "- 1 Contribution to China's Foreign Affairs" in report_2022  # a line of the contents
    mended = next(u for u in report_2022 if "such as artificial" in u)
    assert "such as artificial intelligence and big data" in mended  # across a page break
    report_2017 = units_of("001_541aefc08e5fc8ba.txt")
    assert any(
        u.startswith("SIPO continued its deep involvement in the China-U.S. inter-governmental") for u in report_2017
    )
    assert "VII. International Cooperation" in report_2017
    transcript = units_of("004_9a7392150486088c.txt")
    assert any(u.startswith("On Jan. 20 this year, the newly revised") for u in transcript)
    assert {"Ladies and gentlemen, good morning.", "Thank you.", "Shen Changyu:"} <= set(transcript)


# --- cues -----------------------------------------------------------------------------------------


def cue_texts(text: str, kind: str = "sentence") -> list[tuple[str, str]]:
    return [(c.kind, c.text) for c in cues(text, kind)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("In May, the office met.", "sentence", [("date", "May")]),
        ("Since May 2022, it ran.", "sentence", [("date", "May"), ("date", "2022")]),
        ("May I ask a question?", "sentence", []),
        (
            "It may grow. It was held on 5th May, and in mid-May.",
            "sentence",
            [("date", "5th May"), ("date", "mid-May")],
        ),
        ("from Sept 11 to 13", "sentence", [("date", "Sept"), ("figure", "11"), ("figure", "13")]),
        ("On Jan. 20 it began.", "sentence", [("date", "Jan."), ("figure", "20")]),
        (
            "As of this June, 4.425 million, 72.8%, 1,300 people.",
            "sentence",
            [
                ("date", "June"),
                ("figure", "4.425"),
                ("figure", "72.8"),
                ("figure", "1,300"),
            ],
        ),
        ("the 14th BRICS meeting and the 63rd Series", "sentence", [("figure", "14th"), ("figure", "63rd")]),
        ("IP5, ID5 and TM5, the G20, COVID-19 vaccines, Article 6ter", "sentence", []),
        ("wco_news_2021_news0006_845", "caption", []),
        ("three experts and the first proposal", "sentence", []),  # number words are not counted
        # a heading's section number is not a figure; a sentence's leading number is
        ("2.1 Participation in global IP governance", "caption", []),
        ("01", "caption", []),
        ("- 4 Plurilateral Cooperation", "caption", []),
        ("(3) China-ASEAN IP Cooperation", "caption", []),
        (
            "15 revision proposals became WIPO's revision items, of which 8 were adopted.",
            "sentence",
            [
                ("figure", "15"),
                ("figure", "8"),
            ],
        ),
        ("2022 Joint Statement", "caption", [("date", "2022")]),
        ("• In 2020, it grew.", "sentence", [("date", "2020")]),
    ],
)
def test_cues(text: str, kind: str, expected: list[tuple[str, str]]) -> None:
    assert cue_texts(text, kind) == expected


# --- the overlap rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "unit_cues", "expected"),
    [
        ((120, 150), [], True),  # the quote inside the unit
        ((90, 260), [], True),  # the unit inside the quote
        ((140, 260), [], True),  # overlapping by half the unit (100..200)
        ((180, 260), [(185, 189)], True),  # overlapping by a fifth, but holding one of its dates
        ((180, 260), [(110, 114)], False),  # a fifth, and its date is elsewhere
        ((180, 260), [(195, 205)], False),  # a date cut in two is not held
        ((200, 260), [(110, 114)], False),  # touching is not overlapping
        ((10, 100), [], False),
    ],
)
def test_covers(quote: tuple[int, int], unit_cues: list[tuple[int, int]], expected: bool) -> None:
    assert covers((100, 200), quote, unit_cues) is expected


# --- measuring a small dataset --------------------------------------------------------------------

TEXT = """\
Annual report 2017

In 2017, the office signed 52 new agreements. It worked hard. In May, it held the 3rd Heads Meeting
in Geneva, with more than 1,300 participants.

The 3rd Heads Meeting in May

Related: Annual report 2016, published on 1 March 2017
"""


def small_dataset(make_dataset: MakeDataset, quotes: list[str], exclusions: str = "") -> Path:
    sources = f"""\
        - id: report-2017
          title: A 2017 report
          kind: annual_report
          published: "2018"
          text: report.txt
          text_sha256: {hashlib.sha256(TEXT.encode()).hexdigest()}
        """
    events = "".join(
        textwrap.dedent(f"""\
        - id: 2017-e{n}
          title: Event {n}
          kind: meeting
          date: "2017"
          citations:
            - source: report-2017
              quote: {json.dumps(quote)}
        """)
        for n, quote in enumerate(quotes)
    )
    files = {"sources.yaml": sources, "texts/report.txt": TEXT, "events/2017.yaml": events}
    if exclusions:
        files["coverage.yaml"] = exclusions
    return make_dataset(files)


def measured(root: Path) -> tuple[Coverage, list[tuple[str, str, str | None]]]:
    report = validate(ipcoop_data.load(root))
    assert report.coverage is not None
    return report.coverage, [(f.code, f.severity, f.record_id) for f in report.findings if f.record_type == "exclusion"]


def test_counted_covered_and_the_share(make_dataset: MakeDataset) -> None:
    # The second quote runs across two sentences: each lies partly in it.
    coverage, findings = measured(
        small_dataset(make_dataset, ["the office signed 52 new agreements", "It worked hard. In May, it held"])
    )
    [source] = coverage.sources
    counted = {m.unit.shown: m for m in source.counted}
    assert list(counted) == [
        "Annual report 2017",
        "In 2017, the office signed 52 new agreements.",
        "In May, it held the 3rd Heads Meeting in Geneva, with more than 1,300 participants.",
        "The 3rd Heads Meeting in May",
        "Related: Annual report 2016, published on 1 March 2017",
    ]
    assert "It worked hard." not in counted and len(source.units) == 6  # no date, no figure
    assert [m.unit.shown for m in source.covered] == [
        "In 2017, the office signed 52 new agreements.",
        # the quote takes in "In May" but a fifth of the sentence: its date is what it carries
        "In May, it held the 3rd Heads Meeting in Geneva, with more than 1,300 participants.",
    ]
    assert source.covered[0].covered_by == ("event", "2017-e0")
    assert len(source.uncovered) == 3 and source.share == pytest.approx(2 / 5)
    assert coverage.share == pytest.approx(2 / 5) and not findings


def test_a_quote_covers_every_place_it_occurs(make_dataset: MakeDataset) -> None:
    coverage, _ = measured(small_dataset(make_dataset, ["3rd Heads Meeting"]))
    covered = [m.unit.line for m in coverage.sources[0].covered]
    assert covered == [3, 6]  # the paragraph and the caption that repeats it


def test_exclusions_found_not_found_and_stale(make_dataset: MakeDataset) -> None:
    exclusions = """\
        - id: report.related
          source: report-2017
          text: "Related: Annual report 2016, published on 1 March 2017"
          reason: a link to another report
        - id: report.title
          source: report-2017
          text: "Annual report 2017"
          reason: the title
        - id: report.missing
          source: report-2017
          text: "Annual report 2015"
          reason: not in the text
        - id: report.covered
          source: report-2017
          text: "In 2017, the office signed"
          reason: covered by a quote since
        - id: report.no-figure
          source: report-2017
          text: "It worked hard."
          reason: nothing to count
        - id: report.elsewhere
          source: no-such-source
          text: "Annual report 2017"
          reason: a source that does not exist
        """
    root = small_dataset(make_dataset, ["the office signed 52 new agreements"], exclusions)
    coverage, findings = measured(root)
    [source] = coverage.sources
    assert {m.unit.shown: m.excluded_by for m in source.excluded} == {
        "Annual report 2017": "report.title",
        "Related: Annual report 2016, published on 1 March 2017": "report.related",
    }
    assert [m.unit.line for m in source.uncovered] == [3, 6]
    assert source.share == pytest.approx(1 / 3)  # 1 covered of 5 counted, less 2 excluded
    # a covered unit is covered, not excluded: the exclusion is stale, and the share stays <= 1
    assert "In 2017, the office signed 52 new agreements." in [m.unit.shown for m in source.covered]
    assert sorted(findings) == [
        ("coverage-exclusion-not-found", "error", "report.missing"),
        ("coverage-exclusion-stale", "warning", "report.covered"),
        ("coverage-exclusion-stale", "warning", "report.no-figure"),
        ("dangling-reference", "error", "report.elsewhere"),
    ]
    report = validate(ipcoop_data.load(root))
    stale = next(f for f in report.findings if f.record_id == "report.covered")
    assert stale.file == "coverage.yaml" and stale.line == 13 and "event 2017-e0" in stale.message
    missing = next(f for f in report.findings if f.record_id == "report.missing")
    assert missing.line == 11 and "'Annual report 2015'" in missing.message


@pytest.mark.parametrize(
    ("record", "code", "line", "words"),
    [
        ("  reason: a link\n  reasn: misspelt\n", "unknown-field", 5, "did you mean 'reason'?"),
        ("  reason: !!python/object:os.system echo\n", "yaml-unsafe-tag", 4, "python/object:os.system"),
        ("  reason: a reason\n  reason: twice\n", "yaml-duplicate-key", 5, "reason"),
        ("  reason: ''\n", "invalid-value", 4, "reason"),
    ],
)
def test_exclusions_are_read_safely(make_dataset: MakeDataset, record: str, code: str, line: int, words: str) -> None:
    exclusion = '- id: report.x\n  source: report-2017\n  text: "Annual report 2017"\n' + record
    report = validate(ipcoop_data.read_dataset(small_dataset(make_dataset, [], exclusion)))
    [finding] = [f for f in report.findings if f.severity == "error"]
    assert (finding.code, finding.file, finding.line) == (code, "coverage.yaml", line) and words in finding.message


def test_a_source_without_a_readable_text_is_unmeasured(make_dataset: MakeDataset) -> None:
    root = small_dataset(make_dataset, [])
    (root / "texts" / "report.txt").unlink()
    report = validate(ipcoop_data.load(root))
    assert report.coverage is None  # nothing to measure: no text could be read
    dataset = ipcoop_data.load(root)
    coverage = measure(dataset, {})
    assert coverage.sources == [] and coverage.unmeasured == [("report-2017", "its text report.txt could not be read")]
    assert coverage.share is None


def test_the_coverage_family_alone_reads_the_texts(make_dataset: MakeDataset) -> None:
    root = small_dataset(make_dataset, ["the office signed 52 new agreements"])
    report = validate(ipcoop_data.load(root), families=["coverage"])
    assert report.coverage is not None and len(report.coverage.sources[0].covered) == 1
    assert not report.findings  # what the texts are is provenance's to report, not repeated here


# --- the command ----------------------------------------------------------------------------------


def test_command_json_positions_point_into_the_text(
    make_dataset: MakeDataset, capsys: pytest.CaptureFixture[str]
) -> None:
    root = small_dataset(make_dataset, ["the office signed 52 new agreements"])
    assert main(["coverage", "--dataset", str(root), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [source] = doc["sources"]
    assert (source["covered"], source["counted"], source["excluded"], source["uncovered"]) == (1, 5, 0, 4)
    assert source["covered_percent"] == 20.0 and doc["total"]["covered_percent"] == 20.0
    lines = TEXT.split("\n")
    for unit in source["uncovered_units"]:
        assert " ".join(TEXT[unit["offset"] : unit["end"]].split()) == unit["text"]
        assert unit["text"][:30] in lines[unit["line"] - 1]
        assert unit["cues"]
    assert [u["line"] for u in source["uncovered_units"]] == [1, 3, 6, 8]


def test_command_text_is_shortened_to_its_width(make_dataset: MakeDataset, capsys: pytest.CaptureFixture[str]) -> None:
    root = small_dataset(make_dataset, [])
    assert main(["coverage", "--dataset", str(root), "--width", "60"]) == 0
    out = capsys.readouterr().out
    listed = [line for line in out.splitlines() if line.startswith("      3  ")]
    # line 3 starts at offset 20 (after "Annual report 2017" and a blank line); the third sentence at 82
    assert listed == [
        "      3      20  In 2017, the office signed 52…  [2017, 52]",
        "      3      82  In May, it held the…  [May, 3rd, 1,300]",
    ]
    assert all(len(line) <= 60 for line in listed)
    assert main(["coverage", "--dataset", str(root), "--width", "0"]) == 0
    assert "In May, it held the 3rd Heads Meeting in Geneva, with more than 1,300 participants.  [" in (
        capsys.readouterr().out
    )


def test_fail_under_and_bad_usage(make_dataset: MakeDataset, capsys: pytest.CaptureFixture[str]) -> None:
    root = small_dataset(make_dataset, ["the office signed 52 new agreements"])  # 20.0%
    assert main(["coverage", "--dataset", str(root), "--fail-under", "20"]) == 0
    assert main(["coverage", "--dataset", str(root), "--fail-under", "20.1"]) == 1
    assert "coverage 20.0% is under --fail-under 20.1%" in capsys.readouterr().err
    assert main(["coverage", "--dataset", str(root), "--source", "report-2016"]) == 2
    assert "no source 'report-2016'" in capsys.readouterr().err
    assert main(["coverage", "--dataset", str(root), "--source", "report-2017", "--format", "json"]) == 0
    assert [s["source"] for s in json.loads(capsys.readouterr().out)["sources"]] == ["report-2017"]
    for bad in (["--fail-under", "101"], ["--fail-under", "x"], ["--width", "10"]):
        with pytest.raises(SystemExit) as exited:
            main(["coverage", "--dataset", str(root), *bad])
        assert exited.value.code == 2


def test_fail_under_refuses_an_incomplete_dataset(
    make_dataset: MakeDataset, capsys: pytest.CaptureFixture[str]
) -> None:
    root = small_dataset(make_dataset, ["the office signed 52 new agreements"])
    (root / "events" / "2018.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    assert main(["coverage", "--dataset", str(root)]) == 0
    assert main(["coverage", "--dataset", str(root), "--fail-under", "1"]) == 2
    assert "coverage may be understated" in capsys.readouterr().err


# --- the real bundled dataset ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> tuple[ipcoop_data.Dataset, Coverage]:
    dataset = ipcoop_data.load()
    report = validate(dataset)
    assert report.coverage is not None
    assert not [f for f in report.findings if f.record_type == "exclusion"], "every exclusion found and not stale"
    return dataset, report.coverage


def _quotes(dataset: ipcoop_data.Dataset, source: str) -> dict[str, list[str]]:
    """Normalized quote -> ids of the records citing it, gathered here apart from the analysis."""
    found: dict[str, list[str]] = {}
    for _type, record, _path, citation in dataset.citations():
        if citation.source == source:
            found.setdefault(normalize_quote(citation.quote), []).append(str(getattr(record, "id", "")))
    return found


def test_every_source_of_the_bundled_dataset_is_measured(bundled: tuple[ipcoop_data.Dataset, Coverage]) -> None:
    dataset, coverage = bundled
    assert [s.source for s in coverage.sources] == [s.id for s in dataset.sources] and not coverage.unmeasured
    for s in coverage.sources:
        assert len(s.counted) >= 15 and s.share is not None and 0 < s.share <= 1
        assert len(s.covered) + len(s.excluded) + len(s.uncovered) == len(s.counted)


def test_no_bundled_quote_lies_in_an_uncovered_unit(bundled: tuple[ipcoop_data.Dataset, Coverage]) -> None:
    dataset, coverage = bundled
    for s in coverage.sources:
        quotes = _quotes(dataset, s.source)
        for m in s.uncovered:
            unit = normalize_quote(m.unit.text)
            assert m.cues
            assert not [q for q in quotes if q in unit or unit in q], (s.source, m.unit.line)


def _shares(unit: str, quote: str, unit_cues: list[str]) -> bool:
    """Whether ``quote`` holds the unit, lies in it, or has in common with it half of it or one of
    its dates or figures (the longest common run of characters, found by difflib)."""
    if quote in unit or unit in quote:
        return True
    match = difflib.SequenceMatcher(None, unit, quote, autojunk=False).find_longest_match()
    common = unit[match.a : match.a + match.size]
    return match.size * 2 >= len(unit) or any(cue in common for cue in unit_cues)


def test_each_covered_bundled_unit_shares_words_with_its_record(bundled: tuple[ipcoop_data.Dataset, Coverage]) -> None:
    dataset, coverage = bundled
    for s in coverage.sources:
        quotes = _quotes(dataset, s.source)
        for m in s.covered:
            assert m.covered_by is not None
            unit = normalize_quote(m.unit.text)
            mine = [q for q, ids in quotes.items() if m.covered_by[1] in ids]
            assert any(_shares(unit, q, [c.text for c in m.cues]) for q in mine), (s.source, m.unit.line)


def test_the_bundled_exclusions_leave_out_navigation(bundled: tuple[ipcoop_data.Dataset, Coverage]) -> None:
    dataset, coverage = bundled
    excluded = {m.excluded_by: (s.source, m.unit) for s in coverage.sources for m in s.excluded}
    assert set(excluded) == {e.id for e in dataset.exclusions}
    for exclusion in dataset.exclusions:
        source, unit = excluded[exclusion.id]
        assert source == exclusion.source and normalize_quote(exclusion.text) in normalize_quote(unit.text)


def test_validate_json_has_the_counts_that_coverage_lists(capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate", "--format", "json"])
    summary = json.loads(capsys.readouterr().out)["coverage"]
    assert main(["coverage", "--format", "json"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert summary["total"] == full["total"] and summary["unmeasured"] == full["unmeasured"] == []
    for brief, whole in zip(summary["sources"], full["sources"], strict=True):
        assert brief == {k: v for k, v in whole.items() if not k.endswith("_units")}
        assert len(whole["uncovered_units"]) == whole["uncovered"]
    total = full["total"]
    assert total["counted"] == sum(s["counted"] for s in full["sources"])
    assert total["covered_percent"] <= 100 * total["covered"] / (total["counted"] - total["excluded"])


def test_the_text_report_of_the_bundled_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage"]) == 0
    out = capsys.readouterr().out
    assert all(len(line) <= 100 for line in out.splitlines()[3:] if line.startswith("  ")), "units fit the width"
    for source in ipcoop_data.load().sources:
        assert f"\n{source.id} ({source.text}): " in out
    assert out.splitlines()[-2].startswith("coverage ") and "excluded in coverage.yaml: 16" in out
    # Every dated or numbered sentence of the five texts is covered by a quote or excluded with a reason.
    assert "coverage 100.0%: 226 of 226 dated or numbered units covered (16 excluded)" in out
    assert out.count("every dated or numbered unit is covered") == len(ipcoop_data.load().sources)


def test_shares_are_shown_rounded_down_and_units_shortened_at_a_word() -> None:
    from ipcoop_data.report.coverage import percent, shorten

    assert [percent(s) for s in (2 / 3, 0.79999, 0.8, 1.0, 0.0, None)] == [66.6, 79.9, 80.0, 100.0, 0.0, None]
    assert shorten("In May, the office\n held   the meeting.", 0) == "In May, the office held the meeting."
    assert shorten("In May, the office held the meeting.", 20) == "In May, the office\u2026"
    assert shorten("Short.", 20) == "Short."
