# A CSV duration column without a unit in its name takes its unit from the median of its values
# (below 100: seconds), so fast millisecond data read as seconds (TTFT 5950 ms instead of 5.95)
# without a word. The guess is stated: which unit, from which value, and how to correct it.
printf 'request_id,ttft\na,5.95\nb,5.95\n' >ttft.csv
run_phaseline --stats --format csv ttft.csv
expect_status '0|4'
expect_stderr 'ttft\.csv:1.*column "ttft" names no unit: read as s.*5\.95.*"ttft_ms"'
expect_stdout '^ttft,2,5950\.000'

printf 'request_id,ttft_ms\na,5.95\nb,5.95\n' >named.csv
run_phaseline --stats --format csv named.csv
expect_status 0
expect_no_stderr 'names no unit'
expect_stdout '^ttft,2,5\.950'

# The user corrects the guess.
run_phaseline --stats --format csv --csv-unit ttft=ms ttft.csv
expect_status 0
expect_no_stderr 'names no unit'
expect_stdout '^ttft,2,5\.950'
run_phaseline --stats --csv-unit ttft=minutes ttft.csv
expect_status 2
expect_stderr "--csv-unit 'ttft=minutes' is not COLUMN=s\|ms\|us\|ns"
