"""How much of each source text the dataset's quotes cover.

A source text is cut into *units*: sentences, and the lines that stand alone without closing
punctuation (headings, photo captions, speaker labels, a dateline). A unit *counts* when it carries
a date cue or a figure (see :func:`cues`); it is *covered* when a quote of some record overlaps it
(:func:`covers`); it is *excluded* when a :class:`~ipcoop_data.model.records.CoverageExclusion`
of ``coverage.yaml`` names it. A source's share is covered / (counted - excluded).

Units and quotes are compared in one text: the source text normalised exactly as the quote check
normalises it (``normalize_quote``), so a quote that the quote check finds is found here too, and
in the same place. Everything here is linear in the size of the texts and in the number of
quotes: a quote is looked up once per distinct quote, however many records cite it, and meets only
the few units around the places where it occurs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal, NamedTuple

from ipcoop_data.analysis.printed import normalize_quote
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.records import CoverageExclusion

# --- units ------------------------------------------------------------------------------------

#: Where a sentence may end: closing punctuation (and the quotes or brackets that close with it),
#: then white space, then what can open a sentence: a capital, a digit, an opening quote or
#: bracket, a bullet. A full stop followed by a lower-case word ("etc., and") never ends one.
_BOUNDARY = re.compile(r"""[.!?]+["'\u201d\u2019)\]]*(?=\s+["'\u201c\u2018(\[\u2022*]?[A-Z0-9])""")
#: The word before a full stop, with what may open it ("(Mr." -> "Mr").
_LAST_WORD = re.compile(r"""["'\u201c\u2018(\[]*([^\s"'\u201c\u2018(\[]+)$""")
#: Words after which a full stop does not end a sentence: titles before a name.
_TITLES = frozenset(
    "mr mrs ms messrs mme dr prof rev hon st mt gen col capt lt sgt sr jr vs cf approx dept govt".split()
)
#: Words after which a full stop does not end a sentence when a number follows: "No. 5", "Jan. 20".
_BEFORE_NUMBERS = frozenset(
    "no nos art arts vol vols p pp fig figs para paras ch sec jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
#: "U.S", "P.R.C", "e.g": letters joined by full stops; and "J" of "J. Smith".
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")
#: A piece that is only a section number ("VII.", "1.", "a."): it opens the sentence after it.
_ENUMERATOR = re.compile(r"\(?(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]+|[A-Za-z])[.)]")
#: A section or list number opening a heading ("01", "2.1 ...", "(3) ...", "- 1 ...", "VII. ...").
_HEADING_NUMBER = re.compile(r"^(?:[-\u2022*]\s*)?(?:\(?(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]+)[.)]?)(?:\s+|$)")
_BULLET = re.compile(r"^[-\u2022*]\s+")
_CLOSED = re.compile(r"""[.!?]["'\u201d\u2019)\]]*$""")
_LINE = re.compile(r"[^\n]+")

UnitKind = Literal["sentence", "caption"]

# Units, cues and measured units are tuples: a text has hundreds of each, made in a tight loop.


class Unit(NamedTuple):
    """A sentence or a caption of a source text, where it stands in the text file."""

    #: Offset of its first character in the text, in characters (code points) from 0.
    offset: int
    #: Offset just after its last character.
    end: int
    #: Line of the text file it starts on, from 1.
    line: int
    #: Its words as they stand in the file (line breaks inside kept).
    text: str
    #: ``sentence`` when it ends with closing punctuation; ``caption`` for a line that stands alone
    #: without it (a heading, a photo caption, a label).
    kind: UnitKind

    @property
    def shown(self) -> str:
        """Its words on one line, white space collapsed."""
        return " ".join(self.text.split())


def split_units(text: str) -> list[Unit]:
    """Cut ``text`` into sentences and captions, in order; blank lines are not units.

    Lines are the paragraphs of these texts. A line that ends without closing punctuation is a
    caption or heading of its own, unless the next line opens with a lower-case letter: then the
    paragraph was broken by a page (``... such as artificial`` / ``intelligence and big data``) and
    the two are read as one. Inside a paragraph, a sentence ends at ``.``, ``!`` or ``?`` followed
    by a space and a capital, a digit or an opening quote, except after a title ("Mr.", "Ms."),
    after initials ("U.S.", "P.R.C.", "e.g."), and before a number after "No." or a month's
    abbreviation ("Jan. 20").
    """
    units: list[Unit] = []
    for start, end, line in _paragraphs(text):
        units.extend(_sentences(text, start, end, line))
    return units


def _paragraphs(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, line) of each paragraph: a non-blank line, or lines joined across a page break."""
    current: tuple[int, int, int] | None = None
    line = 1
    position = 0
    for match in _LINE.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        if current is not None and stripped[0].islower() and not _CLOSED.search(text[current[0] : current[1]]):
            current = (current[0], end, current[2])
            continue
        if current is not None:
            yield current
        current = (start, end, line)
    if current is not None:
        yield current


def _sentences(text: str, start: int, end: int, line: int) -> Iterator[Unit]:
    paragraph = text[start:end]
    cuts = [0]
    for match in _BOUNDARY.finditer(paragraph):
        if _ends_sentence(paragraph, match):
            cuts.append(match.end())
    cuts.append(len(paragraph))
    pieces: list[tuple[int, int]] = []
    for a, b in pairwise(cuts):
        piece = paragraph[a:b]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            pieces.append((a + lead, a + len(piece.rstrip())))
    # "VII. International Cooperation": a section number is not a sentence of its own.
    if len(pieces) > 1 and _ENUMERATOR.fullmatch(paragraph[pieces[0][0] : pieces[0][1]]):
        pieces[0:2] = [(pieces[0][0], pieces[1][1])]
    for a, b in pieces:
        words = paragraph[a:b]
        yield Unit(
            offset=start + a,
            end=start + b,
            line=line + paragraph.count("\n", 0, a),
            text=words,
            kind="sentence" if _CLOSED.search(words) else "caption",
        )


def _ends_sentence(paragraph: str, match: re.Match[str]) -> bool:
    punctuation = match.group()
    if punctuation[0] != "." or punctuation.startswith(".."):
        return True  # "?", "!", an ellipsis
    # Only the last few characters can hold the word: searching from the paragraph's start would
    # try every position before it, for every full stop.
    before = _LAST_WORD.search(paragraph, max(0, match.start() - 40), match.start())
    if before is None:
        return True
    word = before.group(1)
    if word.lower() in _TITLES or _INITIALS.fullmatch(word):
        return False
    if word.lower() in _BEFORE_NUMBERS:
        following = paragraph[match.end() :].lstrip()
        return not following[:1].isdigit()
    return True


# --- cues -------------------------------------------------------------------------------------

_MONTHS = "January February March April June July August September October November December".split()
_CUE = re.compile(
    # Every cue opens with a capital or a digit: the look-ahead lets the search skip the rest fast.
    r"(?=[A-Z0-9])(?:(?P<month>\b(?:" + "|".join(_MONTHS) + r")\b"
    # abbreviations only with their full stop or before a day: "Sept 11", "Jan. 20"
    r"|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?:\.|(?=\s\d)))"
    # A figure: a group of digits standing as a word, with its separators, decimals and ordinal
    # ending ("1,200", "45.909", "72.8", "14th"). Digits joined to letters before them are names
    # and codes ("IP5", "G20", "COVID-19", "wco_news_2021"), not figures; so is "6ter".
    r"|(?P<figure>(?<![\w.,])(?<![A-Za-z]-)\d+(?:[.,]\d+)*(?:st|nd|rd|th)?(?!\w)))"
)
#: "May" is a month after a preposition or a day, or before a day or year ("in May", "5th May",
#: "May 5"); else it is the verb ("May I ask"). Tried only on the units that have the word.
_MAY = re.compile(
    r"\b(?:[Ii]n|[Ss]ince|[Oo]n|of|by|[Uu]ntil|till|from|to|between|and|early|late|[Ll]ast|[Nn]ext"
    r"|[Tt]his|[Dd]uring|[Bb]efore|[Aa]fter|through|\d{1,2}(?:st|nd|rd|th)?)\s+May\b|\bmid-May\b|\bMay(?=\s\d)"
)
_YEAR = re.compile(r"(?:19|20)\d\d")


class Cue(NamedTuple):
    """A date or a figure in a unit: what it says, and where (offsets in the normalized unit)."""

    kind: Literal["date", "figure"]
    text: str
    start: int
    end: int


def cues(words: str, kind: UnitKind = "sentence") -> list[Cue]:
    """The date cues and figures of a unit's normalized words.

    Date cues: a month's name or abbreviation, "May" where it is the month, and a year (a 4-digit
    number from 1900 to 2099). Figures: every other group of digits (ordinals included: "14th").
    Number words ("three", "first") are not counted: in these texts they are mostly not figures
    ("the two sides", "for the first time"), and counting them would bury the real gaps.
    A heading's section number ("2.1 Participation in ...", "01") is not a figure.
    """
    skip = 0
    if kind == "caption":
        number = _HEADING_NUMBER.match(words)
        if number is not None:
            skip = number.end()
    else:
        bullet = _BULLET.match(words)
        skip = bullet.end() if bullet else 0
    found = []
    for match in _CUE.finditer(words, skip):
        value = match.group()
        cue_kind: Literal["date", "figure"] = "date"
        if match.lastgroup == "figure":
            digits = value.rstrip("stndrh")
            cue_kind = "date" if _YEAR.fullmatch(digits) and digits == value else "figure"
        found.append(Cue(cue_kind, value, match.start(), match.end()))
    if "May" in words:
        for match in _MAY.finditer(words, skip):
            value = match.group()
            if not value[0].isdigit() and not value.startswith("mid"):
                value = "May"  # "in May" is the month; "5th May" and "mid-May" stay as they are
            # "5th May" holds the figure "5th": one cue, the date
            found = [c for c in found if c.end <= match.start() or c.start >= match.end()]
            found.append(Cue("date", value, match.start(), match.end()))
        found.sort(key=lambda c: c.start)
    return found


# --- covering ---------------------------------------------------------------------------------


def covers(unit: tuple[int, int], quote: tuple[int, int], unit_cues: list[tuple[int, int]]) -> bool:
    """Whether a quote at ``quote`` (start, end) covers the unit at ``unit``, in one text.

    It does when it lies inside the unit, when the unit lies inside it, or when the two overlap
    substantially: by at least half the unit, or by a whole date or figure of the unit (a quote
    that runs on from the sentence before and takes in this one's date carries that date).
    """
    ua, ub = unit
    qa, qb = quote
    if qa >= ub or qb <= ua:
        return False
    if (ua <= qa and qb <= ub) or (qa <= ua and ub <= qb):
        return True
    lo, hi = max(ua, qa), min(ub, qb)
    if 2 * (hi - lo) >= ub - ua:
        return True
    return any(lo <= ca and cb <= hi for ca, cb in unit_cues)


class Measured(NamedTuple):
    """One unit with what the coverage found about it."""

    unit: Unit
    #: Its dates and figures (empty: the unit does not count).
    cues: tuple[Cue, ...]
    #: (record type, record id) of the first record whose quote covers it, if any.
    covered_by: tuple[str, str] | None = None
    #: The id of the exclusion that leaves it out, when no quote covers it.
    excluded_by: str | None = None

    @property
    def counts(self) -> bool:
        return bool(self.cues)


ExclusionStatus = Literal["ok", "not-found", "covered", "nothing-counted"]


@dataclass(frozen=True, slots=True)
class ExclusionResult:
    exclusion: CoverageExclusion
    status: ExclusionStatus
    #: The counted units it names.
    units: tuple[Unit, ...] = ()
    #: For ``covered``: the first covered unit it names and the record that covers it.
    covered: tuple[Unit, tuple[str, str]] | None = None


@dataclass
class SourceCoverage:
    source: str
    text_file: str
    units: list[Measured]
    exclusions: list[ExclusionResult] = field(default_factory=list)

    @property
    def counted(self) -> list[Measured]:
        return [m for m in self.units if m.counts]

    @property
    def covered(self) -> list[Measured]:
        return [m for m in self.units if m.counts and m.covered_by is not None]

    @property
    def excluded(self) -> list[Measured]:
        return [m for m in self.units if m.counts and m.covered_by is None and m.excluded_by is not None]

    @property
    def uncovered(self) -> list[Measured]:
        return [m for m in self.units if m.counts and m.covered_by is None and m.excluded_by is None]

    @property
    def share(self) -> float | None:
        """Covered / (counted - excluded), from 0 to 1; None when nothing counts."""
        return _share(len(self.covered), len(self.counted) - len(self.excluded))


def _share(covered: int, total: int) -> float | None:
    return covered / total if total else None


@dataclass
class Coverage:
    """Coverage of every source whose text could be read; the rest are listed as unmeasured."""

    sources: list[SourceCoverage]
    #: (source id, why it was not measured): no text named, or the text could not be read.
    unmeasured: list[tuple[str, str]] = field(default_factory=list)

    def totals(self) -> tuple[int, int, int]:
        """(covered, excluded, counted) over all measured sources."""
        covered = sum(len(s.covered) for s in self.sources)
        excluded = sum(len(s.excluded) for s in self.sources)
        counted = sum(len(s.counted) for s in self.sources)
        return covered, excluded, counted

    @property
    def share(self) -> float | None:
        covered, excluded, counted = self.totals()
        return _share(covered, counted - excluded)

    def exclusion_results(self) -> list[ExclusionResult]:
        return [r for s in self.sources for r in s.exclusions]


def measure(dataset: Dataset, texts: Mapping[str, str]) -> Coverage:
    """The coverage of each source text by the quotes of every record that cites it.

    ``texts`` maps a source id to its text as read (raw: lines intact); a source missing from it
    is listed as unmeasured. Every citation counts, whatever the record (events and observations,
    and the names, roles, series and rulings whose quotes also stand in the texts).
    """
    normalized: dict[str, str] = {}  # the same quote in many records is normalized once
    quotes: dict[str, dict[str, tuple[str, str]]] = {}
    for record_type, record, _path, citation in dataset.citations():
        quote = normalized.get(citation.quote)
        if quote is None:
            quote = normalized[citation.quote] = normalize_quote(citation.quote)
        quotes.setdefault(citation.source, {}).setdefault(quote, (record_type, str(getattr(record, "id", ""))))
    exclusions: dict[str, list[CoverageExclusion]] = {}
    for exclusion in dataset.exclusions:
        exclusions.setdefault(exclusion.source, []).append(exclusion)
    measured, unmeasured = [], []
    for source in dataset.sources:
        if source.text is None:
            unmeasured.append((source.id, "no text is named for it"))
        elif source.id not in texts:
            unmeasured.append((source.id, f"its text {source.text} could not be read"))
        else:
            measured.append(
                measure_text(
                    source.id, source.text, texts[source.id], quotes.get(source.id, {}), exclusions.get(source.id, [])
                )
            )
    return Coverage(measured, unmeasured)


def measure_text(
    source: str,
    text_file: str,
    text: str,
    quotes: Mapping[str, tuple[str, str]],
    exclusions: list[CoverageExclusion],
) -> SourceCoverage:
    """The coverage of one text by ``quotes`` (normalized quote -> the first record citing it)."""
    whole = normalize_quote(text)
    units = split_units(text)
    spans: list[tuple[int, int]] = []  # each unit's place in the normalized text
    unit_cues: list[list[Cue]] = []  # its cues, placed in its own normalized words
    cue_spans: list[list[tuple[int, int]]] = []  # and in the normalized text
    cursor = 0
    for unit in units:
        words = normalize_quote(unit.text)
        at = whole.find(words, cursor) if words else -1
        if at < 0:  # pragma: no cover - a unit is a span of the text, so its normalized form is in it
            at, words = cursor, ""
        found = cues(words, unit.kind) if words else []
        spans.append((at, at + len(words)))
        unit_cues.append(found)
        cue_spans.append([(c.start + at, c.end + at) for c in found])
        cursor = at + len(words)
    starts = [a for a, _ in spans]

    def named(needle: str) -> Iterator[int]:
        """Indexes of the units that ``needle`` (normalized) covers, wherever it occurs."""
        at = whole.find(needle)
        while at >= 0:
            span = (at, at + len(needle))
            first = max(bisect_right(starts, span[0]) - 1, 0)
            for i in range(first, bisect_left(starts, span[1])):
                if covers(spans[i], span, cue_spans[i]):
                    yield i
            at = whole.find(needle, at + 1)

    covered_by: dict[int, tuple[str, str]] = {}
    for quote, record in quotes.items():
        if quote:
            for i in named(quote):
                covered_by.setdefault(i, record)
    excluded_by: dict[int, str] = {}
    results = []
    for exclusion in exclusions:
        needle = normalize_quote(exclusion.text)
        hits = sorted(set(named(needle))) if needle and needle in whole else None
        if hits is None:
            results.append(ExclusionResult(exclusion, "not-found"))
            continue
        counted = [i for i in hits if unit_cues[i]]
        for i in counted:
            excluded_by.setdefault(i, exclusion.id)
        stale = next((i for i in counted if i in covered_by), None)
        if stale is not None:
            results.append(
                ExclusionResult(
                    exclusion, "covered", tuple(units[i] for i in counted), (units[stale], covered_by[stale])
                )
            )
        elif not counted:
            results.append(ExclusionResult(exclusion, "nothing-counted"))
        else:
            results.append(ExclusionResult(exclusion, "ok", tuple(units[i] for i in counted)))
    measured = [
        Measured(unit, tuple(unit_cues[i]), covered_by.get(i), excluded_by.get(i)) for i, unit in enumerate(units)
    ]
    return SourceCoverage(source, text_file, measured, results)
