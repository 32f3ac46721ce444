#include "analysis/metricsintervals.h"

#include <QDateTime>
#include <QHash>
#include <QMap>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace Phaseline {

namespace {

// Phase -> the histogram keys (histogramKey(): engine prefix and unit suffix removed) that measure
// it, in the order of preference: vLLM and SGLang, newer names first.
struct PhaseSource
{
    const char *phase;
    std::initializer_list<const char *> names;
};

const PhaseSource kPhases[] = {
    {"queue", {"request_queue_time", "queue_time"}},
    // SGLang's prefill_forward stage: from the request leaving the waiting queue to the end of its
    // prefill, observed once per request (docs/metrics-intervals.md).
    {"prefill", {"request_prefill_time", "per_stage_req_latency:prefill_forward"}},
    {"decode", {"request_decode_time"}},
    {"inference", {"request_inference_time"}},
    {"ttft", {"time_to_first_token"}},
    {"itl", {"inter_token_latency", "time_per_output_token"}},
    {"e2e", {"e2e_request_latency"}},
};

// SGLang's sglang:per_stage_req_latency_seconds holds one histogram per request stage (its `stage`
// label): each stage counts as a histogram of its own, keyed "per_stage_req_latency:<stage>".
const QLatin1String kStageHistogram("per_stage_req_latency");
const QLatin1String kStageLabel("stage");

QString stageOf(const HistogramDistribution &histogram)
{
    if (histogram.name != kStageHistogram)
        return QString();
    for (const auto &label : histogram.labels) {
        if (label.first == kStageLabel)
            return label.second;
    }
    return QString();
}

// What a histogram is looked up by: its short name, with the stage for a per-stage one.
QString histogramKey(const HistogramDistribution &histogram)
{
    const QString stage = stageOf(histogram);
    return stage.isEmpty() ? histogram.name : histogram.name + QLatin1Char(':') + stage;
}

// Stages that are no phase of kPhases are shown under a phase name of their own.
const QLatin1String kStagePhasePrefix("stage:");

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// A histogram in seconds: a _milliseconds one is scaled (bounds and sum). A per-stage one's metric
// names its stage, as the messages and the phase's metric should.
HistogramDistribution inSeconds(const HistogramDistribution &histogram)
{
    const QString stage = stageOf(histogram);
    if (histogram.unit != QLatin1String("ms") && stage.isEmpty())
        return histogram;
    HistogramDistribution scaled = histogram;
    if (!stage.isEmpty())
        scaled.metric += QStringLiteral("{stage=\"%1\"}").arg(stage);
    if (histogram.unit != QLatin1String("ms"))
        return scaled;
    for (double &bound : scaled.upperBounds)
        bound /= 1000.0;
    scaled.sum /= 1000.0;
    scaled.unit = QStringLiteral("s");
    return scaled;
}

// The histogram of a phase in a scrape (the first preferred key present), or null.
const HistogramDistribution *findPhase(const MetricsScrape &scrape, const QStringList &keys)
{
    for (const QString &key : keys) {
        for (const HistogramDistribution &histogram : scrape.histograms) {
            if (histogram.engine != QLatin1String("Prometheus") && histogramKey(histogram) == key)
                return &histogram;
        }
    }
    return nullptr;
}

// The labels that tell servers (models, DP engines, instances) apart: a per-stage histogram's
// stage is not one of them.
QString seriesLabels(const HistogramDistribution &histogram)
{
    if (stageOf(histogram).isEmpty())
        return histogram.labelText();
    HistogramDistribution unstaged = histogram;
    unstaged.labels.erase(std::remove_if(unstaged.labels.begin(), unstaged.labels.end(),
                                         [](const QPair<QString, QString> &label) { return label.first == kStageLabel; }),
                          unstaged.labels.end());
    return unstaged.labelText();
}

// One of the histograms a phase is read from (token counts and others are not): the named ones of
// kPhases and every stage of the per-stage histogram.
bool isPhaseHistogram(const HistogramDistribution &histogram)
{
    if (histogram.engine == QLatin1String("Prometheus"))
        return false;
    if (!stageOf(histogram).isEmpty())
        return true;
    for (const PhaseSource &source : kPhases) {
        for (const char *name : source.names) {
            if (histogram.name == QLatin1String(name))
                return true;
        }
    }
    return false;
}

// A phase and the histogram keys it is read from.
struct PhaseLookup
{
    QString phase;
    QStringList keys;
};

// kPhases, then a phase per stage of the scrapes that no phase of kPhases reads (in the order
// they first appear).
QVector<PhaseLookup> phaseLookups(const QVector<const MetricsScrape *> &scrapes)
{
    QVector<PhaseLookup> lookups;
    QStringList mapped;
    for (const PhaseSource &source : kPhases) {
        PhaseLookup lookup{QLatin1String(source.phase), {}};
        for (const char *name : source.names)
            lookup.keys << QLatin1String(name);
        mapped += lookup.keys;
        lookups << lookup;
    }
    for (const MetricsScrape *scrape : scrapes) {
        for (const HistogramDistribution &histogram : scrape->histograms) {
            const QString stage = stageOf(histogram);
            const QString key = histogramKey(histogram);
            if (!stage.isEmpty() && !mapped.contains(key)) {
                mapped << key;
                lookups << PhaseLookup{kStagePhasePrefix + stage, {key}};
            }
        }
    }
    return lookups;
}

// A counter went down from `before` to `after`: the text saying which, or empty.
QString counterDrop(const HistogramDistribution &before, const HistogramDistribution &after)
{
    if (after.count < before.count)
        return QStringLiteral("%1 count %2 -> %3").arg(after.metric).arg(before.count, 0, 'g', 15).arg(after.count, 0, 'g', 15);
    if (after.sum < before.sum)
        return QStringLiteral("%1 sum %2 -> %3").arg(after.metric).arg(before.sum, 0, 'g', 15).arg(after.sum, 0, 'g', 15);
    if (after.upperBounds == before.upperBounds) {
        for (int i = 0; i < after.cumulativeCounts.size() && i < before.cumulativeCounts.size(); ++i) {
            if (after.cumulativeCounts[i] < before.cumulativeCounts[i])
                return QStringLiteral("%1 bucket le=\"%2\" %3 -> %4")
                    .arg(after.metric, after.boundTexts.value(i))
                    .arg(before.cumulativeCounts[i], 0, 'g', 15)
                    .arg(after.cumulativeCounts[i], 0, 'g', 15);
        }
    }
    return QString();
}

// Fills the quantiles of a phase from its per-bucket deltas.
void estimate(IntervalPhase *phase)
{
    HistogramDistribution delta;
    delta.upperBounds = phase->upperBounds;
    double running = 0;
    for (double bucket : phase->bucketDeltas) {
        running += bucket;
        delta.cumulativeCounts << running;
    }
    delta.count = phase->count;
    phase->p50 = estimateQuantile(delta, 0.50);
    phase->p90 = estimateQuantile(delta, 0.90);
    phase->p99 = estimateQuantile(delta, 0.99);
}

// The interval of one phase between two scrapes of the same counters (`before` null after a
// restart: the counters began again at 0).
IntervalPhase phaseDelta(const QString &phase, const HistogramDistribution *before, const HistogramDistribution &after)
{
    IntervalPhase result;
    result.phase = phase;
    result.metric = after.metric;
    result.count = after.count - (before ? before->count : 0);
    result.sumSeconds = after.sum - (before ? before->sum : 0);
    result.meanSeconds = result.count > 0 ? result.sumSeconds / result.count : std::numeric_limits<double>::quiet_NaN();
    result.upperBounds = after.upperBounds;
    double previousAfter = 0, previousBefore = 0;
    for (int i = 0; i < after.cumulativeCounts.size(); ++i) {
        const double cumulativeBefore = before ? before->cumulativeCounts.value(i) : 0;
        const double delta = (after.cumulativeCounts[i] - previousAfter) - (cumulativeBefore - previousBefore);
        result.bucketDeltas << std::max(0.0, delta);
        previousAfter = after.cumulativeCounts[i];
        previousBefore = cumulativeBefore;
    }
    estimate(&result);
    return result;
}

} // namespace

