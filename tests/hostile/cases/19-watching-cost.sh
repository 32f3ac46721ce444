# Watching must cost nothing while nothing changes, and memory must not follow a hostile file:
# 1. the window watching 10,000 unchanged files uses next to no CPU (it re-opened every file
#    every 500 ms on the GUI thread: ~0.25 s of CPU per second);
# 2. a 48 MiB line without a newline is skipped at the 16 MiB line limit with a warning, never
#    held whole;
# 3. a million `{}` lines after one record are skipped with one note and no rows.
export QT_QPA_PLATFORM=offscreen
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
record='{"request_id": 1, "perf_metrics": {"first_iter": 1, "last_iter": 9, "timing_metrics": {"arrival_time": 1001.000, "first_scheduled_time": 1001.010, "first_token_time": 1001.050, "last_token_time": 1001.900}}}'

mkdir many
for ((i = 0; i < 10000; ++i)); do
    : >"many/perf_metrics-$i.jsonl"
done
"$PHASELINE" many >"$WORK/stdout" 2>"$WORK/stderr" &
window=$!
sleep 3 # started and every file seen once
before=$(cpu_ticks $window)
sleep 3
after=$(cpu_ticks $window)
kill $window
wait $window || true
used=$(((after - before) * 1000 / $(getconf CLK_TCK)))
((used <= 250)) || fail "watching 10,000 unchanged files used $used ms of CPU in 3 s"

# Read at once, then idle: the peak is sampled before the recording ends.
record_dir() { # DIR: records DIR for 2.5 s; $peak is the peak resident size in KiB
    status=0
    "$PHASELINE" --record out.jsonl --duration 2.5 "$1" >"$WORK/stdout" 2>"$WORK/stderr" &
    local pid=$!
    sleep 2
    peak=$(peak_kb $pid)
    wait $pid || status=$?
}

mkdir long
{ echo "$record"; head -c 48M /dev/zero | tr '\0' x; } >long/perf_metrics-long.jsonl
record_dir long
expect_status 0
expect_stderr 'perf_metrics-long\.jsonl:2 \(byte [0-9]+\): warning: a line longer than 16 MiB'
expect_stderr 'recorded 1 record'
((peak < 120000)) || fail "peak resident size $peak KiB for a 48 MiB line"
rm -r long

mkdir empty
{ echo "$record"; awk 'BEGIN { for (i = 0; i < 1000000; ++i) print "{}" }'; } >empty/perf_metrics-empty.jsonl
record_dir empty
expect_status 0
expect_stderr 'perf_metrics-empty\.jsonl:2: warning: records that carry nothing'
expect_stderr 'recorded 1 record'
expect_stderr_lines_at_most 3
((peak < 120000)) || fail "peak resident size $peak KiB for a million {} lines"
