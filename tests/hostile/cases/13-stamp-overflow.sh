# A CSV epoch-seconds value past 9,223,372,037 s (a millisecond value typed as seconds) overflowed
# a signed 64-bit multiply (undefined behaviour; phases of 2.66e12 ms, exit 0, no warning). It must
# be reported as out of range and not recorded. A CSV duration of 1e400 or inf is "not recorded"
# (as in JSON), not a reason to drop the row.
cat >router.csv <<'CSV'
req_id,arrival_time,server_first_token_time,finish_time
1,17580000001.5,17580000001.6,17580000002.5
2,1758000000.100,1758000000.150,1758000001.100
CSV
run_phaseline --stats --format csv router.csv
expect_status '0|4'
expect_stderr 'router\.csv.*out of range.*request 1'
expect_stdout ',1000\.000'
expect_no_stderr 'phases? of [0-9.e+]{8,}'
! grep -Eq '[0-9]{7,}\.[0-9]+' "$WORK/stdout" || fail "a phase of millions of ms was printed"

cat >durations.csv <<'CSV'
request_id,queue_time_ms,prefill_time_ms,decode_time_ms
a,12.5,1e400,800
b,10,inf,700
CSV
run_phaseline --stats --format csv durations.csv
expect_status '0|4'
expect_stdout '^queue,2,'
expect_stderr 'durations\.csv.*2 value.*not recorded.*line 2.*prefill_time_ms'
expect_no_stderr 'row skipped'
