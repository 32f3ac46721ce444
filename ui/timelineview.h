#pragma once

#include "jobtracker.h"
#include "stepclock.h"
#include "timelinelayout.h"

#include <QImage>
#include <QWidget>

#include <memory>
#include <vector>

namespace Phaseline {

class PhaseResolver;
class RequestSelection;

// Requests where they happened on one clock: lanes grouped by server (disagg router,
// context servers, generation servers), phases coloured as in the breakdown, a
// concurrency strip, a time ruler and an overview of the whole run. Dense views are
// rasterised (coverage per pixel, the dominant phase's colour); zoomed-in views draw
// exact rectangles and, for TensorRT-LLM records with per-step detail, the steps.
// The same render() serves the screen, PNG and SVG.
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

    // Visible time window, seconds relative to the table's origin.
    double viewStart() const { return m_viewStart; }
    double viewEnd() const { return m_viewEnd; }
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
    struct Geometry
    {
        QRect title, overview, ruler, concurrency, lanes, legend;
        double laneHeight = 0;    // the smallest lane height (may be below one pixel)
        std::vector<double> groupLaneHeight; // lane height in each group
        double contentHeight = 0; // all lanes; above lanes.height() they scroll
        double scroll = 0;        // pixels of lanes scrolled off the top
        std::vector<double> groupTop; // y of each group's first lane
    };
public:
    struct Segment
    {
        int phase; // catalogue index
        double start, end;
    };
    // Everything derived from (table, clock, packing); built off the UI thread.
    struct State
    {
        TimelineLayout layout;
        std::vector<ConcurrencySeries> concurrency;
        std::unique_ptr<PhaseResolver> resolver;
        std::vector<bool> phaseShown;   // per catalogue phase: drawn on some part
        // Nesting of the layout's phases (indexes into layout.phases()): its parent, if any, and
        // its children. Which of them a part draws: childrenReplaceParent.
        std::vector<int> parentOf;
        std::vector<std::vector<int>> childrenOf;
        std::vector<quint8> dominant;   // per part: catalogue index of its longest phase (255 = none)
        std::vector<double> durationPrefix; // per part + 1, in lane order: sums of part durations
        StepClockCorrection stepClock;
        std::vector<quint32> stepBegin; // per table row + 1, into stepOrder
        std::vector<quint32> stepOrder; // step table rows, grouped by request
        std::shared_ptr<const RequestTable> table; // what an update's layout describes
    };

private:

    Geometry geometryFor(const QRect &target) const;
    double laneTop(const Geometry &geometry, int lane) const;
    double laneHeightOf(const Geometry &geometry, int lane) const;
    bool isLaneVisible(const Geometry &geometry, int lane) const;
    void scrollLanes(double pixels);
    int laneAtY(const Geometry &geometry, double y) const;
    void rebuildLayout();
    void adopt(std::shared_ptr<State> state);
    void changed();
    // The part's phases as drawn: later (finer) phases over earlier ones, clipped so
    // pieces never overlap.
    int segmentsOf(int part, Segment *out) const;
    int dominantPhase(int part) const;
    void paintTitle(QPainter &painter, const Geometry &geometry) const;
    void paintOverview(QPainter &painter, const Geometry &geometry) const;
    void paintRuler(QPainter &painter, const Geometry &geometry) const;
    void paintConcurrency(QPainter &painter, const Geometry &geometry) const;
    void paintLanes(QPainter &painter, const Geometry &geometry, bool forExport) const;
    void paintExactParts(QPainter &painter, const Geometry &geometry) const;
    void paintSteps(QPainter &painter, int part, const QRectF &band) const;
    void paintOverlays(QPainter &painter, const Geometry &geometry) const;
    void paintLegend(QPainter &painter, const Geometry &geometry) const;
    void rasterLanes(const Geometry &geometry, qreal devicePixelRatio, QImage &image) const;
    QString partToolTip(int part, double t) const;

    RequestSelection *m_selection;
    std::shared_ptr<const RequestTable> m_table;
    // A newer table being laid out while the older one stays shown (an update).
    std::shared_ptr<const RequestTable> m_pendingTable;
    QString m_clock;
    TimelineLayout::Packing m_packing = TimelineLayout::Packing::Packed;
    State m_state;
    quint64 m_revision = 0;   // bumped per build: keys the raster cache
    bool m_stale = false;     // the table changed while the view was hidden
    bool m_building = false;  // a worker builds the state; not adopted yet
    JobTracker<std::shared_ptr<State>> m_build;
    double m_viewStart = 0, m_viewEnd = 1;
    double m_laneZoom = 1;   // lane height over the height that fits every lane
    double m_laneScroll = 0; // requested vertical scroll of the lanes, in pixels

    // Dense lanes are rasterised once per view state; hover and selection repaint over it.
    mutable QImage m_raster;
    mutable QString m_rasterKey;
    mutable QImage m_overview;
    mutable std::vector<std::vector<int>> m_concurrencyValues; // per series, per pixel column
    mutable QString m_concurrencyKey;

    int m_hoverPart = -1;
    QPoint m_pressPos;
    double m_pressViewStart = 0;
    bool m_dragging = false;
    enum class DragMode { Pan, ZoomBand, SelectBand, Overview } m_dragMode = DragMode::Pan;
    QPoint m_bandEnd;
};

} // namespace Phaseline
