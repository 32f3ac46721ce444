#pragma once

#include "core/jobtracker.h"
#include "timeline/concurrencypass.h"
#include "timeline/lanespass.h"
#include "timeline/overviewpass.h"
#include "timeline/timelinestate.h"
#include "zoomcontrol.h"
#include "analysis/stepclock.h"
#include "analysis/timelinelayout.h"

#include <QWidget>

#include <memory>
#include <vector>

namespace Phaseline {

class RequestSelection;
struct TimelineAxis;
struct TimelineFrame;
struct TimelineGeometry;

// Requests where they happened on one clock: lanes grouped by server (disagg router,
// context servers, generation servers), phases coloured as in the breakdown, a
// concurrency strip, a time ruler and an overview of the whole run. Dense views are
// rasterised (coverage per pixel, the dominant phase's colour); zoomed-in views draw
// exact rectangles and, for TensorRT-LLM records with per-step detail, the steps.
// The same render() serves the screen, PNG and SVG. The view holds the state and the input;
// the strips are drawn by render passes (ui/timeline/), the time window kept by a ZoomControl.
class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(RequestSelection *selection, QWidget *parent = nullptr);
    ~TimelineView() override;

    // An `update` (a live source's newer table) never blanks a shown timeline: its layout and
    // table stay until the new layout is ready, and a zoomed-in view keeps its window.
    // Never waits: a layout still running for an older table finishes on it and is dropped.
    void setTable(std::shared_ptr<const RequestTable> table, bool update = false);
    // The clock domain shown (TimelineLayout::clockDomains); the largest by default.
    void setClock(const QString &clock);
    void setPacking(TimelineLayout::Packing packing);
    const TimelineLayout &layout() const { return m_state.layout; }
    // Lays out large tables on a worker thread (the view shows "laying out" meanwhile);
    // this waits for it, or lays out now when the view was hidden. Export and tests call it.
    void waitForLayout();
    bool isLayingOut() const;
    // An update is being laid out: what is shown (and visibleRows()) is of the older table.
    bool isUpdating() const { return m_pendingTable != nullptr; }

    // Visible time window, seconds relative to the table's origin: the zoom control's visible
    // range (its trace is the run with a margin; its selection a band being dragged).
    double viewStart() const { return m_zoom.visibleStart(); }
    double viewEnd() const { return m_zoom.visibleEnd(); }
    const ZoomControl &zoomControl() const { return m_zoom; }
    void setViewRange(double start, double end);
    void resetZoom();
    // Fits the view to the selected requests (Z).
    void zoomToSelection();
    // Zooms by `factor` (< 1 zooms in) keeping the time under widget x fixed.
    void zoomAt(double factor, double x);
    double timeAtX(double x) const;
    double xOfTime(double t) const;
    // Rows of requests with a part in the visible window.
    std::vector<int> visibleRows() const;

    void render(QPainter &painter, const QRect &target, bool forExport) const;

    // Hit testing (also for tests): the part under a point, or -1; its tooltip.
    int partAt(const QPoint &pos) const;
    QPoint partCenter(int part) const;
    QString toolTipAt(const QPoint &pos) const;

Q_SIGNALS:
    void visibleRangeChanged();
    void layoutReady();

protected:
    void showEvent(QShowEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    TimelineGeometry geometryFor(const QRect &target) const;
    TimelineFrame frameFor(const TimelineGeometry &geometry) const;
    TimelineAxis axis() const;
    void paintStatus(QPainter &painter, const QRect &target) const;
    void scrollLanes(double pixels);
    void zoomLanes(double steps, double y);
    void rebuildLayout();
    void adopt(std::shared_ptr<TimelineState> state);
    void changed();
    void updateBand(const QPoint &end);
    void finishBand(const QPoint &end);
    void clickAt(const QPoint &pos, Qt::KeyboardModifiers modifiers);

    RequestSelection *m_selection;
    std::shared_ptr<const RequestTable> m_table;
    // A newer table being laid out while the older one stays shown (an update).
    std::shared_ptr<const RequestTable> m_pendingTable;
    QString m_clock;
    TimelineLayout::Packing m_packing = TimelineLayout::Packing::Packed;
    TimelineState m_state;
    quint64 m_revision = 0;   // bumped per build: keys the raster cache
    bool m_stale = false;     // the table changed while the view was hidden
    bool m_building = false;  // a worker builds the state; not adopted yet
    JobTracker<std::shared_ptr<TimelineState>> m_build;
    ZoomControl m_zoom;
    double m_laneZoom = 1;   // lane height over the height that fits every lane
    double m_laneScroll = 0; // requested vertical scroll of the lanes, in pixels

    // Render passes that keep caches between frames (render() is const: they are mutable).
    mutable OverviewPass m_overviewPass;
    mutable ConcurrencyPass m_concurrencyPass;
    mutable LanesPass m_lanesPass;

    int m_hoverPart = -1;
    QPoint m_pressPos;
    double m_pressViewStart = 0;
    bool m_dragging = false;
    enum class DragMode { Pan, ZoomBand, SelectBand, Overview } m_dragMode = DragMode::Pan;
};

} // namespace Phaseline
