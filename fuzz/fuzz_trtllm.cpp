// libFuzzer target: the TensorRT-LLM perf-metrics reader without sniffing in front of it (JSON
// arrays, cut into tiny windows parsed on two threads; JSONL in chunks; single objects), then
// the disaggregated join and the statistics of the joined table.
#include "fuzzsupport.h"
#include "core/mappedfile.h"
#include "trtllm/trtllmimporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const PhaselineFuzz::MemoryFile file(std::string_view(reinterpret_cast<const char *>(data), size));
    Phaseline::MappedFile mapped;
    if (!mapped.open(file.path()))
        return 0;
    Phaseline::LoadControl control;
    control.parallelChunkBytes = PhaselineFuzz::kFuzzChunkBytes;
    const Phaseline::TrtLlmImporter importer;
    (void)importer.sniff(std::string_view(mapped.data(), mapped.size()));
    const Phaseline::FileImport imported = importer.import(mapped, file.path(), &control); // read, then joined
    PhaselineFuzz::checkLoaded(imported.table, imported.issues);
    return 0;
}
