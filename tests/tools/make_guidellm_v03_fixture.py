#!/usr/bin/env python3
"""Writes tests/data/guidellm/guidellm_v0.3_two_benchmarks.json: the synthetic scenario of
tests/data/clients/ground_truth.json in GuideLLM's 0.2/0.3 report shape (docs/formats.md
§3d: per-request start_time, first_token_time, last_token_time, end_time, prompt_tokens,
output_tokens and scheduler_info; benchmark args.strategy), split into two benchmarks so the
importer's per-benchmark label is exercised: requests 0-5 "synchronous", 6-11 "constant" at
4 req/s. Request 9 (HTTP 503) is in the second benchmark's errored list.

Stamps are the ground truth's own values: start_time = send, first_token_time =
client_first_token, last_token_time = end_time = client_end; targeted_start_time = send - 1 ms.
Only the fields the importer reads are written (plus a few for shape); the real reports hold more.
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")


def request(r):
    base = {"type_": "generative_text_response", "request_id": f"gt-{r['i']}",
            "request_type": "chat_completions", "prompt": "<synthetic>", "prompt_tokens": r["prompt"],
            "start_time": r["send"], "end_time": r["client_end"],
            "scheduler_info": {"requested": True, "completed": True, "errored": False, "canceled": False,
                               "targeted_start_time": r["send"] - 0.001, "queued_time": r["send"] - 0.2,
                               "dequeued_time": r["send"] - 0.0015, "scheduled_time": r["send"] - 0.0012,
                               "worker_start": r["send"] - 0.0001, "request_start": r["send"],
                               "request_end": r["client_end"], "worker_end": r["client_end"] + 0.0001,
                               "process_id": r["i"] % 2}}
    if r["failed_http_503"]:
        base.update({"type_": "generative_text_error", "output": None, "output_tokens": 0,
                     "first_token_time": None, "last_token_time": None,
                     "error": "HTTPStatusError: Server error '503 Service Unavailable'"})
        base["scheduler_info"]["errored"] = True
    else:
        base.update({"output": "<synthetic>", "output_tokens": r["out"],
                     "first_token_time": r["client_first_token"], "last_token_time": r["client_end"]})
    return base


def benchmark(requests, strategy):
    ok = [request(r) for r in requests if not r["failed_http_503"]]
    errored = [request(r) for r in requests if r["failed_http_503"]]
    return {"type_": "generative_benchmark", "run_id": "fixture",
            "args": {"strategy_index": 0, "strategy": strategy},
            "run_stats": {"requests_made": {"successful": len(ok), "incomplete": 0, "errored": len(errored),
                                            "total": len(requests)}},
            "requests": {"successful": ok, "incomplete": [], "errored": errored},
            "start_time": requests[0]["send"], "end_time": max(r["client_end"] for r in requests)}


def main():
    with open(os.path.join(DATA, "clients", "ground_truth.json")) as f:
        truth = json.load(f)
    report = {"benchmarks": [benchmark(truth[:6], {"type_": "synchronous"}),
                             benchmark(truth[6:], {"type_": "constant", "rate": 4.0})]}
    with open(os.path.join(DATA, "guidellm", "guidellm_v0.3_two_benchmarks.json"), "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
