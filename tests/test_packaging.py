"""The package as a user gets it: a built wheel in a fresh environment, and the code-quality gates."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

import ipcoop_data
from ipcoop_data.checks import validate
from ipcoop_data.report.render import render

from .conftest import REPO


@pytest.mark.slow
def test_wheel_installs_and_loads_the_bundled_dataset(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        text=True,
    )
    [wheel] = dist.glob("ipcoop_data-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "ipcoop_data/py.typed" in names
    assert "ipcoop_data/_data/schemas/export.schema.json" in names
    assert "ipcoop_data/_data/datasets/texts/README.md" in names
    assert len([n for n in names if n.startswith("ipcoop_data/_data/datasets/texts/") and n.endswith(".txt")]) == 5
    assert {n.rsplit("/", 1)[-1] for n in names if "/licenses/" in n} >= {"LICENSE", "DATA-LICENSE.md"}
    vendored = {n.rsplit("/", 1)[-1] for n in names if n.startswith("ipcoop_data/export/vendor/timelinejs/")}
    assert vendored >= {"timeline.js", "timeline.css", "tl-icons.woff2", "LICENSE", "SHA256SUMS"}  # the page's

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    env_python = env_dir / "bin" / "python"
    # The fresh environment sees this one's third-party packages (pydantic, pandas, ...) through a
    # plain path entry; .pth files there (such as the editable install of ipcoop_data) are not run.
    purelib = Path(
        subprocess.run(
            [str(env_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (purelib / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(env_python), "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = subprocess.run(
        [
            str(env_python),
            "-c",
            "import ipcoop_data; d = ipcoop_data.load(); print(ipcoop_data.__file__); "
            "print(len(d.events), len(d.sources))",
        ],
        cwd=outside,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    module_file, counts = result.stdout.splitlines()
    assert module_file.startswith(str(purelib)), "imported the source tree, not the wheel"
    events, sources = map(int, counts.split())
    assert sources == 5 and events > 0

    cli = subprocess.run(
        [str(env_dir / "bin" / "ipcoop"), "validate", "--format", "json"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": ""},  # the wheel alone, never a source tree on the path
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    from_wheel = json.loads(cli.stdout)
    assert from_wheel["dataset"].startswith(str(purelib))
    assert "quotes checked against 5 source texts in texts/" in from_wheel["summary"]["notes"]
    # The same findings and fingerprints as the source tree gives: the bundled ruling still matches.
    from_tree = json.loads(render(validate(ipcoop_data.load()), "json"))
    assert from_wheel["findings"] == from_tree["findings"]
    assert not [f for f in from_wheel["findings"] if f["code"] == "stale-ruling"]

    # The timeline page from the wheel is the page from the source tree, byte for byte.
    pages = {}
    for name, ipcoop in (("wheel", env_dir / "bin" / "ipcoop"), ("tree", Path(sys.executable).parent / "ipcoop")):
        target = tmp_path / name / "t.json"
        subprocess.run(
            [str(ipcoop), "export", "timeline", "--out", str(target)],
            cwd=outside,
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": ""},
        )
        pages[name] = target.with_suffix(".html").read_bytes()
    assert pages["wheel"] == pages["tree"] and len(pages["wheel"]) > 300_000


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent))
    assert path, f"{name} is a test dependency; install the project with .[test]"
    return path


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "src", "tests"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
