"""Provenance family: every record cited; quotes found verbatim; a figure's quote prints its value;
a country an event records is named in one of its quotes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ipcoop_data.analysis.evidence import country_forms, figure_citation, names_country
from ipcoop_data.analysis.printed import normalize_quote, numbers, qualifier_of
from ipcoop_data.checks.context import TEXTS_DIR, Context
from ipcoop_data.model.records import Observation, Source
from ipcoop_data.read.files import MAX_TEXT_BYTES, RefusedFile, inside, read_bytes
from ipcoop_data.report.findings import Finding

#: Quotes longer than this get a warning: a quote should carry one fact, not a paragraph.
MAX_QUOTE = 320

__all__ = ["MAX_QUOTE", "check", "normalize_quote", "read_texts"]


def check(ctx: Context) -> Iterable[Finding]:
    yield from _cited(ctx)
    yield from _quote_lengths(ctx)
    yield from _values_in_quotes(ctx)
    yield from _countries_in_quotes(ctx)
    if ctx.texts_dir is not None:
        yield from _quotes_in_sources(ctx)


def _cited(ctx: Context) -> Iterator[Finding]:
    d = ctx.dataset
    for record_type, records in (("event", d.events), ("observation", d.observations)):
        for record in records:
            if not record.citations:
                yield ctx.finding(
                    "missing-citation",
                    "error",
                    f"{record_type} {record.id} cites no source: add citations with source, locator and quote",
                    record,
                    record_type,
                )
    for org in d.organizations:
        for n, name in enumerate(org.names):
            if not name.citations:
                yield ctx.finding(
                    "missing-citation",
                    "error",
                    f"organization {org.id}: name {name.name!r} cites no source",
                    org,
                    "organization",
                    ("names", n),
                    key=name.name,
                )
    for person in d.people:
        for r, role in enumerate(person.roles):
            if not role.citations:
                yield ctx.finding(
                    "missing-citation",
                    "error",
                    f"person {person.id}: role {role.title!r} cites no source",
                    person,
                    "person",
                    ("roles", r),
                    key=role.title,
                )


def _quote_lengths(ctx: Context) -> Iterator[Finding]:
    for record_type, record, path, citation in ctx.citations():
        if len(citation.quote) > MAX_QUOTE:
            yield ctx.finding(
                "quote-too-long",
                "warning",
                f"{record_type} {getattr(record, 'id', '')}: quote of {len(citation.quote)} characters; "
                f"keep it under {MAX_QUOTE}, just the words that carry the fact",
                record,
                record_type,
                (*path, "quote"),
                key=str(path),
            )


def _values_in_quotes(ctx: Context) -> Iterator[Finding]:
    for obs in ctx.dataset.observations:
        yield from _value_findings(ctx, obs)


def _value_findings(ctx: Context, obs: Observation) -> Iterator[Finding]:
    if obs.citations and figure_citation(obs) is None:
        yield ctx.finding(
            "value-not-in-quote",
            "error",
            f"observation {obs.id}: as_reported {obs.as_reported!r} does not appear in any of its quotes",
            obs,
            "observation",
            ("as_reported",),
        )
    read = numbers(obs.as_reported)
    if not read:
        yield ctx.finding(
            "value-unreadable",
            "warning",
            f"observation {obs.id}: no number can be read in as_reported {obs.as_reported!r}",
            obs,
            "observation",
            ("as_reported",),
        )
    elif all(n != obs.value for n in read):
        shown = ", ".join(format(n.normalize(), "f") for n in read)
        yield ctx.finding(
            "value-mismatch",
            "error",
            f"observation {obs.id}: value {obs.value} is not the number printed in {obs.as_reported!r} "
            f"(which reads as {shown})",
            obs,
            "observation",
            ("value",),
        )
    implied = qualifier_of(obs.as_reported)
    if implied is not None and implied != obs.qualifier:
        yield ctx.finding(
            "qualifier-mismatch",
            "warning",
            f"observation {obs.id}: as_reported {obs.as_reported!r} reads as {implied!r} but qualifier "
            f"is {obs.qualifier!r}",
            obs,
            "observation",
            ("qualifier",),
        )
    elif implied is None and obs.qualifier != "exact":
        yield ctx.finding(
            "qualifier-mismatch",
            "warning",
            f"observation {obs.id}: qualifier is {obs.qualifier!r} but as_reported {obs.as_reported!r} "
            "has no word for it (include the qualifier words as printed)",
            obs,
            "observation",
            ("qualifier",),
        )


def _countries_in_quotes(ctx: Context) -> Iterator[Finding]:
    # A recorded country is a fact like any other: the event's own quotes must name it. (A warning,
    # not an error: the forms looked for are a short table, and a source may use one it lacks.)
    for event in ctx.dataset.events:
        for n, code in enumerate(event.countries):
            if event.citations and not any(names_country(c.quote, code) for c in event.citations):
                forms = " or ".join(repr(f) for f in country_forms(code))
                yield ctx.finding(
                    "country-not-in-quote",
                    "warning",
                    f"event {event.id}: countries lists {code} but none of its quotes names it ({forms}); "
                    "cite the words that name it, or add the form the source uses to COUNTRY_ALIASES",
                    event,
                    "event",
                    ("countries", n),
                    key=code,
                )


def read_texts(ctx: Context) -> Iterator[Finding]:
    """Read each source's text into ``ctx.texts`` (normalized) and ``ctx.raw_texts`` (as it is), once
    per run: the findings about texts that cannot be used come the first time only.

    The quote check and the coverage check both read the texts through here, so a text is read,
    decoded and refused by one rule.
    """
    if ctx.texts_read or ctx.texts_dir is None:
        return
    ctx.texts_read = True
    if not ctx.texts_dir.is_dir():
        if ctx.texts_given:
            yield Finding(
                "sources-dir-missing",
                "error",
                f"sources directory not found: {ctx.texts_shown} (quotes cannot be checked)",
            )
            return
        if not any(source.text for source in ctx.dataset.sources):
            return  # a dataset without texts: nothing to check, and the report's note says so
    yield from _read_texts(ctx, ctx.texts_dir)


def _read_texts(ctx: Context, texts_dir: Path) -> Iterator[Finding]:
    """Read each source's text, with a finding for each that cannot be used."""
    root = ctx.dataset.root
    ctx.texts.update((source.id, None) for source in ctx.dataset.sources)  # until read and usable
    if not ctx.texts_given and root is not None and not inside(texts_dir, root):
        # The dataset's own texts/ must be in the dataset: a symlink to /etc would make every file
        # there a "text", and the findings an oracle on its contents.
        yield Finding(
            "source-text-refused",
            "error",
            "texts/ is a symlink that leads outside the dataset; no text was read (keep the texts in "
            "the dataset, or name their folder with --sources-dir)",
            file=TEXTS_DIR,
        )
        return
    for source in ctx.dataset.sources:
        if source.text is None:
            yield ctx.finding(
                "source-text-missing",
                "warning",
                f"source {source.id} has no 'text' file name, so its quotes cannot be checked",
                source,
                "source",
            )
            continue
        path = texts_dir / source.text
        if not os.path.lexists(path):
            yield ctx.finding(
                "source-text-missing",
                "error",
                f"source {source.id}: text file {source.text!r} not found in {ctx.texts_shown} "
                "(put the document's plain text there, or pass --sources-dir DIR)",
                source,
                "source",
                ("text",),
            )
            continue
        try:
            data = read_bytes(path, texts_dir, MAX_TEXT_BYTES)
            text = data.decode("utf-8-sig")
        except RefusedFile as exc:
            yield _refused_text(ctx, source, exc.reason)
            continue
        except UnicodeDecodeError as exc:
            yield _refused_text(ctx, source, f"it is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})")
            continue
        actual = hashlib.sha256(data).hexdigest()
        if source.text_sha256 is None:
            yield ctx.finding(
                "source-text-unpinned",
                "warning",
                f"source {source.id}: text {source.text!r} is not pinned; add 'text_sha256: {actual}' "
                "so that a changed text is noticed",
                source,
                "source",
                ("text",),
            )
        elif source.text_sha256 != actual:
            yield ctx.finding(
                "source-text-changed",
                "error",
                f"source {source.id}: text {source.text!r} has sha256 {actual}, but sources.yaml pins "
                f"{source.text_sha256}; restore the original text, or, if the new one is the right "
                "document, update text_sha256 and re-check every quote",
                source,
                "source",
                ("text_sha256",),
                key=f"{source.text_sha256}:{actual}",
            )
        ctx.texts[source.id] = normalize_quote(text)
        ctx.raw_texts[source.id] = text


