"""Families of event kinds: a handful of headings that a reader can take in at a glance.

The model has 18 kinds of event (``EventKind``), too many to show side by side: a timeline with a
row per kind is taller than a screen, a chart with a colour per kind cannot be read. Every export
that groups events for people groups them by these families, defined here once.
"""

from __future__ import annotations

from typing import Final

from ipcoop_data.model.records import EventKind

#: The families, in the order they are listed (most events first in the bundled data, "Other" last).
FAMILIES: Final = (
    "Meetings and visits",
    "Conferences and forums",
    "Agreements and treaties",
    "Training and programmes",
    "Launches and publications",
    "Other",
)

#: Each kind's family. A kind added to ``EventKind`` must be added here: a test checks both ways.
KIND_FAMILY: Final[dict[EventKind, str]] = {
    "meeting": "Meetings and visits",
    "visit": "Meetings and visits",
    "conference": "Conferences and forums",
    "seminar": "Conferences and forums",
    "roundtable": "Conferences and forums",
    "forum": "Conferences and forums",
    # an instrument signed, adopted, joined or in force; a PPH is an arrangement between offices
    "signing": "Agreements and treaties",
    "adoption": "Agreements and treaties",
    "accession": "Agreements and treaties",
    "ratification": "Agreements and treaties",
    "entry_into_force": "Agreements and treaties",
    "pph": "Agreements and treaties",
    "training": "Training and programmes",
    "programme": "Training and programmes",
    "launch": "Launches and publications",
    "publication": "Launches and publications",
    "election": "Other",
    "other": "Other",
}


def kind_family(kind: str) -> str:
    """The family of an event kind: ``kind_family("pph") == "Agreements and treaties"``.

    Raises ValueError for a string that is not an event kind of the model.
    """
    try:
        return KIND_FAMILY[kind]  # type: ignore[index]
    except KeyError:
        raise ValueError(f"{kind!r} is not an event kind") from None
