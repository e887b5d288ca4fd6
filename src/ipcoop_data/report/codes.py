"""Every finding code: its family, its usual severity and a one-line title.

One table that the checks, ``--select``/``--ignore`` and the README's table of codes all follow (a
test keeps the README and this table equal, and another that every code a check emits is here).
A code is stable: it names what was found, whatever the message says, so users can select, ignore
and baseline it across versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    family: str
    severity: Severity  # the usual one; a settled finding is info, and some codes vary with the case
    title: str


_TABLE: tuple[tuple[str, str, Severity, str], ...] = (
    # schema: the files and what the loader reads from them
    ("yaml-syntax", "schema", "error", "the file is not valid YAML"),
    ("yaml-duplicate-key", "schema", "error", "a key repeated in one record"),
    ("yaml-unsafe-tag", "schema", "error", "a YAML tag such as !!python/object"),
    ("yaml-alias-expansion", "schema", "error", "aliases that expand to far more values than the file holds"),
    ("yaml-too-deep", "schema", "error", "values nested too deep, or an alias that contains itself"),
    ("file-structure", "schema", "error", "a file that is not a list of records"),
    ("file-encoding", "schema", "error", "a file that is not UTF-8"),
    ("file-unreadable", "schema", "error", "a file that cannot be read"),
    ("file-refused", "schema", "error", "a directory, device or symlink out of the dataset where a file belongs"),
    ("file-skipped", "schema", "warning", "a hidden or macOS '._' file, not read"),
    ("file-control-character", "schema", "error", "a control character in a file"),
    ("invalid-character", "schema", "error", "a control character in a value, from an escape"),
    ("value-too-long", "schema", "error", "a value longer than one workbook cell holds"),
    ("unknown-file", "schema", "warning", "a YAML file outside the dataset layout"),
    ("unknown-field", "schema", "error", "a field the record type does not have"),
    ("missing-field", "schema", "error", "a required field is missing"),
    ("wrong-type", "schema", "error", "a value of the wrong type"),
    ("invalid-value", "schema", "error", "a value outside what the field allows"),
    ("invalid-date", "schema", "error", "a date that is not EDTF level 0 within 1901-2199"),
    ("end-before-start", "schema", "error", "a span that ends before it starts"),
    # integrity
    ("duplicate-id", "integrity", "error", "two records with one id"),
    ("dangling-reference", "integrity", "error", "a reference to a record that does not exist"),
    ("ordinal-without-series", "integrity", "error", "an ordinal on an event of no series"),
    ("misfiled-record", "integrity", "warning", "a record in the file of another year or source"),
    # dates
    ("event-after-source", "dates", "error", "a held event dated after the source that reports it"),
    ("observation-after-source", "dates", "error", "a figure dated after the source that states it"),
    # provenance
    ("missing-citation", "provenance", "error", "a record that cites no source"),
    ("quote-too-long", "provenance", "warning", "a quote longer than the fact it carries"),
    ("quote-not-found", "provenance", "error", "a quote not found in its source text"),
    ("source-text-missing", "provenance", "error", "a source text that is not there"),
    (
        "source-text-refused",
        "provenance",
        "error",
        "a source text that is not a regular file in texts/, too big or not UTF-8",
    ),
    ("source-text-changed", "provenance", "error", "a source text whose bytes differ from its pin"),
    ("source-text-unpinned", "provenance", "warning", "a source text without text_sha256"),
    ("sources-dir-missing", "provenance", "error", "the --sources-dir folder does not exist"),
    ("value-not-in-quote", "provenance", "error", "a figure's words as printed are not in its quote"),
    ("value-mismatch", "provenance", "error", "a figure's value is not the number printed"),
    ("value-unreadable", "provenance", "warning", "no number can be read in the figure's words"),
    ("qualifier-mismatch", "provenance", "warning", "a qualifier that the printed words do not say"),
    ("country-not-in-quote", "provenance", "warning", "a country an event records that none of its quotes names"),
    # coverage
    ("coverage-exclusion-not-found", "coverage", "error", "a coverage exclusion whose words are not in its source"),
    ("coverage-exclusion-stale", "coverage", "warning", "a coverage exclusion that leaves out nothing any more"),
    # identity
    ("name-not-valid-at-date", "identity", "error", "an organization called by a name it did not bear then"),
    ("party-name-unlisted", "identity", "info", "a party named in words the organization's names do not list"),
    ("title-mismatch", "identity", "warning", "a title the person did not hold at that date"),
    ("conflicting-titles", "identity", "warning", "two titles for one post on one date"),
    # series
    ("series-duplicate-ordinal", "series", "error", "two records of one ordinal of a series"),
    ("series-order", "series", "error", "ordinals that do not increase with date"),
    ("series-gap", "series", "info", "ordinals missing from a yearly cadence"),
    ("ordinal-in-unnumbered-series", "series", "warning", "an ordinal in a series not marked numbered"),
    # consistency
    ("metric-compatible", "consistency", "info", "two different figures that can both be true"),
    ("metric-growth", "consistency", "warning", "a cumulative quantity that grew"),
    ("metric-conflict", "consistency", "error", "two figures no single true value fits"),
    # relations
    ("relation-part-exceeds-whole", "relations", "error", "parts larger than their whole"),
    ("relation-difference", "relations", "warning", "a stated change that is not the difference of two figures"),
    ("relation-duration", "relations", "warning", "a stated duration that the dates do not give"),
    ("relation-invalid", "relations", "error", "a relation that cannot be checked (a duration not in time units)"),
    ("relation-target-met", "relations", "info", "a target met by the level reached, in time or ahead of schedule"),
    ("relation-target-missed", "relations", "warning", "a target not met by its date"),
    ("relation-target-pending", "relations", "info", "a target not (or not surely) met, not yet due"),
    ("duration-at-edge", "relations", "info", "a duration that holds only at the edge of its dates' precision"),
    # duplicates
    ("possible-duplicate", "duplicates", "warning", "records that may be one event"),
    # frames
    ("frame-check", "frames", "error", "a pandas view that fails its pandera model"),
    # rulings and baselines
    ("stale-ruling", "rulings", "warning", "a ruling that settles nothing any more"),
    ("ruling-not-allowed", "rulings", "error", "a ruling that names a finding no ruling may settle"),
    ("baseline-stale", "baseline", "info", "baseline entries that no longer occur"),
)

CODES: dict[str, Code] = {code: Code(code, family, severity, title) for code, family, severity, title in _TABLE}
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(family for _, family, _, _ in _TABLE))


def family_of(code: str) -> str:
    known = CODES.get(code)
    return known.family if known else "unknown"


def selection(names: list[str]) -> set[str]:
    """The codes that ``--select`` or ``--ignore`` names mean: codes and family names, as in ruff.

    Raises ValueError naming what is unknown, with the closest match.
    """
    import difflib

    chosen: set[str] = set()
    for name in names:
        if name in CODES:
            chosen.add(name)
        elif name in FAMILIES:
            chosen.update(c.code for c in CODES.values() if c.family == name)
        else:
            close = difflib.get_close_matches(name, [*CODES, *FAMILIES], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown finding code or family {name!r}{hint} (see 'ipcoop codes')")
    return chosen
