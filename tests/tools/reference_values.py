#!/usr/bin/env python3
"""Independent reference for the expected values hard-coded in the Qt tests.

Reads the raw sample files in tests/data/trtllm/ with the standard library only (no numpy, no
code shared with Phaseline) and applies the rules of docs/phase-model.md §4 and docs/trtllm.md §4.2:

  * stamps are flattened as time_breakdown does: ctx_* = the context worker's (or an aggregated
    worker's) timing_metrics, gen_* = the generation worker's, disagg_* = the wrapper top level;
  * a stamp that is absent, null, NaN or <= 0 is missing; a phase with a missing end is missing;
  * a phase whose end precedes its start is an anomaly: counted, excluded from statistics;
  * percentiles interpolate linearly between closest ranks (numpy's default).

All arithmetic is decimal, so the printed values are the exact durations of the decimal stamps.
For every value it also checks that the same computation in binary doubles stays within 1e-6 ms
of it, which is the tolerance the C++ tests use.

Usage: tests/tools/reference_values.py [INPUT ...]   (default: every sample)
INPUT is a file or directory; several joined with '+' (relative to tests/data/trtllm) are loaded
as one run, e.g. endpoint_A_agg_2025-09_no_server_stamps.json+jsonl_D_agg.
"""

import glob
import json
import math
import os
import sys
from decimal import Decimal, getcontext

getcontext().prec = 40
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "trtllm")
TOLERANCE_MS = float(os.environ.get("TOLERANCE_MS", "1e-6"))

# docs/trtllm.md §4.2 (segments 1-12 and 8a) plus docs/phase-model.md §4's decode.
PHASES = [
    ("disagg_preprocessing", "disagg_server_arrival_time", "ctx_server_arrival_time"),
    ("ctx_preprocessing", "ctx_server_arrival_time", "ctx_arrival_time"),
    ("ctx_queue", "ctx_arrival_time", "ctx_first_scheduled_time"),
    ("ctx_processing", "ctx_first_scheduled_time", "ctx_first_token_time"),
    ("ctx_postprocessing", "ctx_first_token_time", "ctx_server_first_token_time"),
    ("disagg_relay", "ctx_server_first_token_time", "gen_server_arrival_time"),
    ("gen_preprocessing", "gen_server_arrival_time", "gen_arrival_time"),
    ("gen_queue", "gen_arrival_time", "gen_first_scheduled_time"),
    ("gen_queue_wait", "gen_arrival_time", "gen_kv_cache_transfer_start"),
    ("gen_kv_transfer", "gen_kv_cache_transfer_start", "gen_kv_cache_transfer_end"),
    ("gen_post_transfer", "gen_kv_cache_transfer_end", "gen_first_scheduled_time"),
    ("gen_postprocessing", "gen_first_scheduled_time", "gen_server_first_token_time"),
    ("disagg_postprocessing", "gen_server_first_token_time", "disagg_server_first_token_time"),
    ("decode", None, None),  # engine first token -> last token of the generating side
]


def load_json(path):
    with open(path) as f:
        return json.load(f, parse_float=Decimal)


def load_lines(path):
    records, bad = [], []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line, parse_float=Decimal))
            except json.JSONDecodeError:
                bad.append(number)
    return records, bad


def timing(worker):
    """timing_metrics of a worker item, or {} when the item is null."""
    if not worker:
        return {}
    return (worker.get("perf_metrics") or {}).get("timing_metrics") or {}


def flatten(prefix, stamps):
    return {prefix + key: value for key, value in stamps.items() if key.endswith(("_time", "_start", "_end"))}


def steps_of(worker):
    """(context chunks, generation steps) in any of the nestings the samples use."""
    if not worker:
        return 0, 0
    places = [worker.get("time_breakdown_metrics") or {}, worker.get("perf_metrics") or {},
              (worker.get("perf_metrics") or {}).get("time_breakdown_metrics") or {}]
    chunks = sum(len(place.get("ctx_chunk_metrics") or []) for place in places)
    steps = sum(len(place.get("step_metrics") or []) for place in places)
    return chunks, steps


def request_from_record(record):
    """One request dict from a worker item or a disagg wrapper/combined record."""
    if "ctx_perf_metrics" in record or "gen_perf_metrics" in record:
        ctx, gen = record.get("ctx_perf_metrics"), record.get("gen_perf_metrics")
        stamps = {key: record[key] for key in record if key.startswith("disagg_") and key.endswith("_time")}
        stamps.update(flatten("ctx_", timing(ctx)))
        stamps.update(flatten("gen_", timing(gen)))
        key = record.get("disagg_request_id", (ctx or gen or {}).get("ctx_request_id"))
        chunks, _ = steps_of(ctx)
        _, steps = steps_of(gen)
        return {"id": str(key if key is not None else (ctx or {}).get("request_id")), "role": "disaggregated",
                "stamps": stamps, "chunks": chunks, "steps": steps}
    chunks, steps = steps_of(record)
    return {"id": str(record.get("request_id")), "role": "aggregated", "stamps": flatten("ctx_", timing(record)),
            "chunks": chunks, "steps": steps}


def request_from_headers(payload):
    """The per-request header/SSE payload of shape D (one aggregated worker, phase 'server')."""
    def entries(header):
        for entry in header.split(","):
            name, _, value = entry.strip().partition(";")
            yield name, Decimal(value.split("=", 1)[1])
    stamps = dict(entries(payload["X-TRTLLM-Start-End-Time"]))
    durations = dict(entries(payload["Server-Timing"]))
    start = stamps["server-start"]
    return {"id": "#1", "role": "aggregated", "chunks": 0, "steps": 0, "stamps": {
        "ctx_arrival_time": start,
        "ctx_first_scheduled_time": start + durations["server_queue"] / 1000,
        "ctx_first_token_time": start + durations["server_ttft"] / 1000,
        "ctx_last_token_time": stamps["server-end"],
    }}


