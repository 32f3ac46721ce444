# Point 1: a 200 MB JSON array is truncated while phaseline reads it (a log rotator, a writer that
# restarts). It used to die of SIGBUS (exit 135); it must say that the file shrank and read what the
# file holds then. Repeatable: phaseline is stopped as soon as the file is mapped, the file is cut,
# and phaseline goes on.
record='{"request_id": 7, "perf_metrics": {"timing_metrics": {"arrival_time": 10.0, "first_scheduled_time": 10.01, "first_token_time": 10.05, "last_token_time": 10.5}, "steps": [{"iter": 1}, {"iter": 2}]}}'
for ((i = 0; i < 1024; ++i)); do printf '  %s,\n' "$record"; done >block
for ((i = 0; i < 10; ++i)); do cat block block >double && mv double block; done
{ printf '[\n'; cat block; printf '  %s\n]\n' "$record"; } >big.json
rm block

"$PHASELINE" --stats --format json "$WORK/big.json" >"$WORK/stdout" 2>"$WORK/stderr" &
pid=$!
( sleep 60; kill -KILL "$pid" ) >/dev/null 2>&1 & watchdog=$!
mapped=0
for ((i = 0; i < 2000; ++i)); do
    if grep -q 'big\.json' "/proc/$pid/maps" 2>/dev/null; then
        kill -STOP "$pid"
        mapped=1
        break
    fi
    sleep 0.01
done
truncate -s 1000000 big.json
kill -CONT "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
kill "$watchdog" 2>/dev/null || true
((mapped)) || fail "phaseline never mapped the file (or finished before it could be cut)"
[[ "$status" != 135 ]] || fail "killed by SIGBUS"
expect_status 4
expect_stderr 'big\.json: warning: the file shrank from [0-9]+ to 1000000 bytes while it was read'
expect_stderr 'big\.json:[0-9]+ \(bytes [0-9]+-999999\): warning: damaged or incomplete data skipped'
expect_stdout '"requests": [1-9][0-9]*'
