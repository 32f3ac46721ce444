# --duration against a response that never ends (an endless body) and one that drips a byte a
# second: the recording stops on time, the response in flight is cut and its complete records kept.
source "$(dirname "$case_file")/../server.sh"
start_server endless
started=$SECONDS
run_phaseline --record "$WORK/endless.jsonl" --duration 2 "$URL"
expect_status 0
((SECONDS - started <= 6)) || fail "--duration 2 took $((SECONDS - started)) s"
[[ -s "$WORK/endless.jsonl" ]] || fail "no complete record kept"
python3 -c 'import json, sys; [json.loads(line) for line in open(sys.argv[1])]' "$WORK/endless.jsonl" \
    || fail "a line of the session file is not JSON"
