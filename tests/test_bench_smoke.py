"""The benchmark scripts still work: the generator, the same-findings check and bench/run.py --quick.

No timing is asserted here; the figures are for people (python bench/run.py).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from ipcoop_data import read_dataset
from ipcoop_data.checks import validate

from .conftest import REPO

BENCH = REPO / "bench"


@pytest.fixture(scope="module")
def bench() -> tuple[ModuleType, ModuleType]:
    sys.path.insert(0, str(BENCH))
    try:
        import generate
        import same_findings
    finally:
        sys.path.remove(str(BENCH))
    return generate, same_findings


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_data_has_the_injected_findings_and_nothing_else(
    bench: tuple[ModuleType, ModuleType], tmp_path: Path
) -> None:
    generate, _ = bench
    generate.generate(500, tmp_path / "d", block=250)
    loaded = read_dataset(tmp_path / "d")
    dataset = loaded.dataset
    assert len(dataset.events) == len(dataset.observations) == 500
    assert {p.name for p in (tmp_path / "d").iterdir()} >= {"events", "observations", "sources.yaml", "rulings.yaml"}
    report = validate(loaded)
    found = Counter((f.code, f.severity) for f in report.findings)
    assert found == Counter(generate.expected_findings(500, 250))
    assert found[("metric-conflict", "error")] == 2 * 2  # two blocks, two open conflicts each


def test_the_generator_is_deterministic(bench: tuple[ModuleType, ModuleType], tmp_path: Path) -> None:
    generate, _ = bench
    generate.generate(300, tmp_path / "a", seed=3, block=150)
    generate.generate(300, tmp_path / "b", seed=3, block=150)
    generate.generate(300, tmp_path / "c", seed=4, block=150)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert files_of(tmp_path / "a") != files_of(tmp_path / "c")


def test_findings_scale_with_the_number_of_blocks(bench: tuple[ModuleType, ModuleType], tmp_path: Path) -> None:
    generate, same_findings = bench
    generate.generate(200, tmp_path / "small", block=100)
    generate.generate(600, tmp_path / "large", block=100)
    assert same_findings.compare(tmp_path / "small", tmp_path / "large", block=100) == []
    # and the check does see a difference: a conflict fixed in one block only
    stock = tmp_path / "large" / "observations" / "news-2010.yaml"
    stock.write_text(stock.read_text().replace("value: 1321", "value: 1234", 1))
    assert same_findings.compare(tmp_path / "small", tmp_path / "large", block=100) != []


@pytest.mark.slow
def test_run_quick_prints_the_table(tmp_path: Path) -> None:
    only = "validate,growth,xlsx,ics"  # the parts that exercise every kind of process; the rest are alike
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--scenario", "generated", "--work", str(tmp_path),
         "--only", only],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "measurement" in out and "baseline" in out and "ratio" in out and "target" in out
    for row in (
        "ipcoop validate 500",
        "PyYAML CSafeLoader parse",
        'python -c "from pydantic import BaseModel; import yaml"',
        "validate 1k, whole process",
        "validate 1k, load+checks in process",
        "xlsx export 1k, export call only",
        "xlsx export 1k, peak memory above the loaded dataset",
        "bare XlsxWriter constant_memory dump",
        "bare icalendar build",
    ):
        assert row in out, f"no row {row!r} in:\n{out}"
    assert "same findings" in out


@pytest.mark.slow
def test_both_scenarios_run_in_one_table(tmp_path: Path) -> None:
    """The default run measures the generated and the replicated data in one run, one table."""
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--only", "validate,growth,all", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    table = out[out.index("measurement") : out.index("findings, generated")]
    for row in (
        "[generated] validate 1k, whole process",
        "[generated] ipcoop export all 1k, peak memory",
        "[replicated] validate 10x bundled, whole process",
        "[replicated] ipcoop export all 10x bundled, peak memory",
        "[replicated] ipcoop validate 3x bundled, no cache",
    ):
        assert row in table, f"no row {row!r} in:\n{out}"
    assert "findings, generated, at 1k vs 500: same findings" in out
    assert (tmp_path / "replicated-10" / "events").is_dir()
