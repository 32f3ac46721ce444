#include "timelineview.h"

#include "axisstep.h"
#include "phasecolors.h"
#include "phasenesting.h"
#include "requestdescription.h"
#include "requestselection.h"
#include "statistics.h"

#include <QElapsedTimer>
#include <QKeyEvent>
#include <QLoggingCategory>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QtConcurrent>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace Phaseline {

// QT_LOGGING_RULES="phaseline.timeline.frametime.debug=true" prints what each frame cost.
Q_LOGGING_CATEGORY(lcTimelineFrames, "phaseline.timeline.frametime", QtWarningMsg)

namespace {

constexpr int kTitleHeight = 20;
constexpr int kOverviewHeight = 30;
constexpr int kRulerHeight = 22;
constexpr int kConcurrencyHeight = 70; // shrinks to 44 in short views
constexpr int kLegendRows = 2;
constexpr int kGutter = 180;
constexpr int kRightMargin = 10;
constexpr double kMaxLaneHeight = 18;        // when fitting every lane into the view
constexpr double kMaxZoomedLaneHeight = 40;  // zoomed lanes: room for the steps under a request
constexpr double kGroupGap = 6;
constexpr int kExactPartLimit = 6000;  // more visible parts than this: rasterise
constexpr double kMinExactLaneHeight = 2;
constexpr double kFullDetailWidth = 6; // px; narrower parts are one colour (their longest phase)
constexpr double kStepMinWidth = 80;   // px a part needs before its steps are drawn
constexpr double kStepMinLaneHeight = 10;
constexpr double kMinSpanSeconds = 1e-6;
constexpr quint8 kNoPhase = 255;
constexpr quint32 kPartBackground = 0xFFC8C8C8;
constexpr int kMaxSegments = 64;

QColor colorOf(quint32 argb) { return QColor::fromRgba(argb); }

// A round step (niceCeiling) giving at least `minPixels` between ticks.
double tickStep(double secondsPerPixel, double minPixels)
{
    return niceCeiling(secondsPerPixel * minPixels);
}

// "1.25 s", "340 ms", "12.5 µs": the unit follows the tick step.
QString formatTick(double seconds, double step)
{
    double scale = 1;
    QString unit = QStringLiteral("s");
    if (step < 1e-3) {
        scale = 1e6;
        unit = QStringLiteral("µs");
    } else if (step < 1) {
        scale = 1e3;
        unit = QStringLiteral("ms");
    }
    // As many decimals as the step has: 0.25 ms steps get two, 2.5 s steps one.
    int decimals = 0;
    for (double scaled = step * scale; decimals < 6 && std::abs(scaled - std::round(scaled)) > 1e-6 * scaled; scaled *= 10)
        ++decimals;
    return QString::number(seconds * scale, 'f', decimals) + QLatin1Char(' ') + unit;
}

// Adds the coverage of [x0, x1) (pixels, fractional) to one slot of a row of pixels. With
// `solid` (a lane alone in its pixel rows), whole pixels are painted instead: the slot is
// written, later segments overwriting earlier ones, and only the two edge pixels keep
// fractional coverage (flagged in `partial`).
void addCoverage(float *coverage, int slotCount, int slot, double x0, double x1, int width, quint8 *solid,
                 quint8 *partial)
{
    x0 = std::max(0.0, x0);
    x1 = std::min(double(width), x1);
    if (!(x1 > x0))
        return;
    const int first = int(x0);
    const int last = std::min(width - 1, int(x1));
    auto edge = [&](int x, double amount) {
        coverage[x * slotCount + slot] += float(amount);
        if (partial)
            partial[x] = 1;
    };
    if (first == last) {
        edge(first, x1 - x0);
        return;
    }
    edge(first, first + 1 - x0);
    if (solid) {
        std::fill(solid + first + 1, solid + last, quint8(slot + 1));
    } else {
        for (int x = first + 1; x < last; ++x)
            coverage[x * slotCount + slot] += 1.0f;
    }
    if (last < width && x1 > last)
        edge(last, x1 - last);
}

struct Interval
{
    double start, end;
};

QRgb blend(QRgb base, QRgb over, float alpha)
{
    auto mix = [alpha](int a, int b) { return int(std::lround(a + (b - a) * alpha)); };
    return qRgb(mix(qRed(base), qRed(over)), mix(qGreen(base), qGreen(over)), mix(qBlue(base), qBlue(over)));
}

} // namespace

namespace {

bool isPhaseDrawnOn(const TimelinePhase &phase, TimelineSide side)
{
    return side == TimelineSide::Whole || side == TimelineSide::Router || phase.side == side;
}

// The part's phases as drawn. Walks phases in reverse drawing order: what a later phase
// covers, an earlier one does not get (the finer TTFT phases win over decode, children
// over their parent), so the pieces never overlap.
int drawnSegments(const TimelineView::State &state, int part, TimelineView::Segment *out)
{
    const int row = state.layout.partRow(part);
    const TimelineSide side = state.layout.partSide(part);
    const auto &phases = state.layout.phases();
    Interval covered[kMaxSegments]; // left uninitialised: this runs for every part
    int coveredCount = 0;
    int n = 0;
    auto recorded = [&](int k) {
        double start = 0, end = 0;
        return k >= 0 && state.resolver->stamps(phases[size_t(k)].phase, row, &start, &end);
    };
    for (auto it = phases.rbegin(); it != phases.rend() && n < kMaxSegments - 4; ++it) {
        if (!isPhaseDrawnOn(*it, side))
            continue;
        // A parent or its children, never both (as the breakdown and the statistics draw them).
        const size_t k = size_t(phases.rend() - it) - 1;
        if (childrenReplaceParent(state.childrenOf[k], recorded)
            || (state.parentOf[k] >= 0
                && !childrenReplaceParent(state.childrenOf[size_t(state.parentOf[k])], recorded)))
            continue;
        double start = 0, end = 0;
        if (!state.resolver->stamps(it->phase, row, &start, &end) || !(end > start))
            continue;
        double cursor = start;
        for (int c = 0; c < coveredCount && cursor < end; ++c) {
            if (covered[c].end <= cursor)
                continue;
            if (covered[c].start >= end)
                break;
            if (covered[c].start > cursor)
                out[n++] = TimelineView::Segment{it->phase, cursor, covered[c].start};
            cursor = std::max(cursor, covered[c].end);
        }
        if (cursor < end)
            out[n++] = TimelineView::Segment{it->phase, cursor, end};
        // Insert [start, end) into the sorted, disjoint covered list.
        Interval merged{start, end};
        int write = 0;
        Interval next[kMaxSegments];
        bool placed = false;
        for (int c = 0; c < coveredCount; ++c) {
            if (covered[c].end < merged.start) {
                next[write++] = covered[c];
            } else if (covered[c].start > merged.end) {
                if (!placed) {
                    next[write++] = merged;
                    placed = true;
                }
                next[write++] = covered[c];
            } else {
                merged.start = std::min(merged.start, covered[c].start);
                merged.end = std::max(merged.end, covered[c].end);
            }
        }
        if (!placed)
            next[write++] = merged;
        std::copy(next, next + write, covered);
        coveredCount = write;
    }
    return n;
}

std::shared_ptr<TimelineView::State> buildState(const RequestTable &table, const QString &clock,
                                                TimelineLayout::Packing packing)
{
    auto state = std::make_shared<TimelineView::State>();
    state->layout = TimelineLayout(table, clock, packing);
    state->concurrency = concurrencySeries(table, state->layout);
    state->resolver = std::make_unique<PhaseResolver>(table);
    const auto &phases = state->layout.phases();
    state->parentOf.assign(phases.size(), -1);
    state->childrenOf.assign(phases.size(), {});
    for (size_t p = 0; p < phases.size(); ++p) {
        const QStringList &children = table.phases().at(phases[p].phase).children;
        for (size_t c = 0; c < phases.size(); ++c) {
            if (phases[c].side == phases[p].side && children.contains(table.phases().at(phases[c].phase).name)) {
                state->parentOf[c] = int(p);
                state->childrenOf[p].push_back(int(c));
            }
        }
        // A child no part records is not laid out: it stands as -1, never recorded.
        state->childrenOf[p].resize(size_t(children.size()), -1);
    }

    // Parts narrower than a few pixels are drawn in one colour: their longest phase. The
    // legend lists every phase some part draws. Narrow runs of parts are folded per pixel
    // using the sums of their durations.
    const int parts = state->layout.partCount();
    state->dominant.assign(size_t(parts), kNoPhase);
    state->phaseShown.assign(size_t(table.phases().size()), false);
    state->durationPrefix.assign(size_t(parts) + 1, 0.0);
    TimelineView::Segment segments[kMaxSegments];
    for (int part = 0; part < parts; ++part) {
        state->durationPrefix[size_t(part) + 1] =
            state->durationPrefix[size_t(part)] + (state->layout.partEnd(part) - state->layout.partStart(part));
        const int n = drawnSegments(*state, part, segments);
        double longest = -1;
        for (int s = 0; s < n; ++s) {
            state->phaseShown[size_t(segments[s].phase)] = true;
            if (segments[s].end - segments[s].start > longest) {
                longest = segments[s].end - segments[s].start;
                state->dominant[size_t(part)] = quint8(std::min(segments[s].phase, int(kNoPhase) - 1));
            }
        }
    }

    const StepTable &steps = table.steps();
    state->stepClock = estimateStepClockOffsets(table);
    if (steps.size() > 0) {
        // Step rows grouped by request (a counting sort keeps each request's steps in order).
        state->stepBegin.assign(size_t(table.size()) + 1, 0);
        for (quint32 row : steps.request)
            ++state->stepBegin[row + 1];
        std::partial_sum(state->stepBegin.begin(), state->stepBegin.end(), state->stepBegin.begin());
        state->stepOrder.resize(steps.size());
        std::vector<quint32> next(state->stepBegin.begin(), state->stepBegin.end() - 1);
        for (size_t s = 0; s < steps.size(); ++s)
            state->stepOrder[next[steps.request[s]]++] = quint32(s);
    }
    return state;
}

} // namespace

