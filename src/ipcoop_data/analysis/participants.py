"""Who took part in each event, named as at its date: one view for the checks, the frames and every export.

Each party is its organization's id, the name the event's record gives it (the name its source
used, "SIPO"), the organization's name at the event's date by the one rule of ``analysis.names``,
and the organization's country; each person is their id, name and the title they acted in. The
view is built once per dataset (``Dataset.derived``) and shared: the workbook, the calendar, the
timeline, the events frame and the frames check used to work this out each in its own way.

How a consumer prints a party is its own choice, from these parts: the exports name it as its
source did when the record says (``PartyAt.label``), the events frame by its name at the date
(``PartyAt.name``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcoop_data.analysis.names import name_on
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.records import Event, Organization, OrganizationName, Party, Person

__all__ = ["EventParticipants", "Participants", "PartyAt", "PersonAt", "participants"]


@dataclass(frozen=True, slots=True)
class PartyAt:
    """One party of an event, as at the event's date."""

    #: The organization's id (one no organization has is reported by the integrity check).
    id: str
    #: The name the event's record gives the party, as its source used it ("SIPO"); None if it gives none.
    cited: str | None
    #: The organization's name at the event's date (``names.name_on``); None for an unknown id.
    official: OrganizationName | None
    #: The organization's country; None for a regional or international body, or an unknown id.
    country: str | None

    @property
    def name(self) -> str:
        """The organization's name at the event's date; for an id no organization has, the name
        the record gives, or the id."""
        if self.official is not None:
            return self.official.name
        return self.cited or self.id

    def label(self, *, abbreviation: bool = False) -> str:
        """The party as an export names it: as its source did when the record says, else by its
        name at the event's date (followed by `` (ABBR)`` with ``abbreviation``, if it has one),
        else by its id."""
        if self.cited:
            return self.cited
        if self.official is None:
            return self.id
        if abbreviation and self.official.abbreviation:
            return f"{self.official.name} ({self.official.abbreviation})"
        return self.official.name


@dataclass(frozen=True, slots=True)
class PersonAt:
    """One person at an event."""

    #: The person's id (one no person has is reported by the integrity check).
    id: str
    #: The person's name; for an id no person has, the id.
    name: str
    #: The title the event's record gives them there, if any.
    title: str | None


@dataclass(frozen=True, slots=True)
class EventParticipants:
    """The parties and people of one event, in the record's order."""

    parties: tuple[PartyAt, ...] = ()
    people: tuple[PersonAt, ...] = ()

    @property
    def countries(self) -> list[str]:
        """The countries of the parties, sorted, each once (unknown organizations add none)."""
        return sorted({p.country for p in self.parties if p.country})


_NOBODY = EventParticipants()


class Participants:
    """Each event's participants, looked up by the event record itself (``view[event]``).

    Keyed by the record, not its id: a dataset that fails validation may hold two events with one
    id, and an export still writes each with its own parties.
    """

    def __init__(self, dataset: Dataset) -> None:
        # Lookups of our own (first record wins, as in Dataset's): the view holds no reference to
        # the dataset, which holds the view, so that dropping a dataset frees it without the cyclic GC.
        self._organizations: dict[str, Organization] = {}
        for org in dataset.organizations:
            self._organizations.setdefault(org.id, org)
        self._people: dict[str, Person] = {}
        for person in dataset.people:
            self._people.setdefault(person.id, person)
        # Events share most of their parties and people: one object for each combination, not
        # one per event, so that the view costs little beside the dataset however large it grows.
        self._names: dict[tuple[str, str], OrganizationName] = {}
        self._parties: dict[tuple[str, str | None, int], PartyAt] = {}
        self._persons: dict[tuple[str, str | None], PersonAt] = {}
        # Each event's two tuples are made when asked, from the parts above (each name at a date
        # decided the first time it is needed, then kept), not kept themselves: kept, they were
        # 23 MB at 100k events, for lookups that cost a microsecond each.
        self._events = len(dataset.events)

    def __getitem__(self, event: Event) -> EventParticipants:
        return self._of(event)

    def __len__(self) -> int:
        return self._events

    def _of(self, event: Event) -> EventParticipants:
        if not event.parties and not event.people:
            return _NOBODY
        return EventParticipants(
            tuple(self._party(party, event) for party in event.parties),
            tuple(self._person(p.person, p.title) for p in event.people),
        )

    def _party(self, party: Party, event: Event) -> PartyAt:
        org = self._organizations.get(party.id)
        official = None
        if org is not None:
            at = (org.id, event.date.text)
            official = self._names.get(at)
            if official is None:
                official = self._names[at] = name_on(org, event.date)
        key = (party.id, party.name, id(official))  # the name is held by its organization: a stable id()
        shared = self._parties.get(key)
        if shared is None:
            country = org.country if org is not None else None
            shared = self._parties[key] = PartyAt(party.id, party.name, official, country)
        return shared

    def _person(self, person_id: str, title: str | None) -> PersonAt:
        key = (person_id, title)
        shared = self._persons.get(key)
        if shared is None:
            person = self._people.get(person_id)
            shared = self._persons[key] = PersonAt(person_id, person.name if person else person_id, title)
        return shared


def participants(dataset: Dataset) -> Participants:
    """Who took part in each event of ``dataset``, computed once and shared by every consumer."""
    return dataset.derived("participants", lambda: Participants(dataset))
