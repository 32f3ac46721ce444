# A missing input: exit 3 and a message naming the file and the reason, nothing on stdout.
run_phaseline --stats "$WORK/does-not-exist.json"
expect_status 3
expect_stderr 'does-not-exist\.json.*(No such file|not found|does not exist)'
[[ ! -s "$WORK/stdout" ]] || fail "statistics printed for a missing input"
