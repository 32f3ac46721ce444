#pragma once

#include "analysis/datasets.h"
#include "core/jobtracker.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;

namespace Phaseline {

// Statistics of every dataset side by side, with the difference of each to a baseline
// dataset (absolute and in %): which run is faster, phase by phase. Computed on a worker
// thread, on the snapshot given; a newer setTable() drops the older computation unseen.
class DatasetComparison : public QWidget
{
    Q_OBJECT
public:
    explicit DatasetComparison(QWidget *parent = nullptr);
    ~DatasetComparison() override;

    void setTable(std::shared_ptr<const RequestTable> table);
    bool hasDatasets() const { return !m_statistics.isEmpty(); }
    bool isUpdating() const { return m_job.isBusy(); }
    QTableWidget *tableWidget() const { return m_view; }
    // The comparison as CSV (what is shown: the chosen statistic, values and deltas).
    QByteArray toCsv() const;

Q_SIGNALS:
    void updated();

private:
    void rebuild();
    void adopt(QVector<DatasetStatistics> statistics);

    std::shared_ptr<const RequestTable> m_table;
    QVector<DatasetStatistics> m_statistics;
    JobTracker<QVector<DatasetStatistics>> m_job;
    QComboBox *m_statistic;
    QComboBox *m_baseline;
    QLabel *m_note;
    QTableWidget *m_view;
};

} // namespace Phaseline
