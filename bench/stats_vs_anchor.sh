#!/bin/bash
# `phaseline --stats` against TensorRT-LLM's `time_breakdown.py --stats-only` on the same generated
# aggregated file, back to back, R rounds: wall and CPU seconds of each and their ratios.
# Usage: bench/stats_vs_anchor.sh TIME_BREAKDOWN_PY [REQUESTS=100000] [ROUNDS=5] [BUILD=build]
#   TIME_BREAKDOWN_PY: tensorrt_llm/serve/scripts/time_breakdown/time_breakdown.py of a TensorRT-LLM
#   checkout; it runs under /usr/bin/python3 and needs numpy and plotly (Debian: python3-numpy,
#   python3-plotly). The input is a JSON array, the only shape that script reads.
set -euo pipefail
anchor=${1:?"usage: $0 TIME_BREAKDOWN_PY [REQUESTS] [ROUNDS] [BUILD]"}
requests=${2:-100000}
rounds=${3:-5}
build=${4:-build}
dir=${TMPDIR:-/tmp}/phaseline-bench
file=$dir/agg-$requests.json

# bench_load writes the file when it is missing (and times one load of it).
"$build/bench/bench_load" --dir "$dir" --repeat 1 --shape array "$requests" >/dev/null

# Prints "wall cpu" seconds of one run of the command (bash's time: millisecond resolution).
measure() {
    local TIMEFORMAT='%3R %3U %3S' times
    times=$({ time "$@" >/dev/null 2>&1; } 2>&1)
    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' <<<"$times"
}

echo "$requests aggregated requests ($(du -h "$file" | cut -f1)), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
printf '%-6s %12s %12s %14s %14s %10s %10s\n' round "anchor wall" "anchor cpu" "phaseline wall" "phaseline cpu" "wall ×" "cpu ×"
for round in $(seq "$rounds"); do
    read -r anchorWall anchorCpu < <(measure /usr/bin/python3 "$anchor" "$file" --stats-only)
    read -r ownWall ownCpu < <(measure "$build/app/phaseline" --stats "$file")
    awk -v r="$round" -v aw="$anchorWall" -v ac="$anchorCpu" -v pw="$ownWall" -v pc="$ownCpu" \
        'BEGIN { printf "%-6s %12.2f %12.2f %14.3f %14.3f %10.1f %10.1f\n", r, aw, ac, pw, pc, aw / pw, ac / pc }'
done
