#pragma once

// vLLM's per-request OpenTelemetry spans (docs/formats.md §1c).

#include "formats/formatimporter.h"

namespace Phaseline {

// `llm_request` spans as an OpenTelemetry Collector file exporter writes them (OTLP/JSON, one
// object per line) or as Jaeger's query API returns them (/api/traces JSON). Server lane.
class OtelSpanImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;
};

} // namespace Phaseline
