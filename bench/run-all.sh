#!/bin/bash
# Every benchmark of bench/ in one run, on one build, with the machine named (issue 15: figures
# are compared within one run, never across machines or days).
# Usage: bench/run-all.sh [REQUESTS=1000000] [BUILD=build] [OUT=bench-REQUESTS-DATE.txt]
#   Builds the bench targets in BUILD (configured RelWithDebInfo with PHASELINE_BUILD_BENCH=ON when
#   BUILD does not exist yet), then runs bench_load, bench_breakdown, bench_timeline, bench_live
#   and bench_stall at REQUESTS requests (generated files are kept in ${TMPDIR:-/tmp}/phaseline-bench
#   and reused). The TensorRT-LLM comparison needs a checkout of its script: bench/stats_vs_anchor.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-1000000}
build=${2:-build}
out=${3:-bench-$requests-$(date -u +%Y%m%dT%H%M%SZ).txt}
dir=${TMPDIR:-/tmp}/phaseline-bench

if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPHASELINE_BUILD_BENCH=ON
fi
cmake --build "$build" --target bench_load bench_breakdown bench_timeline bench_live bench_stall

{
    echo "# Phaseline benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "# machine: $(nproc) hardware threads, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')," \
         "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    for bench in "bench_load --dir $dir --repeat 3" "bench_breakdown --dir $dir" "bench_timeline --dir $dir" \
                 "bench_live" "bench_stall --dir $dir"; do
        echo
        echo "## $bench $requests"
        # Offscreen: the view benchmarks paint into images; no display is needed.
        QT_QPA_PLATFORM=offscreen "$build/bench/"$bench "$requests"
    done
    echo
    echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
echo "bench: figures in $out" >&2
