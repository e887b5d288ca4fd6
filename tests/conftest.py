from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from ipcoop_data.analysis.discrepancies import comparisons
from ipcoop_data.model.dataset import Dataset
from ipcoop_data.report.findings import Report

# The tests never write to the user's own cache folder; the processes they start inherit this.
os.environ["IPCOOP_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="ipcoop-test-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

REPO = Path(__file__).resolve().parents[1]
DATASET = REPO / "datasets"
#: The bundled dataset keeps its source texts inside it: the evidence travels with the data.
TEXTS = DATASET / "texts"

SOURCE_TEXT = """\
In 2017, the office signed 52 new agreements.
In May, the office held the 3rd Heads Meeting in Geneva, with more than 1,300 participants.
"""

SOURCES_YAML = f"""\
- id: report-2017
  title: A 2017 report
  kind: annual_report
  published: "2018"
  covers: "2017"
  text: report.txt
  text_sha256: {hashlib.sha256(SOURCE_TEXT.encode()).hexdigest()}
"""


#: One good event that cites SOURCE_TEXT: the record most small datasets of the tests start from.
GOOD_EVENT = """\
- id: 2017-05-heads-3
  title: Third Heads Meeting
  kind: meeting
  date: "2017-05"
  citations:
    - source: report-2017
      quote: "In May, the office held the 3rd Heads Meeting in Geneva"
"""

MakeDataset = Callable[..., Path]


@pytest.fixture
def make_dataset(tmp_path: Path) -> MakeDataset:
    """Write a small dataset: ``make_dataset({"events/2017.yaml": "..."})`` (YAML is dedented).

    sources.yaml (naming ``report.txt``, pinned) and ``texts/report.txt`` are added unless given.
    """

    def make(files: dict[str, str | bytes], with_sources: bool = True) -> Path:
        root = tmp_path / "datasets"
        root.mkdir(exist_ok=True)
        if with_sources and "sources.yaml" not in files:
            (root / "sources.yaml").write_text(SOURCES_YAML, encoding="utf-8")
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        texts = root / "texts"
        texts.mkdir(exist_ok=True)
        if not (texts / "report.txt").exists():
            (texts / "report.txt").write_text(SOURCE_TEXT, encoding="utf-8")
        return root

    return make


def expected_counts(dataset: Dataset, report: Report) -> dict[str, int]:
    """Rows each exported table must have (data package and SQLite alike), counted from the records."""
    d = dataset
    own = sum(len(r.citations) for _, r in d.records() if hasattr(r, "citations"))
    nested = sum(len(n.citations) for o in d.organizations for n in o.names)
    nested += sum(len(r.citations) for p in d.people for r in p.roles)
    nested += sum(len(r.evidence) for r in d.rulings)  # the quotes an open ruling carries as evidence
    return {
        "sources": len(d.sources),
        "organizations": len(d.organizations),
        "organization_names": sum(len(o.names) for o in d.organizations),
        "people": len(d.people),
        "roles": sum(len(p.roles) for p in d.people),
        "series": len(d.series),
        "series_organizers": sum(len(s.organizers) for s in d.series),
        "metrics": len(d.metrics),
        "events": len(d.events),
        "event_parties": sum(len(e.parties) for e in d.events),
        "event_people": sum(len(e.people) for e in d.events),
        "event_instruments": sum(len(e.instruments) for e in d.events),
        "event_countries": sum(len(e.countries) for e in d.events),
        "observations": len(d.observations),
        "citations": own + nested,
        "rulings": len(d.rulings),
        "ruling_observations": sum(len(r.observations) for r in d.rulings),
        "relations": len(d.relations),
        "relation_parts": sum(len(r.parts) for r in d.relations),
        "exclusions": len(d.exclusions),
        "findings": len(report.findings),
        "discrepancies": len(comparisons(d)),
    }
