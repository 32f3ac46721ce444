# Ctrl-C (SIGINT) or SIGTERM, the documented way to stop --record without --duration: every
# complete record received is kept (also of a response still in flight), and a summary is printed.
source "$(dirname "$case_file")/../server.sh"
record_until() { # SIGNAL OUT: records until OUT has 2 lines, then sends SIGNAL
    "$PHASELINE" --record "$2" "$URL" >"$WORK/stdout" 2>"$WORK/stderr" &
    local pid=$!
    wait_for_lines "$2" 2
    kill -0 "$pid" 2>/dev/null || fail "--record ended by itself"
    kill "-$1" "$pid"
    status=0
    wait "$pid" || status=$?
}
start_server drip
record_until INT "$WORK/int.jsonl"
expect_status 0
expect_stderr "recorded 2 record\(s\) from $URL to .*int\.jsonl; stopped by SIGINT"
[[ $(wc -l <"$WORK/int.jsonl") == 2 ]] || fail "expected 2 records after SIGINT"
record_until TERM "$WORK/term.jsonl"
expect_status 0
expect_stderr "stopped by SIGTERM"
