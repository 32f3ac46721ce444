# Point 8: a JSONL file with 20,000 bad lines printed 20,000 warning lines. Warnings of one kind
# are the first few, then one line with the count and the first and last place.
awk 'BEGIN {
    for (i = 1; i <= 40000; ++i) {
        if (i % 2) print "{\"request_id\": oops}";
        else printf "{\"request_id\": %d, \"perf_metrics\": {\"timing_metrics\": {\"arrival_time\": %d.0, \"first_token_time\": %d.05, \"last_token_time\": %d.5}}}\n", i, i, i, i;
    }
}' >noisy.jsonl
run_phaseline --stats noisy.jsonl
expect_status 4
expect_stderr_lines_at_most 6
expect_stderr 'noisy\.jsonl: warning: 19997 more like the above \(the first at line 7, the last at line 39999\)'
expect_stdout 'requests'
