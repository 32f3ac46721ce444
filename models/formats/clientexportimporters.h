#pragma once

// NVIDIA AIPerf per-request export (docs/formats.md §3a).

#include "formats/formatimporter.h"

namespace Phaseline {

// `profile_export.jsonl` (one record per request, epoch-nanosecond client stamps). Also reads
// the AIPerf/GenAI-Perf aggregate exports ({tag: {unit, avg, p50, ...}}) as the run's summary.
class AiperfImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;
};

} // namespace Phaseline
