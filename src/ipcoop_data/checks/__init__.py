"""Checks: small functions over the whole dataset that yield findings, grouped in families.

Each family module exposes ``check(ctx) -> Iterable[Finding]``. ``validate`` runs them all and
collects one Report. What they check is a Dataset, or what the reader made of a folder
(``read.loaded.Loaded``: the records and the problems reading them, which the schema family reports).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ipcoop_data.checks import (
    consistency,
    coverage,
    dates,
    duplicates,
    frames,
    identity,
    integrity,
    provenance,
    relations,
    schema,
    series,
)
from ipcoop_data.checks.context import Context
from ipcoop_data.gcpause import paused_gc
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.read.loaded import Loaded
from ipcoop_data.report.codes import selection
from ipcoop_data.report.findings import Finding, Report
from ipcoop_data.report.narrow import narrow

Check = Callable[[Context], Iterable[Finding]]

#: Families in the order they run; the names are what a Report lists as checked.
FAMILIES: dict[str, Check] = {
    "schema": schema.check,
    "integrity": integrity.check,
    "dates": dates.check,
    "provenance": provenance.check,
    "coverage": coverage.check,
    "identity": identity.check,
    "series": series.check,
    "consistency": consistency.check,
    "relations": relations.check,
    "duplicates": duplicates.check,
    "frames": frames.check,
}


def validate(
    dataset: Dataset | Loaded,
    *,
    sources_dir: str | Path | None = None,
    families: Iterable[str] | None = None,
    baseline: Iterable[str] = (),
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> Report:
    """Run the check families over ``dataset`` and return their findings in one Report.

    ``dataset`` is what ``read_dataset`` returns (then the problems reading the files are reported
    too), or a Dataset alone (its records are checked; nothing is known of how they were read).
    Quotes are checked against the dataset's own ``texts/`` folder, or ``sources_dir`` when given.
    ``select`` keeps only the findings of these codes or code families (see ``report.codes``),
    ``ignore`` drops those; a finding that means a file could not be read is never dropped.
    Raises ValueError for an unknown code or family.
    """
    selection(list(select))  # an unknown code is refused before any check runs
    selection(list(ignore))
    report = check_all(dataset, sources_dir=sources_dir, families=families)
    return narrow(report, select=select, ignore=ignore, baseline=baseline)


def check_all(
    dataset: Dataset | Loaded, *, sources_dir: str | Path | None = None, families: Iterable[str] | None = None
) -> Report:
    """Every finding of the chosen families (default: all), rulings applied; nothing selected away."""
    # What the reader found travels beside the records (a Loaded), never on the Dataset.
    read_findings = dataset.findings if isinstance(dataset, Loaded) else ()
    dataset = dataset.dataset if isinstance(dataset, Loaded) else dataset
    ctx = Context.for_dataset(dataset, Path(sources_dir) if sources_dir is not None else None, read_findings)
    chosen = list(families) if families is not None else list(FAMILIES)
    unknown = [name for name in chosen if name not in FAMILIES]
    if unknown:
        raise ValueError(f"unknown check families: {', '.join(unknown)} (known: {', '.join(FAMILIES)})")
    report = Report(
        dataset=str(dataset.root) if dataset.root else "",
        files=len(dataset.files),
        records=len(dataset),
        checks=chosen,
    )
    with paused_gc():  # the checks make many small objects while the whole dataset is alive
        found = {name: list(FAMILIES[name](ctx)) for name in chosen}
        # A ruling's finding may come from a family that did not run: only a full run can call it stale.
        report.findings = _apply_finding_rulings(ctx, found, report_stale=set(chosen) == set(FAMILIES))
    report.coverage = ctx.coverage
    if ctx.coverage is not None:
        from ipcoop_data.report.coverage import summary

        report.sections["coverage"] = summary(ctx.coverage)
    if "provenance" in chosen:
        checked = sum(1 for text in ctx.texts.values() if text is not None)
        if checked:
            report.notes.append(f"quotes checked against {checked} source texts in {ctx.texts_shown}")
        else:
            report.notes.append(
                f"quotes were not checked: no source text was read from {ctx.texts_shown} "
                "(name each source's file in 'text' and keep it in the dataset's texts/ folder)"
            )
    return report


__all__ = ["FAMILIES", "Context", "check_all", "validate"]


#: The families whose findings are about how records relate to each other: a curator's ruling may
#: settle those. A record that failed to load, broke the schema or points nowhere is not a matter
#: of judgement, and a ruling must never hide it.
SETTLEABLE = frozenset({"identity", "series", "consistency", "relations", "duplicates"})


def _apply_finding_rulings(ctx: Context, found: dict[str, list[Finding]], report_stale: bool) -> list[Finding]:
    """A ruling that names a finding's fingerprint settles it: the finding stays, as info.

    Returns every finding, settled ones replaced, plus a finding for each ruling that names a
    finding it may not settle, or one that no longer occurs.
    """
    findings = [f for family in found.values() for f in family]
    rulings = {r.finding: r for r in ctx.dataset.rulings if r.finding}
    if not rulings:
        return findings
    matched: set[str] = set()
    out: list[Finding] = []
    refused: list[Finding] = []
    for family, family_findings in found.items():
        for finding in family_findings:
            ruling = rulings.get(finding.fingerprint)
            if ruling is not None and finding.code != "stale-ruling":
                matched.add(finding.fingerprint)
                if family not in SETTLEABLE:
                    refused.append(
                        ctx.finding(
                            "ruling-not-allowed",
                            "error",
                            f"ruling {ruling.id} names finding {finding.fingerprint} ({finding.code}, from the "
                            f"{family} checks); a ruling settles only how records relate "
                            f"({', '.join(sorted(SETTLEABLE))}): fix the record instead and remove the ruling",
                            ruling,
                            "ruling",
                            ("finding",),
                        )
                    )
                elif not ruling.settles:
                    # An open ruling is evidence, not a decision: the finding keeps its severity.
                    finding = replace(
                        finding,
                        message=f"{finding.message} (open: evidence in ruling {ruling.id})",
                        key=finding.key or finding.message,
                    )
                else:
                    finding = replace(
                        finding,
                        severity="info",
                        message=f"{finding.message} (settled by ruling {ruling.id}: {ruling.decision})",
                        key=finding.key or finding.message,
                    )
            out.append(finding)
    out.extend(refused)
    if not report_stale:
        return out
    for fingerprint, ruling in rulings.items():
        if fingerprint not in matched:
            out.append(
                ctx.finding(
                    "stale-ruling",
                    "warning",
                    f"ruling {ruling.id} settles finding {fingerprint}, which no longer occurs: remove or update it",
                    ruling,
                    "ruling",
                    ("finding",),
                )
            )
    return out
