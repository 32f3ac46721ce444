#!/usr/bin/env python3
"""Independent reference for tst_formats_servers: what each sample's phases should measure,
computed from tests/data/servers/ground_truth.json alone (standard library, no code shared
with Phaseline). Writes tests/data/servers/expected.json.

The samples were written by shared/data/samples/_generator/gen_samples.py from one scenario of
12 requests (request 9 rejected with HTTP 503, so server-side files hold 11). The mapping of each
format onto the common phases follows docs/formats.md:

SGLang request metrics, current keys (§2a, epoch stamps):
  frontend = engine_queued - server_arrival          queue   = scheduled - engine_queued
  prefill  = first_token_engine - scheduled          decode  = server_finished - first_token_engine
  e2e      = server_finished - server_arrival        (no last-token stamp: decode ends at the finish)
SGLang request metrics, older keys (durations only): the same, except that the first token is
  the end of the prefill batch, which the generator put 0.2-0.6 ms before the true first token:
  prefill and decode are compared to 1 ms.
SGLang bench_serving --output-details and AIPerf (client lane):
  client_ttft = client_first_token - send            decode = client_end - client_first_token
  e2e         = client_end - send                    (the last chunk arrival ends the request)
  AIPerf also: client_response_wait = ack - send, client_first_token_wait = client_first_token - ack,
  client_tail = 0 (request_end_ns is the last chunk arrival).
vLLM OpenTelemetry spans (§1c): queue, prefill and decode are exact; the engine stamps are placed
  back from span start + e2e, and e2e ends at server_finished, not at the last engine token, so
  frontend = (engine_queued - frontend_arrival) + (server_finished - last_token_engine)
  ttft     = (server_finished - frontend_arrival) - (last_token_engine - first_token_engine)
  e2e      = server_finished - frontend_arrival
  and every engine stamp lands late by server_finished - last_token_engine.

Tolerances (ms) follow each file's precision: epoch seconds as doubles (~2.4e-7 s apart at 1.7e9 s)
1e-3; AIPerf's integer nanoseconds the same, because the generator wrote round(t * 1e9) from a double
(256 ns apart at 1.7e18); OTLP durations (attributes, stamps derived from one start) 1e-5; Jaeger
microseconds 2e-3; the older SGLang approximation 1.0.
Percentiles interpolate linearly between closest ranks (numpy's default).
Usage: tests/tools/server_reference_values.py
"""

import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "servers")


def percentile(sorted_values, p):
    k = (len(sorted_values) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def statistics(values):
    s = sorted(values)
    return {"count": len(s), "mean": sum(s) / len(s), "median": percentile(s, 50), "p90": percentile(s, 90),
            "p99": percentile(s, 99), "min": s[0], "max": s[-1]}


def ms(seconds):
    return 1000.0 * seconds


def sglang_current(r):
    return {"frontend": ms(r["engine_queued"] - r["server_arrival"]), "queue": ms(r["scheduled"] - r["engine_queued"]),
            "prefill": ms(r["first_token_engine"] - r["scheduled"]),
            "decode": ms(r["server_finished"] - r["first_token_engine"]),
            "e2e": ms(r["server_finished"] - r["server_arrival"])}


def client(r):
    return {"client_ttft": ms(r["client_first_token"] - r["send"]), "ttft": ms(r["client_first_token"] - r["send"]),
            "decode": ms(r["client_end"] - r["client_first_token"]), "e2e": ms(r["client_end"] - r["send"])}


def aiperf(r):
    phases = client(r)
    phases.update({"client_response_wait": ms(r["ack"] - r["send"]),
                   "client_first_token_wait": ms(r["client_first_token"] - r["ack"]), "client_tail": 0.0})
    return phases


def otel(r):
    output_processing = r["server_finished"] - r["last_token_engine"]
    return {"frontend": ms(r["engine_queued"] - r["frontend_arrival"] + output_processing),
            "queue": ms(r["scheduled"] - r["engine_queued"]), "prefill": ms(r["first_token_engine"] - r["scheduled"]),
            "decode": ms(r["last_token_engine"] - r["first_token_engine"]),
            "ttft": ms(r["server_finished"] - r["frontend_arrival"] - (r["last_token_engine"] - r["first_token_engine"])),
            "e2e": ms(r["server_finished"] - r["frontend_arrival"]),
            "engine_stamps_late_by": ms(output_processing)}


TOTALS = ("ttft", "e2e")

# file under tests/data -> (requests in the file, request key, mapping, tolerance ms per phase or "*")
FORMATS = {
    "sglang/sglang-request-metrics-20251122_22.log": (11, "input_tokens", sglang_current, {"*": 1e-3}),
    "sglang/legacy_keys/sglang-request-metrics-20251122_22.log":
        (11, "input_tokens", sglang_current, {"*": 1e-3, "prefill": 1.0, "decode": 1.0}),
    "sglang/sglang-oai-chat_1122_12_1024_64.jsonl": (12, "id", client, {"*": 1e-6}),
    "aiperf/profile_export.jsonl": (12, "input_tokens", aiperf, {"*": 1e-3}),
    "vllm-otel/otlp_file_exporter_traces.jsonl": (11, "input_tokens", otel, {"*": 1e-5}),
    "vllm-otel/jaeger_api_traces_service_vllm-server.json": (11, "input_tokens", otel, {"*": 2e-3}),
}


def main():
    with open(os.path.join(DATA, "ground_truth.json")) as f:
        truth = json.load(f)
    ok = [r for r in truth if not r["failed_http_503"]]
    assert len({r["prompt"] for r in truth}) == len(truth), "prompt lengths must identify requests"
    out = {}
    for path, (requests, key, mapping, tolerance) in FORMATS.items():
        per_request = []
        for r in ok:
            phases = mapping(r)
            per_request.append({"key": str(r["i"] if key == "id" else r["prompt"]), "phases": phases})
        names = [n for n in per_request[0]["phases"] if n != "engine_stamps_late_by"]
        entry = {"requests": requests, "key": key, "failed_key": str(9 if key == "id" else truth[9]["prompt"]),
                 "tolerance_ms": tolerance, "per_request": per_request, "phases": {}, "totals": {}}
        for name in names:
            group = "totals" if name in TOTALS else "phases"
            entry[group][name] = statistics([p["phases"][name] for p in per_request])
        out[path] = entry
    with open(os.path.join(DATA, "expected.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
