#!/usr/bin/env bash
# Bounded fuzzing smoke run: every libFuzzer target built in BUILD_DIR (the list CMake writes to
# BUILD_DIR/fuzz/targets.txt) runs SECONDS from its seed corpus fuzz/corpus/<target>/.
#   fuzz/run-smoke.sh BUILD_DIR SECONDS
# Fails when any target crashes, leaks, trips a sanitizer or hangs on one input (-timeout);
# the input is saved as fuzz/crashes-found/<target>-crash-<sha1> (not committed). Prints per
# target the inputs run, their rate and the coverage reached (cov: edges, ft: features).
# PHASELINE_FUZZ_JOBS targets run at once (default 2). New inputs go to a scratch folder, so the
# seed corpus in the repository stays as it is.
set -euo pipefail
if (($# != 2)) || ! [[ $2 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 BUILD_DIR SECONDS" >&2
    exit 2
fi
build_dir=$(cd "$1" && pwd)
seconds=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
list="$build_dir/fuzz/targets.txt"
[[ -f $list ]] || { echo "$list: missing (configure with -DPHASELINE_BUILD_FUZZERS=ON)" >&2; exit 2; }
mapfile -t targets <"$list"
crashes="$repo/fuzz/crashes-found"
mkdir -p "$crashes"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/phaseline-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

run_target() {
    local target=$1
    local fuzzer="$build_dir/fuzz/$target"
    local seeds="$repo/fuzz/corpus/$target"
    mkdir -p "$scratch/$target"
    [[ -x $fuzzer ]] || { echo "$fuzzer: not built" >"$scratch/$target.log"; echo 1 >"$scratch/$target.rc"; return; }
    [[ -d $seeds ]] || { echo "$seeds: no seed corpus" >"$scratch/$target.log"; echo 1 >"$scratch/$target.rc"; return; }
    local rc=0
    "$fuzzer" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashes/$target-" "$scratch/$target" "$seeds" >"$scratch/$target.log" 2>&1 || rc=$?
    echo "$rc" >"$scratch/$target.rc"
}

jobs_at_once="${PHASELINE_FUZZ_JOBS:-2}"
for target in "${targets[@]}"; do
    while (($(jobs -rp | wc -l) >= jobs_at_once)); do
        wait -n || true
    done
    run_target "$target" &
done
wait

failed=()
printf '%-22s %10s %8s %7s %7s %7s  %s\n' target execs exec/s cov ft corpus result
for target in "${targets[@]}"; do
    log="$scratch/$target.log"
    rc=$(cat "$scratch/$target.rc")
    # The last status line: "#123456 DONE cov: 1234 ft: 5678 corp: 90/12Kb ... exec/s: 4567 ..."
    status=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
    rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -n 1)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$status")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$status")
    corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$status")
    result=ok
    if [[ $rc != 0 ]]; then
        result="FAILED (exit $rc)"
        failed+=("$target")
    fi
    printf '%-22s %10s %8s %7s %7s %7s  %s\n' "$target" "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" \
        "${corp:--}" "$result"
done
for target in "${failed[@]}"; do
    echo "--- $target: the end of its log" >&2
    tail -n 60 "$scratch/$target.log" >&2
done
if ((${#failed[@]} > 0)); then
    echo "fuzzing smoke run failed: ${failed[*]} (inputs in $crashes)" >&2
    exit 1
fi
echo "fuzzing smoke run: ${#targets[@]} targets, ${seconds} s each, no crash"
