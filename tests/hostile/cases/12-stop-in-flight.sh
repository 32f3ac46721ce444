# Stopping (--duration) while a slow response is in flight tears the poller down with a reply
# open: no crash, no message from a half-destroyed object, the two complete records kept.
source "$(dirname "$case_file")/../server.sh"
start_server drip
run_phaseline --record "$WORK/out.jsonl" --duration 1.5 "$URL"
expect_status 0
expect_stderr "recorded 2 record\(s\) from $URL"
[[ $(wc -l <"$WORK/out.jsonl") == 2 ]] || fail "expected the 2 complete records"
