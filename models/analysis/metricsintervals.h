#pragma once

#include "core/histogramdistribution.h"
#include "core/loadissue.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <limits>

namespace Phaseline {

// One scrape of a server's /metrics (or one step of a Prometheus server's range query for one
// instance), as received: cumulative histograms, with the time it was taken.
struct MetricsScrape
{
    qint64 timeMs = 0; // when it was taken, ms since the epoch (UTC)
    QVector<HistogramDistribution> histograms;
};

// What one phase histogram observed between two consecutive scrapes.
struct IntervalPhase
{
    // "queue", "prefill", "decode", "inference", "ttft", "itl", "e2e", or "stage:<name>" for an
    // SGLang request stage that is none of them (sglang:per_stage_req_latency_seconds{stage=…})
    QString phase;
    QString metric; // the histogram it comes from, e.g. "vllm:request_queue_time_seconds"
    double count = 0; // observations in the interval (count delta)
    double sumSeconds = 0; // sum delta: exact
    // sumSeconds / count; NaN when nothing was observed. Exact, not an estimate.
    double meanSeconds = std::numeric_limits<double>::quiet_NaN();
    // Estimated from the bucket deltas (linear interpolation inside a bucket); invalid when count is 0.
    QuantileEstimate p50, p90, p99;
    QVector<double> upperBounds;  // bucket upper limits in seconds, +Inf last when present
    QVector<double> bucketDeltas; // per-bucket (not cumulative) count deltas, one per bound
};

// The change between two consecutive scrapes of one series.
struct MetricsInterval
{
    qint64 startMs = 0;
    qint64 endMs = 0;
    int segment = 0; // starts at 0, one more after every counter reset (server restart)
    double requestsFinished = 0; // e2e count delta
    QVector<IntervalPhase> phases; // the phases the server exposes, in the order listed above

    // Exactly one request finished: the phase sums are that request's own values, not averages.
    bool isSingleRequest() const { return requestsFinished == 1; }
    const IntervalPhase *phase(const QString &name) const
    {
        for (const IntervalPhase &p : phases)
            if (p.phase == name)
                return &p;
        return nullptr;
    }
};

// Per-interval phases of one server (or one instance/model of a Prometheus server).
struct IntervalSeries
{
    QString name;   // shown as the dataset name
    QString engine; // "vLLM" or "SGLang"
    QString source; // URL, session file or Prometheus query it came from
    QVector<MetricsInterval> intervals;
    QVector<LoadIssue> issues; // counter resets, bucket layouts that changed, scrapes that failed
};

// Intervals from consecutive scrapes (ascending time). A counter that goes down starts a new
// segment (reported in issues; never a negative delta); a histogram whose buckets changed is
// reported and its interval left out for that phase.
IntervalSeries computeIntervals(const QVector<MetricsScrape> &scrapes, const QString &name);

// Intervals [first, last] as one: deltas summed, quantiles from the summed bucket deltas.
// A selection across a reset sums within each segment (never across the reset).
MetricsInterval mergeIntervals(const IntervalSeries &series, int first, int last);

// The phase names of IntervalPhase::phase, in their order (without the "stage:" ones).
QStringList intervalPhaseNames();
// Where a phase goes in that order; every "stage:" phase after them.
int intervalPhaseRank(const QString &phase);

// Scrapes of one source that may hold several label sets (models, DP engines, Prometheus
// instances) as one IntervalSeries per label set, named "<source> {labels}".
QVector<IntervalSeries> intervalSeriesBySeries(const QVector<MetricsScrape> &scrapes, const QString &source);

} // namespace Phaseline
