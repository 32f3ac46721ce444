#pragma once

#include "formats/csvcolumnmapping.h"

#include <QHash>

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

} // namespace Phaseline
