#include "core/histogramdistribution.h"

#include <QStringList>

#include <cmath>
#include <limits>

namespace Phaseline {

double HistogramDistribution::mean() const
{
    return count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
}

QString HistogramDistribution::labelText() const
{
    QStringList parts;
    for (const auto &label : labels)
        parts << label.first + QLatin1Char('=') + label.second;
    return parts.join(QStringLiteral(", "));
}

QVector<double> HistogramDistribution::bucketCounts() const
{
    QVector<double> counts;
    counts.reserve(cumulativeCounts.size());
    double previous = 0;
    for (double cumulative : cumulativeCounts) {
        counts << std::max(0.0, cumulative - previous);
        previous = cumulative;
    }
    return counts;
}

bool QuantileEstimate::aboveLastBound() const
{
    return std::isinf(upper);
}

QuantileEstimate estimateQuantile(const HistogramDistribution &histogram, double q)
{
    QuantileEstimate estimate;
    const QVector<double> &bounds = histogram.upperBounds;
    const QVector<double> &cumulative = histogram.cumulativeCounts;
    if (bounds.isEmpty() || cumulative.size() != bounds.size())
        return estimate;
    const double total = std::isinf(bounds.last()) ? cumulative.last() : std::max(cumulative.last(), histogram.count);
    if (!(total > 0))
        return estimate;
    const double rank = q * total;
    int bucket = 0;
    while (bucket < bounds.size() - 1 && cumulative[bucket] < rank)
        ++bucket;
    estimate.valid = true;
    if (std::isinf(bounds[bucket]) || cumulative[bucket] < rank) {
        // Above every finite bound: the best statement is "at least the last finite bound".
        const int lastFinite = std::isinf(bounds[bucket]) ? bucket - 1 : bucket;
        estimate.lower = lastFinite >= 0 ? bounds[lastFinite] : 0;
        estimate.upper = std::numeric_limits<double>::infinity();
        estimate.value = estimate.lower;
        return estimate;
    }
    const double lower = bucket > 0 ? bounds[bucket - 1] : std::min(0.0, bounds[0]);
    const double below = bucket > 0 ? cumulative[bucket - 1] : 0;
    const double inBucket = cumulative[bucket] - below;
    estimate.lower = lower;
    estimate.upper = bounds[bucket];
    estimate.value = inBucket > 0 ? lower + (bounds[bucket] - lower) * (rank - below) / inBucket : bounds[bucket];
    return estimate;
}

} // namespace Phaseline
