"""An organization's name at a date: one rule, used by every export (through ``analysis.participants``
for the parties of an event).

A source's date is often a year or a month, and an office may be renamed within it, so several
names may have been in use. The one shown is the name in use for the largest part of the date (on
a tie, the earlier name); when no name's span reaches the date, the name nearest to it in time:
the latest one begun before the date, or else the first on record.
"""

from __future__ import annotations

from datetime import date

from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.records import Organization, OrganizationName


def name_on(org: Organization, when: PartialDate | None) -> OrganizationName:
    """The name to show for ``org`` at ``when`` (None: its latest name). ``org`` has at least one name."""
    if when is None:
        return org.names[-1]
    in_use = org.name_at(when)
    if in_use:
        return max(in_use, key=lambda n: (_days_in_use(n, when), -org.names.index(n)))
    begun = [n for n in org.names if n.start is not None and n.start.lower <= when.lower]
    return max(begun, key=lambda n: n.start.lower) if begun else org.names[0]  # type: ignore[union-attr]


def _days_in_use(name: OrganizationName, when: PartialDate) -> int:
    first = max(when.lower, name.start.lower if name.start is not None else date.min)
    last = min(when.upper, name.end.upper if name.end is not None else date.max)
    return max(0, (last - first).days + 1)
