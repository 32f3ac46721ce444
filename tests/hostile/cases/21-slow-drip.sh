# A server that sends two records and then one byte a second: the two records reach the session
# file while the response is still coming (a kill cannot lose them).
source "$(dirname "$case_file")/../server.sh"
start_server drip
"$PHASELINE" --record "$WORK/out.jsonl" --duration 30 "$URL" >"$WORK/stdout" 2>"$WORK/stderr" &
pid=$!
wait_for_lines "$WORK/out.jsonl" 2 10
kill -0 "$pid" 2>/dev/null || fail "--record ended early"
kill -KILL "$pid"
wait "$pid" || true
[[ $(wc -l <"$WORK/out.jsonl") == 2 ]] || fail "expected the 2 records in the file after a kill"
