#pragma once

#include "core/histogramdistribution.h"

#include <QWidget>

class QChartView;
class QLabel;
class QTableWidget;

namespace Phaseline {

// Server histograms (Prometheus): one row per metric and label set with count, mean and
// quantile estimates (linear interpolation inside buckets, the bucket limits stated), and a
// bar chart of the selected metric's bucket counts. Aggregate data: no request behind it.
class DistributionsView : public QWidget
{
    Q_OBJECT
public:
    explicit DistributionsView(QWidget *parent = nullptr);

    void setDistributions(const QVector<HistogramDistribution> &distributions);
    const QVector<HistogramDistribution> &distributions() const { return m_distributions; }
    QTableWidget *table() const { return m_table; }
    QChartView *chartView() const { return m_chartView; }

private:
    void showBuckets(int row);

    QVector<HistogramDistribution> m_distributions;
    QLabel *m_summary;
    QTableWidget *m_table;
    QChartView *m_chartView;
};

} // namespace Phaseline
