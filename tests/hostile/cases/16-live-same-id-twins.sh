# Two different live records with the same request id and identical stamps (one has an extra
# field) are two records: both reach the session file; an identical repeat would not.
source "$(dirname "$case_file")/../server.sh"
start_server twins --records 3
run_phaseline --record "$WORK/out.jsonl" --duration 1 "$URL"
expect_status 0
expect_stderr "recorded 4 record"
[[ $(wc -l <"$WORK/out.jsonl") == 4 ]] || fail "expected 4 lines"
grep -q '"note"' "$WORK/out.jsonl" || fail "the second record of id 1 was dropped"
