#include "core/runsummary.h"


#include <QRegularExpression>

#include <cmath>
#include <map>

namespace Phaseline {

// Tools write statistics in orders of their own (and QJsonObject sorts keys by name).
double statisticOrder(const QString &name)
{
    static const QRegularExpression percentile(QStringLiteral("^p(\\d+(?:\\.\\d+)?)$"));
    static const std::map<QString, double> kFixed{
        {QStringLiteral("avg"), 0},      {QStringLiteral("average"), 1}, {QStringLiteral("mean"), 2},
        {QStringLiteral("median"), 3},   {QStringLiteral("min"), 4},     {QStringLiteral("minimum"), 5},
        {QStringLiteral("max"), 6},      {QStringLiteral("maximum"), 7}, {QStringLiteral("std"), 300},
        {QStringLiteral("stddev"), 301}, {QStringLiteral("sum"), 302},   {QStringLiteral("count"), 303},
        {QStringLiteral("value"), 304}};
    const auto fixed = kFixed.find(name);
    if (fixed != kFixed.end())
        return fixed->second;
    const QRegularExpressionMatch match = percentile.match(name);
    return match.hasMatch() ? 100 + match.captured(1).toDouble() : 400;
}

double SummaryMetric::statistic(const QString &name) const
{
    for (const SummaryStatistic &statistic : statistics) {
        if (statistic.name == name)
            return statistic.value;
    }
    return std::nan("");
}

void RunSummary::add(const QString &metricName, const QString &unit, const QString &statistic, double value)
{
    if (std::isnan(value))
        return;
    for (SummaryMetric &existing : metrics) {
        if (existing.name == metricName) {
            existing.statistics.append(SummaryStatistic{statistic, value});
            return;
        }
    }
    metrics.append(SummaryMetric{metricName, unit, {SummaryStatistic{statistic, value}}});
}

const SummaryMetric *RunSummary::metric(const QString &name) const
{
    for (const SummaryMetric &existing : metrics) {
        if (existing.name == name)
            return &existing;
    }
    return nullptr;
}

} // namespace Phaseline
