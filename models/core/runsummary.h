#pragma once

#include <QString>
#include <QVector>

namespace Phaseline {

// One statistic as the tool wrote it, e.g. {"p99", 812.4}; "value" for a single number.
struct SummaryStatistic
{
    QString name;
    double value = 0;
};

// One metric of a tool's summary and the statistics the tool reported for it.
struct SummaryMetric
{
    QString name; // as the tool names it, e.g. "time_to_first_token", "Request Latency"
    QString unit; // as the tool states it (or its key implies), e.g. "ms", "tokens/sec"; may be empty
    QVector<SummaryStatistic> statistics;

    // The statistic's value; NaN when the tool did not report it.
    double statistic(const QString &name) const;
};

// Where a statistic is shown among its metric's: averages, extremes, percentiles by number,
// spread, sums and counts, single values; unknown names last (400).
double statisticOrder(const QString &name);

// Aggregate statistics a benchmark tool wrote about one run (AIPerf's profile_export_aiperf.json
// or .csv, llmperf's *_summary.json, a bench_serving result saved without per-request data, a
// trtllm-bench report). Shown as the tool reported them: never recomputed, never made requests.
struct RunSummary
{
    QString source;   // the input file
    QString tool;     // e.g. "AIPerf", "SGLang bench_serving"
    QString runLabel; // which run, e.g. "line 3: 4 req/s, max concurrency none"; may be empty
    QVector<SummaryMetric> metrics;

    // Adds a statistic to `metric` (created with `unit` on first use); a NaN value is left out.
    void add(const QString &metric, const QString &unit, const QString &statistic, double value);
    const SummaryMetric *metric(const QString &name) const;
};

} // namespace Phaseline
