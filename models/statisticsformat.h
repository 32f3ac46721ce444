#pragma once

#include "datasets.h"
#include "statistics.h"

#include <QByteArray>
#include <QString>

namespace Phaseline {

enum class StatisticsFormat { Text, Csv, Json };

// Parses "text", "csv" or "json"; false for anything else.
bool parseStatisticsFormat(const QString &name, StatisticsFormat *format);

// The --stats output (PRODUCT.md §5). JSON: {"requests": N, "phases": [{"name", "count",
// "mean_ms", "median_ms", "p90_ms", "p99_ms", "min_ms", "max_ms", ...}]}. With several
// datasets, the same follows per dataset: JSON "datasets": [{"name", "requests", "phases",
// "totals"}], CSV a leading "dataset" column (empty for all requests), text a section each.
QByteArray formatStatistics(const StatisticsReport &report, StatisticsFormat format,
                            const QVector<DatasetStatistics> &datasets = {});

} // namespace Phaseline
