# A metrics session file (docs/metrics-intervals.md) with a line that is not JSON, a scrape whose
# text holds no histogram and a line of neither kind among good scrapes: each is named with its line
# and skipped (exit 4), the good scrapes still give their intervals; a restart in between is a new
# segment, never a negative count.
session="$PHASELINE_TEST_DATA/prometheus/sessions/sglang_session.jsonl"
{
    sed -n 1,2p "$session"
    echo '{"scrape_time_ms": 1764680002500, "source": "x", "text": "<html>gateway error</html>"'
    echo '{"scrape_time_ms": 1764680002600, "source": "http://127.0.0.1:30000/metrics", "text": "<html>gateway error</html>"}'
    echo '{"hello": 1}'
    sed -n 3,4p "$session"
    # The first scrape again, later: every counter went down (a restarted server).
    sed -n 1p "$session" | sed 's/"scrape_time_ms": 1764680000000/"scrape_time_ms": 1764680009000/'
} >"$WORK/damaged.jsonl"
run_phaseline --stats --format json "$WORK/damaged.jsonl"
expect_status 4
expect_stderr "damaged.jsonl:3 .*not a JSON line.*line skipped"
expect_stderr "damaged.jsonl:4 .*without any histogram.*line skipped"
expect_stderr "damaged.jsonl:5 .*neither a scrape.*line skipped"
expect_stderr "counters went down .*restarted"
python3 - "$WORK/stdout" <<'PY' || fail "the intervals of the good scrapes are not all there"
import json, sys
series = json.load(open(sys.argv[1]))["interval_series"]
assert len(series) == 1, series
intervals = series[0]["intervals"]
assert [i["segment"] for i in intervals] == [0, 0, 0, 1], [i["segment"] for i in intervals]
assert all(p["count"] >= 0 for i in intervals for p in i["phases"])
PY
