#include "output/statisticsformat.h"

#include "core/csvreader.h"
#include "output/summaryformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace Phaseline {

bool parseStatisticsFormat(const QString &name, StatisticsFormat *format)
{
    if (name == QLatin1String("text"))
        *format = StatisticsFormat::Text;
    else if (name == QLatin1String("csv"))
        *format = StatisticsFormat::Csv;
    else if (name == QLatin1String("json"))
        *format = StatisticsFormat::Json;
    else
        return false;
    return true;
}

namespace {

struct Column
{
    const char *key;
    double PhaseStatistics::*value;
};
const Column kValueColumns[] = {
    {"mean_ms", &PhaseStatistics::mean}, {"median_ms", &PhaseStatistics::median}, {"p90_ms", &PhaseStatistics::p90},
    {"p99_ms", &PhaseStatistics::p99},   {"min_ms", &PhaseStatistics::min},       {"max_ms", &PhaseStatistics::max},
};

QString number(double value) { return QString::number(value, 'f', 6); }

QByteArray toTextSection(const StatisticsReport &report);
// Shortest text that reads back as the same double (sums like 0.5947320461273193 stay exact).
QString boundNumber(double value) { return QString::number(value, 'g', QLocale::FloatingPointShortest); }

QJsonValue jsonNumber(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonArray distributionsToJson(const QVector<HistogramDistribution> &distributions)
{
    QJsonArray list;
    for (const HistogramDistribution &histogram : distributions) {
        QJsonObject object;
        object.insert(QStringLiteral("name"), histogram.name);
        object.insert(QStringLiteral("engine"), histogram.engine);
        object.insert(QStringLiteral("metric"), histogram.metric);
        object.insert(QStringLiteral("unit"), histogram.unit);
        object.insert(QStringLiteral("source"), histogram.source);
        QJsonObject labels;
        for (const auto &label : histogram.labels)
            labels.insert(label.first, label.second);
        object.insert(QStringLiteral("labels"), labels);
        object.insert(QStringLiteral("count"), histogram.count);
        object.insert(QStringLiteral("sum"), histogram.sum);
        object.insert(QStringLiteral("mean"), jsonNumber(histogram.mean()));
        for (const DistributionQuantile &quantile : kDistributionQuantiles) {
            const QuantileEstimate estimate = estimateQuantile(histogram, quantile.q);
            QJsonObject value;
            value.insert(QStringLiteral("estimate"), estimate.valid ? jsonNumber(estimate.value) : QJsonValue());
            value.insert(QStringLiteral("bucket_lower"), estimate.valid ? jsonNumber(estimate.lower) : QJsonValue());
            value.insert(QStringLiteral("bucket_upper"), estimate.valid ? jsonNumber(estimate.upper) : QJsonValue());
            object.insert(QLatin1String(quantile.key), value);
        }
        QJsonArray buckets;
        for (int i = 0; i < histogram.upperBounds.size(); ++i)
            buckets.append(QJsonObject{{QStringLiteral("le"), histogram.boundTexts[i]},
                                       {QStringLiteral("cumulative_count"), histogram.cumulativeCounts[i]}});
        object.insert(QStringLiteral("buckets"), buckets);
        if (histogram.isEmpty())
            object.insert(QStringLiteral("note"), QStringLiteral("no requests observed"));
        list.append(object);
    }
    return list;
}

QString distributionsToCsv(const QVector<HistogramDistribution> &distributions)
{
    QString out = QStringLiteral("distribution,engine,metric,unit,labels,count,sum,mean");
    for (const DistributionQuantile &quantile : kDistributionQuantiles)
        out += QStringLiteral(",%1,%1_bucket_lower,%1_bucket_upper").arg(QLatin1String(quantile.key));
    out += QLatin1Char('\n');
    for (const HistogramDistribution &histogram : distributions) {
        QString labels = histogram.labelText();
        labels.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        out += QStringLiteral("%1,%2,%3,%4,\"%5\",%6,%7,%8")
                   .arg(histogram.name, histogram.engine, histogram.metric, histogram.unit, labels,
                        boundNumber(histogram.count), boundNumber(histogram.sum),
                        histogram.isEmpty() ? QString() : boundNumber(histogram.mean()));
        for (const DistributionQuantile &quantile : kDistributionQuantiles) {
            const QuantileEstimate estimate = estimateQuantile(histogram, quantile.q);
            out += estimate.valid ? QStringLiteral(",%1,%2,%3")
                                        .arg(boundNumber(estimate.value), boundNumber(estimate.lower),
                                             estimate.aboveLastBound() ? QStringLiteral("+Inf") : boundNumber(estimate.upper))
                                  : QStringLiteral(",,,");
        }
        out += QLatin1Char('\n');
    }
    return out;
}

QString distributionsToText(const QVector<HistogramDistribution> &distributions)
{
    QString out = QStringLiteral("distributions (server histograms; aggregate only, quantiles estimated inside buckets):\n");
    for (const HistogramDistribution &histogram : distributions) {
        out += QStringLiteral("%1 %2 [%3]%4\n")
                   .arg(histogram.engine, histogram.metric, histogram.unit.isEmpty() ? QStringLiteral("count") : histogram.unit,
                        histogram.labels.isEmpty() ? QString() : QStringLiteral(" {%1}").arg(histogram.labelText()));
        if (histogram.isEmpty()) {
            out += QStringLiteral("    no requests observed\n");
            continue;
        }
        out += QStringLiteral("    count %1  sum %2  mean %3\n")
                   .arg(boundNumber(histogram.count), boundNumber(histogram.sum), QString::number(histogram.mean(), 'g', 10));
        for (const DistributionQuantile &quantile : kDistributionQuantiles)
            out += QStringLiteral("    %1 %2\n").arg(QLatin1String(quantile.key), describeQuantile(estimateQuantile(histogram, quantile.q)));
    }
    return out;
}

QJsonArray toJsonArray(const QVector<PhaseStatistics> &list)
{
    QJsonArray phases;
    for (const PhaseStatistics &stats : list) {
        QJsonObject phase;
        phase.insert(QStringLiteral("name"), stats.name);
        phase.insert(QStringLiteral("count"), stats.count);
        for (const Column &column : kValueColumns) {
            phase.insert(QLatin1String(column.key),
                         stats.count > 0 ? QJsonValue(stats.*column.value) : QJsonValue(QJsonValue::Null));
        }
        phase.insert(QStringLiteral("missing"), stats.missing);
        phase.insert(QStringLiteral("anomalies"), stats.anomalies);
        phase.insert(QStringLiteral("measured"), stats.measured);
        phases.append(phase);
    }
    return phases;
}

QJsonObject toJsonObject(const StatisticsReport &report)
{
    QJsonObject object;
    object.insert(QStringLiteral("requests"), report.requests);
    object.insert(QStringLiteral("phases"), toJsonArray(report.phases));
    object.insert(QStringLiteral("totals"), toJsonArray(report.totals));
    return object;
}

QByteArray toJson(const StatisticsReport &report, const QVector<DatasetStatistics> &datasets,
                  const QVector<HistogramDistribution> &distributions, const QVector<RunSummary> &summaries)
{
    QJsonObject root = toJsonObject(report);
    if (!datasets.isEmpty()) {
        QJsonArray perDataset;
        for (const DatasetStatistics &dataset : datasets) {
            QJsonObject object = toJsonObject(dataset.report);
            object.insert(QStringLiteral("name"), dataset.name);
            perDataset.append(object);
        }
        root.insert(QStringLiteral("datasets"), perDataset);
    }
    if (!distributions.isEmpty())
        root.insert(QStringLiteral("distributions"), distributionsToJson(distributions));
    if (!summaries.isEmpty())
        root.insert(QStringLiteral("summaries"), summariesToJson(summaries));
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString csvRows(const StatisticsReport &report, const QString *dataset)
{
    QString out;
    for (const PhaseStatistics &stats : report.phases + report.totals) {
        if (dataset)
            out += csvField(*dataset, CsvQuoting::Always) + QLatin1Char(',');
        out += csvField(stats.name) + QLatin1Char(',') + QString::number(stats.count);
        for (const Column &column : kValueColumns)
            out += QLatin1Char(',') + (stats.count > 0 ? number(stats.*column.value) : QString());
        out += QStringLiteral(",%1,%2,%3\n").arg(stats.missing).arg(stats.anomalies).arg(csvField(stats.measured));
    }
    return out;
}

QByteArray toCsv(const StatisticsReport &report, const QVector<DatasetStatistics> &datasets)
{
    QString out = datasets.isEmpty() ? QStringLiteral("phase,count") : QStringLiteral("dataset,phase,count");
    for (const Column &column : kValueColumns)
        out += QLatin1Char(',') + QLatin1String(column.key);
    out += QStringLiteral(",missing,anomalies,measured\n");
    const QString all;
    out += csvRows(report, datasets.isEmpty() ? nullptr : &all);
    for (const DatasetStatistics &dataset : datasets)
        out += csvRows(dataset.report, &dataset.name);
    return out.toUtf8();
}

QByteArray toText(const StatisticsReport &report, const QVector<DatasetStatistics> &datasets)
{
    QString out = QString::fromUtf8(toTextSection(report));
    for (const DatasetStatistics &dataset : datasets)
        out += QStringLiteral("\ndataset %1\n").arg(dataset.name) + QString::fromUtf8(toTextSection(dataset.report));
    return out.toUtf8();
}

QByteArray toTextSection(const StatisticsReport &report)
{
    QString out = QStringLiteral("requests: %1\n").arg(report.requests);
    out += QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
               .arg(QStringLiteral("phase"), -22)
               .arg(QStringLiteral("count"), 8)
               .arg(QStringLiteral("mean ms"), 11)
               .arg(QStringLiteral("median ms"), 11)
               .arg(QStringLiteral("p90 ms"), 11)
               .arg(QStringLiteral("p99 ms"), 11)
               .arg(QStringLiteral("min ms"), 11)
               .arg(QStringLiteral("max ms"), 11)
               .arg(QStringLiteral("anomalies"), 9);
    const QVector<PhaseStatistics> rows = report.phases + report.totals;
    for (int i = 0; i < rows.size(); ++i) {
        const PhaseStatistics &stats = rows[i];
        if (i == report.phases.size())
            out += QStringLiteral("totals:\n");
        out += QStringLiteral("%1 %2").arg(stats.name, -22).arg(stats.count, 8);
        for (const Column &column : kValueColumns)
            out += QStringLiteral(" %1").arg(stats.count > 0 ? QString::number(stats.*column.value, 'f', 3)
                                                             : QStringLiteral("-"),
                                             11);
        out += QStringLiteral(" %1\n").arg(stats.anomalies, 9);
    }
    // Which side and clock each number comes from: a client's decode is not an engine's.
    out += QStringLiteral("measured:\n");
    for (const PhaseStatistics &stats : rows) {
        if (!stats.measured.isEmpty())
            out += QStringLiteral("%1 %2\n").arg(stats.name, -22).arg(stats.measured);
    }
    return out.toUtf8();
}

} // namespace

const DistributionQuantile kDistributionQuantiles[3] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}};

