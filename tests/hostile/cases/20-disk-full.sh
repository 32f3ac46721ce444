# --record to a full device or a disk that fills up: the failed write is an error (exit 5) that names
# the file and says how much was written, never "recorded N record(s)".
[[ -w /dev/full ]] || { echo "skipped: no /dev/full"; return 0; }
source "$(dirname "$case_file")/../server.sh"
start_server normal
run_phaseline --record /dev/full --duration 2 "$URL"
expect_status 5
expect_stderr "cannot write the session file /dev/full: No space left on device; it holds the 0 record\(s\)"
expect_no_stderr "recorded [0-9]+ record"
# A disk that fills up during the recording (a 1 KiB file size limit stands in for it): exit 5,
# and the file ends with the last whole record, never part of one.
(
    ulimit -f 1
    trap '' XFSZ
    run_phaseline --record "$WORK/out.jsonl" --duration 2 "$URL"
    expect_status 5
)
expect_stderr "cannot write the session file .*out\.jsonl: File too large; it holds the [0-9]+ record\(s\) written before that"
lines=$(wc -l <"$WORK/out.jsonl")
expect_stderr "it holds the $lines record\(s\)"
[[ $(tail -c 1 "$WORK/out.jsonl" | od -An -c | tr -d ' ') == '\n' ]] || fail "the file ends inside a record"
python3 -c 'import json, sys; [json.loads(line) for line in open(sys.argv[1])]' "$WORK/out.jsonl" \
    || fail "the session file holds a line that is not JSON"
