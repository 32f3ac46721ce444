#pragma once

// Importers for benchmark-client result files (docs/formats.md §1a, §3b-§3d). Each is one JSON
// document read into client-lane rows; a format contributes its sniffing rule and its reader.

#include "formats/formatimporter.h"
#include "formats/lenientjson.h"

namespace Phaseline {

class ClientRows;
class LoadControl;

// What a format's reader gets: the parsed file, the rows to append to, the issues to add to.
struct ClientImportContext
{
    const LenientJson::Document &document;
    ClientRows &rows;
    QVector<LoadIssue> &issues;
    const QString &inputName;
    LoadControl *control;
    std::string_view text;            // the whole file (summaries order their metrics by it)
    QVector<RunSummary> &summaries;   // aggregate-only results: the tool's statistics, not requests

};

struct ClientFormat
{
    QString name;
    bool (*sniff)(std::string_view content);
    void (*read)(ClientImportContext &context);
};

// Parses the file leniently (NaN/Infinity tokens), runs the format's reader and reports an
// Error when nothing in the file was a request.
class ClientFormatImporter final : public FormatImporter
{
public:
    explicit ClientFormatImporter(ClientFormat format) : m_format(std::move(format)) {}

    QString formatName() const override { return m_format.name; }
    bool sniff(std::string_view content) const override { return m_format.sniff(content); }
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;

private:
    ClientFormat m_format;
};

// vLLM `vllm bench serve` / `benchmarks/benchmark_serving.py` --save-result JSON (§1a).
ClientFormat vllmBenchFormat();
// GuideLLM benchmarks.json, report v2 and 0.2/0.3 shapes (§3d).
ClientFormat guideLlmFormat();
// GenAI-Perf profile_export.json written by perf_analyzer (§3b).
ClientFormat genAiPerfFormat();
// llmperf *_individual_responses.json; its *_summary.json is read as the run's summary (§3c).
ClientFormat llmperfFormat();

} // namespace Phaseline
