#pragma once

#include "statistics.h"

#include <QByteArray>
#include <QString>

namespace Phaseline {

enum class StatisticsFormat { Text, Csv, Json };

// Parses "text", "csv" or "json"; false for anything else.
bool parseStatisticsFormat(const QString &name, StatisticsFormat *format);

// The --stats output (PRODUCT.md §5). JSON: {"requests": N, "phases": [{"name", "count",
// "mean_ms", "median_ms", "p90_ms", "p99_ms", "min_ms", "max_ms", ...}]}.
QByteArray formatStatistics(const StatisticsReport &report, StatisticsFormat format);

} // namespace Phaseline
