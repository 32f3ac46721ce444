#!/usr/bin/env python3
"""Changing /metrics scrapes built from the real dumps, and the per-interval numbers expected of them.

Independent of Phaseline's C++ (its own exposition parser and arithmetic), kept for provenance:

  metrics_sessions.py write DIR
      writes DIR/vllm_session.jsonl and DIR/sglang_session.jsonl (Phaseline's metrics session format,
      docs/metrics-intervals.md) and DIR/<name>.expected.json (per interval and phase: count delta,
      sum delta, mean, p50/p90/p99 by the histogram_quantile rule on the bucket deltas).
  metrics_sessions.py expected SESSION.jsonl
      prints the expected JSON of any session file (what the live tests compare against).

The scrapes: the real dump's histograms (vLLM 0.25.1 idle, SGLang docs example) gain a
deterministic number of observations per step (0, 1 and several), each observation's value drawn
from a fixed pseudo-random sequence inside the histogram's own buckets. The vLLM session has a
server restart (counters start again at 0) and a queue-time histogram that loses a bucket bound.
"""

import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "prometheus")

PHASES = [
    ("queue", ["request_queue_time", "queue_time"]),
    ("prefill", ["request_prefill_time"]),
    ("decode", ["request_decode_time"]),
    ("inference", ["request_inference_time"]),
    ("ttft", ["time_to_first_token"]),
    ("itl", ["inter_token_latency", "time_per_output_token"]),
    ("e2e", ["e2e_request_latency"]),
]

SAMPLE = re.compile(r'^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text):
    """{(metric, labels-without-le): {"buckets": {le_text: value}, "sum": x, "count": y}}"""
    histograms = set()
    series = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("# TYPE "):
            words = line.split()
            if len(words) >= 4 and words[3] == "histogram":
                histograms.add(words[2])
            continue
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        if not match:
            continue
        name, labels, value = match.group(1), match.group(3) or "", float(match.group(4))
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and name[: -len(suffix)] in histograms:
                metric = name[: -len(suffix)]
                break
        else:
            continue
        pairs = LABEL.findall(labels)
        le = next((v for k, v in pairs if k == "le"), None)
        key = (metric, tuple((k, v) for k, v in pairs if k != "le"))
        entry = series.setdefault(key, {"buckets": {}, "sum": 0.0, "count": 0.0})
        if suffix == "_bucket":
            entry["buckets"][le] = value
        elif suffix == "_sum":
            entry["sum"] = value
        else:
            entry["count"] = value
    return series


def bound(le):
    return math.inf if le == "+Inf" else float(le)


def short_name(metric):
    name = metric.split(":", 1)[1] if ":" in metric else metric
    for unit in ("_seconds", "_milliseconds"):
        if name.endswith(unit):
            return name[: -len(unit)]
    return name


def phase_of(series, names):
    for wanted in names:
        for key, entry in series.items():
            if ":" in key[0] and short_name(key[0]) == wanted:
                return key, entry
    return None, None


def quantile(bounds, per_bucket, count, q):
    """Prometheus histogram_quantile on per-bucket counts; None when nothing was observed."""
    total = sum(per_bucket) if bounds and math.isinf(bounds[-1]) else max(sum(per_bucket), count)
    if not total > 0:
        return None
    rank = q * total
    running = 0.0
    for i, (upper, n) in enumerate(zip(bounds, per_bucket)):
        below = running
        running += n
        if running >= rank and not math.isinf(upper):
            lower = bounds[i - 1] if i > 0 else min(0.0, upper)
            return lower + (upper - lower) * (rank - below) / n if n > 0 else upper
        if running >= rank or i == len(bounds) - 1:
            finite = [b for b in bounds if not math.isinf(b)]
            return {"above": finite[-1] if finite else 0.0}
    return None


def expected(scrapes):
    """Per-interval numbers of a list of (time_ms, text), by the rules in docs/metrics-intervals.md."""
    intervals = []
    segment = 0
    parsed = [(t, parse(text)) for t, text in scrapes]
    for (t0, before), (t1, after) in zip(parsed, parsed[1:]):
        pairs = []
        for phase, names in PHASES:
            _, a = phase_of(before, names)
            key, b = phase_of(after, names)
            pairs.append((phase, key, a, b))
        restarted = False
        for _, _, a, b in pairs:
            if a and b:
                same = sorted(a["buckets"], key=bound) == sorted(b["buckets"], key=bound)
                if b["count"] < a["count"] or b["sum"] < a["sum"] or (
                        same and any(b["buckets"][le] < a["buckets"][le] for le in a["buckets"])):
                    restarted = True
        segment += restarted
        phases = []
        finished = None
        for phase, key, a, b in pairs:
            if not b or (not restarted and not a):
                continue
            les = sorted(b["buckets"], key=bound)
            if not restarted and sorted(a["buckets"], key=bound) != les:
                continue
            base = {"count": 0.0, "sum": 0.0, "buckets": {le: 0.0 for le in les}} if restarted else a
            count = b["count"] - base["count"]
            total = b["sum"] - base["sum"]
            cumulative = [b["buckets"][le] - base["buckets"][le] for le in les]
            per_bucket = [max(0.0, c - p) for c, p in zip(cumulative, [0.0] + cumulative[:-1])]
            bounds = [bound(le) for le in les]
            scale = 0.001 if key[0].endswith("_milliseconds") else 1.0
            bounds = [x * scale for x in bounds]
            phases.append({
                "phase": phase, "metric": key[0], "count": count, "sum": total * scale,
                "mean": total * scale / count if count > 0 else None,
                "p50": quantile(bounds, per_bucket, count, 0.5),
                "p90": quantile(bounds, per_bucket, count, 0.9),
                "p99": quantile(bounds, per_bucket, count, 0.99),
            })
            if phase == "e2e":
                finished = count
        intervals.append({"start_ms": t0, "end_ms": t1, "segment": segment,
                          "requests_finished": finished, "phases": phases})
    return {"intervals": intervals}


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 11) / float(1 << 53)


