// libFuzzer target: the loader as the command line and the window use it. Up to three inputs
// at once (parts of the fuzz input between form feeds): content sniffing, every importer, the
// TensorRT-LLM join across files, datasets, merging of tables from different formats, and the
// statistics of what was loaded. Small parallel chunks reach the windowed array parse.
#include "fuzzsupport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::vector<std::unique_ptr<PhaselineFuzz::MemoryFile>> files;
    QStringList inputs;
    for (std::string_view part : PhaselineFuzz::splitParts(data, size, 3)) {
        files.push_back(std::make_unique<PhaselineFuzz::MemoryFile>(part));
        inputs << files.back()->path();
    }
    Phaseline::LoadControl control;
    control.parallelChunkBytes = PhaselineFuzz::kFuzzChunkBytes;
    const Phaseline::LoadResult result = Phaseline::loadInputs(inputs, &control);
    PhaselineFuzz::checkLoaded(result.table, result.issues, result.distributions);
    return 0;
}
