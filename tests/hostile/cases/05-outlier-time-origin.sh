# One record with an absurd stamp (1e15 s, 2^64) first in a file must not become the time origin:
# the ordinary record keeps its 10/40/950 ms phases, and the outlier is reported as out of range.
# (Exit 4, "partial", is accepted too: the outlier's stamps were not recorded.)
for outlier in 1e15 18446744073709551616; do
    {
        echo "{\"request_id\":1,\"perf_metrics\":{\"timing_metrics\":{\"arrival_time\":$outlier,\"first_scheduled_time\":$outlier,\"first_token_time\":$outlier,\"last_token_time\":$outlier}}}"
        echo '{"request_id":2,"perf_metrics":{"timing_metrics":{"arrival_time":1758000000.100,"first_scheduled_time":1758000000.110,"first_token_time":1758000000.150,"last_token_time":1758000001.100}}}'
    } >outlier.jsonl
    run_phaseline --stats --format csv outlier.jsonl
    expect_status '0|4'
    expect_stdout '^ctx_queue,1,10\.000'
    expect_stdout '^ctx_processing,1,40\.000'
    expect_stdout '^decode,1,950\.000'
    expect_stderr 'outlier\.jsonl.*out of range.*request 1'
done
