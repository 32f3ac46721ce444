#pragma once

#include "analysis/datasets.h"
#include "core/histogramdistribution.h"
#include "core/runsummary.h"
#include "analysis/statistics.h"

#include <QByteArray>
#include <QString>

namespace Phaseline {

enum class StatisticsFormat { Text, Csv, Json };

// Parses "text", "csv" or "json"; false for anything else.
bool parseStatisticsFormat(const QString &name, StatisticsFormat *format);

// The --stats output (docs/design.md §5). JSON: {"requests": N, "phases": [{"name", "count",
// "mean_ms", "median_ms", "p90_ms", "p99_ms", "min_ms", "max_ms", ..., "measured"}]} (measured:
// PhaseStatistics::measured, also CSV's last column and a "measured:" block of the text). With several
// datasets, the same follows per dataset: JSON "datasets": [{"name", "requests", "phases",
// "totals"}], CSV a leading "dataset" column (empty for all requests), text a section each.
// Server histograms (Prometheus) follow as a separate "distributions" part when there are
// any; the request fields stay as they are. Tools' own summaries (summary files) follow last,
// labelled as reported by the tool (JSON "summaries", see summaryformat.h).
QByteArray formatStatistics(const StatisticsReport &report, StatisticsFormat format,
                            const QVector<DatasetStatistics> &datasets = {},
                            const QVector<HistogramDistribution> &distributions = {},
                            const QVector<RunSummary> &summaries = {});

// The quantiles the statistics outputs estimate from histograms (p50, p90, p99).
struct DistributionQuantile
{
    const char *key;
    double q;
};
extern const DistributionQuantile kDistributionQuantiles[3];
// "0.05 (0.04–0.06]" or "≥ 30 (above the last bound)"; "-" when nothing was observed.
QString describeQuantile(const QuantileEstimate &estimate);

} // namespace Phaseline
