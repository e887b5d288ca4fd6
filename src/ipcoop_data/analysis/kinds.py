"""Families of event kinds: a handful of groups that a chart can tell apart.

The model has eighteen kinds of event; a chart that stacks eighteen colours repeats them and
cannot be read. These families group the kinds by what happened, in the order they are shown.
Pure data and one function: no dataset, no I/O.
"""

from __future__ import annotations

MEETINGS = "Meetings and visits"
CONFERENCES = "Conferences and seminars"
AGREEMENTS = "Signings and adoptions"
TREATIES = "Treaties and laws"
TRAINING = "Training and programmes"
OTHER = "Other"

#: The families, in display order ("Other" last).
FAMILIES: tuple[str, ...] = (MEETINGS, CONFERENCES, AGREEMENTS, TREATIES, TRAINING, OTHER)

# Every EventKind of model/records.py, each named once (tests/test_kinds.py checks both ways).
_FAMILY_OF: dict[str, str] = {
    "meeting": MEETINGS,
    "visit": MEETINGS,
    "conference": CONFERENCES,
    "seminar": CONFERENCES,
    "roundtable": CONFERENCES,
    "forum": CONFERENCES,
    # a memorandum or agreement signed; a declaration, plan or policy adopted
    "signing": AGREEMENTS,
    "adoption": AGREEMENTS,
    # a treaty joined or ratified, a treaty or law taking effect
    "accession": TREATIES,
    "ratification": TREATIES,
    "entry_into_force": TREATIES,
    # trainings, and the standing programmes of cooperation: degree programmes, funds-in-trust
    # projects, pilot programmes, the Patent Prosecution Highway (PPH) pilots among them
    "training": TRAINING,
    "programme": TRAINING,
    "pph": TRAINING,
    "launch": OTHER,
    "publication": OTHER,
    "election": OTHER,
    "other": OTHER,
}


def kind_family(kind: str) -> str:
    """The family of an event kind (``"pph"`` -> ``"Training and programmes"``).

    Raises ``KeyError`` for a kind the model does not have: a new kind needs a family chosen for it,
    not a silent "Other".
    """
    try:
        return _FAMILY_OF[kind]
    except KeyError:
        raise KeyError(f"event kind {kind!r} has no family in ipcoop_data.analysis.kinds") from None
