#pragma once

#include "breakdown/breakdownframe.h"
#include "breakdown/columnimage.h"
#include "analysis/breakdownmodel.h"
#include "core/jobtracker.h"
#include "zoomcontrol.h"

#include <QWidget>

#include <memory>
#include <vector>

namespace Phaseline {

class RequestSelection;

// One stacked bar per request, drawn with QPainter (Qt Charts costs seconds and
// gigabytes at 100k bars). With more requests than pixel columns it draws a median
// stack per column with a p99 marker and says so; zooming in returns to single bars.
// The y axis fits the median stacks (the point of the view) unless asked to fit the
// p99 marks too; marks above the axis are drawn as carets at its top edge.
// The same render() serves the screen, PNG and SVG export. The view holds the state and the
// input; render passes (ui/breakdown/) draw, a ZoomControl over display positions keeps the
// visible range.
class BreakdownView : public QWidget
{
    Q_OBJECT
public:
    explicit BreakdownView(RequestSelection *selection, QWidget *parent = nullptr);
    ~BreakdownView() override;

    // Large tables are prepared on a worker thread (the view says so meanwhile); modelReady()
    // follows. waitForModel() blocks until then (export, tests). An `update` (a live source's
    // newer table) never blanks the view: the table shown stays until the new one is ready,
    // and a zoomed-in view keeps its range. Never waits: a build still running for an older
    // table finishes on it and is dropped.
    void setTable(std::shared_ptr<const RequestTable> table, bool update = false);
    void waitForModel();
    bool isPreparing() const;
    // An update is being prepared: what is shown (and visibleRows()) is of the older table.
    bool isUpdating() const { return m_build.isBusy() && !isPreparing(); }
    const BreakdownModel &model() const { return m_model; }

    void setMode(BreakdownModel::Mode mode);
    void setOrder(BreakdownModel::Order order, int layer = -1);
    void setLayerShown(int layer, bool shown);
    void setLogScale(bool logScale);
    bool logScale() const { return m_logScale; }
    void setScaleIncludesP99(bool include);
    bool scaleIncludesP99() const { return m_scaleIncludesP99; }
    // The y axis as drawn at the widget's size: its top in ms, and how many aggregated
    // columns have their p99 mark above it (drawn clipped, as carets).
    double axisMaxMs() const;
    int clippedP99Count() const;
    QRect plotRect() const;

    // Visible part of the display order, in (fractional) bar units.
    double viewStart() const { return m_zoom.visibleStart(); }
    double viewCount() const { return m_zoom.visibleSpan(); }
    const ZoomControl &zoomControl() const { return m_zoom; }
    void setViewRange(double start, double count);
    void resetZoom();
    bool isAggregated() const;
    // The line above the legend: how many requests, their order, the mode and how they are drawn.
    QString headerText() const;
    std::vector<int> visibleRows() const;

    // Paints the view into `target` (screen, PNG or SVG); interaction overlays are
    // left out when `forExport` is set.
    void render(QPainter &painter, const QRect &target, bool forExport) const;

    // Hit testing, also used by the tests: the table row under a point (-1 if none),
    // the centre of the bar at a display position, the tooltip text at a point.
    int rowAt(const QPoint &pos) const;
    QPoint barCenter(int orderIndex) const;
    QString toolTipAt(const QPoint &pos) const;
    QRect legendItemRect(int layer) const;
    double indexAtX(double x) const; // display position (fractional) under a widget x
    // How often the aggregated columns' pixels were rebuilt (a hover or selection repaint reuses them).
    int columnImageBuildCount() const { return m_columnImage.buildCount(); }

Q_SIGNALS:
    void visibleRangeChanged();
    void modelReady();
    void layerToggled(int layer, bool shown);

protected:
    void paintEvent(QPaintEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    BreakdownIdLabels idLabels(int plotWidth) const;
    BreakdownGeometry layout(const QRect &target) const;
    BreakdownScale scaleFor(const QRect &plot) const;
    bool isAggregatedIn(const QRect &plot) const;
    int clippedP99Count(const QRect &plot, const BreakdownScale &scale) const;
    void paintStatus(QPainter &painter, const QRect &target, const QColor &text) const;
    const std::vector<BreakdownModel::ColumnSummary> &columns(int width) const;
    void visibleIndexRange(int *first, int *last) const;
    QString headerText(const QRect &plot, int visible) const;
    void zoomAt(double factor, double anchorX);
    void panBy(double bars);
    void changed();
    // A model built for a table, with the column aggregates of its whole run at the plot width
    // it was built for (the first frame's work, done with the model on the worker).
    struct PreparedModel
    {
        std::shared_ptr<BreakdownModel> model;
        std::vector<BreakdownModel::ColumnSummary> columns;
        int width = 0; // 0: no aggregates (few requests)
    };
    void adoptModel(PreparedModel prepared);
    int xOfIndex(const QRect &plot, double index) const;
    void updateBand(const QPoint &end);
    void finishBand(const QPoint &end);
    void clickAt(const QPoint &pos, bool extend);

    RequestSelection *m_selection;
    BreakdownModel m_model;
    JobTracker<PreparedModel> m_build;
    int m_pendingRows = 0; // rows of a table being prepared
    bool m_update = false; // the model coming is an update of the table shown
    bool m_logScale = false;
    bool m_scaleIncludesP99 = false;
    ZoomControl m_zoom; // trace: every display position; selection: the band being dragged

    // Column aggregates are the expensive part: recomputed only when what they depend on changes.
    mutable std::vector<BreakdownModel::ColumnSummary> m_columns;
    mutable quint64 m_columnsKey[4] = {~0ull, 0, 0, 0};
    mutable BreakdownColumnImage m_columnImage; // their stacks as pixels, for the screen

    int m_hoverRow = -1;
    QPoint m_pressPos;
    double m_pressViewStart = 0;
    bool m_dragging = false;
    bool m_rubberBand = false;
};

} // namespace Phaseline