QStringList intervalPhaseNames()
{
    QStringList names;
    for (const PhaseSource &source : kPhases)
        names << QLatin1String(source.phase);
    return names;
}

int intervalPhaseRank(const QString &phase)
{
    const QStringList order = intervalPhaseNames();
    return order.contains(phase) ? int(order.indexOf(phase)) : int(order.size());
}

IntervalSeries computeIntervals(const QVector<MetricsScrape> &scrapes, const QString &name)
{
    IntervalSeries series;
    series.name = name;
    series.source = name;
    QVector<const MetricsScrape *> ordered;
    for (const MetricsScrape &scrape : scrapes)
        ordered << &scrape;
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const MetricsScrape *a, const MetricsScrape *b) { return a->timeMs < b->timeMs; });
    auto issue = [&series, &name](const QString &message, bool skipped) {
        LoadIssue found{LoadIssue::Warning, name, -1, -1, message};
        found.dataSkipped = skipped;
        series.issues << found;
    };

    const QVector<PhaseLookup> lookups = phaseLookups(ordered);
    int segment = 0;
    for (int i = 1; i < ordered.size(); ++i) {
        const MetricsScrape &before = *ordered[i - 1];
        const MetricsScrape &after = *ordered[i];
        if (after.timeMs == before.timeMs) {
            issue(QStringLiteral("two scrapes taken at %1: the second one is not an interval of its own").arg(timeText(after.timeMs)),
                  false);
            continue;
        }
        // {before, after} of lookups[k], in seconds; absent ones stay empty (no metric name).
        std::vector<std::pair<HistogramDistribution, HistogramDistribution>> found;
        QString drop;
        for (const PhaseLookup &lookup : lookups) {
            const HistogramDistribution *a = findPhase(before, lookup.keys);
            const HistogramDistribution *b = findPhase(after, lookup.keys);
            found.emplace_back(a ? inSeconds(*a) : HistogramDistribution(), b ? inSeconds(*b) : HistogramDistribution());
            if (a && b && drop.isEmpty())
                drop = counterDrop(found.back().first, found.back().second);
        }
        const bool restarted = !drop.isEmpty();
        if (restarted) {
            ++segment;
            issue(QStringLiteral("counters went down between the scrapes at %1 and %2 (%3): the server restarted; "
                                 "segment %4 starts there and the interval counts what the new server observed "
                                 "(what the old one observed after %1 is not in any scrape)")
                      .arg(timeText(before.timeMs), timeText(after.timeMs), drop)
                      .arg(segment),
                  false);
        }
        MetricsInterval interval;
        interval.startMs = before.timeMs;
        interval.endMs = after.timeMs;
        interval.segment = segment;
        interval.requestsFinished = std::numeric_limits<double>::quiet_NaN();
        for (size_t k = 0; k < found.size(); ++k) {
            const HistogramDistribution *previous = found[k].first.metric.isEmpty() ? nullptr : &found[k].first;
            const HistogramDistribution &current = found[k].second;
            if (current.metric.isEmpty())
                continue;
            if (series.engine.isEmpty())
                series.engine = current.engine;
            if (!restarted && !previous)
                continue; // appeared only now: no earlier value to subtract
            if (!restarted && previous->upperBounds != current.upperBounds) {
                issue(QStringLiteral("%1: the bucket bounds changed between the scrapes at %2 and %3 (%4 -> %5 "
                                     "buckets); left out of that interval")
                          .arg(current.metric, timeText(before.timeMs), timeText(after.timeMs))
                          .arg(previous->upperBounds.size())
                          .arg(current.upperBounds.size()),
                      true);
                continue;
            }
            interval.phases << phaseDelta(lookups[int(k)].phase, restarted ? nullptr : previous, current);
            if (interval.phases.last().phase == QLatin1String("e2e"))
                interval.requestsFinished = interval.phases.last().count;
        }
        series.intervals << interval;
    }
    return series;
}

