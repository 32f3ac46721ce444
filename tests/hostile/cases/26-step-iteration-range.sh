# "iter": 1e10 in step_metrics was converted float -> int (undefined behaviour). An iteration number
# outside 0..2147483647 is not recorded and reported with the limits; the request still loads.
cat >steps.json <<'JSON'
[{"request_id":1,"perf_metrics":{"timing_metrics":{"arrival_time":10.0,"first_scheduled_time":10.01,"first_token_time":10.05,"last_token_time":11.0},"time_breakdown_metrics":{"step_metrics":[{"forward_start_time":10.06,"forward_end_time":10.07,"token_time":10.08,"iter":1e10}]}}}]
JSON
run_phaseline --stats --format csv steps.json
expect_status '0|4'
expect_stdout '^ctx_queue,1,10\.000'
expect_stderr 'steps\.json:1.*"iter".*outside 0 to 2147483647.*(1e\+?10|10000000000)'