def render(template, state, dropped_bound=None):
    """The dump's text with its histogram samples replaced by `state`'s values."""
    out = []
    for line in template.splitlines():
        match = SAMPLE.match(line.strip()) if not line.startswith("#") else None
        if match:
            name = match.group(1)
            pairs = LABEL.findall(match.group(3) or "")
            for suffix in ("_bucket", "_sum", "_count"):
                metric = name[: -len(suffix)] if name.endswith(suffix) else None
                key = (metric, tuple((k, v) for k, v in pairs if k != "le")) if metric else None
                if key in state:
                    entry = state[key]
                    if suffix == "_bucket":
                        le = next(v for k, v in pairs if k == "le")
                        if dropped_bound and metric.endswith(dropped_bound[0]) and le == dropped_bound[1]:
                            break
                        value = entry["buckets"][le]
                    else:
                        value = entry[suffix[1:]]
                    out.append("%s %s" % (line.strip().rsplit(None, 1)[0], repr(float(value))))
                    break
            else:
                out.append(line)
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def observe(entry, value):
    entry["count"] += 1
    entry["sum"] += value
    for le in entry["buckets"]:
        if value <= bound(le):
            entry["buckets"][le] += 1


class Stepper:
    """The scrapes of one dump, one at a time: scrape 0 is the dump itself; step i adds
    steps[(i-1) % len(steps)] observations to every histogram (reset_at: counters start again
    from 0 first; drop_at: the dropped_bound bucket is gone from then on)."""

    def __init__(self, dump, steps, seed, reset_at=None, drop_at=None, dropped_bound=None):
        self.template = open(os.path.join(DATA, dump), encoding="utf-8").read()
        self.state = parse(self.template)
        self.random = Lcg(seed)
        self.steps, self.reset_at, self.drop_at, self.dropped_bound = steps, reset_at, drop_at, dropped_bound
        self.index = 0

    def next(self):
        """The text of the next scrape."""
        i = self.index
        self.index += 1
        if i == 0:
            return render(self.template, self.state)
        if i == self.reset_at:
            for entry in self.state.values():
                entry["count"] = entry["sum"] = 0.0
                entry["buckets"] = {le: 0.0 for le in entry["buckets"]}
        observations = self.steps[(i - 1) % len(self.steps)]
        for key, entry in self.state.items():
            finite = sorted((bound(le) for le in entry["buckets"] if le != "+Inf"))
            for _ in range(observations):
                # Within the lower half of the buckets: the shape of a lightly loaded server.
                k = int(self.random.next() * max(1, len(finite) // 2))
                lower = finite[k - 1] if k > 0 else 0.0
                observe(entry, lower + (finite[k] - lower) * self.random.next())
        dropping = self.dropped_bound if self.drop_at is not None and i >= self.drop_at else None
        if dropping:
            for key, entry in self.state.items():
                if key[0].endswith(dropping[0]) and dropping[1] in entry["buckets"]:
                    del entry["buckets"][dropping[1]]
        return render(self.template, self.state, dropping)


def step_scrapes(dump, steps, seed, reset_at=None, drop_at=None, dropped_bound=None, start_ms=1764680000000,
                 every_ms=1000):
    """[(time_ms, text)] of len(steps) + 1 scrapes, one every every_ms."""
    stepper = Stepper(dump, steps, seed, reset_at, drop_at, dropped_bound)
    return [(start_ms + i * every_ms, stepper.next()) for i in range(len(steps) + 1)]


def session_lines(scrapes, source):
    return "".join(json.dumps({"scrape_time_ms": t, "source": source, "text": text}) + "\n" for t, text in scrapes)


SESSIONS = {
    # vLLM 0.25.1 (real idle dump): a restart at step 6, the queue histogram loses le="0.3" from step 9.
    "vllm_session": dict(dump="metrics_vllm_0_25_1_idle.txt", steps=[3, 1, 0, 5, 2, 4, 1, 2, 3, 2], seed=14,
                         reset_at=6, drop_at=9, dropped_bound=("request_queue_time_seconds", "0.3"),
                         source="http://127.0.0.1:8000/metrics"),
    # SGLang docs example (real, counts already high): steady steps, one with a single request.
    "sglang_session": dict(dump="sglang_docs_production_metrics_example.prom", steps=[2, 1, 4, 0, 3], seed=7,
                           source="http://127.0.0.1:30000/metrics"),
}


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "write":
        for name, spec in SESSIONS.items():
            spec = dict(spec)
            source = spec.pop("source")
            scrapes = step_scrapes(**spec)
            with open(os.path.join(sys.argv[2], name + ".jsonl"), "w", encoding="utf-8") as out:
                out.write(session_lines(scrapes, source))
            with open(os.path.join(sys.argv[2], name + ".expected.json"), "w", encoding="utf-8") as out:
                json.dump(expected(scrapes), out, indent=1)
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "expected":
        with open(sys.argv[2], encoding="utf-8") as session:
            scrapes = [(line["scrape_time_ms"], line["text"]) for line in map(json.loads, session) if line]
        json.dump(expected(scrapes), sys.stdout, indent=1)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
