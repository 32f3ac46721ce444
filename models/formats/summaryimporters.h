#pragma once

// Tool summaries: aggregate statistics a benchmark tool wrote about a run (see runsummary.h).
// The builders read the summary shapes of formats whose importers also read requests; the two
// importers read files that only ever hold a summary.

#include "formats/formatimporter.h"
#include "core/runsummary.h"

#include <QJsonObject>

#include <string_view>

namespace Phaseline {

// A vLLM `bench serve` or SGLang `bench_serving` result object: {mean,median,std,pNN}_<metric>_ms
// and the run's totals and throughputs. `runText` is the file from the object's start (its keys'
// order there orders the metrics).
RunSummary servingBenchSummary(const QJsonObject &run, std::string_view runText);
// llmperf's *_summary.json: results_<metric>_{quantiles_pNN,mean,min,max,stddev} and run totals.
RunSummary llmperfSummary(const QJsonObject &summary, std::string_view text);
// AIPerf's (or GenAI-Perf's) profile_export_aiperf.json: {tag: {unit, avg, min, max, pNN, std}} at
// the top level or inside a top-level "records" object (AIPerf's first export schema).
RunSummary aiperfJsonSummary(const QJsonObject &root, std::string_view text);
// Whether the object is such an aggregate export: a known tag, or "records", holding {unit, avg}.
bool isAiperfJsonSummary(std::string_view content);

// Keeps a summary that holds statistics; one that holds none is an Error: nothing was read.
void keepSummary(RunSummary summary, QVector<RunSummary> &summaries, QVector<LoadIssue> &issues, qint64 line = -1);

// `profile_export_aiperf.csv` (and GenAI-Perf's CSV of the same shape): sections headed
// "Metric,avg,min,max,...", "Metric,Value" and GPU telemetry rows.
class AiperfCsvSummaryImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;
};

// `trtllm-bench throughput|latency --report_json`: engine, world_info, request_info, performance,
// streaming_metrics (and decoding_stats) sections.
class TrtllmBenchReportImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;
};

} // namespace Phaseline
