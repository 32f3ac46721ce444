# CSV output must be inert in a spreadsheet: a cell starting with = + - @ is a formula there.
# The request-table export (tst_csvimport exportNeutralisesFormulas) and the statistics CSV write
# such text with a leading apostrophe; here a dataset named after its file, "=cmd|' /C calc'!A0".
record='{"request_id":1,"perf_metrics":{"timing_metrics":{"arrival_time":10.0,"first_scheduled_time":10.01,"first_token_time":10.05,"last_token_time":11.0}}}'
echo "$record" >"=cmd|' C calc'!A0.jsonl"
echo "$record" >"@SUM(A1).jsonl"
run_phaseline --stats --format csv "=cmd|' C calc'!A0.jsonl" "@SUM(A1).jsonl"
expect_status 0
expect_stdout "^\"'=cmd\|' C calc'!A0\.jsonl\",ctx_queue,1,10\.000"
expect_stdout "^\"'@SUM\(A1\)\.jsonl\",ctx_queue,1,10\.000"
! grep -Eq '^"?[=+@-]|,"?[=+@]' "$WORK/stdout" || fail "a cell starts like a spreadsheet formula"
