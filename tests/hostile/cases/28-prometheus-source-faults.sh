# A Prometheus server source that is not there, a --match that is no label matcher, and one with a
# second selector smuggled in: clear messages, no hang, nothing made up.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_phaseline --stats --range 60 "prom+http://127.0.0.1:$port"
expect_status 3
expect_stderr "prom\+http://127.0.0.1:$port: error: .*(refused|closed)"
run_phaseline --stats --match 'job=vllm' "prom+http://127.0.0.1:$port"
expect_status 2
expect_stderr "--match 'job=vllm' is not a list of label matchers"
run_phaseline --stats --match '{job="a"} or up{job="b"}' "prom+http://127.0.0.1:$port"
expect_status 2
expect_stderr "is not a list of label matchers"
run_phaseline --stats --match '{job="vllm"}' "$PHASELINE_TEST_DATA/prometheus/sessions/sglang_session.jsonl"
expect_status 2
expect_stderr "only apply to one prom\+http"
