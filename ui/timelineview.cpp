#include "timelineview.h"

#include "phasecolors.h"
#include "requestselection.h"
#include "timeline/legendpass.h"
#include "timeline/rulerpass.h"
#include "timeline/selectionoverlay.h"
#include "timeline/timelineframe.h"
#include "timeline/timelinetooltip.h"
#include "analysis/axisstep.h"
#include "requestdescription.h"
#include "analysis/statistics.h"

#include <QElapsedTimer>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace Phaseline {

Q_LOGGING_CATEGORY(lcTimelineFrames, "phaseline.timeline.frametime", QtWarningMsg)

namespace {

constexpr double kMinSpanSeconds = 1e-6;

} // namespace

TimelineView::TimelineView(RequestSelection *selection, QWidget *parent)
    : QWidget(parent), m_selection(selection),
      m_build([this](std::shared_ptr<TimelineState> state) { adopt(std::move(state)); })
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(400, 260);
    m_zoom.setMinimumSpan(kMinSpanSeconds);
    connect(&m_zoom, &ZoomControl::visibleRangeChanged, this, &TimelineView::changed);
    connect(&m_zoom, &ZoomControl::selectionChanged, this, qOverload<>(&QWidget::update));
    connect(m_selection, &RequestSelection::changed, this, qOverload<>(&QWidget::update));
    connect(&PhaseColors::instance(), &PhaseColors::changed, this, qOverload<>(&QWidget::update));
}

TimelineView::~TimelineView() = default;

void TimelineView::setTable(std::shared_ptr<const RequestTable> table, bool update)
{
    const auto domains = table ? TimelineLayout::clockDomains(*table) : std::vector<std::pair<QString, int>>{};
    const bool known = std::any_of(domains.begin(), domains.end(), [this](const auto &d) { return d.first == m_clock; });
    if (!known)
        m_clock = domains.empty() ? QString() : domains.front().first;
    if (update && table && table->size() > kBackgroundRows && isVisible() && m_state.layout.partCount() > 0) {
        // The layout shown indexes the rows of its own table: both stay until the new one is adopted.
        m_build.discard();
        m_pendingTable = table;
        m_build.start([table, clock = m_clock, packing = m_packing](const JobToken &) {
            std::shared_ptr<TimelineState> state = buildTimelineState(*table, clock, packing);
            state->table = table;
            return state;
        });
        return;
    }
    m_pendingTable.reset();
    m_table = std::move(table);
    rebuildLayout();
}

void TimelineView::setClock(const QString &clock)
{
    if (clock == m_clock)
        return;
    m_clock = clock;
    rebuildLayout();
}

void TimelineView::setPacking(TimelineLayout::Packing packing)
{
    if (packing == m_packing)
        return;
    m_packing = packing;
    rebuildLayout();
}

void TimelineView::rebuildLayout()
{
    // A build in flight for an older table or clock finishes on its own snapshot, dropped.
    m_build.discard();
    m_hoverPart = -1;
    if (m_pendingTable) // a new clock or packing while an update was laid out: of the newer table
        m_table = std::move(m_pendingTable);
    if (m_table && m_table->size() <= kBackgroundRows) {
        adopt(buildTimelineState(*m_table, m_clock, m_packing));
        return;
    }
    adopt(std::make_shared<TimelineState>()); // the old layout does not describe the new table
    if (!m_table)
        return;
    if (isVisible()) {
        m_stale = false;
        m_building = true;
        m_build.start([table = m_table, clock = m_clock, packing = m_packing](const JobToken &) {
            return buildTimelineState(*table, clock, packing);
        });
        update();
    } else {
        m_stale = true; // laid out when first shown: a hidden timeline costs nothing
    }
}

void TimelineView::adopt(std::shared_ptr<TimelineState> state)
{
    m_building = false;
    // A new packing of the same run keeps the view; so does an update of a zoomed-in view;
    // anything else starts from the whole run.
    const bool sameRun = m_state.layout.partCount() > 0 && state->layout.partCount() > 0
                         && m_state.layout.runStart() == state->layout.runStart()
                         && m_state.layout.runEnd() == state->layout.runEnd();
    const bool update = state->table != nullptr;
    const double shownStart = viewStart(), shownEnd = viewEnd();
    const bool zoomed = m_state.layout.partCount() > 0
                        && (shownStart > m_state.layout.runStart() || shownEnd < m_state.layout.runEnd());
    if (update) {
        m_table = std::move(state->table);
        m_pendingTable.reset();
    }
    m_state = std::move(*state);
    ++m_revision;
    m_lanesPass.invalidate();
    m_overviewPass.invalidate();
    if (sameRun) {
        changed();
    } else {
        // The run with a margin is the trace; a new one shows whole, an update keeps a zoomed window.
        const double runStart = m_state.layout.runStart(), runEnd = m_state.layout.runEnd();
        const double pad = std::max((runEnd - runStart) * 0.02, 1e-3);
        m_zoom.setTrace(runStart - pad, runEnd + pad);
        if (update && zoomed)
            setViewRange(shownStart, shownEnd);
        if (viewStart() == shownStart && viewEnd() == shownEnd)
            changed(); // same window, new content
    }
    if (m_state.layout.partCount() > 0 || !m_table)
        Q_EMIT layoutReady();
}

