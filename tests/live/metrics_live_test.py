#!/usr/bin/env python3
"""Live vLLM / SGLang /metrics and a real Prometheus server, end to end (issue 14).

  metrics_live_test.py direct PHASELINE      --record of /metrics endpoints, with faults
  metrics_live_test.py prometheus PHASELINE  a real Prometheus scraping them, read by Phaseline

The served scrapes come from tests/tools/metrics_test_server.py, which logs every body it sent;
the expected numbers are computed here from that log by tests/tools/metrics_sessions.py (its own
parser and arithmetic), never by Phaseline. Exit 77 (skipped) only when `prometheus` is absent.
"""

import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import metrics_sessions  # noqa: E402

SKIP = 77
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, file=sys.stderr)


def near(a, b):
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b))


def start_server(work):
    log = os.path.join(work, "served.jsonl")
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "..", "tools", "metrics_test_server.py"), log],
                              stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    if not line.startswith("PORT "):
        raise RuntimeError("the test server did not start")
    return server, int(line.split()[1]), log


def read_lines(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def stats_json(phaseline, *arguments):
    run = subprocess.run([phaseline, "--stats", "--format", "json", *arguments], capture_output=True, text=True,
                         timeout=60)
    try:
        return run.returncode, json.loads(run.stdout), run.stderr
    except ValueError:
        return run.returncode, {}, run.stderr


def compare_phases(where, got, want):
    check([p["phase"] for p in got] == [p["phase"] for p in want],
          "%s: phases %s, expected %s" % (where, [p["phase"] for p in got], [p["phase"] for p in want]))
    for g, w in zip(got, want):
        check(near(g["count"], w["count"]), "%s %s: count %s, expected %s" % (where, w["phase"], g["count"], w["count"]))
        check(near(g["sum_s"], w["sum"]), "%s %s: sum %r, expected %r" % (where, w["phase"], g["sum_s"], w["sum"]))
        if w["mean"] is None:
            check(g["mean_s"] is None, "%s %s: a mean of nothing" % (where, w["phase"]))
        else:
            check(near(g["mean_s"], w["mean"]), "%s %s: mean %r, expected %r" % (where, w["phase"], g["mean_s"], w["mean"]))
        for key in ("p50", "p90", "p99"):
            expected, estimate = w[key], g[key]
            if expected is None:
                check(estimate is None, "%s %s: %s of nothing" % (where, w["phase"], key))
            elif isinstance(expected, dict):
                check(estimate and math.isinf(estimate["bucket_upper_s"] or math.inf)
                      and near(estimate["estimate_s"], expected["above"]), "%s %s: %s above the last bound" % (where, w["phase"], key))
            else:
                check(estimate and near(estimate["estimate_s"], expected),
                      "%s %s: %s %r, expected %r" % (where, w["phase"], key, estimate and estimate["estimate_s"], expected))


def compare_series(where, series, expected, times=True):
    got = series["intervals"]
    want = expected["intervals"]
    check(len(got) == len(want), "%s: %d intervals, expected %d" % (where, len(got), len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        at = "%s interval %d" % (where, i)
        if times:
            check(g["start_ms"] == w["start_ms"] and g["end_ms"] == w["end_ms"], at + ": times")
        check(g["segment"] == w["segment"], "%s: segment %s, expected %s" % (at, g["segment"], w["segment"]))
        check(g["single_request"] == (w["requests_finished"] == 1), at + ": single-request label")
        compare_phases(at, g["phases"], w["phases"])


def record(phaseline, work, name, url, interval, *options):
    """Starts --record with no practical time limit: stop_when() ends it once it has what the test needs."""
    out = os.path.join(work, name + ".jsonl")
    process = subprocess.Popen([phaseline, "--record", out, "--interval", str(interval), "--duration", "300", *options, url],
                               stderr=subprocess.PIPE, text=True)
    return process, out


def stop_when(process, ready, limit=90):
    """SIGTERM (which --record answers by keeping every complete record) once ready() holds: a
    recording ends on what was served, not after a wall-clock time that a slow (sanitizer) build
    may not reach its faults in."""
    deadline = time.time() + limit
    while time.time() < deadline and process.poll() is None and not ready():
        time.sleep(0.1)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)


def complete_lines(path):
    """The lines written whole so far (the writer may be in the middle of the next one)."""
    try:
        with open(path, encoding="utf-8") as text:
            return [json.loads(line) for line in text.read().split("\n")[:-1] if line.strip()]
    except FileNotFoundError:
        return []


def answered_steps(recorded):
    """How many distinct evaluation steps the recorded query_range answers hold, per job."""
    steps = {"vllm": set(), "sglang": set()}
    for line in complete_lines(recorded):
        for result in json.loads(line["response"]).get("data", {}).get("result", []):
            job = result.get("metric", {}).get("job")
            if job in steps:
                steps[job].update(value[0] for value in result.get("values", []))
    return {job: len(times) for job, times in steps.items()}


def served_count(log, name):
    return sum(line["source"].endswith("/%s/metrics" % name) for line in complete_lines(log))


def direct(phaseline):
    work = tempfile.mkdtemp(prefix="phaseline-metrics-")
    server, port, log = start_server(work)
    try:
        # Whole scrapes served before the recording stops: the faulty endpoint's 12th comes after its
        # HTTP 404 (FAULTS) and after the scrape whose bucket list changed (drop_at=9).
        wanted = {"vllm": 6, "sglang": 6, "faulty": 12}
        runs = {name: record(phaseline, work, name, "http://127.0.0.1:%d/%s/metrics" % (port, name), interval)
                for name, interval in (("vllm", 0.2), ("sglang", 0.2), ("faulty", 0.1))}
        errors = {}
        for name, (process, out) in runs.items():
            stop_when(process, lambda: served_count(log, name) >= wanted[name])
            _, errors[name] = process.communicate(timeout=60)
            check(process.returncode == 0, "%s: --record exit status %d: %s" % (name, process.returncode, errors[name]))
        served = read_lines(log)
        for name, (process, out) in runs.items():
            kept = read_lines(out)
            sent = [line for line in served if line["source"].endswith("/%s/metrics" % name)]
            # Nothing kept that was not served whole, nothing lost that was (the last one may be in flight at the stop).
            check(len(kept) >= 3, "%s: only %d scrapes kept" % (name, len(kept)))
            check([k["text"] for k in kept] == [s["text"] for s in sent][: len(kept)] and len(sent) - len(kept) in (0, 1),
                  "%s: kept %d scrapes, the server sent %d; they differ" % (name, len(kept), len(sent)))
            status, stats, stderr = stats_json(phaseline, out)
            series = stats.get("interval_series", [])
            check(len(series) == 1, "%s: %d interval series from the session" % (name, len(series)))
            if series:
                expected = metrics_sessions.expected([(k["scrape_time_ms"], k["text"]) for k in kept])
                compare_series(name, series[0], expected)
                print("%s: %d scrapes kept, %d intervals match" % (name, len(kept), len(series[0]["intervals"])))
            if name == "faulty":
                for said in ("HTTP 500", "malformed response", "response cut", "retrying in", "receiving again",
                             "HTTP 404"):
                    check(said in errors[name], "faulty --record does not say '%s': %s" % (said, errors[name]))
                check(status in (0, 4), "faulty --stats exit status %d" % status)
                for said in ("counters went down", "the bucket bounds changed"):
                    check(said in stderr, "faulty --stats does not say '%s'" % said)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_by_path(log):
    scrapes = {}
    for line in read_lines(log):
        path = "/" + line["source"].split("/", 3)[3]
        scrapes.setdefault(path, []).append(metrics_sessions.parse(line["text"]))
    return scrapes


def totals(parsed, names):
    """(count, sum) of a phase in one parsed scrape."""
    _, entry = metrics_sessions.phase_of(parsed, names)
    return (entry["count"], entry["sum"]) if entry else None


def check_chain(where, series, served):
    """Phaseline's intervals must be differences of served scrapes in order: the e2e counts identify
    them (each served scrape finished more requests than the one before); every phase's count and sum
    must then be that difference exactly."""
    e2e = [totals(s, metrics_sessions.phase_names("e2e"))[0] for s in served]
    intervals = series["intervals"]
    deltas = [next((p["count"] for p in i["phases"] if p["phase"] == "e2e"), None) for i in intervals]
    for start in range(len(served)):
        chain = [start]
        for delta in deltas:
            target = e2e[chain[-1]] + delta
            following = [n for n in range(chain[-1], len(served)) if e2e[n] == target]
            if not following:
                break
            chain.append(following[0])
        if len(chain) == len(deltas) + 1:
            break
    else:
        check(False, "%s: the intervals are no differences of served scrapes (e2e deltas %s)" % (where, deltas))
        return 0
    checked = 0
    for interval, a, b in zip(intervals, chain, chain[1:]):
        for phase in interval["phases"]:
            names = metrics_sessions.phase_names(phase["phase"])
            before, after = totals(served[a], names), totals(served[b], names)
            check(near(phase["count"], after[0] - before[0]) and near(phase["sum_s"], after[1] - before[1]),
                  "%s: %s count/sum %s/%s, served %s/%s" % (where, phase["phase"], phase["count"], phase["sum_s"],
                                                             after[0] - before[0], after[1] - before[1]))
            if after[0] > before[0]:
                check(near(phase["mean_s"], (after[1] - before[1]) / (after[0] - before[0])), where + ": mean")
            checked += 1
    return checked


def prometheus(phaseline):
    binary = shutil.which("prometheus")
    if not binary:
        print("SKIP: no prometheus binary (Debian: apt-get install prometheus; packaging/bootstrap.sh test does)")
        return SKIP
    work = tempfile.mkdtemp(prefix="phaseline-prometheus-")
    server, port, log = start_server(work)
    prom_port = free_port()
    config = os.path.join(work, "prometheus.yml")
    with open(config, "w") as out:
        out.write("global: {scrape_interval: 1s, scrape_timeout: 1s}\nscrape_configs:\n")
        for job in ("vllm", "sglang"):
            out.write("  - job_name: %s\n    metrics_path: /%s/metrics\n    static_configs: [{targets: ['127.0.0.1:%d']}]\n"
                      % (job, job, port))
    prom = subprocess.Popen([binary, "--config.file=" + config, "--storage.tsdb.path=" + os.path.join(work, "data"),
                             "--web.listen-address=127.0.0.1:%d" % prom_port, "--log.level=error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % prom_port
    try:
        for _ in range(100):
            try:
                if urllib.request.urlopen(base + "/-/ready", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        # Enough scrapes of each target (Prometheus starts slowly on a busy machine).
        for _ in range(300):
            paths = [line["source"] for line in read_lines(log)]
            if all(sum(p.endswith("/%s/metrics" % job) for p in paths) >= 7 for job in ("vllm", "sglang")):
                break
            time.sleep(0.1)
        # The range and step of --stats below: the default hour at 12 s steps would hold no two
        # steps with data this soon after Prometheus started.
        recording, recorded = record(phaseline, work, "prometheus", "prom+" + base, 1, "--range", "12", "--step", "1")
        status, stats, stderr = stats_json(phaseline, "--range", "12", "--step", "1", "prom+" + base)
        check(status == 0, "--stats prom+: exit status %d: %s" % (status, stderr))
        served = served_by_path(log)
        series = stats.get("interval_series", [])
        check(len(series) == 2, "--stats prom+: %d series (%s), expected vllm and sglang" % (len(series), [s["name"] for s in series]))
        for one in series:
            job = "vllm" if "job=vllm" in one["name"] else "sglang"
            check(len(one["intervals"]) >= 5, "%s: only %d intervals in 12 s" % (job, len(one["intervals"])))
            checked = check_chain("prom " + job, one, served["/%s/metrics" % job])
            print("prometheus %s: %d intervals, %d phase numbers match the served scrapes" % (job, len(one["intervals"]), checked))
        status, matched, stderr = stats_json(phaseline, "--range", "12", "--match", '{job="vllm"}', "prom+" + base)
        names = [s["name"] for s in matched.get("interval_series", [])]
        check(len(names) == 1 and "job=vllm" in names[0], "--match {job=\"vllm\"}: %s" % names)
        # Answers recorded until both jobs have steps enough for intervals (a slow sanitizer build
        # may take several polls to get there).
        stop_when(recording, lambda: all(n >= 3 for n in answered_steps(recorded).values()))
        _, record_errors = recording.communicate(timeout=60)
        check(recording.returncode == 0, "--record prom+: %s" % record_errors)
        status, reopened, stderr = stats_json(phaseline, recorded)
        for one in reopened.get("interval_series", []):
            job = "vllm" if "job=vllm" in one["name"] else "sglang"
            check(len(one["intervals"]) >= 2, "reopened %s: %d intervals" % (job, len(one["intervals"])))
            check_chain("reopened " + job, one, served["/%s/metrics" % job])
        check(len(reopened.get("interval_series", [])) == 2, "the recorded Prometheus session reopens to %d series: %s"
              % (len(reopened.get("interval_series", [])), stderr))
    finally:
        prom.terminate()
        prom.wait()
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("direct", "prometheus"):
        print(__doc__, file=sys.stderr)
        return 2
    status = direct(sys.argv[2]) if sys.argv[1] == "direct" else prometheus(sys.argv[2])
    if status == SKIP:
        return SKIP
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
