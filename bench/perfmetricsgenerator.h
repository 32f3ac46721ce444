#pragma once

#include <QString>

namespace Phaseline::Bench {

enum class Shape { AggregatedArray, DisaggregatedArray, AggregatedJsonl };

// Writes a TensorRT-LLM perf-metrics file with `requests` synthetic records laid out
// as the server writes them (arrays pretty-printed with indent=2 like benchmark_serving,
// JSONL compact), with Poisson arrivals and realistic phase lengths on a steady clock.
// Returns the file size in bytes, or -1 on an I/O error.
qint64 writePerfMetrics(const QString &path, Shape shape, int requests, unsigned seed = 1);

} // namespace Phaseline::Bench
