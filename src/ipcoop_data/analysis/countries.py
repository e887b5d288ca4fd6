"""The countries of an event: those of its parties, and those the curators record from its quotes.

One rule, for every view that says which countries an event is with. A party's country is its
organization's own ``country`` (regional and international bodies have none, and a body's parent
is not consulted: where a body's country matters, the organization records it). The event's ``countries`` field
adds the countries a source names when no party records them ("the China-France high-level
economic and financial dialogue", with CNIPA its only party). China is a country of every event
with CNIPA, as it is of every event with another Chinese body: no country is left out for being
the dataset's home.
"""

from __future__ import annotations

from ipcoop_data.analysis.participants import EventParticipants, participants
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.records import Event


def event_countries(dataset: Dataset, event: Event) -> list[str]:
    """Every country of the event, sorted: its parties' and the ones it records."""
    return countries_with(event, participants(dataset)[event])


def countries_with(event: Event, taking_part: EventParticipants) -> list[str]:
    """``event_countries`` for a caller that holds the event's participants already (a pass over
    every event makes them once, not once for its names and again for its countries)."""
    return sorted({*taking_part.countries, *event.countries})