void TimelineView::waitForLayout()
{
    if (m_stale && m_table) {
        m_stale = false;
        adopt(buildTimelineState(*m_table, m_clock, m_packing));
        return;
    }
    m_build.finishNow();
}

bool TimelineView::isLayingOut() const
{
    return m_stale || m_building; // until the result is adopted, not just computed
}

void TimelineView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        rebuildLayout();
}

void TimelineView::changed()
{
    update();
    Q_EMIT visibleRangeChanged();
}

void TimelineView::setViewRange(double start, double end)
{
    m_zoom.setVisibleRange(start, end);
}

void TimelineView::resetZoom()
{
    m_zoom.showWholeTrace();
}

TimelineAxis TimelineView::axis() const
{
    return TimelineAxis{viewStart(), viewEnd(), double(std::max(1, width() - kTimelineGutter - kTimelineRightMargin))};
}

double TimelineView::timeAtX(double x) const
{
    return axis().timeAtX(x);
}

double TimelineView::xOfTime(double t) const
{
    return axis().xOfTime(t);
}

void TimelineView::zoomToSelection()
{
    double start = std::numeric_limits<double>::infinity(), end = -start;
    for (int row : m_selection->rows()) {
        const auto [begin, last] = m_state.layout.partsOfRow(row);
        for (const quint32 *p = begin; p != last; ++p) {
            start = std::min(start, m_state.layout.partStart(int(*p)));
            end = std::max(end, m_state.layout.partEnd(int(*p)));
        }
    }
    if (end < start)
        return;
    const double margin = std::max((end - start) * 0.05, kMinSpanSeconds);
    setViewRange(start - margin, end + margin);
}

void TimelineView::zoomAt(double factor, double x)
{
    m_zoom.zoomAbout(timeAtX(x), factor);
}

std::vector<int> TimelineView::visibleRows() const
{
    return m_state.layout.rowsBetween(viewStart(), viewEnd());
}

TimelineGeometry TimelineView::geometryFor(const QRect &target) const
{
    return TimelineGeometry(m_state.layout, target, fontMetrics().height(), m_laneZoom, m_laneScroll);
}

// Only with a table (render() checks).
TimelineFrame TimelineView::frameFor(const TimelineGeometry &geometry) const
{
    return TimelineFrame{m_state, *m_table, geometry, palette(), font(), axis(), m_revision};
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    render(painter, rect(), false);
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    m_overviewPass.invalidate();
    QWidget::resizeEvent(event);
}

// Instead of the timeline: that it is being laid out, or why there is none.
void TimelineView::paintStatus(QPainter &painter, const QRect &target) const
{
    if (m_table && isLayingOut()) {
        painter.drawText(target, Qt::AlignCenter, tr("Laying out %1 requests on the timeline…").arg(m_table->size()));
        return;
    }
    QString message = tr("No requests with wall-clock stamps to place on a timeline.");
    if (m_state.layout.rowsWithoutWallClock() > 0)
        message += tr("\n%1 requests have durations only (no wall clock); the breakdown view shows them.")
                       .arg(m_state.layout.rowsWithoutWallClock());
    painter.drawText(target, Qt::AlignCenter, m_table ? message : tr("Open a file to see its timeline."));
}

void TimelineView::render(QPainter &painter, const QRect &target, bool forExport) const
{
    QElapsedTimer timer;
    timer.start();
    painter.save();
    painter.fillRect(target, palette().base());
    painter.setPen(palette().text().color());
    if ((m_table && isLayingOut()) || !m_table || m_state.layout.partCount() == 0) {
        paintStatus(painter, target);
        painter.restore();
        return;
    }
    const TimelineGeometry geometry = geometryFor(target);
    const TimelineFrame frame = frameFor(geometry);
    LegendPass::paintTitle(painter, frame, m_clock);
    m_overviewPass.paint(painter, frame);
    RulerPass::paint(painter, frame);
    m_concurrencyPass.paint(painter, frame);
    m_lanesPass.paint(painter, frame, forExport);
    if (!forExport) {
        TimelineOverlay overlay{m_selection->rows(), m_hoverPart};
        if (m_dragging && m_zoom.hasSelection()
            && (m_dragMode == DragMode::ZoomBand || m_dragMode == DragMode::SelectBand)) {
            overlay.band = m_dragMode == DragMode::ZoomBand ? TimelineOverlay::Band::Zoom : TimelineOverlay::Band::Select;
            overlay.bandX0 = int(std::lround(frame.xOfTime(m_zoom.selectionStart())));
            overlay.bandX1 = int(std::lround(frame.xOfTime(m_zoom.selectionEnd())));
        }
        SelectionOverlay::paint(painter, frame, overlay);
    }
    LegendPass::paintLegend(painter, frame);
    painter.restore();
    qCDebug(lcTimelineFrames) << "frame painted in" << double(timer.nsecsElapsed()) / 1e6 << "ms";
}

