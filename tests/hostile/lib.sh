#!/usr/bin/env bash
# Runs one hostile case: bash lib.sh CASE.sh PHASELINE_EXECUTABLE
# The case runs with `set -euo pipefail` in a scratch folder ($WORK, removed afterwards) and uses:
#   run_phaseline ARGS...      run the executable (60 s limit, PHASELINE_TIMEOUT overrides);
#                              stdout in $WORK/stdout, stderr in $WORK/stderr, exit status in $status
#   expect_status N            the last run exited with N (124: it hung past the limit); N may
#                              list alternatives, e.g. '0|4'
#   expect_stderr REGEX        stderr matches the extended regular expression (grep -Ei: case-insensitive)
#   expect_stdout REGEX        stdout matches
#   expect_no_stderr REGEX     stderr does not match
#   expect_stderr_lines_at_most N
#   fail MESSAGE               the case fails with MESSAGE
# $PHASELINE is the executable, $PHASELINE_TEST_DATA the test data folder.
set -euo pipefail
case_file="$1"
PHASELINE="$2"
export PHASELINE
: "${PHASELINE_TEST_DATA:=$(cd "$(dirname "$0")/../data" && pwd)}"
export PHASELINE_TEST_DATA
WORK=$(mktemp -d "${TMPDIR:-/tmp}/phaseline-hostile.XXXXXX")
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK"
status=0

fail() {
    echo "FAIL ($(basename "$case_file")): $*" >&2
    echo "--- stdout (first 40 lines)" >&2; head -n 40 "$WORK/stdout" >&2 2>/dev/null || true
    echo "--- stderr (first 40 lines)" >&2; head -n 40 "$WORK/stderr" >&2 2>/dev/null || true
    exit 1
}
run_phaseline() {
    status=0
    timeout --kill-after=5 "${PHASELINE_TIMEOUT:-60}" "$PHASELINE" "$@" >"$WORK/stdout" 2>"$WORK/stderr" || status=$?
}
expect_status() {
    [[ "$status" =~ ^($1)$ ]] || fail "exit status $status, expected $1"
}
expect_stderr() {
    grep -Eiq -- "$1" "$WORK/stderr" || fail "stderr does not match: $1"
}
expect_stdout() {
    grep -Eiq -- "$1" "$WORK/stdout" || fail "stdout does not match: $1"
}
expect_no_stderr() {
    ! grep -Eiq -- "$1" "$WORK/stderr" || fail "stderr matches what it must not: $1"
}
expect_stderr_lines_at_most() {
    local lines
    lines=$(wc -l <"$WORK/stderr")
    ((lines <= $1)) || fail "stderr has $lines lines, expected at most $1"
}

# shellcheck source=/dev/null
source "$case_file"
echo "ok: $(basename "$case_file")"
