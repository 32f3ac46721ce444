# Live cases: source "$(dirname "$case_file")/../server.sh" after lib.sh has set up $WORK.
#   start_server MODE [ARGS...]   starts $PHASELINE_TEST_SERVER --mode MODE on 127.0.0.1 with a free
#                                 port; sets $URL and $SERVER_LOG (requests and deliveries, see
#                                 tests/live/testservermain.cpp); the server is stopped on exit
#   wait_for_log REGEX [SECONDS]  waits until the server log matches (default 20 s), else fails
#   wait_for_lines FILE N [SECONDS]  waits until FILE has at least N lines
[[ -x "${PHASELINE_TEST_SERVER:-}" ]] || fail "PHASELINE_TEST_SERVER is not set to the test server executable"
SERVER_PIDS=()
stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    chmod -R u+rwx "$WORK" 2>/dev/null
    rm -rf "$WORK"
}
trap stop_servers EXIT
start_server() {
    local mode="$1"
    shift
    SERVER_LOG="$WORK/server-$mode.log"
    : >"$SERVER_LOG"
    coproc SERVER { exec "$PHASELINE_TEST_SERVER" --mode "$mode" --log "$SERVER_LOG" "$@"; }
    SERVER_PIDS+=("$SERVER_PID")
    read -r -t 20 URL <&"${SERVER[0]}" || fail "the test server did not start"
}
wait_until() { # SECONDS COMMAND...: polls every 0.1 s until the command succeeds
    local limit=$(($1 * 10))
    shift
    for ((i = 0; i < limit; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}
wait_for_log() {
    wait_until "${2:-20}" grep -Eq -- "$1" "$SERVER_LOG" || fail "the server log never matched: $1"
}
lines_at_least() { [[ -f "$1" && $(wc -l <"$1") -ge $2 ]]; }
wait_for_lines() {
    wait_until "${3:-20}" lines_at_least "$1" "$2" || fail "$1 never reached $2 line(s)"
}
