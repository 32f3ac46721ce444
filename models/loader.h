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

// Shared between a load running on worker threads and whoever watches it: cancellation and
// progress, in one place for the loader and every importer, and the user's choices for the load.
// Importers get a pointer that may be null (nobody watches): the static forms take that.
class LoadControl
{
public:
    void cancel() { m_canceled.store(true, std::memory_order_relaxed); }
    // Polled by the loader between files and by importers every few thousand records.
    bool isCanceled() const { return m_canceled.load(std::memory_order_relaxed); }
    static bool isCanceled(const LoadControl *control) { return control && control->isCanceled(); }
    // `bytes` more of the input were read.
    void addProgress(qint64 bytes) { m_bytesDone.fetch_add(bytes, std::memory_order_relaxed); }
    static void addProgress(LoadControl *control, qint64 bytes)
    {
        if (control)
            control->addProgress(bytes);
    }
    qint64 bytesDone() const { return m_bytesDone.load(std::memory_order_relaxed); }
    void setBytesTotal(qint64 bytes) { m_bytesTotal.store(bytes, std::memory_order_relaxed); }
    qint64 bytesTotal() const { return m_bytesTotal.load(std::memory_order_relaxed); }

    // Column mappings the user chose for CSV files, by header line (set before the load starts).
    CsvMappings csvMappings;
    // Units the user gave for CSV columns, by header name (--csv-unit): over a unit the
    // column's name states or its values suggest.
    QHash<QString, CsvColumnMapping::Unit> csvUnits;
    // The least bytes of a TensorRT-LLM file parsed on a thread of its own (JSON arrays are cut
    // into windows of half that); 0: 4 MiB. Fuzzers set a few hundred bytes so that small inputs
    // reach the parallel and windowed parse.
    size_t parallelChunkBytes = 0;

private:
    std::atomic<bool> m_canceled{false};
    std::atomic<qint64> m_bytesDone{0};
    std::atomic<qint64> m_bytesTotal{0};
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
