#pragma once

// Compares Phaseline's per-interval phases with what tests/tools/metrics_sessions.py computed
// from the same scrapes (its own parser and arithmetic): counts and sums exact to rounding,
// quantiles by the histogram_quantile rule on the bucket deltas.

#include "analysis/metricsintervals.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <cmath>

namespace PhaselineTest {

// Empty when `series` matches `expected` ({"intervals": [...]}); otherwise the first difference.
inline QString intervalMismatch(const Phaseline::IntervalSeries &series, const QJsonObject &expected)
{
    const QJsonArray intervals = expected.value(QStringLiteral("intervals")).toArray();
    if (series.intervals.size() != intervals.size())
        return QStringLiteral("%1 intervals, expected %2").arg(series.intervals.size()).arg(intervals.size());
    auto near = [](double actual, double wanted) {
        return std::abs(actual - wanted) <= 1e-9 * std::max(1.0, std::abs(wanted));
    };
    for (int i = 0; i < intervals.size(); ++i) {
        const Phaseline::MetricsInterval &interval = series.intervals[i];
        const QJsonObject want = intervals[i].toObject();
        const QString where = QStringLiteral("interval %1").arg(i);
        if (interval.startMs != qint64(want.value(QStringLiteral("start_ms")).toDouble())
            || interval.endMs != qint64(want.value(QStringLiteral("end_ms")).toDouble()))
            return where + QStringLiteral(": times %1-%2").arg(interval.startMs).arg(interval.endMs);
        if (interval.segment != want.value(QStringLiteral("segment")).toInt())
            return where + QStringLiteral(": segment %1, expected %2").arg(interval.segment).arg(want.value(QStringLiteral("segment")).toInt());
        const QJsonValue finished = want.value(QStringLiteral("requests_finished"));
        if (finished.isNull() != std::isnan(interval.requestsFinished)
            || (!finished.isNull() && !near(interval.requestsFinished, finished.toDouble())))
            return where + QStringLiteral(": %1 requests finished, expected %2").arg(interval.requestsFinished).arg(finished.toDouble());
        const QJsonArray phases = want.value(QStringLiteral("phases")).toArray();
        QStringList names, wantedNames;
        for (const Phaseline::IntervalPhase &phase : interval.phases)
            names << phase.phase;
        for (const QJsonValue &phase : phases)
            wantedNames << phase.toObject().value(QStringLiteral("phase")).toString();
        if (names != wantedNames)
            return where + QStringLiteral(": phases %1, expected %2").arg(names.join(QLatin1Char(',')), wantedNames.join(QLatin1Char(',')));
        for (int p = 0; p < phases.size(); ++p) {
            const Phaseline::IntervalPhase &phase = interval.phases[p];
            const QJsonObject wanted = phases[p].toObject();
            const QString at = where + QLatin1Char(' ') + phase.phase;
            if (phase.metric != wanted.value(QStringLiteral("metric")).toString())
                return at + QStringLiteral(": metric ") + phase.metric;
            if (!near(phase.count, wanted.value(QStringLiteral("count")).toDouble()))
                return at + QStringLiteral(": count %1, expected %2").arg(phase.count).arg(wanted.value(QStringLiteral("count")).toDouble());
            if (!near(phase.sumSeconds, wanted.value(QStringLiteral("sum")).toDouble()))
                return at + QStringLiteral(": sum %1, expected %2").arg(phase.sumSeconds, 0, 'g', 17).arg(wanted.value(QStringLiteral("sum")).toDouble(), 0, 'g', 17);
            const QJsonValue mean = wanted.value(QStringLiteral("mean"));
            if (mean.isNull() != std::isnan(phase.meanSeconds) || (!mean.isNull() && !near(phase.meanSeconds, mean.toDouble())))
                return at + QStringLiteral(": mean %1, expected %2").arg(phase.meanSeconds, 0, 'g', 17).arg(mean.toDouble(), 0, 'g', 17);
            const std::pair<const char *, const Phaseline::QuantileEstimate *> quantiles[] = {
                {"p50", &phase.p50}, {"p90", &phase.p90}, {"p99", &phase.p99}};
            for (const auto &[key, estimate] : quantiles) {
                const QJsonValue value = wanted.value(QLatin1String(key));
                const bool above = value.isObject();
                if (value.isNull() != !estimate->valid || (estimate->valid && above != estimate->aboveLastBound()))
                    return at + QStringLiteral(": %1 validity").arg(QLatin1String(key));
                const double number = above ? value.toObject().value(QStringLiteral("above")).toDouble() : value.toDouble();
                if (estimate->valid && !near(estimate->value, number))
                    return at + QStringLiteral(": %1 %2, expected %3").arg(QLatin1String(key)).arg(estimate->value, 0, 'g', 17).arg(number, 0, 'g', 17);
            }
        }
    }
    return QString();
}

} // namespace PhaselineTest
