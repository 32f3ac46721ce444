# A refused connection: every message names the URL ("phaseline: : Connection refused" said nothing;
# "Host  not found" named no host).
run_phaseline --record "$WORK/out.jsonl" --duration 1 http://127.0.0.1:9/perf_metrics
expect_status 0
expect_stderr "^phaseline: http://127\.0\.0\.1:9/perf_metrics: .*refused"
expect_no_stderr "phaseline: :"
expect_stderr "recorded 0 record\(s\) from http://127\.0\.0\.1:9/perf_metrics"
# A URL without a host, and a URL given to --stats (which reads files), are bad usage that says so.
run_phaseline --record "$WORK/out.jsonl" --duration 1 http:///perf_metrics
expect_status 2
expect_stderr "the URL 'http:///perf_metrics' names no host"
run_phaseline --stats http://127.0.0.1:9/perf_metrics
expect_status 2
expect_stderr "http://127\.0\.0\.1:9/perf_metrics is a URL: --stats and --export read files"
