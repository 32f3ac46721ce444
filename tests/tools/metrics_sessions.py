#!/usr/bin/env python3
"""Changing /metrics scrapes built from the real dumps, and the per-interval numbers expected of them.

Independent of Phaseline's C++ (its own exposition parser and arithmetic), kept for provenance:

  metrics_sessions.py write DIR
      writes DIR/vllm_session.jsonl and DIR/sglang_session.jsonl (Phaseline's metrics session format,
      docs/metrics-intervals.md) and DIR/<name>.expected.json (per interval and phase: count delta,
      sum delta, mean, p50/p90/p99 by the histogram_quantile rule on the bucket deltas).
      It also writes DIR/fleet_session.jsonl: one recorded Prometheus query_range answer holding two
      vLLM instances (job "vllm", instances gpu-0 and gpu-1, each its own scrapes), and
      DIR/fleet_session.expected.json: per instance its intervals and "overall" (all intervals
      summed: count, sum, mean, quantiles of the summed bucket deltas, requests finished).
  metrics_sessions.py expected SESSION.jsonl
      prints the expected JSON of any /metrics scrape session file (what the live tests compare against).

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
    ("prefill", ["request_prefill_time", "per_stage_req_latency:prefill_forward"]),
    ("decode", ["request_decode_time"]),
    ("inference", ["request_inference_time"]),
    ("ttft", ["time_to_first_token"]),
    ("itl", ["inter_token_latency", "time_per_output_token"]),
    ("e2e", ["e2e_request_latency"]),
]

PHASE_OF_NAME = {name: phase for phase, names in PHASES for name in names}
STAGE_HISTOGRAM = "per_stage_req_latency"
# The SGLang stages the stand-in servers expose (docs/metrics-intervals.md, "SGLang request stages").
STAGES = ["prefill_forward", "request_process"]

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


def stage_of(key):
    return dict(key[1]).get("stage") if short_name(key[0]) == STAGE_HISTOGRAM else None


def key_name(key):
    """What a histogram is looked up by: its short name, "per_stage_req_latency:<stage>" for a stage."""
    stage = stage_of(key)
    return short_name(key[0]) + (":" + stage if stage else "")


def metric_name(key):
    stage = stage_of(key)
    return key[0] + ('{stage="%s"}' % stage if stage else "")


def phase_names(phase):
    """The histogram key names a phase is read from."""
    return dict(PHASES).get(phase) or [STAGE_HISTOGRAM + ":" + phase[len("stage:"):]]


def phase_list(parsed_scrapes):
    """PHASES, then a "stage:<name>" phase per stage that none of them reads, in order of appearance."""
    phases = list(PHASES)
    for parsed in parsed_scrapes:
        for key in parsed:
            name = key_name(key)
            if stage_of(key) and name not in PHASE_OF_NAME and ("stage:" + stage_of(key), [name]) not in phases:
                phases.append(("stage:" + stage_of(key), [name]))
    return phases


def phase_of(series, names):
    for wanted in names:
        for key, entry in series.items():
            if ":" in key[0] and key_name(key) == wanted:
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
    phases_read = phase_list(p for _, p in parsed)
    for (t0, before), (t1, after) in zip(parsed, parsed[1:]):
        pairs = []
        for phase, names in phases_read:
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
                "phase": phase, "metric": metric_name(key), "count": count, "sum": total * scale,
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

    def __init__(self, dump, steps, seed, reset_at=None, drop_at=None, dropped_bound=None, stages=False):
        self.template = open(os.path.join(DATA, dump), encoding="utf-8").read()
        if stages:
            self.template += stage_histogram_text(self.template)
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
        for _ in range(self.steps[(i - 1) % len(self.steps)]):
            request = self.request()
            for key, entry in self.state.items():
                phase = PHASE_OF_NAME.get(key_name(key)) or (stage_of(key) and "stage:" + stage_of(key))
                if phase:
                    scale = 1000.0 if key[0].endswith("_milliseconds") else 1.0
                    for value in request[phase]:
                        observe(entry, value * scale)
                    continue
                # Other histograms (token counts, …): within the lower half of their buckets.
                finite = sorted((bound(le) for le in entry["buckets"] if le != "+Inf"))
                k = int(self.random.next() * max(1, len(finite) // 2))
                lower = finite[k - 1] if k > 0 else 0.0
                observe(entry, lower + (finite[k] - lower) * self.random.next())
        dropping = self.dropped_bound if self.drop_at is not None and i >= self.drop_at else None
        if dropping:
            for key, entry in self.state.items():
                if key[0].endswith(dropping[0]) and dropping[1] in entry["buckets"]:
                    del entry["buckets"][dropping[1]]
        return render(self.template, self.state, dropping)


    def request(self):
        """One finished request's phase observations in seconds, consistent as a real server's are:
        TTFT spans queue and prefill, e2e spans TTFT and decode, inference is prefill + decode, and
        the decode time is split into its token gaps (one ITL observation each)."""
        r = self.random.next
        queue = 0.005 + 0.25 * r() ** 2
        prefill = 0.02 + 0.3 * r()
        decode = 0.4 + 2.5 * r()
        gaps = 8 + int(24 * r())
        ttft = queue + prefill + 0.002 + 0.01 * r()
        return {"queue": [queue], "prefill": [prefill], "decode": [decode], "inference": [prefill + decode],
                "ttft": [ttft], "itl": [decode / gaps] * gaps, "e2e": [ttft + decode + 0.002 * r()],
                "stage:request_process": [0.0005 + 0.003 * r()]}


def stage_histogram_text(dump):
    """sglang:per_stage_req_latency_seconds for STAGES, empty, with the dump's model label and
    SGLang's buckets (exponential from 1 ms, x1.62, 30 bounds)."""
    model = re.search(r'model_name="([^"]*)"', dump).group(1)
    bounds = ["%.6g" % (0.001 * 1.62 ** i) for i in range(30)] + ["+Inf"]
    lines = ["# HELP sglang:per_stage_req_latency_seconds The latency of each stage of requests.",
             "# TYPE sglang:per_stage_req_latency_seconds histogram"]
    for stage in STAGES:
        labels = 'model_name="%s",stage="%s"' % (model, stage)
        lines += ['sglang:per_stage_req_latency_seconds_bucket{%s,le="%s"} 0.0' % (labels, le) for le in bounds]
        lines += ["sglang:per_stage_req_latency_seconds_sum{%s} 0.0" % labels,
                  "sglang:per_stage_req_latency_seconds_count{%s} 0.0" % labels]
    return "\n".join(lines) + "\n"


