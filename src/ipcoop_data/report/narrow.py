"""What a user asked to see of a full report: codes selected or ignored, and a baseline of known findings."""

from __future__ import annotations

from collections.abc import Iterable

from ipcoop_data.model.finding import UNREADABLE_CODES
from ipcoop_data.report.baseline import stale_entries
from ipcoop_data.report.codes import selection
from ipcoop_data.report.findings import Report


def narrow(
    report: Report, *, select: Iterable[str] = (), ignore: Iterable[str] = (), baseline: Iterable[str] = ()
) -> Report:
    """``report`` with only the selected codes, without the ignored ones, and its baseline set.

    A finding that means a file could not be read is never dropped. Raises ValueError for an
    unknown code or family.
    """
    chosen = list(select)
    selected = selection(chosen) if chosen else None
    ignored = selection(list(ignore))
    if selected is not None or ignored:
        report.findings = [
            f
            for f in report.findings
            if f.code in UNREADABLE_CODES or ((selected is None or f.code in selected) and f.code not in ignored)
        ]
    report.baseline = set(baseline)
    stale = stale_entries(report)
    if stale is not None:
        report.findings.append(stale)
    return report
