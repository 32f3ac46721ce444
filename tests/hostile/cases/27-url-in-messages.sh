# A refused connection: every message names the URL ("phaseline: : Connection refused" said nothing).
run_phaseline --record "$WORK/out.jsonl" --duration 1 http://127.0.0.1:9/perf_metrics
expect_status 0
expect_stderr "^phaseline: http://127\.0\.0\.1:9/perf_metrics: .*refused"
expect_no_stderr "phaseline: :"
expect_stderr "recorded 0 record\(s\) from http://127\.0\.0\.1:9/perf_metrics"
