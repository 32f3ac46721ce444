# --interval 3000000 used to poll once and never again, --duration 3000000 never to stop (int
# milliseconds wrapped): out-of-range values are bad usage and the message states the limits.
url=http://127.0.0.1:9/perf_metrics
run_phaseline --record "$WORK/out.jsonl" --interval 3000000 "$url"
expect_status 2
expect_stderr "--interval must be a number of seconds from 0\.01 to 86400"
run_phaseline --record "$WORK/out.jsonl" --duration 3000000 "$url"
expect_status 2
expect_stderr "--duration must be a number of seconds from 0\.01 to 2000000"
run_phaseline --record "$WORK/out.jsonl" --interval nan "$url"
expect_status 2
run_phaseline --record "$WORK/out.jsonl" --max-response 0 "$url"
expect_status 2
expect_stderr "--max-response must be a number of mebibytes from 1 to 4096"
