"""Families of event kinds (analysis/kinds.py): every kind of the model has one, and each family is used."""

from __future__ import annotations

from collections import Counter
from typing import get_args

import pytest

import ipcoop_data
from ipcoop_data.analysis.kinds import FAMILIES, kind_family
from ipcoop_data.model.records import EventKind


def test_every_event_kind_of_the_model_has_a_family() -> None:
    kinds = get_args(EventKind)
    assert len(kinds) == 18
    families = {kind: kind_family(kind) for kind in kinds}  # raises on a kind without a family
    assert set(families.values()) == set(FAMILIES)  # and no family is empty
    assert len(FAMILIES) <= 6 and FAMILIES[-1] == "Other" and len(set(FAMILIES)) == len(FAMILIES)


def test_a_kind_the_model_does_not_have_is_refused() -> None:
    with pytest.raises(KeyError, match="'workshop' has no family"):
        kind_family("workshop")


def test_the_bundled_events_spread_over_every_family() -> None:
    per_family = Counter(kind_family(e.kind) for e in ipcoop_data.load().events)
    assert set(per_family) == set(FAMILIES)
    # "Other" is a remainder, not the biggest group: the families say what the events are.
    assert per_family["Other"] < max(per_family.values())
