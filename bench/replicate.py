"""The bundled dataset replicated K times with new ids: many similar records, as real data grows.

Unlike ``generate.py`` (synthetic records, spread evenly), every copy of an event or a figure here is
alike: the shape that makes pairwise checks quadratic. Events and observations are copied K times,
each copy's id suffixed ``.kNNN`` (copy 0 keeps the original ids, so rulings still apply); sources,
organizations, people, series, metrics, rulings, relations and texts are shared.

    python bench/replicate.py --times 10 --out /tmp/x10
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

BUNDLED = Path(__file__).resolve().parents[1] / "datasets"
_RECORD_ID = re.compile(r"^- id: (\S+)$", re.MULTILINE)
COPIED = ("events", "observations")


def replicate(times: int, out: Path, source: Path = BUNDLED) -> Path:
    """Write the dataset at ``source`` replicated ``times`` times into ``out``; returns ``out``."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out, ignore=shutil.ignore_patterns(*COPIED))
    for folder in COPIED:
        (out / folder).mkdir()
        for path in sorted((source / folder).glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            copies = [text] + [_RECORD_ID.sub(rf"- id: \1.k{k:03d}", text) for k in range(1, times)]
            (out / folder / path.name).write_text("\n".join(copies), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    replicate(args.times, args.out)
    print(f"wrote {args.out} ({args.times} copies of the bundled events and observations)")


if __name__ == "__main__":
    main()
