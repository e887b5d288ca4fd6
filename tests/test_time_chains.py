"""Figures of one quantity are compared along time order, not every two: the same verdicts, fewer words."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from ipcoop_data.analysis.comparisons import Comparison, compare, compare_all
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.records import Metric, Observation

QUALIFIERS = ["exact", "exact", "more_than", "at_least", "about", "up_to"]
WHENS = ["2017", "2017-03", "2017-05", "2017-05-20", "2018", "2018-01", "2019-06-30", "2020"]


def _dataset(rng: random.Random, kind: str, n: int) -> Dataset:
    metric = Metric(id="m", label="M", unit="count", kind=kind)  # type: ignore[arg-type]
    field = "period" if kind in ("flow", "change") else "as_of"
    observations = [
        Observation.model_validate(
            {
                "id": f"o{i:02d}",
                "metric": "m",
                "value": str(rng.choice([10, 12, 15, 20, 20, 30])),
                "qualifier": rng.choice(QUALIFIERS),
                field: rng.choice(WHENS if field == "as_of" else ["2017", "2018", "2017-05"]),
                "as_reported": "x",
                "citations": [{"source": "s", "quote": "q"}],
            }
        )
        for i in range(n)
    ]
    return Dataset(metrics=[metric], observations=observations)


def _all_pairs(dataset: Dataset) -> list[Comparison]:
    metric = dataset.metrics[0]
    found = []
    for a, b in combinations(sorted(dataset.observations, key=lambda o: (o.when, o.id)), 2):
        result = compare(metric, a, b)
        if result is not None and result.outcome != "agree":
            found.append(result)
    return found


@pytest.mark.parametrize("kind", ["cumulative", "stock", "flow"])
def test_chains_reach_the_same_verdicts_as_every_pair_with_linear_output(kind: str) -> None:
    rng = random.Random(kind)
    for _ in range(300):
        n = rng.randint(2, 25)
        dataset = _dataset(rng, kind, n)
        chained = list(compare_all(dataset))
        every = _all_pairs(dataset)
        # every comparison the chain makes is one the pairwise look makes, with the same outcome
        pairwise_outcomes = {frozenset((c.first.id, c.second.id)): c.outcome for c in every}
        for c in chained:
            assert pairwise_outcomes.get(frozenset((c.first.id, c.second.id))) == c.outcome
        # a quantity in conflict is found in conflict
        assert any(c.outcome == "conflict" for c in chained) == any(c.outcome == "conflict" for c in every)
        # and the output is linear in the figures, each pair once
        assert len(chained) <= 3 * n
        assert len({frozenset((c.first.id, c.second.id)) for c in chained}) == len(chained)


def test_a_cumulative_figure_below_an_earlier_one_far_back_is_a_conflict() -> None:
    def obs(oid: str, value: str, when: str) -> Observation:
        return Observation.model_validate(
            {"id": oid, "metric": "m", "value": value, "as_of": when, "as_reported": value,
             "citations": [{"source": "s", "quote": "q"}]}
        )  # fmt: skip

    metric = Metric(id="m", label="M", unit="count", kind="cumulative")
    figures = [obs("a", "30", "2017"), obs("b", "31", "2018"), obs("c", "32", "2019"), obs("d", "20", "2020")]
    outcomes = {
        (c.first.id, c.second.id): c.outcome for c in compare_all(Dataset(metrics=[metric], observations=figures))
    }
    assert outcomes == {("a", "b"): "growth", ("b", "c"): "growth", ("c", "d"): "conflict"}


def test_identical_figures_collapse_into_one_with_all_their_sources() -> None:
    def obs(oid: str, value: str, when: str) -> Observation:
        return Observation.model_validate(
            {"id": oid, "metric": "m", "value": value, "as_of": when, "as_reported": value,
             "citations": [{"source": oid, "quote": "q"}]}
        )  # fmt: skip

    metric = Metric(id="m", label="M", unit="count", kind="cumulative")
    copies = [obs(f"same-{i:03d}", "17", "2024-07-29") for i in range(100)] + [obs("later", "18", "2024-09")]
    dataset = Dataset(metrics=[metric], observations=copies)
    different = list(compare_all(dataset))
    assert [(c.first.id, c.second.id, c.outcome) for c in different] == [("same-000", "later", "growth")]
    agreeing = [c for c in compare_all(dataset, include_agreement=True) if c.outcome == "agree"]
    assert len(agreeing) == 99
    by_first: dict[str, int] = defaultdict(int)
    for c in agreeing:
        by_first[c.first.id] += 1
    assert by_first == {"same-000": 99}


def test_export_all_compares_the_figures_and_hashes_the_dataset_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ipcoop_data.analysis import comparisons
    from ipcoop_data.cli import main
    from ipcoop_data.export import common

    calls: Counter[str] = Counter()

    def counted(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(comparisons, "compare_all", counted("compare_all", comparisons.compare_all))
    monkeypatch.setattr(common, "_fingerprint", counted("fingerprint", common._fingerprint))
    assert main(["export", "all", "--out", str(tmp_path)]) == 0
    assert calls == {"compare_all": 1, "fingerprint": 1}
