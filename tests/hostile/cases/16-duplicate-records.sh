# A backup copy of the router file in a run directory doubled the requests (the worker parts
# joined to both copies) without a word; the same file given twice counted twice, and the JSON
# output had no "datasets" array. Repeats are reported and counted once.
run_dir="$PHASELINE_TEST_DATA/trtllm/jsonl_D_disagg"
router=$(ls "$run_dir"/*disagg-router*.jsonl)
run_phaseline --stats --format csv "$run_dir"
expect_status 0
cp "$WORK/stdout" expected.csv

mkdir run
cp "$run_dir"/* run/
cp "$router" run/backup-of-router.jsonl
run_phaseline --stats --format csv run
expect_status '0|4'
expect_stderr 'run.*repeat the disagg_request_id.*not counted again'
cmp -s expected.csv "$WORK/stdout" || fail "the backup copy changed the statistics"

run_phaseline --stats --format json "$router" "$router"
expect_status '0|4'
expect_stderr 'same file as .*already read'
expect_stdout '"datasets": \['
once=$(grep -m1 -E '^    "requests"' "$WORK/stdout")
run_phaseline --stats --format json "$router"
grep -q -- "$once" "$WORK/stdout" || fail "the file named twice counted differently from once ($once)"
