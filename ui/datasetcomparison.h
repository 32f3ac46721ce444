#pragma once

#include "analysis/datasets.h"
#include "core/jobtracker.h"
#include "analysis/metricsintervals.h"

#include <QHash>
#include <QWidget>

#include <array>

class QComboBox;
class QLabel;
class QTableWidget;

namespace Phaseline {

// Statistics of every dataset side by side, with the difference of each to a baseline
// dataset (absolute and in %): which run is faster, phase by phase. The columns are the
// request datasets of the table and, when there are several, the interval series of /metrics
// scrapes (one per instance or model of a Prometheus server), each over all its loaded intervals.
// Computed on a worker thread, on the snapshot given; a newer input drops the older computation unseen.
class DatasetComparison : public QWidget
{
    Q_OBJECT
public:
    explicit DatasetComparison(QWidget *parent = nullptr);
    ~DatasetComparison() override;

    void setTable(std::shared_ptr<const RequestTable> table);
    // Compared when there are two or more (one series alone has nothing to be compared with).
    void setIntervalSeries(const QVector<IntervalSeries> &series);
    bool hasDatasets() const { return !m_compared.columns.isEmpty(); }
    bool isUpdating() const { return m_job.isBusy(); }
    QTableWidget *tableWidget() const { return m_view; }
    // The comparison as CSV (what is shown: the chosen statistic, values and deltas).
    QByteArray toCsv() const;

Q_SIGNALS:
    void updated();

private:
    // One number of one column, in ms.
    struct Value
    {
        double ms = 0;
        bool estimate = false;   // interpolated inside a histogram bucket
        bool lowerLimit = false; // the rank lies above the last finite bucket bound
    };
    struct Column
    {
        QString name;
        double requests = 0; // requests of the dataset, or finished in the series' intervals; NaN: unknown
        bool intervals = false;
        // Row key -> median, mean, p90, p99 (the order of the statistic choice); absent when not recorded.
        QHash<QString, std::array<Value, 4>> values;
    };
    struct Row
    {
        QString key, title, name;
        bool interval = false;
    };
    struct Comparison
    {
        QVector<Row> rows;
        QVector<Column> columns;
    };
    static Comparison compare(const std::shared_ptr<const RequestTable> &table, const QVector<IntervalSeries> &series);
    void restart();
    void rebuild();
    void adopt(Comparison compared);

    std::shared_ptr<const RequestTable> m_table;
    QVector<IntervalSeries> m_series;
    Comparison m_compared;
    QStringList m_shortNames; // per column: the part of its name that tells it from the others
    JobTracker<Comparison> m_job;
    QComboBox *m_statistic;
    QComboBox *m_baseline;
    QLabel *m_note;
    QTableWidget *m_view;
};

} // namespace Phaseline