def _refused_text(ctx: Context, source: Source, reason: str) -> Finding:
    return ctx.finding(
        "source-text-refused",
        "error",
        f"source {source.id}: text file {source.text!r} in {ctx.texts_shown} was not read: {reason}",
        source,
        "source",
        ("text",),
    )


def _quotes_in_sources(ctx: Context) -> Iterator[Finding]:
    yield from read_texts(ctx)
    for record_type, record, path, citation in ctx.citations():
        text = ctx.texts.get(citation.source)
        if text is None:
            continue
        quote = normalize_quote(citation.quote)
        if quote not in text:
            yield ctx.finding(
                "quote-not-found",
                "error",
                f"{record_type} {getattr(record, 'id', '')}: quote not found in {citation.source} "
                f"({ctx.dataset.source(citation.source).text}): {_excerpt(quote, text)}",  # type: ignore[union-attr]
                record,
                record_type,
                (*path, "quote"),
                key=f"{path}:{citation.quote}",
            )


def _excerpt(quote: str, text: str) -> str:
    """Show the quote with where it stops matching the source, to make the fix obvious."""
    # Whether a prefix occurs is monotone in its length, so bisect on it.
    low, high = 0, len(quote)
    while low < high:
        mid = (low + high + 1) // 2
        if quote[:mid] in text:
            low = mid
        else:
            high = mid - 1
    best = low
    if best == 0:
        return f"{quote[:80]!r} (not even its first word matches)"
    return f"{quote[:80]!r} matches up to {quote[max(0, best - 30) : best]!r}, then differs"
