# One record with an absurd stamp (1e15 s, 2^64) first in a file must not become the time origin:
# the ordinary record keeps the phases it has alone (10/40/950 ms, to the precision of its epoch
# doubles), and the outlier is reported as out of range. (Exit 4, "partial", is accepted too: the
# outlier's stamps were not recorded.)
ordinary='{"request_id":2,"perf_metrics":{"timing_metrics":{"arrival_time":1758000000.100,"first_scheduled_time":1758000000.110,"first_token_time":1758000000.150,"last_token_time":1758000001.100}}}'
echo "$ordinary" >alone.jsonl
run_phaseline --stats --format csv alone.jsonl
expect_status 0
expect_stdout '^ctx_queue,1,(10\.000|9\.9999)'
cut -d, -f1-8 "$WORK/stdout" >alone.csv
for outlier in 1e15 18446744073709551616; do
    {
        echo "{\"request_id\":1,\"perf_metrics\":{\"timing_metrics\":{\"arrival_time\":$outlier,\"first_scheduled_time\":$outlier,\"first_token_time\":$outlier,\"last_token_time\":$outlier}}}"
        echo "$ordinary"
    } >outlier.jsonl
    run_phaseline --stats --format csv outlier.jsonl
    expect_status '0|4'
    cut -d, -f1-8 "$WORK/stdout" | cmp -s alone.csv - || fail "the outlier $outlier changed the other record's phases"
    expect_stderr 'outlier\.jsonl.*out of range.*request 1'
done
