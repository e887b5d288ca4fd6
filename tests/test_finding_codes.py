"""One registry of finding codes: the checks use only its codes, the README lists exactly them,
and users select and ignore them by code or family."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import ipcoop_data
from ipcoop_data.checks import validate
from ipcoop_data.cli import main
from ipcoop_data.report.codes import CODES, FAMILIES

from .conftest import REPO

SRC = REPO / "src" / "ipcoop_data"
_MAKERS = {"Finding", "finding", "YamlError", "_refused_text"}
_CODE = re.compile(r"[a-z]+(?:-[a-z0-9]+)+")


def _codes_in_source() -> set[str]:
    """Codes the source passes to Finding(...), ctx.finding(...) and YamlError(...), or maps to."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in _MAKERS and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        found.add(first.value)
                    elif isinstance(first, ast.JoinedStr):  # f"metric-{outcome}"
                        prefix = "".join(v.value for v in first.values if isinstance(v, ast.Constant))
                        found.update(code for code in CODES if code.startswith(prefix))
            if isinstance(node, ast.Dict) and path.name == "load.py":  # pydantic error type -> code
                found.update(v.value for v in node.values if isinstance(v, ast.Constant) and _CODE.fullmatch(v.value))
    return {code for code in found if _CODE.fullmatch(code)}


def test_every_code_a_check_emits_is_registered() -> None:
    emitted = _codes_in_source()
    assert len(emitted) > 40
    assert emitted - set(CODES) == set()


def test_the_readme_lists_exactly_the_registered_codes_by_family() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Checks", 1)[1].split("| family | codes |", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in table.strip().splitlines()[1:]:
        family, codes = line.strip("|").split("|", 1)
        rows[family.strip()] = set(re.findall(r"`([a-z][a-z0-9-]+)`", codes))
    assert list(rows) == list(FAMILIES)
    for family in FAMILIES:
        assert rows[family] == {c.code for c in CODES.values() if c.family == family}, family


def test_select_and_ignore_by_code_or_family(capsys: pytest.CaptureFixture[str]) -> None:
    dataset = ipcoop_data.load()
    everything = validate(dataset).by_code()
    only = validate(dataset, select=["consistency"]).by_code()
    assert set(only) == {"metric-compatible", "metric-growth"} and only["metric-growth"] == everything["metric-growth"]
    without = validate(dataset, ignore=["metric-growth", "identity"]).by_code()
    assert set(without) == set(everything) - {"metric-growth", "conflicting-titles", "party-name-unlisted"}
    with pytest.raises(ValueError, match="did you mean 'consistency'"):
        validate(dataset, select=["consistancy"])

    assert main(["validate", "--select", "consistency,series-gap", "--format", "json"]) == 0
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert codes == {"metric-compatible", "metric-growth", "series-gap"}
    with pytest.raises(SystemExit) as exited:
        main(["validate", "--ignore", "metric-grwoth"])
    assert exited.value.code == 2 and "did you mean 'metric-growth'" in capsys.readouterr().err


def test_a_finding_that_a_file_could_not_be_read_is_never_ignored(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text("- id: [unclosed\n")
    report = validate(ipcoop_data.read_dataset(tmp_path), ignore=["schema"])
    assert [f.code for f in report.findings] == ["yaml-syntax"] and report.exit_code() == 2


def test_ipcoop_codes_lists_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codes", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in rows] == list(CODES)
    assert all(r["title"] and r["family"] in FAMILIES for r in rows)
