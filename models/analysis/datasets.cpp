#include "analysis/datasets.h"

#include <QDir>
#include <QFileInfo>

namespace Phaseline {

const QString kDatasetLabel = QStringLiteral("dataset");

std::vector<Dataset> datasetsOf(const RequestTable &table, size_t minimum)
{
    const int column = table.labelIndex(kDatasetLabel);
    if (column < 0)
        return {};
    const LabelColumn &labels = table.labelColumn(column);
    std::vector<Dataset> datasets(size_t(labels.values.size()));
    for (int code = 0; code < labels.values.size(); ++code)
        datasets[size_t(code)].name = labels.values[code];
    for (int row = 0; row < table.size(); ++row)
        datasets[labels.codes[size_t(row)]].rows.push_back(row);
    // Code 0 is "no label": rows of an input that contributed nothing of its own.
    datasets.erase(std::remove_if(datasets.begin(), datasets.end(),
                                  [](const Dataset &d) { return d.rows.empty() || d.name.isEmpty(); }),
                   datasets.end());
    if (datasets.size() < minimum)
        return {};
    return datasets;
}

QStringList datasetNames(const QStringList &inputs)
{
    QStringList names;
    for (const QString &input : inputs)
        names << QFileInfo(input).fileName();
    // Where names collide, prepend parent directories until they differ (or the path ends).
    for (int depth = 1; depth < 8; ++depth) {
        std::vector<int> clashing;
        for (int i = 0; i < names.size(); ++i) {
            if (names.count(names[i]) > 1)
                clashing.push_back(i);
        }
        if (clashing.empty())
            break;
        for (int i : clashing) {
            const QStringList parts = QDir::cleanPath(QFileInfo(inputs[i]).absoluteFilePath()).split(QLatin1Char('/'));
            names[i] = parts.mid(std::max<qsizetype>(0, parts.size() - 1 - depth)).join(QLatin1Char('/'));
        }
    }
    return names;
}

QVector<DatasetStatistics> computeDatasetStatistics(const RequestTable &table, size_t minimum)
{
    QVector<DatasetStatistics> result;
    for (const Dataset &dataset : datasetsOf(table, minimum))
        result.append(DatasetStatistics{dataset.name, computeStatistics(table, &dataset.rows)});
    return result;
}

} // namespace Phaseline
