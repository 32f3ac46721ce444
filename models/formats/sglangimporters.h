#pragma once

// SGLang files (docs/formats.md §2a, §2b).

#include "formats/formatimporter.h"

namespace Phaseline {

// Per-request records of `--export-metrics-to-file` (sglang-request-metrics-*.log), every
// generation of its timing keys: epoch stamps (server lane) or durations (aligned clock).
class SglangRequestMetricsImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;
};

// `python -m sglang.bench_serving --output-file` JSON lines: per request only when the run
// was saved with --output-details (durations, aligned clock); other runs are read as summaries.
class SglangBenchServingImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;
};

} // namespace Phaseline
