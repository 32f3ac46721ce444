// libFuzzer target: the SGLang readers (request metrics export, bench_serving output), each
// given every input. Its Prometheus text has fuzz_prometheus.
#include "fuzzsupport.h"
#include "formats/sglangimporters.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Phaseline::SglangRequestMetricsImporter requestMetrics;
    static const Phaseline::SglangBenchServingImporter benchServing;
    PhaselineFuzz::importWithEach({&requestMetrics, &benchServing}, data, size);
    return 0;
}
