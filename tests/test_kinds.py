"""Families of event kinds: every kind of the model has one, and every family is used."""

from __future__ import annotations

from collections import Counter
from typing import get_args

import pytest

import ipcoop_data
from ipcoop_data.analysis.kinds import FAMILIES, KIND_FAMILY, kind_family
from ipcoop_data.model.records import EventKind


def test_every_kind_of_the_model_has_a_family_and_every_family_a_kind() -> None:
    kinds = set(get_args(EventKind))
    assert set(KIND_FAMILY) == kinds  # a kind added to the model must be given a family here
    assert {kind_family(k) for k in kinds} == set(FAMILIES)
    assert len(FAMILIES) == len(set(FAMILIES)) <= 7  # a handful: with the timeline's year row, 8 rows at most


def test_the_families_of_the_bundled_events() -> None:
    counts = {f: 0 for f in FAMILIES}
    for event in ipcoop_data.load().events:
        counts[kind_family(event.kind)] += 1
    assert all(counts.values())
    assert kind_family("pph") == kind_family("signing") == "Agreements and treaties"
    assert kind_family("seminar") == kind_family("forum") == "Conferences and forums"
    assert FAMILIES[-1] == "Other" and kind_family("other") == "Other"


def test_a_string_that_is_no_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="'picnic' is not an event kind"):
        kind_family("picnic")


def test_other_is_a_remainder_not_the_biggest_family() -> None:
    per_family = Counter(kind_family(e.kind) for e in ipcoop_data.load().events)
    assert per_family["Other"] < max(per_family.values())
