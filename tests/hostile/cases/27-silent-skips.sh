# Point 27: an unreadable file inside an input directory was skipped without a word (exit 0); a /proc
# file (size 0 in stat) was called "empty"; a message could carry raw control bytes. Each skipped
# entry is a warning (an unreadable one makes the load partial: exit 4), and every message names
# the input and the reason in plain text.
mkdir run
cp "$PHASELINE_TEST_DATA/trtllm/endpoint_B_agg_server_stamps.json" run/a.json
cp "$PHASELINE_TEST_DATA/trtllm/endpoint_B_agg_server_stamps.json" run/b.json
chmod 000 run/b.json
as_user=()
if [[ $(id -u) == 0 ]]; then # root reads every file: run as nobody
    chmod 755 "$WORK"
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
status=0
"${as_user[@]}" timeout 60 "$PHASELINE" --stats run >"$WORK/stdout" 2>"$WORK/stderr" || status=$?
expect_status 4
expect_stderr 'run/b\.json: warning: cannot read: permission denied'
expect_stdout 'requests'

run_phaseline --stats /proc/self/status
expect_status 3
expect_no_stderr 'empty'
expect_stderr '/proc/self/status.*: error: .*Name:'

name=$'two\nlines.json'
printf '[{"request_id": 1, "perf_metrics": {"timing_metrics": {"arrival_time": 1\0' >"$name"
run_phaseline --stats "$name"
expect_stderr 'two\\x0alines\.json'
expect_stderr_lines_at_most 2
[[ $(tr -d '\000' <"$WORK/stderr" | wc -c) == $(wc -c <"$WORK/stderr") ]] || fail "a raw NUL byte on stderr"
