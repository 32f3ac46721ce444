# A CR LF inside a --header value would be sent raw and arrive as an extra header: refused as bad
# usage, with the control characters shown escaped.
run_phaseline --record "$WORK/out.jsonl" --header $'X-Test: a\r\nX-Injected: 1' http://127.0.0.1:9/perf_metrics
expect_status 2
expect_stderr "--header 'X-Test: a\\\\r\\\\nX-Injected: 1' is refused: the value holds a control character"
[[ ! -e "$WORK/out.jsonl" ]] || fail "a session file was made"
run_phaseline --record "$WORK/out.jsonl" --header $'X\nY: 1' http://127.0.0.1:9/perf_metrics
expect_status 2
expect_stderr "is not an HTTP header name"
