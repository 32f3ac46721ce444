#pragma once

#include "csvcolumnmapping.h"
#include "histogramdistribution.h"
#include "loadissue.h"
#include "metricsintervals.h"
#include "requesttable.h"
#include "runsummary.h"

#include <QStringList>
#include <QVector>

#include <atomic>

namespace Phaseline {

// Shared between a load running on worker threads and whoever watches it.
struct LoadControl
{
    std::atomic<bool> canceled{false};
    std::atomic<qint64> bytesProcessed{0};
    std::atomic<qint64> bytesTotal{0};
    // Column mappings the user chose for CSV files, by header line (set before the load starts).
    CsvMappings csvMappings;
    // Units the user gave for CSV columns, by header name (--csv-unit): over a unit the
    // column's name states or its values suggest.
    QHash<QString, CsvColumnMapping::Unit> csvUnits;
    // The least bytes of a TensorRT-LLM file parsed on a thread of its own (JSON arrays are cut
    // into windows of half that); 0: 4 MiB. Fuzzers set a few hundred bytes so that small inputs
    // reach the parallel and windowed parse.
    size_t parallelChunkBytes = 0;
};

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

} // namespace Phaseline
