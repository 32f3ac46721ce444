#include "formatimporter.h"

#include "formats/clientexportimporters.h"
#include "formats/otelspanimporter.h"
#include "formats/sglangimporters.h"

namespace Phaseline {

const std::vector<const FormatImporter *> &formatImporters()
{
    // Register new formats here, in the order of FORMATS.md "Content sniffing" (most specific first).
    static const OtelSpanImporter otelSpans;
    static const AiperfImporter aiperf;
    static const SglangRequestMetricsImporter sglangRequestMetrics;
    static const SglangBenchServingImporter sglangBenchServing;
    static const std::vector<const FormatImporter *> importers = {
        &otelSpans,            // resourceSpans (OTLP JSON); data[*].spans + processes (Jaeger)
        &aiperf,               // metadata.request_start_ns + metrics; {unit, avg} aggregates
        &sglangRequestMetrics, // e2e_latency + request_parameters
        &sglangBenchServing,   // ttfts/itls or mean_ttft_ms with SGLang-only keys (before vLLM bench)
    };
    return importers;
}

} // namespace Phaseline
