#pragma once

#include "formats/formatimporter.h"
#include "formats/loadcontrol.h"
#include "core/histogramdistribution.h"
#include "core/loadissue.h"
#include "analysis/metricsintervals.h"
#include "core/requesttable.h"
#include "core/runsummary.h"

#include <QStringList>
#include <QVector>

namespace Phaseline {

struct LoadResult
{
    RequestTable table;
    QVector<HistogramDistribution> distributions; // aggregate-only data (Prometheus), never requests
    QVector<IntervalSeries> intervalSeries; // per-interval phases from consecutive /metrics scrapes
    QVector<RunSummary> summaries; // tools' own aggregate statistics of runs (summary files), never requests
    QVector<LoadIssue> issues;
    QStringList unmappedCsvFiles; // CSV inputs that need a column mapping (see CsvColumnMapping)
    QStringList formats;  // what was recognised, e.g. "TensorRT-LLM perf metrics (JSONL)"
    qint64 bytesRead = 0;
    bool canceled = false;

    bool hasErrors() const;
    // Requests, histograms or tool summaries were loaded (a file that is only a summary is read).
    bool loadedAnything() const;
    // Something was loaded and something left out (an input or part of one that could not be
    // read, a skipped record): the command line's exit status 4.
    bool isPartial() const;
};

// Loads files and directories (every file in a directory, e.g. a TensorRT-LLM JSONL run)
// into one request table. The format is detected from content. Nothing valid is dropped:
// what cannot be read is reported in `issues` with the input and the place.
LoadResult loadInputs(const QStringList &inputs, LoadControl *control = nullptr);

// Every registered importer, in sniffing order (most specific first).
const std::vector<const FormatImporter *> &formatImporters();

} // namespace Phaseline
