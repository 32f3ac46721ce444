#pragma once

#include "analysis/metricsintervals.h"

#include <QWidget>

#include <array>
#include <vector>

namespace Phaseline {

// Per-interval phases from /metrics scrapes (issue 14): one row per series on a shared wall-clock
// axis, each interval a stacked bar of its queue, prefill and decode means as wide as the interval
// really was, the TTFT and e2e means as ticks, requests finished per interval as a line on the right axis.
// Gaps between intervals (no scrape) are shaded, counter resets drawn as a break. With more
// intervals than pixel columns, the intervals of a column are pooled (count-weighted means, the
// exact means of that stretch). Drag selects a time range (rangeSelected), snapped per series to
// whole intervals. The same render() serves the screen, PNG and SVG.
class IntervalView : public QWidget
{
    Q_OBJECT
public:
    explicit IntervalView(QWidget *parent = nullptr);

    static constexpr int kTracked = 5; // queue, prefill, decode, ttft, e2e

    // `keepView`: a live update; the view keeps its range, or follows the newest intervals when it
    // showed the end. Otherwise the whole time span is shown and the selection cleared.
    void setSeries(const QVector<IntervalSeries> &series, bool keepView = false);
    const QVector<IntervalSeries> &series() const { return m_series; }
    bool isEmpty() const;

    // Time span of all intervals, and the visible part of it (ms since the epoch).
    qint64 dataStartMs() const { return m_dataStartMs; }
    qint64 dataEndMs() const { return m_dataEndMs; }
    double viewStartMs() const { return m_viewStartMs; }
    double viewEndMs() const { return m_viewEndMs; }
    void setViewRange(double startMs, double endMs);
    void resetZoom();
    bool isAggregated() const;
    QString headerText() const;

    // Selection: a time range, each series' share snapped to the intervals whose middle lies in it.
    void selectRange(double startMs, double endMs);
    void clearSelection();
    bool hasSelection() const { return m_selectionEndMs > m_selectionStartMs; }
    double selectionStartMs() const { return m_selectionStartMs; }
    double selectionEndMs() const { return m_selectionEndMs; }
    // Intervals [first, last] of `series` in the selection; false when it holds none of them.
    bool selectedIntervals(int series, int *first, int *last) const;

    void render(QPainter &painter, const QRect &target, bool forExport) const;

    // Hit testing, also used by the tests. With aggregated columns, `index` is the column's first
    // interval and `count` how many intervals the column pools.
    bool intervalAt(const QPoint &pos, int *series, int *index, int *count = nullptr) const;
    QPoint intervalCenter(int series, int index) const;
    QString toolTipAt(const QPoint &pos) const;
    QRect plotRect(int series) const;
    double timeAtX(double x) const;

    // What one drawn bar says (its hover numbers): the intervals it stands for, the requests that
    // finished in them (NaN: unknown), and per drawnPhases() the mean in ms (NaN: nothing observed).
    struct DrawnBar
    {
        int first = 0, count = 0;
        double requests = 0;
        std::array<double, kTracked> meanMs{};
    };
    // The bars of `series` at the view's present size and range, left to right.
    std::vector<DrawnBar> drawnBars(int series) const;
    // Queue, prefill, decode (stacked, bottom up), then TTFT and e2e (ticks).
    static const QStringList &drawnPhases();
    // The phases stacked in the bars, bottom up.
    static const QStringList &stackedPhases();
    static QString phaseTitle(const QString &phase);

Q_SIGNALS:
    void rangeSelected(); // also when the selection is cleared
    void visibleRangeChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    // One series, columnar: what drawing needs, resolved once (phase lookups by name are slow).
    struct Track
    {
        std::vector<qint64> start, end;
        std::vector<int> segment;
        std::vector<double> requests;
        std::array<std::vector<double>, kTracked> count, sum; // per tracked phase
        std::array<bool, kTracked> present{};
        int size() const { return int(start.size()); }
    };
    // What one drawn bar stands for: one interval, or the intervals pooled in a pixel column.
    struct Bar
    {
        double left = 0, right = 0; // x
        int first = 0, count = 0;   // intervals
        double requests = 0;        // finished, summed over the intervals that say
        int counted = 0;            // intervals that say how many requests finished
        std::array<double, kTracked> observed{}, sum{}; // per tracked phase
        bool newSegment = false; // the first interval follows a counter reset
        double meanMs(int phase) const { return observed[size_t(phase)] > 0 ? sum[size_t(phase)] / observed[size_t(phase)] * 1e3 : -1; }
    };
    struct Geometry
    {
        QRect header;
        std::vector<std::pair<int, QRect>> legendItems; // item, swatch + text
        std::vector<QRect> rows;  // per series: title line + plot
        std::vector<QRect> plots; // per series
    };

    Geometry layout(const QRect &target) const;
    const std::vector<Bar> &bars(int series, const QRect &plot) const;
    void visibleIndexRange(int series, int *first, int *last) const;
    double toX(double ms, const QRect &plot) const;
    double xToTime(double x, const QRect &plot) const;
    bool aggregatedIn(const QRect &plot) const;
    QString headerText(const QRect &plot) const;
    QString intervalToolTip(int series, int index) const;
    QString columnToolTip(int series, const Bar &bar) const;
    void drawTimeAxis(QPainter &painter, const QRect &plot, bool labels, const QColor &text, const QColor &grid) const;
    static QString legendTitle(int item);
    void zoomAt(double factor, double anchorX);
    void panBy(double fraction);

    QVector<IntervalSeries> m_series;
    std::vector<Track> m_tracks;
    qint64 m_dataStartMs = 0, m_dataEndMs = 0;
    double m_viewStartMs = 0, m_viewEndMs = 0;
    double m_selectionStartMs = 0, m_selectionEndMs = 0;
    quint64 m_revision = 0;

    // Bars per series for the last (view range, plot width) asked: the expensive part at 86,400 intervals.
    struct BarCache
    {
        quint64 revision = ~0ull;
        double start = 0, end = 0;
        int left = 0, width = 0;
        std::vector<Bar> bars;
    };
    mutable std::vector<BarCache> m_barCache;

    int m_hoverSeries = -1, m_hoverIndex = -1;
    QPoint m_pressPos;
    bool m_pressed = false;
    bool m_zoomDrag = false; // Shift+drag zooms to the range instead of selecting it
    QPoint m_dragEnd;
};

} // namespace Phaseline
