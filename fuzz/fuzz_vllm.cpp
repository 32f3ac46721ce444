// libFuzzer target: the vLLM readers (bench serve results, OpenTelemetry spans as OTLP JSON
// lines or Jaeger JSON), each given every input. Its Prometheus text has fuzz_prometheus.
#include "fuzzsupport.h"
#include "formats/clientimporters.h"
#include "formats/otelspanimporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Phaseline::ClientFormatImporter vllmBench(Phaseline::vllmBenchFormat());
    static const Phaseline::OtelSpanImporter otelSpans;
    PhaselineFuzz::importWithEach({&vllmBench, &otelSpans}, data, size);
    return 0;
}
