# A live endpoint whose body never ends: --record cuts each response at --max-response, keeps the
# complete records before the cut (valid JSON lines) and says so with the URL; --duration holds.
source "$(dirname "$case_file")/../server.sh"
start_server endless
started=$SECONDS
run_phaseline --record "$WORK/out.jsonl" --duration 3 --max-response 1 "$URL"
expect_status 0
((SECONDS - started <= 10)) || fail "--duration 3 took $((SECONDS - started)) s"
expect_stderr "$URL: the response is larger than the limit of 1 MiB; cut there"
expect_stderr "response cut.*complete record\(s\) before that point were kept"
lines=$(wc -l <"$WORK/out.jsonl")
((lines > 1000)) || fail "only $lines records kept before the cut"
python3 -c 'import json, sys; [json.loads(line) for line in open(sys.argv[1])]' "$WORK/out.jsonl" \
    || fail "the session file holds a line that is not JSON"