QString describeQuantile(const QuantileEstimate &estimate)
{
    if (!estimate.valid)
        return QStringLiteral("-");
    if (estimate.aboveLastBound())
        return QStringLiteral("\u2265 %1 (above the last finite bucket bound)").arg(boundNumber(estimate.lower));
    // An estimate: ten digits are plenty, and hide the interpolation's rounding noise.
    return QStringLiteral("%1 (in bucket (%2, %3])").arg(QString::number(estimate.value, 'g', 10), boundNumber(estimate.lower),
                                                       boundNumber(estimate.upper));
}

QByteArray formatStatistics(const StatisticsReport &report, StatisticsFormat format,
                            const QVector<DatasetStatistics> &datasets,
                            const QVector<HistogramDistribution> &distributions,
                            const QVector<RunSummary> &summaries)
{
    QByteArray out;
    switch (format) {
    case StatisticsFormat::Json: return toJson(report, datasets, distributions, summaries);
    case StatisticsFormat::Csv:
        out = distributions.isEmpty() ? toCsv(report, datasets)
                                      : toCsv(report, datasets) + '\n' + distributionsToCsv(distributions).toUtf8();
        return summaries.isEmpty() ? out : out + '\n' + summariesToCsv(summaries).toUtf8();
    case StatisticsFormat::Text:
        out = distributions.isEmpty() ? toText(report, datasets)
                                      : toText(report, datasets) + '\n' + distributionsToText(distributions).toUtf8();
        return summaries.isEmpty() ? out : out + '\n' + summariesToText(summaries).toUtf8();
    }
    return out;
}

} // namespace Phaseline
