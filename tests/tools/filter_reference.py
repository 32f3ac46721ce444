#!/usr/bin/env python3
"""Expectations of tst_cli's --filter tests: which requests of the disaggregated sample each
expression keeps and the ctx_queue statistics of those (reference_values.py's reading of the
file, standard library only)."""
import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("reference_values", os.path.join(HERE, "reference_values.py"))
reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference)

requests, _ = reference.load(os.path.join(reference.DATA, "endpoint_B_disagg_wrapper.json"))


def queue(request):
    state, ms, _ = reference.duration(request, "ctx_queue", "ctx_arrival_time", "ctx_first_scheduled_time")
    return ms if state == "recorded" else None


FILTERS = {
    "ctx_queue > 2": lambda r: queue(r) is not None and queue(r) > 2,
    "ctx_queue<1": lambda r: queue(r) is not None and queue(r) < 1,
    "100": lambda r: "100" in r["id"],
    "ctx_queue > 2 and 1007": lambda r: queue(r) is not None and queue(r) > 2 and "1007" in r["id"],
}
for expression, keep in FILTERS.items():
    kept = [r for r in requests if keep(r)]
    queues = sorted(q for q in map(queue, kept) if q is not None)
    median = reference.percentile(queues, 50) if queues else None
    print(f"{expression!r}: {len(kept)} requests {[r['id'] for r in kept]}; ctx_queue count {len(queues)}, "
          f"median {median}, min {queues[0] if queues else None}, max {queues[-1] if queues else None}")
