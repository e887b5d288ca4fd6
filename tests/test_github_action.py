"""The reusable GitHub Action (action.yml) and the pre-commit hook, as another repository uses them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import GOOD_EVENT, REPO, MakeDataset

ACTION = REPO / "action.yml"
SCRIPTS = REPO / ".github" / "action"


def _check_jsonschema(schema: str, path: Path) -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run(
        [str(checker), "--builtin-schema", schema, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_action_and_the_workflow_follow_githubs_schemas() -> None:
    _check_jsonschema("vendor.github-actions", ACTION)
    _check_jsonschema("vendor.github-workflows", REPO / ".github" / "workflows" / "validate.yml")


def test_the_action_is_composite_and_never_pastes_an_input_into_a_script() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        # `${{ inputs.x }}` inside `run:` would let an input inject shell code; env is safe
        assert "${{" not in step.get("run", ""), step
    ours = yaml.safe_load((REPO / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8"))
    assert any(step.get("uses") == "./" for step in ours["jobs"]["validate"]["steps"])  # this repo uses it


def _as_github_runs_it(tmp_path: Path, env: dict[str, str], script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPTS / script)], capture_output=True, text=True, env=env, cwd=tmp_path, check=False
    )


@pytest.mark.slow
def test_the_action_installs_its_own_ref_and_reports(tmp_path: Path, make_dataset: MakeDataset) -> None:
    """Run the action's two scripts as the runner would (setup-python's Python, the runner's files)."""
    runner = tmp_path / "runner"
    runner.mkdir()
    files = {name: runner / name for name in ("path", "output", "summary")}
    for path in files.values():
        path.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "RUNNER_TEMP": str(runner),
        "GITHUB_ACTION_PATH": str(REPO),
        "GITHUB_PATH": str(files["path"]),
        "GITHUB_OUTPUT": str(files["output"]),
        "GITHUB_STEP_SUMMARY": str(files["summary"]),
    }
    installed = _as_github_runs_it(tmp_path, env, "install.sh")
    assert installed.returncode == 0, installed.stderr
    bin_dir = files["path"].read_text(encoding="utf-8").strip()
    assert (Path(bin_dir) / "ipcoop").exists() and "ipcoop-data" in installed.stdout
    env["PATH"] = f"{bin_dir}:{env['PATH']}"

    good = make_dataset({"events/2017.yaml": GOOD_EVENT})
    clean = _as_github_runs_it(tmp_path, {**env, "IPCOOP_DATASET": str(good)}, "validate.sh")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "exit-code=0" in files["output"].read_text(encoding="utf-8")
    assert "✅ OK" in files["summary"].read_text(encoding="utf-8")

    (good / "events" / "2017.yaml").write_text(GOOD_EVENT.replace("date:", "titel: x\n  date:"), encoding="utf-8")
    failing = _as_github_runs_it(
        tmp_path, {**env, "IPCOOP_DATASET": str(good), "IPCOOP_ARGS": "--ignore series-gap"}, "validate.sh"
    )
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "exit-code=1" in files["output"].read_text(encoding="utf-8")
    assert re.search(r"^::error file=.*2017\.yaml,line=\d+,title=unknown-field::", failing.stdout, re.M)
    assert "❌ FAILED" in files["summary"].read_text(encoding="utf-8")

    # extra arguments are words, never globs or shell code
    (tmp_path / "gotcha").write_text("", encoding="utf-8")
    odd = _as_github_runs_it(
        tmp_path, {**env, "IPCOOP_DATASET": str(good), "IPCOOP_ARGS": "* $(touch pwned)"}, "validate.sh"
    )
    assert odd.returncode == 2 and "unrecognized arguments: * $(touch pwned)" in odd.stderr
    assert not (tmp_path / "pwned").exists()


@pytest.mark.slow
def test_the_pre_commit_hook_checks_an_init_dataset_quotes_included(tmp_path: Path) -> None:
    """pre-commit installs the hook from this repository (as `rev:` would from a tag) and runs it."""
    repo = tmp_path / "their-repo"
    repo.mkdir()
    ipcoop = Path(sys.executable).parent / "ipcoop"
    subprocess.run([str(ipcoop), "init", str(repo / "datasets")], check=True, capture_output=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo, check=True)

    def hook() -> subprocess.CompletedProcess[str]:
        pre_commit = Path(sys.executable).parent / "pre-commit"
        return subprocess.run(
            [str(pre_commit), "try-repo", str(REPO), "ipcoop-validate", "--all-files", "--verbose"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "a new dataset")
    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "OK: 0 errors" in passed.stdout and "quotes checked against 1 source texts" in passed.stdout
    event = next((repo / "datasets" / "events").glob("*.yaml"))
    event.write_text(event.read_text(encoding="utf-8").replace('quote: "', 'quote: "Not in the text: '), "utf-8")
    git("add", ".")
    failed = hook()
    assert failed.returncode == 1 and "quote-not-found" in failed.stdout
