# A 302 from the live URL to another origin (another port): the Authorization header must never
# reach it; by default the redirect is not followed and is reported with its target; with
# --follow-redirects it is followed without the header.
source "$(dirname "$case_file")/../server.sh"
start_server redirect
port=${URL##*:}
port=${port%%/*}
run_phaseline --record "$WORK/out.jsonl" --duration 1 --header 'Authorization: Bearer s3cret' "$URL"
expect_status 0
expect_stderr "$URL: HTTP 302: redirected to http://127\.0\.0\.1:[0-9]+/perf_metrics, another origin: not followed"
expect_stderr "recorded 0 record"
! grep -v "^$port> " "$SERVER_LOG" | grep -q . || fail "the other origin was contacted: $(grep -v "^$port> " "$SERVER_LOG")"
run_phaseline --record "$WORK/followed.jsonl" --duration 1.5 --follow-redirects --header 'Authorization: Bearer s3cret' "$URL"
expect_status 0
expect_stderr "recorded 55 record"
grep -v "^$port> " "$SERVER_LOG" | grep -q "GET /perf_metrics" || fail "the redirect was not followed"
! grep -v "^$port> " "$SERVER_LOG" | grep -qi "authorization" || fail "the credentials went to another origin"
