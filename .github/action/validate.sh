#!/usr/bin/env bash
# Run ipcoop validate twice: as workflow annotations (in the log, failing the step as the exit
# code says) and as Markdown for the job summary. The second run reads the first one's report
# from the content cache, so it costs almost nothing.
set -uo pipefail
dataset="${IPCOOP_DATASET:-datasets}"
args=(--dataset "$dataset")
if [ "${IPCOOP_STRICT:-false}" = "true" ]; then args+=(--strict); fi
# Extra arguments are split on spaces, with no glob expansion and no shell evaluation.
set -f
# shellcheck disable=SC2206
extra=(${IPCOOP_ARGS:-})
set +f
ipcoop validate "${args[@]}" "${extra[@]}" --format github
code=$?
if [ "${IPCOOP_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  ipcoop validate "${args[@]}" "${extra[@]}" --format markdown >> "$GITHUB_STEP_SUMMARY" || true
fi
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$code"
