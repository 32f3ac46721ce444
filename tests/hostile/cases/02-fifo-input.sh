# Point 2: a named pipe (FIFO) as input used to block forever in open(). Anything that is not a
# regular file or a directory is refused at once; inside an input directory it is skipped with a note.
mkfifo "$WORK/pipe"
PHASELINE_TIMEOUT=15 run_phaseline --stats "$WORK/pipe"
expect_status 3
expect_stderr 'pipe: error: a named pipe \(FIFO\), not a regular file or directory'

mkdir run
cp "$PHASELINE_TEST_DATA/trtllm/endpoint_B_agg_server_stamps.json" run/
mkfifo run/perf_metrics.json
PHASELINE_TIMEOUT=15 run_phaseline --stats run
expect_status 0
expect_stderr 'run/perf_metrics\.json: warning: skipped: a named pipe \(FIFO\)'
expect_stdout 'requests'