def step_scrapes(dump, steps, seed, reset_at=None, drop_at=None, dropped_bound=None, stages=False,
                 start_ms=1764680000000, every_ms=1000):
    """[(time_ms, text)] of len(steps) + 1 scrapes, one every every_ms."""
    stepper = Stepper(dump, steps, seed, reset_at, drop_at, dropped_bound, stages)
    return [(start_ms + i * every_ms, stepper.next()) for i in range(len(steps) + 1)]


def session_lines(scrapes, source):
    return "".join(json.dumps({"scrape_time_ms": t, "source": source, "text": text}) + "\n" for t, text in scrapes)


SESSIONS = {
    # vLLM 0.25.1 (real idle dump): a restart at step 6, the queue histogram loses le="0.3" from step 9.
    "vllm_session": dict(dump="metrics_vllm_0_25_1_idle.txt", steps=[3, 1, 0, 5, 2, 4, 1, 2, 3, 2], seed=14,
                         reset_at=6, drop_at=9, dropped_bound=("request_queue_time_seconds", "0.3"),
                         source="http://127.0.0.1:8000/metrics"),
    # SGLang docs example (real, counts already high) with per-stage histograms added (STAGES):
    # steady steps, one with a single request.
    "sglang_session": dict(dump="sglang_docs_production_metrics_example.prom", steps=[2, 1, 4, 0, 3], seed=7,
                           stages=True, source="http://127.0.0.1:30000/metrics"),
}


