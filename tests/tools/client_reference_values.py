#!/usr/bin/env python3
"""Independent reference for tst_formats_clients: statistics of the client-lane phases of the
synthetic scenario, computed from tests/data/clients/ground_truth.json alone (standard library,
no code shared with Phaseline).

The benchmark-client samples (vLLM bench, GuideLLM, GenAI-Perf, llmperf) were all written by
shared/data/samples/_generator/gen_samples.py from this scenario. For the 11 requests that did
not fail (request 9 was rejected with HTTP 503):

  client_ttft (= total "ttft") = client_first_token - send
  decode                       = client_end - client_first_token  (client_end = last chunk arrival)
  e2e                          = client_end - send

Percentiles interpolate linearly between closest ranks (numpy's default). Values in ms.
Usage: tests/tools/client_reference_values.py
"""

import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TRUTH = os.path.join(HERE, "..", "data", "clients", "ground_truth.json")


def percentile(sorted_values, p):
    k = (len(sorted_values) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def main():
    with open(TRUTH) as f:
        truth = json.load(f)
    ok = [r for r in truth if not r["failed_http_503"]]
    phases = {
        "client_ttft": [1000 * (r["client_first_token"] - r["send"]) for r in ok],
        "decode": [1000 * (r["client_end"] - r["client_first_token"]) for r in ok],
        "e2e": [1000 * (r["client_end"] - r["send"]) for r in ok],
    }
    for name, values in phases.items():
        s = sorted(values)
        row = [sum(s) / len(s), percentile(s, 50), percentile(s, 90), percentile(s, 99), s[0], s[-1]]
        print(f'{{"{name}", {len(s)}, {{' + ", ".join(f"{v:.9f}" for v in row) + "}},")


if __name__ == "__main__":
    main()