TimelineView::TimelineView(RequestSelection *selection, QWidget *parent)
    : QWidget(parent), m_selection(selection), m_build([this](std::shared_ptr<State> state) { adopt(std::move(state)); })
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(400, 260);
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
            std::shared_ptr<State> state = buildState(*table, clock, packing);
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
        adopt(buildState(*m_table, m_clock, m_packing));
        return;
    }
    adopt(std::make_shared<State>()); // the old layout does not describe the new table
    if (!m_table)
        return;
    if (isVisible()) {
        m_stale = false;
        m_building = true;
        m_build.start([table = m_table, clock = m_clock, packing = m_packing](const JobToken &) {
            return buildState(*table, clock, packing);
        });
        update();
    } else {
        m_stale = true; // laid out when first shown: a hidden timeline costs nothing
    }
}

void TimelineView::adopt(std::shared_ptr<State> state)
{
    m_building = false;
    // A new packing of the same run keeps the view; so does an update of a zoomed-in view;
    // anything else starts from the whole run.
    const bool sameRun = m_state.layout.partCount() > 0 && state->layout.partCount() > 0
                         && m_state.layout.runStart() == state->layout.runStart()
                         && m_state.layout.runEnd() == state->layout.runEnd();
    const bool update = state->table != nullptr;
    const double viewStart = m_viewStart, viewEnd = m_viewEnd;
    const bool zoomed = m_state.layout.partCount() > 0
                        && (viewStart > m_state.layout.runStart() || viewEnd < m_state.layout.runEnd());
    if (update) {
        m_table = std::move(state->table);
        m_pendingTable.reset();
    }
    m_state = std::move(*state);
    ++m_revision;
    m_raster = QImage();
    m_rasterKey.clear();
    m_overview = QImage();
    if (update && zoomed) {
        setViewRange(viewStart, viewEnd);
        changed(); // a new layout even when the window stays put
    } else if (sameRun) {
        changed();
    } else {
        resetZoom();
    }
    if (m_state.layout.partCount() > 0 || !m_table)
        Q_EMIT layoutReady();
}

