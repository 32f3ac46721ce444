#!/usr/bin/env python3
"""Writes the fuzz seed corpus (fuzz/corpus/<target>/) from the test data in tests/data.

Run from anywhere: python3 fuzz/corpus/make_seeds.py. Files up to 6 kB are copied as they are;
larger JSON is shrunk by keeping the first items of every list (2 or 3) and the first bytes
of long strings (one seed also drops a 34 kB "server_info" object), JSON lines and text by keeping the first lines, so that each seed is small
(fuzz/README.md: -max_len 16384) and still holds every key of its format. README.md lists what
each seed came from.
"""
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "tests", "data")
SMALL = 6000


def shrink(value, items=2):
    if isinstance(value, list):
        return [shrink(v, items) for v in value[:items]]
    if isinstance(value, dict):
        return {k: shrink(v, items) for k, v in value.items()}
    if isinstance(value, str) and len(value) > 48:
        return value[:48]
    return value


def read(relative):
    with open(os.path.join(DATA, relative), "rb") as f:
        return f.read()


def json_seed(relative, items=2):
    data = read(relative)
    if len(data) <= SMALL:
        return data
    return json.dumps(shrink(json.loads(data), items), indent=1).encode() + b"\n"


def lines_seed(relative, lines, items=2, drop=()):
    out = []
    for line in read(relative).splitlines(keepends=True)[:lines]:
        try:
            record = json.loads(line)
            for key in drop:
                record.pop(key, None)
            out.append(json.dumps(shrink(record, items)).encode() + b"\n")
        except ValueError:
            out.append(line)  # not JSON: text (Prometheus, logs) kept as it is
    return b"".join(out)


def trtllm_files(directory):
    folder = os.path.join(DATA, "trtllm", directory)
    return [os.path.join("trtllm", directory, name) for name in sorted(os.listdir(folder))]


