# Invalid Prometheus histograms loaded silently (TTFT p50 = -1 s): non-monotonic buckets, a
# duplicated bucket line, a negative le. Each is reported with its line and the histogram left out.
good='# TYPE ok_seconds histogram
ok_seconds_bucket{le="1"} 2
ok_seconds_bucket{le="+Inf"} 4
ok_seconds_count 4
ok_seconds_sum 5'
for case in 'not cumulative|le="1"} 5|le="2"} 3' 'appears twice|le="1"} 2|le="1"} 2' 'negative bucket bound|le="-1"} 4|le="1"} 5'; do
    IFS='|' read -r problem first second <<<"$case"
    printf '%s\n# TYPE vllm:time_to_first_token_seconds histogram\nvllm:time_to_first_token_seconds_bucket{%s\nvllm:time_to_first_token_seconds_bucket{%s\nvllm:time_to_first_token_seconds_bucket{le="+Inf"} 6\nvllm:time_to_first_token_seconds_count 6\n' \
        "$good" "$first" "$second" >metrics.prom
    run_phaseline --stats --format json metrics.prom
    expect_status '0|4'
    expect_stderr "metrics\.prom:(7|8).*time_to_first_token_seconds.*$problem.*left out"
    ! grep -q 'time_to_first_token' "$WORK/stdout" || fail "the invalid histogram was loaded ($problem)"
    expect_stdout 'ok_seconds'
done
