# A live record with invalid JSON in a field no importer reads ("junk": [1 2 3]) is rejected with
# a message naming the URL, and never written to the session file.
source "$(dirname "$case_file")/../server.sh"
start_server invalid-record --records 5
run_phaseline --record "$WORK/out.jsonl" --duration 1 "$URL"
expect_status 0
expect_stderr "record rejected \(invalid JSON at byte [0-9]+ of the record"
expect_stderr "recorded 4 record.*1 invalid record\(s\) rejected"
! grep -q junk "$WORK/out.jsonl" || fail "the invalid record was written"
python3 -c 'import json, sys; [json.loads(line) for line in open(sys.argv[1])]' "$WORK/out.jsonl" \
    || fail "the session file holds a line that is not JSON"
