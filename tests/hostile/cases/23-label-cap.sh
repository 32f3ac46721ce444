# More than 65,535 distinct values of a label (error statuses naming the request) silently lost
# statuses: with an "ok" row first, 4,467 failed requests were shown and exported as "ok". Label
# codes now grow past 16 bits (tst_numbers labelCodesGrow checks every status; --stats shows no
# statuses); here the whole file must load, without the quadratic label lookup that took 17 s of
# CPU for these 70,001 rows (limit: 12 s).
{
    echo "request_id,e2e_latency_ms,status"
    echo "0,5,ok"
    seq 1 70000 | awk '{ print $1 ",5,error " $1 }'
} >statuses.csv
ulimit -t 12
run_phaseline --stats --format json statuses.csv
expect_status 0
expect_stdout '"requests": 70001'
expect_no_stderr 'warning|error'