DISAGG = trtllm_files("jsonl_D_disagg")
SEEDS = {
    "fuzz_trtllm": {
        "readme_aggregated.json": read("trtllm/verbatim_readme_aggregated_example.json"),
        "readme_disaggregated.json": read("trtllm/verbatim_readme_disaggregated_example.json"),
        "legacy_nestings.json": read("trtllm/legacy_C_parser_tolerated_nestings.json"),
        "sse_payload.json": read("trtllm/sse_D_trtllm.perf_metrics_event_payload.json"),
        "endpoint_A_array.json": read("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json"),
        "endpoint_B_disagg_wrapper.json": json_seed("trtllm/endpoint_B_disagg_wrapper.json", 3),
        "endpoint_C_time_breakdown.json": json_seed("trtllm/endpoint_C_agg_time_breakdown_metrics.json"),
        "jsonl_agg.jsonl": read(trtllm_files("jsonl_D_agg")[0]),
        "jsonl_router.jsonl": read(DISAGG[0]),
    },
    "fuzz_load": {
        # Three inputs in one (form feeds): a disaggregated run's router, context and generation files.
        "disagg_run_three_inputs": b"\f".join(read(path) for path in DISAGG[:3]),
        "trtllm_array.json": read("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json"),
        "csv_and_prometheus": read("csv/durations_only_ms.csv") + b"\f"
        + lines_seed("prometheus/vllm_metrics_after_run.prom", 60),
        "genai_perf.json": json_seed("genai-perf/profile_export.json"),
        "aiperf.jsonl": lines_seed("aiperf/profile_export.jsonl", 2),
        "sglang_metrics.log": lines_seed("sglang/sglang-request-metrics-20251122_22.log", 3),
        "otel_spans.jsonl": read("vllm-otel/anud18_sample_vllm_spans.jsonl"),
    },
    "fuzz_clients": {
        "genai_perf.json": json_seed("genai-perf/profile_export.json"),
        "guidellm_v2.json": json_seed("guidellm/benchmarks.json"),
        "guidellm_v03.json": json_seed("guidellm/guidellm_v0.3_two_benchmarks.json"),
        "llmperf_individual.json": read("llmperf/meta-llama-Llama-3-1-8B-Instruct_1024_64_individual_responses.json"),
        "llmperf_summary.json": read("llmperf/llmperf-leaderboard_raw_data_summary_groq_70b.json"),
        "aiperf.jsonl": lines_seed("aiperf/profile_export.jsonl", 3),
        "aiperf_databloom.jsonl": lines_seed("aiperf/databloom_llama-3.2-3b-gguf_concurrency1_profile_export.jsonl", 3),
    },
    "fuzz_vllm": {
        "bench_serve.json": json_seed("vllm/openai-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.json"),
        "benchmark_serving_legacy.json": json_seed(
            "vllm/vllm-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.legacy_benchmark_serving.json"),
        "otel_spans.jsonl": read("vllm-otel/anud18_sample_vllm_spans.jsonl"),
        "otlp_example.json": read("vllm-otel/opentelemetry-proto_examples_trace.json"),
        "otlp_file_exporter.jsonl": lines_seed("vllm-otel/otlp_file_exporter_traces.jsonl", 2),
        "jaeger_traces.json": json_seed("vllm-otel/jaeger_api_traces_service_vllm-server.json"),
    },
    "fuzz_sglang": {
        "request_metrics.log": lines_seed("sglang/sglang-request-metrics-20251122_22.log", 4),
        "request_metrics_legacy_keys.log": read("sglang/legacy_keys/sglang-request-metrics-20251122_22.log"),
        "bench_serving.jsonl": lines_seed("sglang/sglang-oai-chat_1122_12_1024_64.jsonl", 2),
        "bench_serving_details.jsonl": lines_seed("sglang/tp4_dp2_Llama3.1-70B_in4096_out128_p100_c100_3168fa.jsonl", 1,
                                                  drop=("server_info",)),
    },
    "fuzz_csv": {
        "durations_only_ms.csv": read("csv/durations_only_ms.csv"),
        "router_test.csv": read("csv/router_test_20250729_154540.csv"),
    },
    "fuzz_csv_mapping": {
        "recognised_router_test.csv": read("csv/router_test_20250729_154540.csv"),
        "mapped_durations.csv": b"relative|id::s|duration:queue:ms|duration:prefill:ms|duration:decode:ms"
        b"|duration:ttft:ms|duration:e2e:ms|attribute:output_tokens:s\n" + read("csv/durations_only_ms.csv"),
    },
    "fuzz_prometheus": {
        "vllm_after_run.prom": lines_seed("prometheus/vllm_metrics_after_run.prom", 120),
        "vllm_idle.txt": lines_seed("prometheus/metrics_vllm_0_25_1_idle.txt", 120),
        "sglang_after_run.prom": lines_seed("prometheus/sglang_metrics_after_run.prom", 90),
        "sglang_docs_example.prom": lines_seed("prometheus/sglang_docs_production_metrics_example.prom", 120),
    },
    "fuzz_record_splitter": {
        "endpoint_A_array.json": read("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json"),
        "readme_disaggregated.json": read("trtllm/verbatim_readme_disaggregated_example.json"),
        "cut_off.json": read("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json")[:2000],
    },
    "fuzz_live_session": {
        "endpoint_A_array.json": read("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json"),
        # Two polls: aggregated records, then a disaggregated wrapper.
        "two_polls": read("trtllm/verbatim_readme_aggregated_example.json") + b"\f"
        + read("trtllm/verbatim_readme_disaggregated_example.json"),
    },
    "fuzz_directory_tail": {
        # One change per part: byte 0x00/0x01/0x02 appends to file 0/1/2 of the directory.
        "three_files_appended": b"\f".join(bytes([slot]) + read(path) for slot, path in enumerate(DISAGG[:3])),
        # The router file written in two halves (a partial line waits), rewritten (0x08), renamed (0x0c).
        "partial_rewrite_rename": b"\x00" + read(DISAGG[0])[:700] + b"\f\x00" + read(DISAGG[0])[700:]
        + b"\f\x08" + read(DISAGG[0])[:1500] + b"\f\x0c",
    },
}


def main():
    for target, seeds in SEEDS.items():
        folder = os.path.join(HERE, target)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for name, content in seeds.items():
            if len(content) > 16384:
                sys.exit(f"{target}/{name}: {len(content)} bytes, more than -max_len 16384")
            with open(os.path.join(folder, name), "wb") as f:
                f.write(content)


if __name__ == "__main__":
    main()
