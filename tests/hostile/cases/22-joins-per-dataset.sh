# Runs loaded together must not join across each other: router-only run A loaded with run C (the
# same ids, other context timings) took C's context queue for A. Each dataset's statistics equal
# those of its input alone.
run_dir="$PHASELINE_TEST_DATA/trtllm/jsonl_D_disagg"
mkdir A C
cp "$run_dir"/*disagg-router*.jsonl A/
cp "$run_dir"/* C/
# C's context workers arrived one second earlier: a context queue one second longer.
for file in C/*-ctx-*.jsonl; do
    perl -pi -e 's/([{,]"arrival_time":)([0-9.]+)/$1.sprintf("%.6f", $2 - 1)/ge' "$file"
done
run_phaseline --stats --format csv A
expect_status 0
tail -n +2 "$WORK/stdout" >alone.csv
for order in "A C" "C A"; do
    # shellcheck disable=SC2086
    run_phaseline --stats --format csv $order
    expect_status '0|4'
    grep '^"A",' "$WORK/stdout" | sed 's/^"A",//' >together.csv
    cmp -s alone.csv together.csv || fail "run A's statistics changed when loaded with run C ($order)"
done
