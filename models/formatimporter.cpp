#include "formatimporter.h"

#include "formats/clientimporters.h"

namespace Phaseline {

const std::vector<const FormatImporter *> &formatImporters()
{
    // Register new formats here, in the order of FORMATS.md "Content sniffing" (most specific first).
    static const ClientFormatImporter genAiPerf(genAiPerfFormat()); // experiments[*].requests[*].response_timestamps
    static const ClientFormatImporter guideLlm(guideLlmFormat());   // benchmarks[*].requests.successful
    static const ClientFormatImporter llmperf(llmperfFormat());     // [{ttft_s, end_to_end_latency_s}], summary
    static const ClientFormatImporter vllmBench(vllmBenchFormat()); // ttfts/itls + vLLM keys, after SGLang's
    static const std::vector<const FormatImporter *> importers = {&genAiPerf, &guideLlm, &llmperf, &vllmBench};
    return importers;
}

} // namespace Phaseline
