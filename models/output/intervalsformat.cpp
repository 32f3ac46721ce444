#include "output/intervalsformat.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

QString shortest(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonValue jsonOrNull(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonObject estimateToJson(const QuantileEstimate &estimate)
{
    if (!estimate.valid)
        return {};
    return {{QStringLiteral("estimate_s"), jsonOrNull(estimate.value)},
            {QStringLiteral("bucket_lower_s"), jsonOrNull(estimate.lower)},
            {QStringLiteral("bucket_upper_s"), jsonOrNull(estimate.upper)}};
}

const QuantileEstimate &quantileOf(const IntervalPhase &phase, double q)
{
    return q == 0.5 ? phase.p50 : q == 0.9 ? phase.p90 : phase.p99;
}

QJsonObject intervalToJson(const MetricsInterval &interval)
{
    QJsonArray phases;
    for (const IntervalPhase &phase : interval.phases) {
        QJsonObject object{{QStringLiteral("phase"), phase.phase},
                           {QStringLiteral("metric"), phase.metric},
                           {QStringLiteral("count"), phase.count},
                           {QStringLiteral("sum_s"), phase.sumSeconds},
                           {QStringLiteral("mean_s"), jsonOrNull(phase.meanSeconds)}};
        for (const DistributionQuantile &quantile : kDistributionQuantiles) {
            const QuantileEstimate &estimate = quantileOf(phase, quantile.q);
            object.insert(QLatin1String(quantile.key), estimate.valid ? QJsonValue(estimateToJson(estimate)) : QJsonValue());
        }
        phases.append(object);
    }
    return {{QStringLiteral("start_ms"), double(interval.startMs)},
            {QStringLiteral("end_ms"), double(interval.endMs)},
            {QStringLiteral("segment"), interval.segment},
            {QStringLiteral("requests_finished"), jsonOrNull(interval.requestsFinished)},
            {QStringLiteral("single_request"), interval.isSingleRequest()},
            {QStringLiteral("phases"), phases}};
}

// `nameWidth`: the longest phase name of the series, so that the columns line up.
QString phaseRow(const IntervalPhase &phase, int nameWidth)
{
    QString row = QStringLiteral("    %1 %2  mean %3")
                      .arg(phase.phase, -nameWidth)
                      .arg(QStringLiteral("count %1").arg(shortest(phase.count)), -11)
                      .arg(phase.count > 0 ? QString::number(phase.meanSeconds, 'g', 6) + QStringLiteral(" s") : QStringLiteral("-"), -13);
    for (const DistributionQuantile &quantile : kDistributionQuantiles)
        row += QStringLiteral("  %1~ %2").arg(QLatin1String(quantile.key), describeQuantile(quantileOf(phase, quantile.q)));
    return row + QLatin1Char('\n');
}

} // namespace

QByteArray intervalsToText(const QVector<IntervalSeries> &all)
{
    QString out = QStringLiteral("per-interval phases (between consecutive /metrics scrapes; mean = sum delta / count delta, "
                                 "exact; p50~/p90~/p99~ estimated from the interval's bucket deltas):\n");
    for (const IntervalSeries &series : all) {
        const int segments = series.intervals.isEmpty() ? 0 : series.intervals.last().segment + 1;
        int nameWidth = 9; // "inference"; SGLang's "stage:<name>" phases are longer
        for (const MetricsInterval &interval : series.intervals) {
            for (const IntervalPhase &phase : interval.phases)
                nameWidth = std::max(nameWidth, int(phase.phase.size()));
        }
        out += QStringLiteral("%1 (%2): %3 interval(s)%4\n")
                   .arg(series.name, series.engine.isEmpty() ? QStringLiteral("no phase histograms") : series.engine)
                   .arg(series.intervals.size())
                   .arg(segments > 1 ? QStringLiteral(", %1 segments (server restarts)").arg(segments) : QString());
        for (const MetricsInterval &interval : series.intervals) {
            out += QStringLiteral("  %1 .. %2  segment %3  requests finished %4%5\n")
                       .arg(timeText(interval.startMs), timeText(interval.endMs))
                       .arg(interval.segment)
                       .arg(std::isnan(interval.requestsFinished) ? QStringLiteral("- (no e2e histogram)") : shortest(interval.requestsFinished),
                            interval.isSingleRequest() ? QStringLiteral(" (one request: the sums are its own exact values)") : QString());
            for (const IntervalPhase &phase : interval.phases)
                out += phaseRow(phase, nameWidth);
        }
        if (series.intervals.isEmpty())
            continue;
        const MetricsInterval overall = mergeIntervals(series, 0, int(series.intervals.size()) - 1);
        out += QStringLiteral("  overall %1 .. %2  requests finished %3\n")
                   .arg(timeText(overall.startMs), timeText(overall.endMs),
                        std::isnan(overall.requestsFinished) ? QStringLiteral("-") : shortest(overall.requestsFinished));
        for (const IntervalPhase &phase : overall.phases)
            out += phaseRow(phase, nameWidth);
    }
    return out.toUtf8();
}

QByteArray intervalsToCsv(const QVector<IntervalSeries> &all)
{
    QString out = QStringLiteral("series,engine,start_ms,end_ms,segment,requests_finished,phase,metric,count,sum_s,mean_s");
    for (const DistributionQuantile &quantile : kDistributionQuantiles)
        out += QStringLiteral(",%1_estimated_s").arg(QLatin1String(quantile.key));
    out += QLatin1Char('\n');
    for (const IntervalSeries &series : all) {
        QString name = series.name;
        name.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        for (const MetricsInterval &interval : series.intervals) {
            for (const IntervalPhase &phase : interval.phases) {
                out += QStringLiteral("\"%1\",%2,%3,%4,%5,%6,%7,%8,%9")
                           .arg(name, series.engine)
                           .arg(interval.startMs)
                           .arg(interval.endMs)
                           .arg(interval.segment)
                           .arg(std::isnan(interval.requestsFinished) ? QString() : shortest(interval.requestsFinished),
                                phase.phase, phase.metric, shortest(phase.count));
                out += QStringLiteral(",%1,%2").arg(shortest(phase.sumSeconds), phase.count > 0 ? shortest(phase.meanSeconds) : QString());
                for (const DistributionQuantile &quantile : kDistributionQuantiles) {
                    const QuantileEstimate &estimate = quantileOf(phase, quantile.q);
                    out += QLatin1Char(',') + (estimate.valid ? (estimate.aboveLastBound() ? QStringLiteral(">=") : QString()) + shortest(estimate.value) : QString());
                }
                out += QLatin1Char('\n');
            }
        }
    }
    return out.toUtf8();
}

QJsonArray intervalsToJson(const QVector<IntervalSeries> &all)
{
    QJsonArray list;
    for (const IntervalSeries &series : all) {
        QJsonArray intervals;
        for (const MetricsInterval &interval : series.intervals)
            intervals.append(intervalToJson(interval));
        QJsonObject object{{QStringLiteral("name"), series.name},
                           {QStringLiteral("engine"), series.engine},
                           {QStringLiteral("source"), series.source},
                           {QStringLiteral("mean_is"), QStringLiteral("exact: sum delta / count delta")},
                           {QStringLiteral("quantiles_are"), QStringLiteral("estimated: linear interpolation inside the bucket "
                                                                            "of the interval's bucket deltas")},
                           {QStringLiteral("intervals"), intervals}};
        if (!series.intervals.isEmpty())
            object.insert(QStringLiteral("overall"), intervalToJson(mergeIntervals(series, 0, int(series.intervals.size()) - 1)));
        list.append(object);
    }
    return list;
}

} // namespace Phaseline
