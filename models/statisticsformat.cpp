#include "statisticsformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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

QByteArray toJson(const StatisticsReport &report, const QVector<DatasetStatistics> &datasets)
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
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString csvRows(const StatisticsReport &report, const QString *dataset)
{
    QString out;
    for (const PhaseStatistics &stats : report.phases + report.totals) {
        if (dataset)
            out += QLatin1Char('"') + QString(*dataset).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1String("\",");
        out += stats.name + QLatin1Char(',') + QString::number(stats.count);
        for (const Column &column : kValueColumns)
            out += QLatin1Char(',') + (stats.count > 0 ? number(stats.*column.value) : QString());
        out += QStringLiteral(",%1,%2\n").arg(stats.missing).arg(stats.anomalies);
    }
    return out;
}

QByteArray toCsv(const StatisticsReport &report, const QVector<DatasetStatistics> &datasets)
{
    QString out = datasets.isEmpty() ? QStringLiteral("phase,count") : QStringLiteral("dataset,phase,count");
    for (const Column &column : kValueColumns)
        out += QLatin1Char(',') + QLatin1String(column.key);
    out += QStringLiteral(",missing,anomalies\n");
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
    return out.toUtf8();
}

} // namespace

QByteArray formatStatistics(const StatisticsReport &report, StatisticsFormat format,
                            const QVector<DatasetStatistics> &datasets)
{
    switch (format) {
    case StatisticsFormat::Json: return toJson(report, datasets);
    case StatisticsFormat::Csv: return toCsv(report, datasets);
    case StatisticsFormat::Text: return toText(report, datasets);
    }
    return QByteArray();
}

} // namespace Phaseline
