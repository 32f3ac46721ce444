#pragma once

#include "core/histogramdistribution.h"
#include "analysis/metricsintervals.h"

#include <QWidget>

#include <functional>

class QLabel;

namespace Phaseline {

class DistributionsView;

// Sums intervals [first, last] of a series into one (mergeIntervals in models/analysis/metricsintervals.h).
using IntervalMerge = std::function<MetricsInterval(const IntervalSeries &, int first, int last)>;

// The distribution of a time range selected in the intervals view (issue 14.2): per series and
// phase the summed count, the exact mean (sum Δ / count Δ) and quantiles estimated from the summed
// bucket deltas, with the bucket histogram of the phase chosen: the before/after subtraction
// of /metrics, for any range. Shown by the statistics panel.
class IntervalRangeView : public QWidget
{
    Q_OBJECT
public:
    explicit IntervalRangeView(QWidget *parent = nullptr);

    void setMerge(IntervalMerge merge) { m_merge = std::move(merge); }
    // `ranges`: per series its selected intervals [first, last]; first < 0 when it has none.
    void showRange(const QVector<IntervalSeries> &series, const QVector<QPair<int, int>> &ranges);
    // Back to the hint: nothing selected.
    void clear();

    QLabel *summary() const { return m_summary; }
    DistributionsView *distributions() const { return m_distributions; }

    // One histogram per phase of a merged range, named by phase and labelled with the series.
    static QVector<HistogramDistribution> distributionsOf(const IntervalSeries &series, const MetricsInterval &merged);

private:
    IntervalMerge m_merge;
    QLabel *m_summary;
    DistributionsView *m_distributions;
};

} // namespace Phaseline
