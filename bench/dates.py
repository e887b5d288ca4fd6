"""How long parsing a date costs: PartialDate (first parse and cached) against date.fromisoformat.

Run: python bench/dates.py. Prints medians of several runs and ratios against the baseline.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta

from ipcoop_data.model.dates import PartialDate, _parse

N = 20_000
RUNS = 7


def texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(N):
        day = date(1990, 1, 1) + timedelta(days=rng.randrange(40 * 365))
        out.append(day.isoformat()[: rng.choice([4, 7, 10])])
    return out


def timed(fn, items: list[str]) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / len(items) * 1e6


def main() -> None:
    items = texts(1)
    full_days = [t if len(t) == 10 else f"{t}-01-01"[:10] for t in items]
    base, uncached, cached = [], [], []
    for _ in range(RUNS):
        base.append(timed(date.fromisoformat, full_days))
        _parse.cache_clear()
        uncached.append(timed(PartialDate._build, items))
        cached.append(timed(PartialDate, items))
    b, u, c = statistics.median(base), statistics.median(uncached), statistics.median(cached)
    print(f"date.fromisoformat (baseline)   {b:8.2f} us/date")
    print(f"PartialDate, first parse       {u:8.2f} us/date   {u / b:6.1f}x baseline")
    print(f"PartialDate, cached            {c:8.2f} us/date   {c / b:6.1f}x baseline")


if __name__ == "__main__":
    main()
