# Point 10: one record missing its '}' in the middle of a 40,000-record array, and an array cut
# off after 20,075 complete records, gave exit 3 and no statistics. What is valid on both sides
# loads, the skipped bytes are named, the statistics are printed and the exit status is 4 (partial).
make_array() { # make_array COUNT DAMAGED_ID
    awk -v count="$1" -v damaged="$2" 'BEGIN {
        print "[";
        for (i = 1; i <= count; ++i) {
            closing = (i == damaged) ? "" : "}";
            printf "  {\"request_id\": %d, \"perf_metrics\": {\"timing_metrics\": {\"arrival_time\": %d.0, \"first_token_time\": %d.05, \"last_token_time\": %d.5}}%s%s\n", i, i, i, i, closing, (i < count ? "," : "");
        }
        print "]";
    }'
}
make_array 40000 20000 >middle.json
run_phaseline --stats --format json middle.json
expect_status 4
expect_stderr 'middle\.json:20001 \(bytes [0-9]+-[0-9]+\): warning: damaged record skipped'
expect_stdout '"requests": 39999'

make_array 30000 0 >whole.json
head -c "$(grep -b -m1 '"request_id": 20076,' whole.json | cut -d: -f1)" whole.json >cut.json
printf '  {"request_id": 20076, "perf_met' >>cut.json
run_phaseline --stats --format json cut.json
expect_status 4
expect_stderr 'cut\.json:20077 \(bytes [0-9]+-[0-9]+\): warning: .*truncated'
expect_stdout '"requests": 20075'
