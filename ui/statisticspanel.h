#pragma once

#include "core/histogramdistribution.h"
#include "core/jobtracker.h"
#include "analysis/statistics.h"

#include <QWidget>

#include <memory>
#include <vector>

class QPainter;

namespace Phaseline {

// The statistics view (docs/design.md §3.3): a per-phase table (count, mean, median, p90, p99,
// min, max, missing, anomalies, then the totals) over all requests or a subset, and the
// distribution plots: histogram or CDF of the phase selected in the table, and the median
// of every phase stacked in one bar. Qt Charts stays inside the .cpp (docs/design.md §3.4).
// Subsets over kBackgroundRows are computed on a worker thread; the newest request wins.
class StatisticsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit StatisticsPanel(QWidget *parent = nullptr);
    ~StatisticsPanel() override;

    // nullptr clears the panel. Never waits: a computation still running on the previous
    // snapshot finishes on it and is dropped.
    void setTable(std::shared_ptr<const RequestTable> table);
    // Statistics follow a subset (selection or visible range); nullptr = all requests. The
    // rows are copied. `scope` is shown above the table, e.g. "selection: 3 requests".
    void setRows(const std::vector<int> *rows, const QString &scope);

    // Server histograms (Prometheus) shown on their own tab beside the request statistics;
    // empty hides the tab. With no requests, the histograms tab is the one shown.
    void setDistributions(const QVector<HistogramDistribution> &distributions);
    class DistributionsView *distributionsView() const;
    // The distribution of a time range chosen in the intervals view, on a tab of its own shown
    // while there are interval series; with no requests, it is the tab shown.
    void setIntervalsShown(bool shown);
    void showIntervalRange(); // brings that tab to the front
    class IntervalRangeView *intervalRangeView() const;

    // The statistics on display (the last computation that finished, not a stale one).
    const StatisticsReport &report() const;
    // True while a worker thread computes statistics that will replace report().
    bool isUpdating() const;

    // Renders the distribution plots (not the table) into `target`, laid out at exactly its
    // logical size, for PNG/SVG export. The caller fills the background.
    void renderPlots(QPainter &painter, const QRect &target);
    // The widget renderPlots() draws, for "export the plots".
    QWidget *plotsWidget() const;

Q_SIGNALS:
    // report() and the plots changed (after setTable/setRows, possibly asynchronously).
    void statisticsUpdated();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Phaseline
