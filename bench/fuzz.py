"""The fuzz cases of tests/test_fuzz.py by the thousand: failures grouped by exception type.

Run: python bench/fuzz.py [--cases 5000] [--seed S] [--start K] [--jobs J] [--whole] [--dataset DIR]
                          [--out FILE.jsonl]
     python bench/fuzz.py --case K [--seed S] [--whole] [--write-case DIR]

Case ``K`` of a seed is the same case here and in the test (``make_case``), whatever ``--cases``
is: the test runs cases 0-249 of its SEED, so ``--start 250`` goes on where it stops. The cases
run on the test's trimmed copy of the bundled dataset, or with ``--whole`` on all of it (about
three times slower a case). ``--case K`` runs one case and prints what it mutated and what failed;
``--write-case DIR`` also writes that case's dataset to DIR, to run ``ipcoop validate --dataset
DIR`` or an export on it by hand. Exit status: 0 when no case failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
fuzz: Any = importlib.import_module("tests.test_fuzz")

# --- one worker process ---------------------------------------------------------------------------

_base: dict[str, Any] = {}
_work: Path | None = None


def _init(scratch: str, whole: bool, dataset: str) -> None:
    global _work
    own = Path(scratch) / f"worker-{os.getpid()}"
    own.mkdir()
    _base["tree"] = fuzz.base_tree(own / "bundled", whole=whole, dataset=Path(dataset))
    _work = own / "work"


def _run(job: tuple[int, int]) -> tuple[int, list[Any], float]:
    index, case_seed = job
    assert _work is not None
    case = fuzz.make_case(_base["tree"], index, case_seed=case_seed)
    start = time.perf_counter()
    failures = fuzz.run_case(case, _work)
    return index, failures, time.perf_counter() - start


# --- reports --------------------------------------------------------------------------------------


def grouped(failures: Sequence[Any]) -> str:
    """By exception type, then by place (the innermost ipcoop_data frame, or the check), first example each."""
    by_kind: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for f in sorted(failures, key=lambda f: (f.index, f.stage)):
        by_kind[f.kind][f.group].append(f)
    lines = []
    order = sorted(by_kind.items(), key=lambda kv: -sum(len({f.index for f in g}) for g in kv[1].values()))
    for kind, places in order:
        cases = {f.index for group in places.values() for f in group}
        lines.append(f"{kind}: {len(cases)} case(s), {len(places)} place(s)")
        for place, group in sorted(places.items(), key=lambda kv: -len({f.index for f in kv[1]})):
            first = group[0]
            stages = ", ".join(sorted({f.stage for f in group}))
            lines.append(f"  at {first.where if first.kind != 'check' else place}")
            lines.append(f"    {len({f.index for f in group})} case(s), stage(s): {stages}")
            lines.append(f"    first: case {first.index} [{first.stage}]: {first.message}")
            lines.append(f"    mutation: {first.mutation}")
    return "\n".join(lines)


def _progress(done: int, total: int, failed: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    print(f"\r{done}/{total} cases, {failed} failing, {rate:.1f} cases/s", end="", file=sys.stderr, flush=True)


def run_many(args: argparse.Namespace) -> int:
    seeds = fuzz.case_seeds(args.seed, args.start + args.cases)
    jobs = [(i, seeds[i]) for i in range(args.start, args.start + args.cases)]
    failures: list[Any] = []
    slowest: list[tuple[float, int]] = []
    failed: set[int] = set()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ipcoop-fuzz-") as scratch:
        results: Iterator[tuple[int, list[Any], float]]
        if args.jobs > 1:
            pool = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(
                args.jobs, _init, (scratch, args.whole, str(args.dataset))
            )
            results = pool.imap_unordered(_run, jobs, chunksize=4)
        else:
            pool = None
            _init(scratch, args.whole, str(args.dataset))
            results = map(_run, jobs)
        try:
            for done, (index, found, seconds) in enumerate(results, 1):
                failures.extend(found)
                if found:
                    failed.add(index)
                slowest.append((seconds, index))
                if done % 50 == 0 or done == len(jobs):
                    _progress(done, len(jobs), len(failed), started)
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
    elapsed = time.perf_counter() - started
    print(file=sys.stderr)
    base = "whole" if args.whole else "trimmed"
    print(
        f"{len(jobs)} cases ({args.start}-{args.start + len(jobs) - 1}) of seed {args.seed} on the {base} dataset "
        f"in {elapsed:.1f} s with {args.jobs} job(s): {len(failed)} failing case(s), {len(failures)} failing stage(s)"
    )
    slow = ", ".join(f"case {i} {s:.2f} s" for s, i in sorted(slowest, reverse=True)[:3])
    print(f"slowest: {slow}")
    if failures:
        print()
        print(grouped(failures))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            for f in sorted(failures, key=lambda f: (f.index, f.stage)):
                handle.write(json.dumps(asdict(f), ensure_ascii=True) + "\n")
    return 1 if failures else 0


def run_one(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="ipcoop-fuzz-") as scratch:
        tree = fuzz.base_tree(Path(scratch) / "bundled", whole=args.whole, dataset=args.dataset)
        case = fuzz.make_case(tree, args.case, seed=args.seed)
        print(f"case {args.case} of seed {args.seed}: {case.description}")
        failures = fuzz.run_case(case, Path(scratch) / "work")
        for f in failures:
            print(f"  [{f.stage}] {f.kind}: {f.message}\n      at {f.where}")
        if not failures:
            print("  no failure")
        if args.write_case:
            target = Path(args.write_case)
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            fuzz.write_tree(case.tree, target / "dataset", target / "outside.yaml")
            (target / "outside.yaml").write_bytes(b"- id: outside-the-dataset\n  name: read from outside the dataset\n")
            print(f"wrote the case's dataset to {target / 'dataset'}")
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=5000, help="how many cases (default 5000)")
    parser.add_argument("--seed", type=int, default=fuzz.SEED, help=f"seed (default {fuzz.SEED}, the test's)")
    parser.add_argument("--start", type=int, default=0, help="index of the first case (default 0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per CPU)")
    parser.add_argument("--whole", action="store_true", help="mutate the whole bundled dataset, not the trimmed one")
    parser.add_argument("--dataset", type=Path, default=fuzz.DATASET, help="dataset to mutate (default: bundled)")
    parser.add_argument("--out", metavar="FILE", help="also write every failure to FILE, one JSON object a line")
    parser.add_argument("--case", type=int, help="run only this case and say what it did")
    parser.add_argument("--write-case", metavar="DIR", help="with --case: write the case's dataset to DIR/dataset")
    args = parser.parse_args(argv)
    if args.case is not None:
        return run_one(args)
    return run_many(args)


if __name__ == "__main__":
    raise SystemExit(main())