def join_directory(paths):
    """JSONL run: disagg-server records and the ctx/gen worker records of the same request are
    joined by disagg_request_id (else ctx_request_id); the worker files' values win (they carry
    the full detail). Worker records without either key are aggregated requests of their own."""
    requests, aggregated, skipped = {}, [], []
    workers = []
    for path in paths:
        records, bad = load_lines(path)
        skipped += [(os.path.basename(path), line) for line in bad]
        for record in records:
            if "ctx_perf_metrics" in record or "gen_perf_metrics" in record:
                request = request_from_record(record)
                requests[request["id"]] = request
            elif "disagg_request_id" in record or "ctx_request_id" in record:
                workers.append(record)
            else:
                aggregated.append(request_from_record(record))
    for worker in workers:
        key = str(worker.get("disagg_request_id", worker.get("ctx_request_id")))
        request = requests.setdefault(key, {"id": key, "role": "disaggregated", "stamps": {}, "chunks": 0, "steps": 0})
        side = "gen_" if "kv_cache_transfer_start" in timing(worker) else "ctx_"
        request["stamps"].update(flatten(side, timing(worker)))
        chunks, steps = steps_of(worker)
        request["chunks"] += chunks
        request["steps"] += steps
    return list(requests.values()) + aggregated, skipped


def load(path):
    """Requests of one file or directory; several inputs joined with '+' are loaded together."""
    if "+" in os.path.basename(path):
        requests, skipped = [], []
        for part in path.split("+"):
            more, bad = load(os.path.join(DATA, part) if not os.path.isabs(part) else part)
            requests += more
            skipped += bad
        return requests, skipped
    if os.path.isdir(path):
        return join_directory(sorted(glob.glob(os.path.join(path, "*"))))
    data = load_json(path)
    if isinstance(data, dict):
        return [request_from_headers(data)], []
    return [request_from_record(record) for record in data], []


def recorded(value):
    return value is not None and not (isinstance(value, Decimal) and value.is_nan()) and value > 0


def duration(request, phase, start, end):
    """('recorded'|'missing'|'anomaly', ms as Decimal or None, ms as computed in doubles)."""
    stamps = request["stamps"]
    if phase == "decode":
        side = "gen_" if request["role"] == "disaggregated" else "ctx_"
        start, end = side + "first_token_time", side + "last_token_time"
    a, b = stamps.get(start), stamps.get(end)
    if not (recorded(a) and recorded(b)):
        return "missing", None, None
    ms = (b - a) * 1000
    return ("anomaly" if b < a else "recorded"), ms, (float(b) - float(a)) * 1000.0


def percentile(values, p):
    rank = Decimal(p) / 100 * (len(values) - 1)
    below = int(rank)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (rank - below)


def fmt(value):
    text = format(value.quantize(Decimal("1e-12")).normalize(), "f")
    return text if "." in text else text + ".0"


def check_double(decimal_value, double_value, what):
    if abs(float(decimal_value) - double_value) > TOLERANCE_MS:
        print(f"  !! {what}: doubles give {double_value!r}, decimal {decimal_value} (beyond {TOLERANCE_MS} ms)")


def report(path):
    requests, skipped = load(path)
    print(f"== {os.path.relpath(path, DATA) if '+' not in path else path}: {len(requests)} requests, "
          f"{sum(r['chunks'] for r in requests)} context chunks, {sum(r['steps'] for r in requests)} steps"
          + (f", skipped lines {skipped}" if skipped else ""))
    for request in requests:
        cells = []
        for name, start, end in PHASES:
            state, ms, as_double = duration(request, name, start, end)
            if state != "missing":
                check_double(ms, as_double, f"{request['id']} {name}")
                cells.append(f"{name}={fmt(ms)}" + (" (ANOMALY)" if state == "anomaly" else ""))
        print(f"  {request['id']} [{request['role']}, chunks {request['chunks']}, steps {request['steps']}]: "
              + ", ".join(cells))
    for name, start, end in PHASES:
        results = [duration(request, name, start, end) for request in requests]
        values = sorted(ms for state, ms, _ in results if state == "recorded")
        doubles = sorted(d for state, _, d in results if state == "recorded")
        anomalies = sum(1 for state, _, _ in results if state == "anomaly")
        if not values and not anomalies:
            continue
        missing = len(requests) - len(values) - anomalies
        line = f"  stats {name}: count {len(values)} missing {missing} anomalies {anomalies}"
        if values:
            stats = {"mean": sum(values) / len(values), "median": percentile(values, 50),
                     "p90": percentile(values, 90), "p99": percentile(values, 99),
                     "min": values[0], "max": values[-1]}
            rank = lambda p: (p / 100 * (len(doubles) - 1))
            interp = lambda p: doubles[int(rank(p))] + (doubles[min(int(rank(p)) + 1, len(doubles) - 1)]
                                                         - doubles[int(rank(p))]) * (rank(p) - int(rank(p)))
            as_doubles = {"mean": math.fsum(doubles) / len(doubles), "median": interp(50), "p90": interp(90),
                          "p99": interp(99), "min": doubles[0], "max": doubles[-1]}
            for key, value in stats.items():
                check_double(value, as_doubles[key], f"{name} {key}")
            line += " " + " ".join(f"{key} {fmt(value)}" for key, value in stats.items())
        print(line)


def main(arguments):
    paths = arguments or sorted(glob.glob(os.path.join(DATA, "*")))
    for path in paths:
        report(path if "+" in path else os.path.abspath(path))


if __name__ == "__main__":
    main(sys.argv[1:])
