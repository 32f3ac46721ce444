#include "output/summaryformat.h"

#include "core/csvreader.h"

#include <QJsonObject>
#include <QLocale>

namespace Phaseline {

QString summaryNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QJsonArray summariesToJson(const QVector<RunSummary> &summaries)
{
    QJsonArray list;
    for (const RunSummary &summary : summaries) {
        QJsonArray metrics;
        for (const SummaryMetric &metric : summary.metrics) {
            QJsonObject statistics;
            for (const SummaryStatistic &statistic : metric.statistics)
                statistics.insert(statistic.name, statistic.value);
            metrics.append(QJsonObject{{QStringLiteral("name"), metric.name},
                                       {QStringLiteral("unit"), metric.unit},
                                       {QStringLiteral("statistics"), statistics}});
        }
        list.append(QJsonObject{{QStringLiteral("source"), summary.source},
                                {QStringLiteral("tool"), summary.tool},
                                {QStringLiteral("run"), summary.runLabel},
                                {QStringLiteral("metrics"), metrics}});
    }
    return list;
}

QString summariesToCsv(const QVector<RunSummary> &summaries)
{
    QString out = QStringLiteral("summary_source,tool,run,metric,unit,statistic,value\n");
    for (const RunSummary &summary : summaries) {
        const QString run = csvField(summary.source) + QLatin1Char(',') + csvField(summary.tool) + QLatin1Char(',')
                            + csvField(summary.runLabel);
        for (const SummaryMetric &metric : summary.metrics) {
            for (const SummaryStatistic &statistic : metric.statistics)
                out += QStringLiteral("%1,%2,%3,%4,%5\n")
                           .arg(run, csvField(metric.name), csvField(metric.unit), csvField(statistic.name),
                                summaryNumber(statistic.value));
        }
    }
    return out;
}

QString summariesToText(const QVector<RunSummary> &summaries)
{
    QString out = QStringLiteral("summaries (as reported by the tool, not recomputed):\n");
    for (const RunSummary &summary : summaries) {
        out += QStringLiteral("%1 summary of %2%3\n")
                   .arg(summary.tool, summary.source,
                        summary.runLabel.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(summary.runLabel));
        for (const SummaryMetric &metric : summary.metrics) {
            QStringList values;
            for (const SummaryStatistic &statistic : metric.statistics)
                values << statistic.name + QLatin1Char(' ') + summaryNumber(statistic.value);
            out += QStringLiteral("    %1%2: %3\n")
                       .arg(metric.name, metric.unit.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(metric.unit),
                            values.join(QStringLiteral("  ")));
        }
    }
    return out;
}

} // namespace Phaseline
