#include "load/loader.h"

#include "formats/clientimporters.h"
#include "formats/clientexportimporters.h"
#include "formats/otelspanimporter.h"
#include "formats/sglangimporters.h"
#include "formats/csvimporter.h"
#include "formats/metricssession.h"
#include "formats/prometheusimporter.h"
#include "trtllm/trtllmimporter.h"
#include "formats/summaryimporters.h"

namespace Phaseline {

const std::vector<const FormatImporter *> &formatImporters()
{
    // Register new formats here, in the order of docs/formats.md "Content sniffing" (most specific first).
    static const TrtLlmImporter trtllm;
    static const PrometheusImporter prometheus;
    static const MetricsSessionImporter metricsSession;
    static const ClientFormatImporter genAiPerf(genAiPerfFormat());
    static const ClientFormatImporter guideLlm(guideLlmFormat());
    static const ClientFormatImporter llmperf(llmperfFormat());
    static const ClientFormatImporter vllmBench(vllmBenchFormat());
    static const OtelSpanImporter otelSpans;
    static const AiperfImporter aiperf;
    static const SglangRequestMetricsImporter sglangRequestMetrics;
    static const SglangBenchServingImporter sglangBenchServing;
    static const TrtllmBenchReportImporter trtllmBenchReport;
    static const AiperfCsvSummaryImporter aiperfCsvSummary;
    static const CsvImporter csv;
    static const std::vector<const FormatImporter *> importers = {
        &trtllm,               // perf_metrics / timing_metrics records (docs/trtllm.md §2)
        &prometheus,           // text with "# TYPE <name> histogram" lines
        &metricsSession,       // JSON lines {"scrape_time_ms"...} / {"query_time_ms"...}
        &otelSpans,            // resourceSpans (OTLP JSON); data[*].spans + processes (Jaeger)
        &genAiPerf,            // experiments[*].requests[*].response_timestamps
        &guideLlm,             // benchmarks[*].requests.successful
        &aiperf,               // metadata.request_start_ns + metrics; {unit, avg} aggregates
        &llmperf,              // [{ttft_s, end_to_end_latency_s}]; results_ttft_s_mean summaries
        &sglangRequestMetrics, // e2e_latency + request_parameters
        &sglangBenchServing,   // ttfts/itls or mean_ttft_ms with SGLang-only keys (before vLLM bench)
        &vllmBench,            // ttfts/itls + vLLM keys
        &trtllmBenchReport,    // request_info + performance (+ engine, world_info)
        &aiperfCsvSummary,     // CSV headed "Metric,avg,..." or "Metric,Value" (before the generic CSV)
        &csv,                  // last: its sniffing rule is the loosest
    };
    return importers;
}

} // namespace Phaseline
