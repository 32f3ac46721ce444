// libFuzzer target: the TensorRT-LLM perf-metrics reader without sniffing in front of it (JSON
// arrays, cut into tiny windows parsed on two threads; JSONL in chunks; single objects), then
// the disaggregated join and the statistics of the joined table.
#include "fuzzsupport.h"
#include "mappedfile.h"
#include "trtllmimporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const PhaselineFuzz::MemoryFile file(std::string_view(reinterpret_cast<const char *>(data), size));
    Phaseline::MappedFile mapped;
    if (!mapped.open(file.path()))
        return 0;
    Phaseline::LoadControl control;
    control.parallelChunkBytes = PhaselineFuzz::kFuzzChunkBytes;
    Phaseline::TrtLlm::Fragments fragments;
    (void)Phaseline::TrtLlm::sniff(mapped.data(), mapped.size());
    Phaseline::TrtLlm::importFile(mapped, file.path(), fragments, &control);
    Phaseline::TrtLlm::join(fragments, file.path());
    PhaselineFuzz::checkLoaded(fragments.table, fragments.issues);
    return 0;
}