int TimelineView::partAt(const QPoint &pos) const
{
    const TimelineGeometry geometry = geometryFor(rect());
    if (!geometry.lanes.contains(pos))
        return -1;
    const int lane = geometry.laneAtY(pos.y());
    const double secondsPerPixel = (viewEnd() - viewStart()) / geometry.lanes.width();
    return m_state.layout.partAt(lane, timeAtX(pos.x()), 2 * secondsPerPixel);
}

QPoint TimelineView::partCenter(int part) const
{
    const TimelineGeometry geometry = geometryFor(rect());
    const double x0 = std::max<double>(geometry.lanes.left(), xOfTime(m_state.layout.partStart(part)));
    const double x1 = std::min<double>(geometry.lanes.right(), xOfTime(m_state.layout.partEnd(part)));
    const int lane = m_state.layout.partLane(part);
    return QPoint(int((x0 + x1) / 2), int(geometry.laneTop(lane) + geometry.laneHeightOf(lane) / 2));
}

QString TimelineView::toolTipAt(const QPoint &pos) const
{
    const int part = partAt(pos);
    return part >= 0 ? TimelineToolTip::forPart(m_state, *m_table, m_clock, part, timeAtX(pos.x())) : QString();
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    m_pressViewStart = viewStart();
    m_dragging = false;
    m_zoom.clearSelection();
    if (geometryFor(rect()).overview.contains(m_pressPos))
        m_dragMode = DragMode::Overview;
    else if (event->modifiers() & Qt::ShiftModifier)
        m_dragMode = DragMode::ZoomBand;
    else if (event->modifiers() & Qt::ControlModifier)
        m_dragMode = DragMode::SelectBand;
    else
        m_dragMode = DragMode::Pan;
    if (m_dragMode == DragMode::Overview)
        mouseMoveEvent(event);
}

void TimelineView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->buttons() & Qt::LeftButton) {
        if ((pos - m_pressPos).manhattanLength() > 3)
            m_dragging = true;
        const TimelineGeometry geometry = geometryFor(rect());
        const double span = viewEnd() - viewStart();
        switch (m_dragMode) {
        case DragMode::Overview: {
            const TimelineLayout &layout = m_state.layout;
            const double t = layout.runStart()
                             + (pos.x() - geometry.overview.left()) / double(geometry.overview.width())
                                   * (layout.runEnd() - layout.runStart());
            setViewRange(t - span / 2, t + span / 2);
            break;
        }
        case DragMode::Pan:
            if (m_dragging) {
                const double start = m_pressViewStart - (pos.x() - m_pressPos.x()) * (span / geometry.lanes.width());
                setViewRange(start, start + span);
            }
            break;
        case DragMode::ZoomBand:
        case DragMode::SelectBand: updateBand(pos); break;
        }
        return;
    }
    const int part = partAt(pos);
    if (part != m_hoverPart) {
        m_hoverPart = part;
        update();
    }
    if (part < 0)
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(),
                           TimelineToolTip::forPart(m_state, *m_table, m_clock, part, timeAtX(pos.x())), this);
}

// The band between the press and `end` is the zoom control's selection (inside the visible window).
void TimelineView::updateBand(const QPoint &end)
{
    m_zoom.setSelection(timeAtX(m_pressPos.x()), timeAtX(end.x()));
    update();
}

void TimelineView::finishBand(const QPoint &end)
{
    updateBand(end);
    if (!m_zoom.hasSelection())
        return;
    const double t0 = m_zoom.selectionStart(), t1 = m_zoom.selectionEnd();
    m_zoom.clearSelection();
    if (m_dragMode == DragMode::ZoomBand)
        setViewRange(t0, t1);
    else
        m_selection->setRows(m_state.layout.rowsBetween(t0, t1)); // every request with a part in the band
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const bool dragged = m_dragging;
    m_dragging = false;
    if (event->button() != Qt::LeftButton)
        return;
    if ((m_dragMode == DragMode::ZoomBand || m_dragMode == DragMode::SelectBand) && dragged) {
        finishBand(pos);
        return;
    }
    m_zoom.clearSelection();
    if (dragged || m_dragMode == DragMode::Overview)
        return;
    clickAt(pos, event->modifiers());
}

