#pragma once

#include <QString>

namespace Phaseline::Bench {

enum class Shape {
    AggregatedArray,
    DisaggregatedArray,
    AggregatedJsonl,
    // A JSONL-era run directory: the disagg server's file (its own stamps and the join keys)
    // and two context and two generation worker files, one record per request in each.
    DisaggregatedJsonlDirectory,
};

// Writes a TensorRT-LLM perf-metrics file with `requests` synthetic records laid out
// as the server writes them (arrays pretty-printed with indent=2 like benchmark_serving,
// JSONL compact), with Poisson arrivals and realistic phase lengths on a steady clock.
// For DisaggregatedJsonlDirectory `path` is the directory to create.
// Returns the size written in bytes, or -1 on an I/O error.
qint64 writePerfMetrics(const QString &path, Shape shape, int requests, unsigned seed = 1);

} // namespace Phaseline::Bench
