# A followed JSONL file replaced under its name by a bigger one (renamed over it, or truncated
# and rewritten past the old read offset before the next scan) must be read again from the start:
# nothing lost, no "partial last line". A file rotated to another *.jsonl name is the same file:
# its records are not new. `--record OUT DIR` follows DIR the way the window does.
records() { # FIRST LAST: one TensorRT-LLM record a line, request ids FIRST..LAST
    local i
    for ((i = $1; i <= $2; ++i)); do
        printf '{"request_id": %d, "perf_metrics": {"first_iter": 1, "last_iter": 9, "timing_metrics": {"arrival_time": %d.000, "first_scheduled_time": %d.010, "first_token_time": %d.050, "last_token_time": %d.900}}}\n' \
            "$i" $((1000 + i)) $((1000 + i)) $((1000 + i)) $((1000 + i))
    done
}
mkdir run
records 1 3 >run/perf_metrics-a.jsonl
records 101 102 >run/perf_metrics-b.jsonl
(
    sleep 1.5
    records 4 10 >run/.a.tmp
    mv run/.a.tmp run/perf_metrics-a.jsonl # bigger, renamed over it
    records 103 110 >run/perf_metrics-b.jsonl # truncated in place, rewritten past the old offset
    sleep 1.5
    mv run/perf_metrics-a.jsonl run/perf_metrics-a-1.jsonl # rotated
    records 11 12 >run/perf_metrics-a.jsonl
) &
run_phaseline --record out.jsonl --duration 4.5 run
wait
expect_status 0
expect_stderr 'recorded 22 record'
[[ $(wc -l <out.jsonl) == 22 ]] || fail "out.jsonl has $(wc -l <out.jsonl) lines, expected 22"
expect_stderr 'perf_metrics-b\.jsonl.*(rewritten|shrank).*read again from the start'
expect_no_stderr 'partial|newline|duplicate'