def overall(scrapes):
    """All intervals of a restart-free scrape list as one: the change from the first scrape to the last."""
    first, last = parse(scrapes[0][1]), parse(scrapes[-1][1])
    phases = []
    finished = None
    for phase, names in PHASES:
        _, a = phase_of(first, names)
        key, b = phase_of(last, names)
        if not a or not b:
            continue
        les = sorted(b["buckets"], key=bound)
        cumulative = [b["buckets"][le] - a["buckets"][le] for le in les]
        per_bucket = [max(0.0, c - p) for c, p in zip(cumulative, [0.0] + cumulative[:-1])]
        bounds = [bound(le) for le in les]
        count, total = b["count"] - a["count"], b["sum"] - a["sum"]
        phases.append({"phase": phase, "metric": key[0], "count": count, "sum": total,
                       "mean": total / count if count > 0 else None,
                       "p50": quantile(bounds, per_bucket, count, 0.5), "p90": quantile(bounds, per_bucket, count, 0.9),
                       "p99": quantile(bounds, per_bucket, count, 0.99)})
        if phase == "e2e":
            finished = count
    return {"requests_finished": finished, "phases": phases}


def query_range_answer(instances, job):
    """A Prometheus /api/v1/query_range body (matrix) holding the phase histograms of every
    instance's scrapes, one sample per scrape time, labelled with instance and job."""
    wanted = {short_name(name.split(":")[0]) for _, names in PHASES for name in names} | {STAGE_HISTOGRAM}
    result = {}
    for instance, scrapes in instances.items():
        for time_ms, text in scrapes:
            for (metric, labels), entry in parse(text).items():
                if short_name(metric) not in wanted:
                    continue
                common = dict(labels, instance=instance, job=job)
                samples = [("_bucket", dict(common, le=le), value) for le, value in entry["buckets"].items()]
                samples += [("_sum", common, entry["sum"]), ("_count", common, entry["count"])]
                for suffix, sample_labels, value in samples:
                    key = (metric + suffix, tuple(sorted(sample_labels.items())))
                    series = result.setdefault(key, {"metric": dict(sample_labels, __name__=metric + suffix), "values": []})
                    series["values"].append([time_ms / 1000.0, repr(float(value))])
    return json.dumps({"status": "success", "data": {"resultType": "matrix", "result": list(result.values())}})


# Two vLLM replicas behind one Prometheus server: gpu-1 carries about twice gpu-0's load.
FLEET = {"gpu-0": dict(steps=[1, 2, 0, 3, 1, 2], seed=31), "gpu-1": dict(steps=[4, 3, 5, 2, 6, 3], seed=32)}
FLEET_SOURCE = "prom+http://127.0.0.1:9090"


def write_fleet(directory):
    instances = {name: step_scrapes("metrics_vllm_0_25_1_idle.txt", every_ms=15000, **spec) for name, spec in FLEET.items()}
    query = '{__name__=~"(vllm|sglang):..."}'
    with open(os.path.join(directory, "fleet_session.jsonl"), "w", encoding="utf-8") as out:
        out.write(json.dumps({"query_time_ms": instances["gpu-0"][-1][0], "source": FLEET_SOURCE, "query": query,
                              "response": query_range_answer(instances, "vllm")}) + "\n")
    expected_fleet = {name: dict(expected(scrapes), overall=overall(scrapes)) for name, scrapes in instances.items()}
    with open(os.path.join(directory, "fleet_session.expected.json"), "w", encoding="utf-8") as out:
        json.dump(expected_fleet, out, indent=1)


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
        write_fleet(sys.argv[2])
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
