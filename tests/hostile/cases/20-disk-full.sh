# --record to a full device: the failed write is an error (exit 5) that names the file and says how
# much was written, never "recorded N record(s)".
[[ -w /dev/full ]] || { echo "skipped: no /dev/full"; return 0; }
source "$(dirname "$case_file")/../server.sh"
start_server normal
run_phaseline --record /dev/full --duration 2 "$URL"
expect_status 5
expect_stderr "cannot write the session file /dev/full: No space left on device; it holds the 0 record\(s\)"
expect_no_stderr "recorded [0-9]+ record"
