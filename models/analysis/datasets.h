#pragma once

#include "analysis/statistics.h"

#include <QString>
#include <QVector>

#include <vector>

namespace Phaseline {

// Each input given (a file or a directory) is a dataset: two benchmark runs opened together
// stay apart and can be compared. Rows carry their dataset in this label column, set only
// when more than one input was given. Records joined across inputs (a disagg router file
// and its worker files) belong to the router record's input.
extern const QString kDatasetLabel;

struct Dataset
{
    QString name;
    std::vector<int> rows; // ascending
};

// The datasets of a table, in input order; empty when it has fewer than `minimum` (views
// compare two or more; the statistics output lists them whenever several inputs were given).
std::vector<Dataset> datasetsOf(const RequestTable &table, size_t minimum = 2);

// A display name per input: the file or directory name, made unique with its parent
// directories where two inputs share a name.
QStringList datasetNames(const QStringList &inputs);

struct DatasetStatistics
{
    QString name;
    StatisticsReport report;
};

QVector<DatasetStatistics> computeDatasetStatistics(const RequestTable &table, size_t minimum = 2);

} // namespace Phaseline