MetricsInterval mergeIntervals(const IntervalSeries &series, int first, int last)
{
    MetricsInterval merged;
    first = std::max(first, 0);
    last = std::min(last, int(series.intervals.size()) - 1);
    merged.requestsFinished = std::numeric_limits<double>::quiet_NaN();
    if (first > last)
        return merged;
    merged.startMs = series.intervals[first].startMs;
    merged.endMs = series.intervals[last].endMs;
    merged.segment = series.intervals[first].segment;
    QVector<bool> bucketsComparable;
    for (int i = first; i <= last; ++i) {
        const MetricsInterval &interval = series.intervals[i];
        // Deltas never cross a reset (each interval holds one segment's change), so summing them is safe.
        if (!std::isnan(interval.requestsFinished))
            merged.requestsFinished = (std::isnan(merged.requestsFinished) ? 0 : merged.requestsFinished) + interval.requestsFinished;
        for (const IntervalPhase &phase : interval.phases) {
            int at = 0;
            while (at < merged.phases.size() && merged.phases[at].phase != phase.phase)
                ++at;
            if (at == merged.phases.size()) {
                IntervalPhase fresh;
                fresh.phase = phase.phase;
                fresh.metric = phase.metric;
                fresh.upperBounds = phase.upperBounds;
                fresh.bucketDeltas.fill(0.0, phase.bucketDeltas.size());
                merged.phases << fresh;
                bucketsComparable << true;
            }
            IntervalPhase &target = merged.phases[at];
            target.count += phase.count;
            target.sumSeconds += phase.sumSeconds;
            if (target.upperBounds != phase.upperBounds) {
                bucketsComparable[at] = false; // a restarted server with other buckets: means only
                continue;
            }
            for (int b = 0; b < phase.bucketDeltas.size(); ++b)
                target.bucketDeltas[b] += phase.bucketDeltas[b];
        }
    }
    // Keep the order of the phase list whatever interval a phase first appeared in.
    QVector<int> index(merged.phases.size());
    std::iota(index.begin(), index.end(), 0);
    std::stable_sort(index.begin(), index.end(), [&](int a, int b) {
        return intervalPhaseRank(merged.phases[a].phase) < intervalPhaseRank(merged.phases[b].phase);
    });
    QVector<IntervalPhase> sorted;
    for (int at : index) {
        IntervalPhase phase = merged.phases[at];
        phase.meanSeconds = phase.count > 0 ? phase.sumSeconds / phase.count : std::numeric_limits<double>::quiet_NaN();
        if (bucketsComparable[at]) {
            estimate(&phase);
        } else {
            phase.upperBounds.clear();
            phase.bucketDeltas.clear();
        }
        sorted << phase;
    }
    merged.phases = sorted;
    return merged;
}

QVector<IntervalSeries> intervalSeriesBySeries(const QVector<MetricsScrape> &scrapes, const QString &source)
{
    // Label set of the phase histograms -> the scrapes holding only that set's histograms.
    QMap<QString, QVector<MetricsScrape>> byLabels;
    QStringList order;
    for (const MetricsScrape &scrape : scrapes) {
        QHash<QString, MetricsScrape> parts;
        for (const HistogramDistribution &histogram : scrape.histograms) {
            if (!isPhaseHistogram(histogram))
                continue;
            const QString key = seriesLabels(histogram);
            auto part = parts.find(key);
            if (part == parts.end()) {
                part = parts.insert(key, MetricsScrape{scrape.timeMs, {}});
                if (!order.contains(key))
                    order << key;
            }
            part->histograms << histogram;
        }
        for (auto part = parts.cbegin(); part != parts.cend(); ++part)
            byLabels[part.key()] << part.value();
    }
    QVector<IntervalSeries> all;
    for (const QString &key : order) {
        const QString name = key.isEmpty() ? source : QStringLiteral("%1 {%2}").arg(source, key);
        IntervalSeries series = computeIntervals(byLabels.value(key), name);
        series.source = source;
        all << series;
    }
    return all;
}

} // namespace Phaseline
