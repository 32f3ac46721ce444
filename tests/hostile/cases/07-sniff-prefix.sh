# Point 7: a valid TensorRT-LLM file whose first record holds a string over 64 KiB, and a valid
# array after a UTF-8 byte order mark, were "not a recognised format". Sniffing reads a bounded
# prefix that never cuts the first record.
long=$(head -c 100000 /dev/zero | tr '\0' p)
record='"perf_metrics": {"timing_metrics": {"arrival_time": 10.0, "first_token_time": 10.05, "last_token_time": 10.5}}'
printf '[{"prompt_id": "%s", "request_id": 1, %s},\n {"request_id": 2, %s}]\n' "$long" "$record" "$record" >long.json
run_phaseline --stats --format json long.json
expect_status 0
expect_stdout '"requests": 2'

printf '\xEF\xBB\xBF[{"request_id": 1, %s}]\n' "$record" >bom.json
run_phaseline --stats --format json bom.json
expect_status 0
expect_stdout '"requests": 1'

# A 300 MB JSON object no importer claims is rejected from a bounded prefix, not read through.
if [[ -x /usr/bin/time ]]; then
    { printf '{"unknown": "'; head -c 300000000 /dev/zero | tr '\0' x; printf '"}\n'; } >unclaimed.json
    status=0
    /usr/bin/time -f 'max resident %M KB' -o rss.txt "$PHASELINE" --stats unclaimed.json >"$WORK/stdout" 2>"$WORK/stderr" || status=$?
    expect_status 3
    expect_stderr 'unclaimed\.json.*not a recognised format'
    rss=$(grep -o '[0-9]*' rss.txt | tail -1)
    ((rss < 150000)) || fail "rejecting an unclaimed 300 MB file took $rss KB resident"
fi
