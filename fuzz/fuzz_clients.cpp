// libFuzzer target: the benchmark-client readers (GenAI-Perf, GuideLLM, llmperf, AIPerf), each
// given every input whether its sniffing claims it or not.
#include "fuzzsupport.h"
#include "formats/clientexportimporters.h"
#include "formats/clientimporters.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Phaseline::ClientFormatImporter genAiPerf(Phaseline::genAiPerfFormat());
    static const Phaseline::ClientFormatImporter guideLlm(Phaseline::guideLlmFormat());
    static const Phaseline::ClientFormatImporter llmperf(Phaseline::llmperfFormat());
    static const Phaseline::AiperfImporter aiperf;
    PhaselineFuzz::importWithEach({&genAiPerf, &guideLlm, &llmperf, &aiperf}, data, size);
    return 0;
}