void TimelineView::waitForLayout()
{
    if (m_stale && m_table) {
        m_stale = false;
        adopt(buildState(*m_table, m_clock, m_packing));
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

int TimelineView::segmentsOf(int part, Segment *out) const
{
    return drawnSegments(m_state, part, out);
}

int TimelineView::dominantPhase(int part) const
{
    const quint8 phase = m_state.dominant[size_t(part)];
    return phase == kNoPhase ? -1 : int(phase);
}

void TimelineView::changed()
{
    update();
    Q_EMIT visibleRangeChanged();
}

void TimelineView::setViewRange(double start, double end)
{
    const double runStart = m_state.layout.runStart(), runEnd = m_state.layout.runEnd();
    const double pad = std::max((runEnd - runStart) * 0.02, 1e-3);
    const double span = std::clamp(end - start, kMinSpanSeconds, runEnd - runStart + 2 * pad);
    start = std::clamp(start, runStart - pad, std::max(runStart - pad, runEnd + pad - span));
    if (start == m_viewStart && start + span == m_viewEnd)
        return;
    m_viewStart = start;
    m_viewEnd = start + span;
    changed();
}

void TimelineView::resetZoom()
{
    const double runStart = m_state.layout.runStart(), runEnd = m_state.layout.runEnd();
    const double pad = std::max((runEnd - runStart) * 0.02, 1e-3);
    m_viewStart = runStart - pad;
    m_viewEnd = runEnd + pad;
    changed();
}

double TimelineView::timeAtX(double x) const
{
    const double left = kGutter;
    const double width = std::max(1, this->width() - kGutter - kRightMargin);
    return m_viewStart + (x - left) / width * (m_viewEnd - m_viewStart);
}

double TimelineView::xOfTime(double t) const
{
    const double width = std::max(1, this->width() - kGutter - kRightMargin);
    return kGutter + (t - m_viewStart) / (m_viewEnd - m_viewStart) * width;
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
    const double anchor = timeAtX(x);
    const double fraction = (anchor - m_viewStart) / (m_viewEnd - m_viewStart);
    const double span = std::max(kMinSpanSeconds, (m_viewEnd - m_viewStart) * factor);
    setViewRange(anchor - fraction * span, anchor - fraction * span + span);
}

std::vector<int> TimelineView::visibleRows() const
{
    return m_state.layout.rowsBetween(m_viewStart, m_viewEnd);
}

TimelineView::Geometry TimelineView::geometryFor(const QRect &target) const
{
    Geometry g;
    const int left = target.left() + kGutter;
    const int width = std::max(1, target.width() - kGutter - kRightMargin);
    int y = target.top();
    g.title = QRect(target.left(), y, target.width(), kTitleHeight);
    y += kTitleHeight;
    g.overview = QRect(left, y + 2, width, kOverviewHeight - 6);
    y += kOverviewHeight;
    g.ruler = QRect(left, y, width, kRulerHeight);
    y += kRulerHeight;
    const int concurrencyHeight = std::clamp(target.height() / 8, 44, kConcurrencyHeight);
    g.concurrency = QRect(left, y + 2, width, concurrencyHeight - 6);
    y += concurrencyHeight;
    const int legendHeight = kLegendRows * fontMetrics().height() + 8;
    g.legend = QRect(target.left() + 6, target.bottom() - legendHeight + 1, target.width() - 12, legendHeight);
    g.lanes = QRect(left, y + 4, width, std::max(10, g.legend.top() - y - 8));
    const int groups = int(m_state.layout.groups().size());
    const int lanes = std::max(1, m_state.layout.laneCount());
    const double usable = g.lanes.height() - kGroupGap * std::max(0, groups - 1);
    // Every group gets at least a line of text, so its label stays readable; the other
    // groups share the rest evenly per lane.
    const double line = fontMetrics().height() + 2;
    const auto &all = m_state.layout.groups();
    double laneHeight = std::min(kMaxLaneHeight, std::max(0.01, usable / lanes));
    for (int pass = 0; pass < 3; ++pass) {
        double fixed = 0;
        int shared = 0;
        for (const TimelineGroup &group : all) {
            if (group.laneCount * laneHeight < line)
                fixed += line;
            else
                shared += group.laneCount;
        }
        laneHeight = std::min(kMaxLaneHeight, std::max(0.01, (usable - fixed) / std::max(1, shared)));
    }
    // Shift+wheel makes lanes taller than the fit (up to step-detail height); the lanes
    // then scroll vertically.
    const double zoomed = std::max(laneHeight, std::min(kMaxZoomedLaneHeight, laneHeight * m_laneZoom));
    double content = 0;
    for (const TimelineGroup &group : all) {
        const double height = group.laneCount * zoomed < line ? line / std::max(1, group.laneCount) : zoomed;
        g.groupLaneHeight.push_back(height);
        content += group.laneCount * height + kGroupGap;
    }
    g.contentHeight = std::max(0.0, content - kGroupGap);
    g.scroll = std::clamp(m_laneScroll, 0.0, std::max(0.0, g.contentHeight - g.lanes.height()));
    double top = g.lanes.top() - g.scroll;
    g.laneHeight = kMaxZoomedLaneHeight;
    for (size_t group = 0; group < all.size(); ++group) {
        g.groupTop.push_back(top);
        g.laneHeight = std::min(g.laneHeight, g.groupLaneHeight[group]);
        top += all[group].laneCount * g.groupLaneHeight[group] + kGroupGap;
    }
    return g;
}

double TimelineView::laneTop(const Geometry &geometry, int lane) const
{
    const int group = m_state.layout.groupOfLane(lane);
    if (group < 0)
        return geometry.lanes.top();
    return geometry.groupTop[size_t(group)]
           + (lane - m_state.layout.groups()[size_t(group)].firstLane) * geometry.groupLaneHeight[size_t(group)];
}

bool TimelineView::isLaneVisible(const Geometry &geometry, int lane) const
{
    const double top = laneTop(geometry, lane);
    return top + laneHeightOf(geometry, lane) > geometry.lanes.top() && top < geometry.lanes.top() + geometry.lanes.height();
}

double TimelineView::laneHeightOf(const Geometry &geometry, int lane) const
{
    const int group = m_state.layout.groupOfLane(lane);
    return group < 0 ? geometry.laneHeight : geometry.groupLaneHeight[size_t(group)];
}

int TimelineView::laneAtY(const Geometry &geometry, double y) const
{
    const auto &groups = m_state.layout.groups();
    for (size_t g = 0; g < groups.size(); ++g) {
        const double top = geometry.groupTop[g];
        const double bottom = top + groups[g].laneCount * geometry.groupLaneHeight[g];
        if (y >= top && y < bottom)
            return groups[g].firstLane + std::min(groups[g].laneCount - 1, int((y - top) / geometry.groupLaneHeight[g]));
    }
    return -1;
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    render(painter, rect(), false);
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    m_overview = QImage();
    QWidget::resizeEvent(event);
}

void TimelineView::render(QPainter &painter, const QRect &target, bool forExport) const
{
    QElapsedTimer timer;
    timer.start();
    painter.save();
    painter.fillRect(target, palette().base());
    painter.setPen(palette().text().color());
    const Geometry geometry = geometryFor(target);
    if (m_table && isLayingOut()) {
        painter.drawText(target, Qt::AlignCenter, tr("Laying out %1 requests on the timeline…").arg(m_table->size()));
        painter.restore();
        return;
    }
    if (!m_table || m_state.layout.partCount() == 0) {
        QString message = tr("No requests with wall-clock stamps to place on a timeline.");
        if (m_state.layout.rowsWithoutWallClock() > 0)
            message += tr("\n%1 requests have durations only (no wall clock); the breakdown view shows them.")
                           .arg(m_state.layout.rowsWithoutWallClock());
        painter.drawText(target, Qt::AlignCenter, m_table ? message : tr("Open a file to see its timeline."));
        painter.restore();
        return;
    }
    paintTitle(painter, geometry);
    paintOverview(painter, geometry);
    paintRuler(painter, geometry);
    paintConcurrency(painter, geometry);
    paintLanes(painter, geometry, forExport);
    if (!forExport)
        paintOverlays(painter, geometry);
    paintLegend(painter, geometry);
    painter.restore();
    qCDebug(lcTimelineFrames) << "frame painted in" << double(timer.nsecsElapsed()) / 1e6 << "ms";
}

void TimelineView::paintTitle(QPainter &painter, const Geometry &geometry) const
{
    QString text = tr("Clock: %1 · %2 requests in %3 lanes")
                       .arg(m_clock.isEmpty() ? tr("(unnamed)") : m_clock)
                       .arg(m_state.layout.rowsShown())
                       .arg(m_state.layout.laneCount());
    QStringList left;
    if (m_state.layout.rowsOnOtherClocks() > 0)
        left << tr("%1 on other clocks").arg(m_state.layout.rowsOnOtherClocks());
    if (m_state.layout.rowsWithoutWallClock() > 0)
        left << tr("%1 with durations only (no wall clock)").arg(m_state.layout.rowsWithoutWallClock());
    if (m_state.layout.rowsWithoutStamps() > 0)
        left << tr("%1 without stamps").arg(m_state.layout.rowsWithoutStamps());
    if (!left.isEmpty())
        text += tr(" · not shown: %1").arg(left.join(QStringLiteral(", ")));
    painter.drawText(geometry.title.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
}

void TimelineView::paintOverview(QPainter &painter, const Geometry &geometry) const
{
    const QRect area = geometry.overview;
    painter.setPen(palette().mid().color());
    painter.drawText(QRect(6, area.top(), kGutter - 12, area.height()), Qt::AlignVCenter | Qt::AlignLeft,
                     tr("whole run"));
    if (m_state.concurrency.empty())
        return;
    // Rendered once per size: the run does not change while navigating.
    if (m_overview.size() != area.size()) {
        m_overview = QImage(area.size(), QImage::Format_ARGB32_Premultiplied);
        m_overview.fill(palette().alternateBase().color());
        QPainter image(&m_overview);
        const ConcurrencySeries &inFlight = m_state.concurrency.front();
        const int peak = std::max(1, inFlight.maximum());
        const double span = m_state.layout.runEnd() - m_state.layout.runStart();
        QPainterPath path(QPointF(0, area.height()));
        for (int x = 0; x <= area.width(); ++x) {
            const double t = m_state.layout.runStart() + span * (x + 0.5) / area.width();
            path.lineTo(x, area.height() - double(inFlight.countAt(t)) / peak * (area.height() - 2));
        }
        path.lineTo(area.width(), area.height());
        image.fillPath(path, QColor(0x80, 0x80, 0x80, 160));
    }
    painter.drawImage(area.topLeft(), m_overview);
    const double span = m_state.layout.runEnd() - m_state.layout.runStart();
    if (span > 0) {
        const double x0 = area.left() + (m_viewStart - m_state.layout.runStart()) / span * area.width();
        const double x1 = area.left() + (m_viewEnd - m_state.layout.runStart()) / span * area.width();
        const QRectF window(QPointF(std::max<double>(area.left(), x0), area.top()),
                            QPointF(std::min<double>(area.right(), std::max(x1, x0 + 2)), area.bottom()));
        painter.fillRect(window, QColor(0x1F, 0x77, 0xB4, 60));
        painter.setPen(QPen(QColor(0x1F, 0x77, 0xB4), 1));
        painter.drawRect(window);
    }
    painter.setPen(palette().mid().color());
    painter.drawRect(area.adjusted(0, 0, -1, -1));
}

void TimelineView::paintRuler(QPainter &painter, const Geometry &geometry) const
{
    const QRect area = geometry.ruler;
    const double secondsPerPixel = (m_viewEnd - m_viewStart) / area.width();
    const double step = tickStep(secondsPerPixel, 90);
    const double origin = m_state.layout.runStart();
    painter.setPen(palette().text().color());
    painter.drawText(QRect(6, area.top(), kGutter - 12, area.height()), Qt::AlignVCenter | Qt::AlignLeft,
                     tr("time since first request"));
    const double first = std::ceil((m_viewStart - origin) / step) * step;
    for (double t = first; origin + t <= m_viewEnd; t += step) {
        const int x = int(std::lround(area.left() + (origin + t - m_viewStart) / secondsPerPixel));
        painter.drawLine(x, area.bottom() - 5, x, area.bottom());
        painter.drawText(QRect(x - 60, area.top(), 120, area.height() - 6), Qt::AlignCenter, formatTick(t, step));
    }
    painter.setPen(palette().mid().color());
    painter.drawLine(area.bottomLeft(), area.bottomRight());
}

void TimelineView::paintConcurrency(QPainter &painter, const Geometry &geometry) const
{
    const QRect area = geometry.concurrency;
    painter.fillRect(area, palette().alternateBase());
    if (m_state.concurrency.empty())
        return;
    // Sampled at each pixel column's centre; kept while the view state stays (hover repaints).
    const int columns = area.width();
    const QString key = QStringLiteral("%1|%2|%3|%4").arg(m_viewStart, 0, 'g', 17).arg(m_viewEnd, 0, 'g', 17).arg(columns).arg(m_revision);
    if (key != m_concurrencyKey) {
        std::vector<double> times(static_cast<size_t>(columns));
        for (int x = 0; x < columns; ++x)
            times[size_t(x)] = m_viewStart + (x + 0.5) / columns * (m_viewEnd - m_viewStart);
        m_concurrencyValues.resize(m_state.concurrency.size());
        for (size_t s = 0; s < m_state.concurrency.size(); ++s)
            m_state.concurrency[s].countsAt(times, m_concurrencyValues[s]);
        m_concurrencyKey = key;
    }
    const std::vector<std::vector<int>> &values = m_concurrencyValues;
    int peak = 1;
    for (const std::vector<int> &series : values)
        peak = std::max(peak, series.empty() ? 0 : *std::max_element(series.begin(), series.end()));
    auto yOf = [&](int count) { return area.bottom() - double(count) / peak * (area.height() - 4); };
    const QColor inFlight(0xC4, 0xC4, 0xC4);
    for (int x = 0; x < columns; ++x) {
        const int top = int(std::lround(yOf(values[0][size_t(x)])));
        painter.fillRect(area.left() + x, top, 1, area.bottom() - top + 1, inFlight);
    }
    // Aliased 2 px steps: an antialiased polyline of this many points costs more than the lanes.
    for (size_t s = 1; s < m_state.concurrency.size(); ++s) {
        QPolygon line;
        line.reserve(columns);
        for (int x = 0; x < columns; ++x)
            line << QPoint(area.left() + x, int(std::lround(yOf(values[s][size_t(x)]))));
        painter.setPen(QPen(colorOf(m_state.concurrency[s].color).darker(115), 0));
        painter.drawPolyline(line);
        painter.drawPolyline(line.translated(0, -1));
    }

    // Labels in the gutter: the series and the scale.
    QFont small = painter.font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter.setFont(small);
    const int lineHeight = QFontMetrics(small).height();
    int y = area.top();
    for (size_t s = 0; s < m_state.concurrency.size() && y + lineHeight <= area.bottom() + 2; ++s, y += lineHeight) {
        const QColor color = s == 0 ? QColor(0x90, 0x90, 0x90) : colorOf(m_state.concurrency[s].color);
        painter.fillRect(QRect(6, y + 3, 10, lineHeight - 6), color);
        painter.setPen(palette().text().color());
        painter.drawText(QRect(20, y, kGutter - 26, lineHeight), Qt::AlignVCenter | Qt::AlignLeft,
                         m_state.concurrency[s].title);
    }
    painter.setPen(palette().text().color());
    painter.drawText(area.adjusted(4, 0, -4, 0), Qt::AlignTop | Qt::AlignRight, tr("peak %1 requests").arg(peak));
    painter.setFont(font());
}

void TimelineView::paintLanes(QPainter &painter, const Geometry &geometry, bool forExport) const
{
    const auto &groups = m_state.layout.groups();
    painter.save();
    // Bands and labels of scrolled lanes stay inside the lanes' rows.
    painter.setClipRect(QRect(0, geometry.lanes.top(), geometry.lanes.right() + 1, geometry.lanes.height()));
    painter.setPen(palette().text().color());
    for (size_t g = 0; g < groups.size(); ++g) {
        const double top = geometry.groupTop[g];
        const double height = groups[g].laneCount * geometry.groupLaneHeight[g];
        if (top + height < geometry.lanes.top() || top > geometry.lanes.bottom())
            continue;
        const QRectF band(geometry.lanes.left(), top, geometry.lanes.width(), height);
        painter.fillRect(band, g % 2 ? palette().alternateBase() : palette().base());
        // "context ctx-node0:8001": servers differ at their end (host:port), so a long
        // server name is elided at its front; the lane count goes below when there is room.
        const QFontMetrics metrics = fontMetrics();
        const int available = kGutter - 12;
        QString label = groups[g].title;
        if (!groups[g].server.isEmpty() && metrics.horizontalAdvance(label) > available) {
            const QString prefix = label.left(label.size() - groups[g].server.size());
            label = prefix + metrics.elidedText(groups[g].server, Qt::ElideLeft,
                                                available - metrics.horizontalAdvance(prefix));
        }
        // Sticky: a group scrolled partly out keeps its label at the top of what is shown.
        const double labelTop = std::min(std::max(top, double(geometry.lanes.top())), top + height - metrics.height());
        const QRectF labelRect(6, std::max(top, labelTop), available, std::max(height, double(metrics.height())));
        painter.drawText(labelRect, Qt::AlignTop | Qt::AlignLeft, metrics.elidedText(label, Qt::ElideRight, available));
        if (groups[g].laneCount > 1 && height >= 2 * metrics.height()) {
            painter.setPen(palette().mid().color());
            painter.drawText(labelRect.adjusted(0, metrics.height(), 0, 0), Qt::AlignTop | Qt::AlignLeft,
                             tr("%1 lanes").arg(groups[g].laneCount));
            painter.setPen(palette().text().color());
        }
    }
    painter.restore();

    int visibleParts = 0;
    for (int lane = 0; lane < m_state.layout.laneCount() && visibleParts <= kExactPartLimit; ++lane) {
        if (!isLaneVisible(geometry, lane))
            continue;
        const int first = m_state.layout.firstPartEndingAfter(lane, m_viewStart);
        for (int part = first; part < m_state.layout.laneEnd(lane) && m_state.layout.partStart(part) <= m_viewEnd; ++part) {
            if (++visibleParts > kExactPartLimit)
                break;
        }
    }
    painter.save();
    painter.setClipRect(geometry.lanes);
    if (visibleParts <= kExactPartLimit && geometry.laneHeight >= kMinExactLaneHeight) {
        paintExactParts(painter, geometry);
    } else {
        const qreal ratio = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
        const QString key = QStringLiteral("%1|%2|%3x%4|%5|%6")
                                .arg(m_viewStart, 0, 'g', 17)
                                .arg(m_viewEnd, 0, 'g', 17)
                                .arg(geometry.lanes.width())
                                .arg(geometry.lanes.height())
                                .arg(ratio)
                                .arg(m_revision);
        if (forExport || key != m_rasterKey || m_raster.isNull()) {
            QElapsedTimer timer;
            timer.start();
            rasterLanes(geometry, ratio, m_raster);
            m_rasterKey = key;
            qCDebug(lcTimelineFrames) << "lanes rasterised in" << double(timer.nsecsElapsed()) / 1e6 << "ms";
        }
        painter.drawImage(geometry.lanes.topLeft(), m_raster);
    }
    // Light grid at the ruler's ticks.
    const double secondsPerPixel = (m_viewEnd - m_viewStart) / geometry.lanes.width();
    const double step = tickStep(secondsPerPixel, 90);
    const double origin = m_state.layout.runStart();
    painter.setPen(QColor(0, 0, 0, 28));
    for (double t = std::ceil((m_viewStart - origin) / step) * step; origin + t <= m_viewEnd; t += step) {
        const int x = int(std::lround(geometry.lanes.left() + (origin + t - m_viewStart) / secondsPerPixel));
        painter.drawLine(x, geometry.lanes.top(), x, geometry.lanes.bottom());
    }
    painter.restore();
    if (geometry.contentHeight > geometry.lanes.height()) {
        // Where the shown lanes are among all of them (they scroll: wheel over the labels, PgUp/PgDn).
        const double visible = geometry.lanes.height() / geometry.contentHeight;
        const QRectF track(geometry.lanes.right() + 3, geometry.lanes.top(), 4, geometry.lanes.height());
        painter.fillRect(track, palette().alternateBase());
        painter.fillRect(QRectF(track.left(), track.top() + geometry.scroll / geometry.contentHeight * track.height(),
                                track.width(), std::max(8.0, visible * track.height())),
                         palette().mid());
    }
}

void TimelineView::paintExactParts(QPainter &painter, const Geometry &geometry) const
{
    const bool withStepTable = !m_state.stepBegin.empty();
    const PhaseCatalog &catalog = m_table->phases();
    Segment segments[kMaxSegments];
    for (int lane = 0; lane < m_state.layout.laneCount(); ++lane) {
        const double top = laneTop(geometry, lane);
        if (!isLaneVisible(geometry, lane))
            continue;
        const double laneHeight = laneHeightOf(geometry, lane);
        const double height = laneHeight - (laneHeight >= 5 ? 1 : 0);
        const bool stepsPossible = withStepTable && laneHeight >= kStepMinLaneHeight;
        for (int part = m_state.layout.firstPartEndingAfter(lane, m_viewStart);
             part < m_state.layout.laneEnd(lane) && m_state.layout.partStart(part) <= m_viewEnd; ++part) {
            const double x0 = xOfTime(m_state.layout.partStart(part));
            const double x1 = std::max(x0 + 1, xOfTime(m_state.layout.partEnd(part)));
            const QRectF partRect(x0, top, x1 - x0, height);
            painter.fillRect(partRect, colorOf(kPartBackground));
            const int n = segmentsOf(part, segments);
            const bool withSteps = stepsPossible && x1 - x0 >= kStepMinWidth;
            const double phaseHeight = withSteps ? height * 0.55 : height;
            for (int s = 0; s < n; ++s) {
                const double sx0 = xOfTime(segments[s].start);
                const double sx1 = std::max(sx0 + 1, xOfTime(segments[s].end));
                painter.fillRect(QRectF(sx0, top, sx1 - sx0, phaseHeight), PhaseColors::instance().color(catalog.at(segments[s].phase)));
            }
            if (x1 - x0 >= 4) { // a hairline where a request starts, so neighbours in a lane stay apart
                painter.fillRect(QRectF(x0, top, 1, height), QColor(0, 0, 0, 70));
            }
            if (withSteps)
                paintSteps(painter, part, QRectF(x0, top + phaseHeight, x1 - x0, height - phaseHeight));
        }
    }
}

void TimelineView::paintSteps(QPainter &painter, int part, const QRectF &band) const
{
    const StepTable &steps = m_table->steps();
    const int row = m_state.layout.partRow(part);
    const TimelineSide side = m_state.layout.partSide(part);
    const double top = band.top() + 1, height = std::max(1.0, band.height() - 2);
    for (quint32 k = m_state.stepBegin[size_t(row)]; k < m_state.stepBegin[size_t(row) + 1]; ++k) {
        const quint32 s = m_state.stepOrder[k];
        const bool chunk = steps.kind[s] == StepTable::ContextChunk;
        if ((side == TimelineSide::Context && !chunk) || (side == TimelineSide::Generation && chunk))
            continue;
        const double shift = m_state.stepClock.shiftOf(s);
        auto span = [&](double a, double b, const QColor &color) {
            if (isMissing(a) || isMissing(b))
                return;
            const double x0 = xOfTime(a - shift), x1 = std::max(x0 + 1, xOfTime(b - shift));
            painter.fillRect(QRectF(x0, top, x1 - x0, height), color);
        };
        span(steps.forwardStart[s], steps.forwardEnd[s], chunk ? QColor(0x1E, 0x60, 0xC8) : QColor(0x2E, 0x8B, 0x57));
        span(steps.sampleStart[s], steps.sampleEnd[s], QColor(0xE0, 0x8A, 0x1E));
        if (!isMissing(steps.tokenTime[s])) {
            const double x = xOfTime(steps.tokenTime[s] - shift);
            painter.fillRect(QRectF(x, top - 1, 1, height + 2), QColor(0x30, 0x30, 0x30));
        }
    }
}

void TimelineView::rasterLanes(const Geometry &geometry, qreal ratio, QImage &image) const
{
    const int width = std::max(1, int(std::lround(geometry.lanes.width() * ratio)));
    const int height = std::max(1, int(std::lround(geometry.lanes.height() * ratio)));
    // Reused between frames: fresh pages cost more than the drawing on some machines.
    if (image.width() != width || image.height() != height || image.format() != QImage::Format_RGB32)
        image = QImage(width, height, QImage::Format_RGB32);
    image.setDevicePixelRatio(ratio);
    const QRgb base = palette().base().color().rgb();
    image.fill(base);
    const QRgb alternate = palette().alternateBase().color().rgb();
    const PhaseCatalog &catalog = m_table->phases();
    const int slotCount = catalog.size() + 1; // + the background of a request with no drawn phase here
    std::vector<QRgb> colors(static_cast<size_t>(slotCount));
    for (int p = 0; p < catalog.size(); ++p)
        colors[size_t(p)] = PhaseColors::instance().color(catalog.at(p)).rgb();
    colors[size_t(slotCount - 1)] = colorOf(kPartBackground).rgb();

    // Group bands first, so empty space keeps the lane backgrounds.
    for (size_t g = 0; g < m_state.layout.groups().size(); ++g) {
        const int y0 = std::max(0, int((geometry.groupTop[g] - geometry.lanes.top()) * ratio));
        const int y1 = std::min(height, int((geometry.groupTop[g] - geometry.lanes.top()
                                             + m_state.layout.groups()[g].laneCount * geometry.groupLaneHeight[g]) * ratio));
        for (int y = y0; y < y1; ++y)
            std::fill_n(reinterpret_cast<QRgb *>(image.bits() + size_t(y) * size_t(image.bytesPerLine())), width,
                        g % 2 ? alternate : base);
    }

    // scanLine() detaches on every call: address the pixels directly.
    uchar *pixels = image.bits();
    const qsizetype stride = image.bytesPerLine();
    const double pixelsPerSecond = width / (m_viewEnd - m_viewStart);
    const double *starts = m_state.layout.partStarts();
    auto laneTopRow = [&](int lane) {
        return std::clamp(int((laneTop(geometry, lane) - geometry.lanes.top()) * ratio), 0, height - 1);
    };
    // Lanes [firstLane, endLane) into their pixel rows, with buffers of its own: two halves
    // run on both cores, split where a new pixel row starts so no row is shared.
    auto rasterRange = [&](int firstLane, int endLane) {
        std::vector<float> coverage(size_t(width) * size_t(slotCount), 0.0f);
        int touchedMin = width, touchedMax = -1;
        int bandFirstRow = -1, bandEndRow = -1, lanesInBand = 0;
        Segment segments[kMaxSegments];
        std::vector<quint8> solid(size_t(width), 0), partial(size_t(width), 0);
        auto flush = [&] {
            if (bandFirstRow < 0 || touchedMax < touchedMin) {
                lanesInBand = 0;
                return;
            }
            for (int x = touchedMin; x <= touchedMax; ++x) {
                float *cell = &coverage[size_t(x) * size_t(slotCount)];
                int best = -1;
                float alpha = 1;
                if (solid[size_t(x)] && !partial[size_t(x)]) {
                    best = solid[size_t(x)] - 1;
                } else {
                    float total = 0, bestValue = 0;
                    for (int s = 0; s < slotCount - 1; ++s) {
                        total += cell[s];
                        if (cell[s] > bestValue) {
                            bestValue = cell[s];
                            best = s;
                        }
                    }
                    const float background = cell[slotCount - 1];
                    if (best < 0 && solid[size_t(x)]) {
                        best = solid[size_t(x)] - 1;
                    } else if (best < 0 && background > 0) {
                        best = slotCount - 1;
                        alpha = std::min(1.0f, background / float(std::max(1, lanesInBand)));
                    } else if (best >= 0) {
                        alpha = solid[size_t(x)] ? 1.0f
                                                  : std::min(1.0f, std::max(total, background) / float(std::max(1, lanesInBand)));
                    }
                    std::fill_n(cell, slotCount, 0.0f);
                }
                solid[size_t(x)] = 0;
                partial[size_t(x)] = 0;
                if (best < 0)
                    continue;
                // Rows of a band share one background (group bands are uniform), so one colour serves all.
                const QRgb under = reinterpret_cast<QRgb *>(pixels + size_t(bandFirstRow) * stride)[x];
                const QRgb color = alpha >= 1 ? colors[size_t(best)] : blend(under, colors[size_t(best)], alpha);
                for (int y = bandFirstRow; y < bandEndRow; ++y)
                    reinterpret_cast<QRgb *>(pixels + size_t(y) * stride)[x] = color;
            }
            touchedMin = width;
            touchedMax = -1;
            lanesInBand = 0;
        };

        for (int lane = firstLane; lane < endLane; ++lane) {
            if (!isLaneVisible(geometry, lane))
                continue;
            const double y0 = (laneTop(geometry, lane) - geometry.lanes.top()) * ratio;
            const double laneHeight = laneHeightOf(geometry, lane) * ratio;
            const int firstRow = std::clamp(int(y0), 0, height - 1);
            int endRow = std::clamp(int(y0 + laneHeight - (laneHeight >= 5 ? 1 : 0)), firstRow + 1, height);
            if (firstRow != bandFirstRow) {
                flush();
                bandFirstRow = firstRow;
                bandEndRow = endRow;
            }
            ++lanesInBand;
            // A lane with pixel rows of its own is painted; lanes sharing rows add coverage.
            const bool alone = laneHeight >= 1;
            quint8 *solidRow = alone ? solid.data() : nullptr;
            quint8 *partialRow = alone ? partial.data() : nullptr;
            const int laneEnd = m_state.layout.laneEnd(lane);
            for (int part = m_state.layout.firstPartEndingAfter(lane, m_viewStart);
                 part < laneEnd && m_state.layout.partStart(part) <= m_viewEnd; ++part) {
                const double x0 = (m_state.layout.partStart(part) - m_viewStart) * pixelsPerSecond;
                const double x1 = std::max(x0 + 0.5, (m_state.layout.partEnd(part) - m_viewStart) * pixelsPerSecond);
                const int lo = std::max(0, int(x0)), hi = std::min(width - 1, int(x1));
                if (hi < lo)
                    continue;
                touchedMin = std::min(touchedMin, lo);
                touchedMax = std::max(touchedMax, hi);
                if (x1 - x0 < 1) {
                    // Fold every part that starts in this pixel column: one coverage run whose
                    // length is their summed durations, in the colour of the middle one.
                    const double columnEnd = m_viewStart + (std::floor(x0) + 1) / pixelsPerSecond;
                    const int foldEnd = int(std::upper_bound(starts + part, starts + laneEnd, columnEnd) - starts);
                    if (foldEnd - part > 1) {
                        const double covered = (m_state.durationPrefix[size_t(foldEnd)] - m_state.durationPrefix[size_t(part)])
                                               * pixelsPerSecond;
                        const double lastEnd = (m_state.layout.partEnd(foldEnd - 1) - m_viewStart) * pixelsPerSecond;
                        const int phase = dominantPhase((part + foldEnd) / 2);
                        const double foldX1 = std::min(std::max(lastEnd, x0 + 0.5), x0 + std::max(covered, 0.5));
                        addCoverage(coverage.data(), slotCount, phase >= 0 ? phase : slotCount - 1, x0, foldX1, width,
                                    solidRow, partialRow);
                        touchedMax = std::max(touchedMax, std::min(width - 1, int(foldX1)));
                        part = foldEnd - 1;
                        continue;
                    }
                }
                if (x1 - x0 < kFullDetailWidth * ratio) {
                    const int phase = dominantPhase(part);
                    addCoverage(coverage.data(), slotCount, phase >= 0 ? phase : slotCount - 1, x0, x1, width, solidRow,
                                partialRow);
                    continue;
                }
                addCoverage(coverage.data(), slotCount, slotCount - 1, x0, x1, width, solidRow, partialRow);
                const int n = segmentsOf(part, segments);
                for (int s = 0; s < n; ++s)
                    addCoverage(coverage.data(), slotCount, segments[s].phase,
                                (segments[s].start - m_viewStart) * pixelsPerSecond,
                                (segments[s].end - m_viewStart) * pixelsPerSecond, width, solidRow, partialRow);
            }
        }
        flush();
    };
    const int lanes = m_state.layout.laneCount();
    int split = lanes / 2;
    while (split > 0 && split < lanes && laneTopRow(split) == laneTopRow(split - 1))
        ++split;
    if (lanes < 64 || split >= lanes) {
        rasterRange(0, lanes);
        return;
    }
    QFuture<void> firstHalf = QtConcurrent::run([&] { rasterRange(0, split); });
    rasterRange(split, lanes);
    firstHalf.waitForFinished();
}

void TimelineView::paintOverlays(QPainter &painter, const Geometry &geometry) const
{
    painter.save();
    painter.setClipRect(geometry.lanes.adjusted(-1, -1, 1, 1));
    auto partRect = [&](int part) {
        const double top = laneTop(geometry, m_state.layout.partLane(part));
        const double x0 = xOfTime(m_state.layout.partStart(part));
        const double x1 = std::max(x0 + 2, xOfTime(m_state.layout.partEnd(part)));
        const double height = laneHeightOf(geometry, m_state.layout.partLane(part));
        return QRectF(x0, top, x1 - x0, std::max(2.0, height - (height >= 5 ? 1 : 0)));
    };
    // Selection outlines, for selections small enough to be read one by one.
    const std::vector<int> &selected = m_selection->rows();
    if (!selected.empty() && selected.size() <= 5000) {
        painter.setPen(QPen(palette().highlight().color().darker(130), 1.5));
        painter.setBrush(Qt::NoBrush);
        for (int row : selected) {
            const auto [begin, end] = m_state.layout.partsOfRow(row);
            for (const quint32 *p = begin; p != end; ++p) {
                if (m_state.layout.partEnd(int(*p)) >= m_viewStart && m_state.layout.partStart(int(*p)) <= m_viewEnd)
                    painter.drawRect(partRect(int(*p)));
            }
        }
    }
    // The hovered request: its parts outlined and linked across servers.
    if (m_hoverPart >= 0 && m_hoverPart < m_state.layout.partCount()) {
        const auto [begin, end] = m_state.layout.partsOfRow(m_state.layout.partRow(m_hoverPart));
        painter.setPen(QPen(Qt::black, 1.5));
        std::vector<QRectF> rects;
        for (const quint32 *p = begin; p != end; ++p) {
            rects.push_back(partRect(int(*p)));
            painter.drawRect(rects.back());
        }
        if (rects.size() > 1) {
            painter.setRenderHint(QPainter::Antialiasing, true);
            painter.setPen(QPen(Qt::black, 1, Qt::DashLine));
            for (size_t i = 1; i < rects.size(); ++i)
                painter.drawLine(QPointF(rects[i].left(), rects[0].center().y()), rects[i].topLeft() + QPointF(0, rects[i].height() / 2));
        }
    }
    painter.restore();
    if (m_dragging && (m_dragMode == DragMode::ZoomBand || m_dragMode == DragMode::SelectBand)) {
        const int x0 = std::min(m_pressPos.x(), m_bandEnd.x()), x1 = std::max(m_pressPos.x(), m_bandEnd.x());
        const QRect band(QPoint(x0, geometry.concurrency.top()), QPoint(x1, geometry.lanes.bottom()));
        painter.fillRect(band, QColor(0x1F, 0x77, 0xB4, 40));
        painter.setPen(QPen(QColor(0x1F, 0x77, 0xB4), 1, Qt::DashLine));
        painter.drawRect(band);
        const double t0 = timeAtX(x0) - m_state.layout.runStart(), t1 = timeAtX(x1) - m_state.layout.runStart();
        const double step = tickStep((t1 - t0) / 4, 1);
        painter.drawText(band.adjusted(4, 2, -4, 0), Qt::AlignTop | Qt::AlignLeft,
                         m_dragMode == DragMode::ZoomBand ? tr("zoom to %1").arg(formatTick(t1 - t0, step))
                                                          : tr("select %1").arg(formatTick(t1 - t0, step)));
    }
}

void TimelineView::paintLegend(QPainter &painter, const Geometry &geometry) const
{
    const PhaseCatalog &catalog = m_table->phases();
    const std::vector<bool> &used = m_state.phaseShown;
    int x = geometry.legend.left();
    int y = geometry.legend.top() + 4;
    const QFontMetrics metrics = fontMetrics();
    for (int p = 0; p < catalog.size(); ++p) {
        if (!used[size_t(p)])
            continue;
        const QString title = catalog.at(p).title;
        const int itemWidth = 16 + metrics.horizontalAdvance(title) + 14;
        if (x + itemWidth > geometry.legend.right()) {
            x = geometry.legend.left();
            y += metrics.height();
            if (y + metrics.height() > geometry.legend.bottom() + 2)
                break;
        }
        painter.fillRect(QRect(x, y + 2, 12, metrics.height() - 6), PhaseColors::instance().color(catalog.at(p)));
        painter.setPen(palette().text().color());
        painter.drawText(QRect(x + 16, y, itemWidth - 16, metrics.height()), Qt::AlignVCenter | Qt::AlignLeft, title);
        x += itemWidth;
    }
}

int TimelineView::partAt(const QPoint &pos) const
{
    const Geometry geometry = geometryFor(rect());
    if (!geometry.lanes.contains(pos))
        return -1;
    const int lane = laneAtY(geometry, pos.y());
    const double secondsPerPixel = (m_viewEnd - m_viewStart) / geometry.lanes.width();
    return m_state.layout.partAt(lane, timeAtX(pos.x()), 2 * secondsPerPixel);
}

QPoint TimelineView::partCenter(int part) const
{
    const Geometry geometry = geometryFor(rect());
    const double x0 = std::max<double>(geometry.lanes.left(), xOfTime(m_state.layout.partStart(part)));
    const double x1 = std::min<double>(geometry.lanes.right(), xOfTime(m_state.layout.partEnd(part)));
    const int lane = m_state.layout.partLane(part);
    return QPoint(int((x0 + x1) / 2), int(laneTop(geometry, lane) + laneHeightOf(geometry, lane) / 2));
}

QString TimelineView::toolTipAt(const QPoint &pos) const
{
    const int part = partAt(pos);
    return part >= 0 ? partToolTip(part, timeAtX(pos.x())) : QString();
}

QString TimelineView::partToolTip(int part, double t) const
{
    const int row = m_state.layout.partRow(part);
    const RequestTable &table = *m_table;
    const PhaseCatalog &catalog = table.phases();
    const double origin = m_state.layout.runStart();
    QString html = QStringLiteral("<b>Request %1</b><br>%2")
                       .arg(table.id(row).toHtmlEscaped(), describeRoleAndServers(table, row).toHtmlEscaped());
    const TimelineSide side = m_state.layout.partSide(part);
    if (side != TimelineSide::Whole)
        html += tr("<br>This row: %1").arg(m_state.layout.groups()[size_t(m_state.layout.groupOfLane(m_state.layout.partLane(part)))].title.toHtmlEscaped());
    html += tr("<br>From +%1 s to +%2 s after the first request (%3 ms)")
                .arg(QString::number(m_state.layout.partStart(part) - origin, 'f', 6),
                     QString::number(m_state.layout.partEnd(part) - origin, 'f', 6),
                     formatMilliseconds((m_state.layout.partEnd(part) - m_state.layout.partStart(part)) * 1000));
    html += QStringLiteral("<table cellspacing=0 cellpadding=1>");
    for (const TimelinePhase &phase : m_state.layout.phases()) {
        if (!isPhaseDrawnOn(phase, side))
            continue;
        double start = 0, end = 0;
        if (!m_state.resolver->stamps(phase.phase, row, &start, &end))
            continue;
        const bool anomaly = end < start;
        const bool underCursor = !anomaly && t >= start && t <= end;
        html += QStringLiteral("<tr><td><font color='%1'>■</font> %2%3%4</td><td align=right>&nbsp;%5 ms</td>"
                               "<td align=right>&nbsp;at +%6 ms</td></tr>")
                    .arg(colorOf(catalog.at(phase.phase).color).name(), underCursor ? QStringLiteral("<b>") : QString(),
                         catalog.at(phase.phase).title, underCursor ? QStringLiteral("</b>") : QString(),
                         anomaly ? tr("<font color='#d62728'>⚠ end before start</font>")
                                 : formatMilliseconds((end - start) * 1000),
                         formatMilliseconds((start - m_state.layout.partStart(part)) * 1000));
    }
    html += QStringLiteral("</table>");

    // Per-step detail under the cursor, with the clock correction that placed it.
    if (!m_state.stepBegin.empty()) {
        const StepTable &steps = table.steps();
        for (quint32 k = m_state.stepBegin[size_t(row)]; k < m_state.stepBegin[size_t(row) + 1]; ++k) {
            const quint32 s = m_state.stepOrder[k];
            const double shift = m_state.stepClock.shiftOf(s);
            const double start = steps.forwardStart[s] - shift;
            const double end = (isMissing(steps.tokenTime[s]) ? steps.sampleEnd[s] : steps.tokenTime[s]) - shift;
            if (!(t >= start && t <= end))
                continue;
            const bool chunk = steps.kind[s] == StepTable::ContextChunk;
            html += chunk ? tr("<br><b>Context chunk</b>") : tr("<br><b>Generation step %1</b>").arg(steps.iteration[s]);
            html += tr(": forward %1 ms (GPU %2 ms), sample %3 ms (GPU %4 ms)")
                        .arg(formatMilliseconds((steps.forwardEnd[s] - steps.forwardStart[s]) * 1000),
                             QString::number(double(steps.gpuForwardMs[s]), 'f', 3),
                             formatMilliseconds((steps.sampleEnd[s] - steps.sampleStart[s]) * 1000),
                             QString::number(double(steps.gpuSampleMs[s]), 'f', 3));
            if (const StepClockWorker *worker = m_state.stepClock.workerOf(s); worker && worker->applied())
                html += tr("<br><i>Step stamps shifted by %1 s: the estimated clock offset of %2 (median of %3 "
                           "requests; TensorRT-LLM does not correct per-step stamps)</i>")
                            .arg(QString::number(-worker->offset, 'f', 6), worker->name.toHtmlEscaped())
                            .arg(worker->samples);
            break;
        }
    }
    html += tr("<br><i>Clock: %1</i>").arg(m_clock.toHtmlEscaped());
    return html;
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    m_bandEnd = m_pressPos;
    m_pressViewStart = m_viewStart;
    m_dragging = false;
    const Geometry geometry = geometryFor(rect());
    if (geometry.overview.contains(m_pressPos))
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
        const Geometry geometry = geometryFor(rect());
        switch (m_dragMode) {
        case DragMode::Overview: {
            const double span = m_viewEnd - m_viewStart;
            const double t = m_state.layout.runStart()
                             + (pos.x() - geometry.overview.left()) / double(geometry.overview.width())
                                   * (m_state.layout.runEnd() - m_state.layout.runStart());
            setViewRange(t - span / 2, t + span / 2);
            break;
        }
        case DragMode::Pan: {
            if (m_dragging) {
                const double secondsPerPixel = (m_viewEnd - m_viewStart) / geometry.lanes.width();
                const double start = m_pressViewStart - (pos.x() - m_pressPos.x()) * secondsPerPixel;
                setViewRange(start, start + (m_viewEnd - m_viewStart));
            }
            break;
        }
        case DragMode::ZoomBand:
        case DragMode::SelectBand:
            m_bandEnd = pos;
            update();
            break;
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
        QToolTip::showText(event->globalPosition().toPoint(), partToolTip(part, timeAtX(pos.x())), this);
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const double t0 = timeAtX(std::min(m_pressPos.x(), pos.x()));
    const double t1 = timeAtX(std::max(m_pressPos.x(), pos.x()));
    const bool dragged = m_dragging;
    m_dragging = false;
    if (event->button() != Qt::LeftButton)
        return;
    if (m_dragMode == DragMode::ZoomBand && dragged) {
        setViewRange(t0, t1);
        return;
    }
    if (m_dragMode == DragMode::SelectBand && dragged) {
        m_selection->setRows(m_state.layout.rowsBetween(t0, t1)); // every request with a part in the band
        update();
        return;
    }
    if (dragged || m_dragMode == DragMode::Overview)
        return;
    const int part = partAt(pos);
    if (event->modifiers() & Qt::ControlModifier) {
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
    const double span = m_viewEnd - m_viewStart;
    const QPointF pos = event->position();
    if (event->modifiers() & Qt::ControlModifier) {
        zoomAt(std::pow(0.8, steps), pos.x());
    } else if (event->modifiers() & Qt::ShiftModifier) {
        // Taller or shorter lanes, keeping the lane under the cursor where it is.
        const Geometry before = geometryFor(rect());
        const int lane = laneAtY(before, pos.y());
        const double within = lane >= 0 ? (pos.y() - laneTop(before, lane)) / laneHeightOf(before, lane) : 0;
        m_laneZoom = std::clamp(m_laneZoom * std::pow(1.25, steps), 1.0, 1e4);
        if (lane >= 0) {
            const Geometry after = geometryFor(rect());
            scrollLanes(laneTop(after, lane) + within * laneHeightOf(after, lane) - pos.y());
        }
        update();
    } else if (pos.x() < kGutter) {
        scrollLanes(-steps * 3 * fontMetrics().height()); // over the server labels: scroll the lanes
    } else {
        const double horizontal = delta.x() != 0 ? delta.x() / 120.0 : steps;
        setViewRange(m_viewStart - horizontal * span * 0.1, m_viewEnd - horizontal * span * 0.1);
    }
    event->accept();
}

void TimelineView::scrollLanes(double pixels)
{
    const Geometry geometry = geometryFor(rect());
    m_laneScroll = std::clamp(geometry.scroll + pixels, 0.0, std::max(0.0, geometry.contentHeight - geometry.lanes.height()));
    m_hoverPart = -1;
    update();
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const QPoint cursor = mapFromGlobal(QCursor::pos());
    const double anchor = rect().contains(cursor) && cursor.x() > kGutter ? cursor.x() : geometryFor(rect()).lanes.center().x();
    const double span = m_viewEnd - m_viewStart;
    switch (event->key()) {
    case Qt::Key_Home:
        m_laneZoom = 1;
        m_laneScroll = 0;
        resetZoom();
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
    case Qt::Key_A: setViewRange(m_viewStart - span * 0.1, m_viewEnd - span * 0.1); break;
    case Qt::Key_Right:
    case Qt::Key_D: setViewRange(m_viewStart + span * 0.1, m_viewEnd + span * 0.1); break;
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