// A click selects the request under it (Ctrl toggles it in the selection); elsewhere, clears.
void TimelineView::clickAt(const QPoint &pos, Qt::KeyboardModifiers modifiers)
{
    const int part = partAt(pos);
    if (modifiers & Qt::ControlModifier) {
        if (part < 0)
            return;
        std::vector<int> rows = m_selection->rows();
        const int row = m_state.layout.partRow(part);
        const auto at = std::find(rows.begin(), rows.end(), row);
        if (at == rows.end())
            rows.push_back(row);
        else
            rows.erase(at);
        m_selection->setRows(std::move(rows));
    } else if (part >= 0) {
        m_selection->selectOnly(m_state.layout.partRow(part));
    } else {
        m_selection->clear();
    }
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent *event)
{
    // Zoom to the request under the cursor (its steps show when it is wide enough).
    const int part = partAt(event->position().toPoint());
    if (part < 0)
        return;
    const double start = m_state.layout.partStart(part), end = m_state.layout.partEnd(part);
    const double margin = std::max((end - start) * 0.1, kMinSpanSeconds);
    setViewRange(start - margin, end + margin);
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    // Some platforms turn Shift+wheel into a horizontal wheel: take whichever axis moved.
    const QPoint delta = event->angleDelta();
    const double steps = (delta.y() != 0 ? delta.y() : delta.x()) / 120.0;
    const QPointF pos = event->position();
    if (event->modifiers() & Qt::ControlModifier) {
        zoomAt(std::pow(0.8, steps), pos.x());
    } else if (event->modifiers() & Qt::ShiftModifier) {
        zoomLanes(steps, pos.y());
    } else if (pos.x() < kTimelineGutter) {
        scrollLanes(-steps * 3 * fontMetrics().height()); // over the server labels: scroll the lanes
    } else {
        const double horizontal = delta.x() != 0 ? delta.x() / 120.0 : steps;
        m_zoom.panBy(-horizontal * (viewEnd() - viewStart()) * 0.1);
    }
    event->accept();
}

// Taller or shorter lanes, keeping the lane under `y` where it is.
void TimelineView::zoomLanes(double steps, double y)
{
    const TimelineGeometry before = geometryFor(rect());
    const int lane = before.laneAtY(y);
    const double within = lane >= 0 ? (y - before.laneTop(lane)) / before.laneHeightOf(lane) : 0;
    m_laneZoom = std::clamp(m_laneZoom * std::pow(1.25, steps), 1.0, 1e4);
    if (lane >= 0) {
        const TimelineGeometry after = geometryFor(rect());
        scrollLanes(after.laneTop(lane) + within * after.laneHeightOf(lane) - y);
    }
    update();
}

void TimelineView::scrollLanes(double pixels)
{
    const TimelineGeometry geometry = geometryFor(rect());
    m_laneScroll = std::clamp(geometry.scroll + pixels, 0.0, std::max(0.0, geometry.contentHeight - geometry.lanes.height()));
    m_hoverPart = -1;
    update();
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const QPoint cursor = mapFromGlobal(QCursor::pos());
    const double anchor = rect().contains(cursor) && cursor.x() > kTimelineGutter ? cursor.x()
                                                                                  : geometryFor(rect()).lanes.center().x();
    const double span = viewEnd() - viewStart();
    switch (event->key()) {
    case Qt::Key_Home:
        m_laneZoom = 1;
        m_laneScroll = 0;
        resetZoom();
        update(); // the lanes' height, even when the window was whole already
        break;
    case Qt::Key_Z: zoomToSelection(); break;
    case Qt::Key_PageUp: scrollLanes(-geometryFor(rect()).lanes.height() * 0.9); break;
    case Qt::Key_PageDown: scrollLanes(geometryFor(rect()).lanes.height() * 0.9); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_W: zoomAt(0.8, anchor); break;
    case Qt::Key_Minus:
    case Qt::Key_S: zoomAt(1.25, anchor); break;
    case Qt::Key_Left:
    case Qt::Key_A: m_zoom.panBy(-span * 0.1); break;
    case Qt::Key_Right:
    case Qt::Key_D: m_zoom.panBy(span * 0.1); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

void TimelineView::leaveEvent(QEvent *)
{
    if (m_hoverPart >= 0) {
        m_hoverPart = -1;
        update();
    }
}

} // namespace Phaseline
