# Point 9: a symbolic link loop was reported as "no such file or directory"; say what it is,
# as an input and inside an input directory.
ln -s b.json a.json
ln -s a.json b.json
run_phaseline --stats a.json
expect_status 3
expect_stderr 'a\.json: error: a symbolic link loop'
expect_no_stderr 'no such file'

mkdir run
cp "$PHASELINE_TEST_DATA/trtllm/endpoint_B_agg_server_stamps.json" run/
ln -s loop.json run/loop.json
run_phaseline --stats run
expect_status 0
expect_stderr 'run/loop\.json: warning: skipped: a symbolic link loop'
