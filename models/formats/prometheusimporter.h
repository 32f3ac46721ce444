#pragma once

#include "formats/formatimporter.h"

namespace Phaseline {

// Prometheus text exposition (vLLM and SGLang /metrics, docs/formats.md §1b and §2c; OpenMetrics
// "# EOF" accepted). Aggregate only: every histogram becomes a HistogramDistribution, no
// request is made up. Counters and gauges are not kept.
class PrometheusImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;

    // The parsing step on its own (tests, and text that is not in a file).
    static FileImport parse(std::string_view text, const QString &inputName);
};

} // namespace Phaseline
