#!/usr/bin/env python3
"""A stand-in vLLM / SGLang /metrics server for the live tests (127.0.0.1 only).

  metrics_test_server.py LOG.jsonl   prints "PORT <n>" once listening

Every GET of a path serves that path's next scrape (tests/tools/metrics_sessions.py builds them
from the real dumps) and, once the whole body went out, appends it to LOG.jsonl as a metrics
session line {"scrape_time_ms", "source", "text"}: the log is what was served, to compare with
what Phaseline kept.

  /vllm/metrics    vLLM 0.25.1 dump, 1 to 5 more requests per scrape (counts only go up)
  /sglang/metrics  SGLang docs dump with per-stage histograms (prefill_forward, request_process), likewise
  /faulty/metrics  the vLLM session with a restart and a changed bucket list, between its scrapes:
                   HTTP 500, a text without histograms, a body cut short, a 3 s stall, a 404
"""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics_sessions  # noqa: E402

STEADY = [3, 1, 2, 5, 1, 4]
FAULTS = ["ok", "ok", "http500", "ok", "malformed", "ok", "cut", "ok", "ok", "stall", "ok", "http404", "ok", "ok",
          "ok", "ok"]


class State:
    def __init__(self, log):
        self.lock = threading.Lock()
        self.log = open(log, "a", encoding="utf-8")
        self.steppers = {
            "/vllm/metrics": metrics_sessions.Stepper("metrics_vllm_0_25_1_idle.txt", STEADY, seed=21),
            "/sglang/metrics": metrics_sessions.Stepper("sglang_docs_production_metrics_example.prom", STEADY, seed=22,
                                                        stages=True),
        }
        spec = dict(metrics_sessions.SESSIONS["vllm_session"])
        spec.pop("source")
        spec.pop("dump")
        self.steppers["/faulty/metrics"] = metrics_sessions.Stepper("metrics_vllm_0_25_1_idle.txt", **spec)
        self.faults = 0

    def served(self, path, port, text, when_ms):
        with self.lock:
            source = "http://127.0.0.1:%d%s" % (port, path)
            self.log.write(json.dumps({"scrape_time_ms": when_ms, "source": source, "text": text}) + "\n")
            self.log.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, code, body, content_type="text/plain; version=0.0.4; charset=utf-8", length=None):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self):
        state = self.server.state
        path = self.path.split("?")[0]
        if path not in state.steppers:
            self.send_body(404, b"not found\n")
            return
        started_ms = int(time.time() * 1000)
        kind = "ok"
        if path == "/faulty/metrics":
            with state.lock:
                kind = FAULTS[state.faults % len(FAULTS)]
                state.faults += 1
        if kind == "http500":
            self.send_body(500, b"engine dead\n")
        elif kind == "http404":
            self.send_body(404, b"not found\n")
        elif kind == "malformed":
            self.send_body(200, b"<html>not metrics</html>\n")
        elif kind == "stall":
            time.sleep(3)
            self.send_body(503, b"late\n")
        else:
            with state.lock:
                text = state.steppers[path].next()
            body = text.encode("utf-8")
            if kind == "cut":
                # The scrape is lost by the server here: it announced more than it sends.
                self.send_body(200, body[: len(body) // 2], length=len(body))
                self.close_connection = True
                return
            self.send_body(200, body)
            state.served(path, self.server.server_address[1], text, started_ms)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(sys.argv[1])
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
