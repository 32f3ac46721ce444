#!/usr/bin/env python3
"""Arrival order of the client and server samples, read straight from the files (standard
library only, no Phaseline code): the expectations of tst_breakdownmodel's arrival tests.

For each file: how many requests record an arrival time, and the request id that arrived
last (file order breaks ties) next to the last one in the file."""
import json
import os
import sys

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


def jsonl(path):
    with open(os.path.join(DATA, path)) as f:
        return [json.loads(line) for line in f if line.strip()]


def show(name, pairs):
    arrived = [(t, i, rid) for i, (rid, t) in enumerate(pairs) if t is not None]
    arrived.sort()
    print(f"{name}: {len(arrived)} arrived; last by arrival {arrived[-1][2]}, last in file {pairs[-1][0]}")


# AIPerf: metadata.request_start_ns, id x_request_id.
show("aiperf", [(r["metadata"]["x_request_id"], r["metadata"]["request_start_ns"])
                for r in jsonl("aiperf/profile_export.jsonl")])
# SGLang request metrics: request_received_ts, id "id".
show("sglang", [(r["id"], r.get("request_received_ts")) for r in jsonl("sglang/sglang-request-metrics-20251122_22.log")])
# GuideLLM 0.8: the earlier of info.timings.targeted_start (when the scheduler meant to send
# it; absent or <= 0 when not targeted) and request_start_time.
with open(os.path.join(DATA, "guidellm/benchmarks.json")) as f:
    requests = json.load(f)["benchmarks"][0]["requests"]


def guidellm_arrival(request):
    targeted = request.get("info", {}).get("timings", {}).get("targeted_start")
    times = [t for t in (targeted, request.get("request_start_time")) if t is not None and t > 0]
    return min(times) if times else None


guidellm = [(r["request_id"], guidellm_arrival(r)) for kind in ("successful", "incomplete", "errored")
            for r in requests[kind]]
show("guidellm", guidellm)
first = min(t for _, t in guidellm if t is not None)
print("guidellm 7f6f8a5d arrives +%.6f s after the first request"
      % (dict(guidellm)["7f6f8a5d-f89d-46d2-9153-3913ee22109d"] - first))
# vLLM bench: start_times, one per prompt.
with open(os.path.join(DATA, "vllm/openai-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.json")) as f:
    vllm = json.load(f)
show("vllm", [(str(i), t) for i, t in enumerate(vllm["start_times"])])
sys.exit(0)
