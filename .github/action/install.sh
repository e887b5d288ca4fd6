#!/usr/bin/env bash
# Install ipcoop-data from the action's own checkout into a virtual environment of its own, so
# that it cannot clash with what the job installs.
set -euo pipefail
venv="${RUNNER_TEMP:?}/ipcoop-data-venv"
python -m venv "$venv"
if [ -x "$venv/bin/python" ]; then bin="$venv/bin"; else bin="$venv/Scripts"; fi
"$bin/python" -m pip install --quiet --disable-pip-version-check "${GITHUB_ACTION_PATH:?}"
echo "$bin" >> "${GITHUB_PATH:?}"
"$bin/ipcoop" --version
