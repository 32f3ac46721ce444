#pragma once

#include "datasets.h"

#include <QFutureWatcher>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;

namespace Phaseline {

// Statistics of every dataset side by side, with the difference of each to a baseline
// dataset (absolute and in %): which run is faster, phase by phase. Computed on a worker
// thread; the table must outlive the computation (setTable(nullptr) waits for it).
class DatasetComparison : public QWidget
{
    Q_OBJECT
public:
    explicit DatasetComparison(QWidget *parent = nullptr);
    ~DatasetComparison() override;

    void setTable(const RequestTable *table);
    bool hasDatasets() const { return !m_statistics.isEmpty(); }
    bool isUpdating() const { return m_watcher->isRunning(); }
    QTableWidget *tableWidget() const { return m_view; }
    // The comparison as CSV (what is shown: the chosen statistic, values and deltas).
    QByteArray toCsv() const;

Q_SIGNALS:
    void updated();

private:
    void rebuild();

    const RequestTable *m_table = nullptr;
    QVector<DatasetStatistics> m_statistics;
    QFutureWatcher<QVector<DatasetStatistics>> *m_watcher;
    QComboBox *m_statistic;
    QComboBox *m_baseline;
    QLabel *m_note;
    QTableWidget *m_view;
};

} // namespace Phaseline
