"""Correctness does not change with size: a larger generated dataset gets the same findings, scaled.

Run: python bench/same_findings.py SMALL_DIR LARGE_DIR [--block 1000]

Both directories are datasets written by bench/generate.py with the same seed and block size. Every
finding is reduced to (code, severity, record type, record id and key without the block number);
the large dataset's findings must be the small one's, each as many times more as it has more
blocks, and both must be exactly the deliberate conflicts that the generator injects.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from generate import BLOCK, expected_findings, normalize_id

from ipcoop_data import read_dataset
from ipcoop_data.checks import validate

Key = tuple[str, str, str, str, str]


def normalized_findings(path: Path) -> tuple[Counter[Key], int]:
    """Findings of a full validation with block numbers stripped, and the number of events."""
    loaded = read_dataset(path)
    report = validate(loaded)
    found = Counter(
        (f.code, f.severity, f.record_type or "", normalize_id(f.record_id or ""), normalize_id(f.key or ""))
        for f in report.findings
    )
    return found, len(loaded.dataset.events)


def compare(small: Path, large: Path, block: int = BLOCK) -> list[str]:
    """Problems found (an empty list when the findings scale exactly)."""
    small_found, small_events = normalized_findings(small)
    large_found, large_events = normalized_findings(large)
    problems = []
    if large_events % small_events:
        return [f"{large_events} events is not a whole multiple of {small_events}"]
    scale = large_events // small_events
    scaled = Counter({key: n * scale for key, n in small_found.items()})
    for key in sorted(set(scaled) | set(large_found)):
        if scaled[key] != large_found[key]:
            problems.append(
                f"{key}: {large_found[key]} in {large}, expected {scaled[key]} ({small_found[key]} x {scale})"
            )
    for found, events, where in ((small_found, small_events, small), (large_found, large_events, large)):
        by_code: Counter[tuple[str, str]] = Counter()
        for (code, severity, *_), n in found.items():
            by_code[(code, severity)] += n
        if by_code != Counter(expected_findings(events, block)):
            problems.append(f"{where}: findings {dict(by_code)} are not the injected ones")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("small", type=Path)
    parser.add_argument("large", type=Path)
    parser.add_argument("--block", type=int, default=BLOCK)
    args = parser.parse_args()
    problems = compare(args.small, args.large, args.block)
    for problem in problems:
        print(f"DIFFERENT: {problem}")
    if not problems:
        print(f"same findings: {args.large} has those of {args.small}, scaled by its number of blocks")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
