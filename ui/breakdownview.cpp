#include "breakdownview.h"

#include "analysis/axisstep.h"
#include "breakdown/axespass.h"
#include "breakdown/barspass.h"
#include "breakdown/breakdownoverlay.h"
#include "breakdown/breakdowntooltip.h"
#include "breakdown/legendpass.h"
#include "phasecolors.h"
#include "requestselection.h"
#include "analysis/statistics.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <utility>

namespace Phaseline {

namespace {

constexpr int kRightMargin = 12;
constexpr double kMinBarWidth = 2.0;   // narrower bars are aggregated per pixel column
constexpr int kMaxIdLabelBars = 60;    // up to this many bars carry their request ids below them
constexpr int kMaxIdLabelHeight = 110; // rotated ids are elided to this many pixels
constexpr double kMinVisibleBars = 5;  // zooming in stops here

} // namespace

BreakdownView::BreakdownView(RequestSelection *selection, QWidget *parent)
    : QWidget(parent), m_selection(selection),
      m_build([this](PreparedModel prepared) { adoptModel(std::move(prepared)); })
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 220);
    m_zoom.setMinimumSpan(kMinVisibleBars);
    connect(&m_zoom, &ZoomControl::visibleRangeChanged, this, &BreakdownView::changed);
    connect(&m_zoom, &ZoomControl::selectionChanged, this, qOverload<>(&QWidget::update));
    connect(m_selection, &RequestSelection::changed, this, qOverload<>(&QWidget::update));
    connect(&PhaseColors::instance(), &PhaseColors::changed, this, qOverload<>(&QWidget::update));
}

BreakdownView::~BreakdownView() = default;

void BreakdownView::setTable(std::shared_ptr<const RequestTable> table, bool update)
{
    m_hoverRow = -1;
    m_update = update;
    const BreakdownModel::Mode mode = m_model.mode();
    auto build = [table, mode](int width) {
        PreparedModel prepared{std::make_shared<BreakdownModel>(), {}, 0};
        prepared.model->setMode(mode);
        prepared.model->setTable(table);
        const int count = prepared.model->requestCount();
        if (width > 0 && count > width) {
            prepared.columns = prepared.model->aggregate(0, count, width);
            prepared.width = width;
        }
        return prepared;
    };
    if (!table || table->size() <= kBackgroundRows) {
        m_build.discard();
        adoptModel(build(0));
        return;
    }
    // Per-request layer durations for a large table take a while: built on a worker thread,
    // while the view says so or, for an update, goes on showing the older table.
    if (!update || m_model.requestCount() == 0) {
        adoptModel(PreparedModel{std::make_shared<BreakdownModel>(), {}, 0});
        m_pendingRows = table->size();
    }
    m_build.start([build, width = plotRect().width()](const JobToken &) { return build(width); });
}

void BreakdownView::adoptModel(PreparedModel prepared)
{
    // An update keeps the zoom of a zoomed-in view; anything else shows the new table whole.
    const double shownStart = viewStart(), shownCount = viewCount();
    const bool keepZoom = std::exchange(m_update, false) && shownCount < m_model.requestCount();
    m_model = std::move(*prepared.model);
    m_pendingRows = 0;
    // A new model restarts its revisions: cached columns are only those built with it.
    m_columnsKey[0] = ~0ull;
    if (prepared.width > 0) {
        m_columns = std::move(prepared.columns);
        const quint64 key[4] = {m_model.revision(), 0, quint64(m_model.requestCount()), quint64(prepared.width)};
        std::copy(std::begin(key), std::end(key), std::begin(m_columnsKey));
    }
    m_zoom.setTrace(0, m_model.requestCount()); // shows every request
    if (keepZoom)
        setViewRange(shownStart, shownCount);
    if (viewStart() == shownStart && viewCount() == shownCount)
        changed(); // same range, new content
    Q_EMIT modelReady();
}

void BreakdownView::waitForModel()
{
    m_build.finishNow();
}

bool BreakdownView::isPreparing() const
{
    return m_pendingRows > 0; // until the result is adopted, not just computed
}

void BreakdownView::setMode(BreakdownModel::Mode mode)
{
    m_model.setMode(mode);
    changed();
}

void BreakdownView::setOrder(BreakdownModel::Order order, int layer)
{
    m_model.setOrder(order, layer);
    changed();
}

void BreakdownView::setLayerShown(int layer, bool shown)
{
    m_model.setLayerShown(layer, shown);
    Q_EMIT layerToggled(layer, shown);
    update();
}

void BreakdownView::setLogScale(bool logScale)
{
    m_logScale = logScale;
    update();
}

void BreakdownView::setScaleIncludesP99(bool include)
{
    m_scaleIncludesP99 = include;
    update();
}

QRect BreakdownView::plotRect() const
{
    return layout(rect()).plot;
}

double BreakdownView::axisMaxMs() const
{
    return scaleFor(plotRect()).maxMs;
}

int BreakdownView::clippedP99Count() const
{
    const QRect plot = plotRect();
    return clippedP99Count(plot, scaleFor(plot));
}

int BreakdownView::clippedP99Count(const QRect &plot, const BreakdownScale &scale) const
{
    if (!isAggregatedIn(plot))
        return 0;
    const auto &summaries = columns(plot.width());
    return int(std::count_if(summaries.begin(), summaries.end(), [&scale](const BreakdownModel::ColumnSummary &column) {
        return column.count > 0 && column.p99Total > scale.maxMs;
    }));
}

void BreakdownView::changed()
{
    update();
    Q_EMIT visibleRangeChanged();
}

void BreakdownView::setViewRange(double start, double count)
{
    m_zoom.setVisibleSpan(start, count);
}

void BreakdownView::resetZoom()
{
    m_zoom.showWholeTrace();
}

void BreakdownView::visibleIndexRange(int *first, int *last) const
{
    const int total = m_model.requestCount();
    *first = std::clamp(int(std::floor(viewStart())), 0, total);
    *last = std::clamp(int(std::ceil(m_zoom.visibleEnd())), *first, total);
}

std::vector<int> BreakdownView::visibleRows() const
{
    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    const std::vector<int> &ordered = m_model.orderedRows();
    return std::vector<int>(ordered.begin() + first, ordered.begin() + last);
}

BreakdownGeometry BreakdownView::layout(const QRect &target) const
{
    BreakdownGeometry geometry;
    const QFontMetrics metrics(font());
    const int line = metrics.height() + 4;
    geometry.header = QRect(target.left() + 8, target.top() + 4, target.width() - 16, line);

    // Legend items flow left to right under the header, wrapping as needed.
    int x = target.left() + kBreakdownLeftMargin;
    int y = geometry.header.bottom() + 4;
    const int right = target.right() - kRightMargin;
    for (int layer = 0; layer < m_model.layerCount(); ++layer) {
        if (!m_model.layerAvailable(layer))
            continue;
        const int width = 14 + 4 + metrics.horizontalAdvance(m_model.layerTitle(layer)) + 12;
        if (x + width > right && x > target.left() + kBreakdownLeftMargin) {
            x = target.left() + kBreakdownLeftMargin;
            y += line;
        }
        geometry.legendItems.emplace_back(layer, QRect(x, y, width, line));
        x += width;
    }
    const int legendBottom = geometry.legendItems.empty() ? y : y + line;
    const BreakdownIdLabels ids = idLabels(right - (target.left() + kBreakdownLeftMargin) + 1);
    geometry.plot = QRect(QPoint(target.left() + kBreakdownLeftMargin, legendBottom + 8),
                          QPoint(right, target.bottom() - std::max(kBreakdownBottomMargin, ids.height)));
    return geometry;
}

BreakdownIdLabels BreakdownView::idLabels(int plotWidth) const
{
    BreakdownIdLabels labels;
    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    if (last - first > kMaxIdLabelBars || last <= first || viewCount() <= 0 || plotWidth / viewCount() < kMinBarWidth)
        return labels;
    labels.shown = true;
    const QFontMetrics metrics(font());
    const double barWidth = plotWidth / viewCount();
    int widest = 0;
    for (int i = first; i < last; ++i)
        widest = std::max(widest, metrics.horizontalAdvance(shortRequestId(*m_model.table(), m_model.orderedRows()[size_t(i)],
                                                                    kBreakdownIdLabelChars)));
    labels.rotated = widest + 4 > barWidth;
    labels.height = labels.rotated ? std::min(widest, kMaxIdLabelHeight) + 10 : kBreakdownBottomMargin;
    return labels;
}

QString BreakdownView::headerText() const
{
    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    return headerText(layout(rect()).plot, last - first);
}

// What is shown and how: the line above the legend.
QString BreakdownView::headerText(const QRect &plot, int visible) const
{
    QString orderName;
    switch (m_model.order()) {
    case BreakdownModel::Order::Arrival:
        // Say what the order really is: requests without an arrival time keep their file order.
        if (m_model.requestsWithoutArrival() >= m_model.requestCount())
            orderName = tr("file order (no arrival times)");
        else if (m_model.requestsWithoutArrival() > 0)
            orderName = tr("arrival (%1 without one: last, in file order)").arg(m_model.requestsWithoutArrival());
        else
            orderName = tr("arrival");
        break;
    case BreakdownModel::Order::Id: orderName = tr("request id"); break;
    case BreakdownModel::Order::Total: orderName = tr("total, longest first"); break;
    case BreakdownModel::Order::Phase:
        orderName = m_model.orderPhaseLayer() >= 0 ? m_model.layerTitle(m_model.orderPhaseLayer()) + tr(", longest first")
                                                   : tr("phase");
        break;
    }
    QString header = tr("%1 of %2 requests · ordered by %3 · %4")
                         .arg(visible)
                         .arg(m_model.requestCount())
                         .arg(orderName,
                              m_model.mode() == BreakdownModel::Mode::Lifecycle ? tr("full lifecycle")
                                                                                 : tr("time to first token"));
    if (isAggregatedIn(plot) && viewCount() > plot.width()) {
        const int clipped = clippedP99Count(plot, scaleFor(plot));
        header += tr(" · aggregated: ~%1 requests per pixel column (median per phase; dots: p99 of totals")
                      .arg(QString::number(viewCount() / plot.width(), 'f', 1));
        header += clipped > 0 ? tr(", ▲ above the axis in %1 columns)").arg(clipped) : tr(")");
    } else if (isAggregatedIn(plot)) { // too narrow for gaps, yet no column holds two requests
        header += tr(" · one pixel column per request");
    }
    return header;
}

bool BreakdownView::isAggregated() const
{
    return isAggregatedIn(plotRect());
}

// Drawn into `plot` (the widget's, or an export's), the bars are too thin to draw one by one.
bool BreakdownView::isAggregatedIn(const QRect &plot) const
{
    return viewCount() > 0 && plot.width() / viewCount() < kMinBarWidth;
}

const std::vector<BreakdownModel::ColumnSummary> &BreakdownView::columns(int width) const
{
    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    const quint64 key[4] = {m_model.revision(), quint64(first), quint64(last), quint64(width)};
    if (!std::equal(std::begin(key), std::end(key), std::begin(m_columnsKey))) {
        m_columns = m_model.aggregate(first, last, width);
        m_columnImage.invalidate();
        std::copy(std::begin(key), std::end(key), std::begin(m_columnsKey));
    }
    return m_columns;
}

BreakdownScale BreakdownView::scaleFor(const QRect &plot) const
{
    BreakdownScale scale;
    scale.log = m_logScale;
    double maxMs = 0;
    double minMs = std::numeric_limits<double>::infinity();
    std::vector<BreakdownModel::Segment> segments(static_cast<size_t>(m_model.layerCount()));
    auto account = [&](const BreakdownModel::Segment *begin, int n, double extra) {
        double total = 0;
        for (int i = 0; i < n; ++i) {
            total += begin[i].ms;
            if (begin[i].ms > 0)
                minMs = std::min(minMs, double(begin[i].ms));
        }
        maxMs = std::max({maxMs, total, extra});
    };
    if (isAggregatedIn(plot)) {
        for (const BreakdownModel::ColumnSummary &column : columns(plot.width()))
            account(column.medianStack.data(), int(column.medianStack.size()), m_scaleIncludesP99 ? column.p99Total : 0);
    } else {
        for (int row : visibleRows())
            account(segments.data(), m_model.stack(row, segments.data()), 0);
    }
    scale.maxMs = niceCeiling(maxMs * 1.02);
    if (std::isfinite(minMs))
        scale.minLogMs = std::pow(10.0, std::floor(std::log10(minMs)));
    scale.minLogMs = std::min(scale.minLogMs, scale.maxMs / 10);
    if (scale.log)
        scale.maxMs = std::pow(10.0, std::ceil(std::log10(std::max(maxMs, scale.minLogMs * 10))));
    return scale;
}

// Instead of the bars: that they are being prepared, or why there are none.
void BreakdownView::paintStatus(QPainter &painter, const QRect &target, const QColor &text) const
{
    painter.setPen(text);
    if (m_pendingRows > 0) {
        painter.drawText(target, Qt::AlignCenter, tr("Preparing %1 requests…").arg(m_pendingRows));
        return;
    }
    // A loaded input without requests holds aggregates only (e.g. server histograms).
    const QString empty = m_model.table() ? tr("No per-request data in this input; what it holds is in the tabs "
                                               "below (statistics, tool summaries, issues).")
                                          : tr("No requests loaded");
    painter.drawText(target, Qt::AlignCenter, m_model.requestCount() == 0 ? empty : QString());
}

void BreakdownView::render(QPainter &painter, const QRect &target, bool forExport) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QColor background = palette().color(QPalette::Base);
    const QColor text = palette().color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(40);
    painter.fillRect(target, background);
    painter.setFont(font());
    const BreakdownGeometry geometry = layout(target);
    const QRect &plot = geometry.plot;
    if (m_pendingRows > 0 || m_model.requestCount() == 0 || plot.width() < 10 || plot.height() < 10) {
        paintStatus(painter, target, text);
        painter.restore();
        return;
    }
    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    const BreakdownScale scale = scaleFor(plot);
    const bool aggregated = isAggregatedIn(plot);
    const BreakdownFrame frame{m_model, target, geometry, scale, viewStart(), viewCount(), first, last, aggregated,
                               font(), text, background, grid, palette().color(QPalette::Highlight)};
    BreakdownLegendPass::paint(painter, frame, headerText(plot, last - first));
    BreakdownAxesPass::paint(painter, frame, idLabels(plot.width()));
    painter.save();
    painter.setClipRect(target);
    static const std::vector<BreakdownModel::ColumnSummary> noColumns;
    BreakdownBarsPass::paint(painter, frame, aggregated ? columns(plot.width()) : noColumns,
                             forExport ? nullptr : m_selection, forExport ? nullptr : &m_columnImage);
    if (!forExport) {
        BreakdownOverlay overlay;
        overlay.hoverRow = m_hoverRow;
        if (m_rubberBand && m_zoom.hasSelection()) {
            overlay.band = true;
            overlay.bandX0 = xOfIndex(plot, m_zoom.selectionStart());
            overlay.bandX1 = xOfIndex(plot, m_zoom.selectionEnd());
        }
        overlay.paint(painter, frame);
    }
    painter.restore();
    painter.restore();
}

void BreakdownView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    render(painter, rect(), false);
}

double BreakdownView::indexAtX(double x) const
{
    const QRect plot = layout(rect()).plot;
    return viewStart() + (x - plot.left()) * viewCount() / std::max(1, plot.width());
}

// The inverse of indexAtX, rounded to a pixel.
int BreakdownView::xOfIndex(const QRect &plot, double index) const
{
    return int(std::lround(plot.left() + (index - viewStart()) * std::max(1, plot.width()) / viewCount()));
}

int BreakdownView::rowAt(const QPoint &pos) const
{
    const QRect plot = layout(rect()).plot;
    if (!plot.contains(pos) || isAggregated())
        return -1;
    // O(1): the bar under the cursor follows from x alone, no scan over requests.
    const int index = int(std::floor(indexAtX(pos.x())));
    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    if (index < first || index >= last)
        return -1;
    return m_model.orderedRows()[size_t(index)];
}

QPoint BreakdownView::barCenter(int orderIndex) const
{
    const QRect plot = layout(rect()).plot;
    const double barWidth = plot.width() / viewCount();
    const int row = m_model.orderedRows()[size_t(orderIndex)];
    std::vector<BreakdownModel::Segment> segments(static_cast<size_t>(m_model.layerCount()));
    const int n = m_model.stack(row, segments.data());
    double sum = 0;
    for (int s = 0; s < n; ++s)
        sum += segments[size_t(s)].ms;
    const BreakdownScale scale = scaleFor(plot);
    const double x = plot.left() + (orderIndex - viewStart() + 0.5) * barWidth;
    const double y = (scale.toY(sum, plot) + plot.bottom()) / 2;
    return QPoint(int(x), int(y));
}

QRect BreakdownView::legendItemRect(int layer) const
{
    for (const auto &[itemLayer, itemRect] : layout(rect()).legendItems) {
        if (itemLayer == layer)
            return itemRect;
    }
    return QRect();
}

QString BreakdownView::toolTipAt(const QPoint &pos) const
{
    if (m_model.requestCount() == 0)
        return QString();
    const BreakdownGeometry geometry = layout(rect());
    for (const auto &[layer, itemRect] : geometry.legendItems) {
        if (itemRect.contains(pos))
            return QStringLiteral("<b>%1</b><br>%2<br>%3<br><i>%4</i>")
                .arg(m_model.layerTitle(layer), m_model.layerDescription(layer),
                     tr("Measured here: %1").arg(m_model.layerMeasured(layer).toHtmlEscaped()),
                     tr("Click to hide or show"));
    }
    if (!geometry.plot.contains(pos))
        return QString();
    if (isAggregated()) {
        const auto &summaries = columns(geometry.plot.width());
        const int column = pos.x() - geometry.plot.left();
        if (column >= 0 && column < int(summaries.size()) && summaries[size_t(column)].count > 0) {
            const auto &summary = summaries[size_t(column)];
            return BreakdownToolTip::forColumn(m_model, summary, summary.p99Total > scaleFor(geometry.plot).maxMs);
        }
        return QString();
    }
    const int row = rowAt(pos);
    return row >= 0 ? BreakdownToolTip::forRequest(m_model, row) : QString();
}

void BreakdownView::contextMenuEvent(QContextMenuEvent *event)
{
    for (const auto &[layer, itemRect] : layout(rect()).legendItems) {
        if (itemRect.contains(event->pos())) {
            QMenu menu(this);
            PhaseColors::instance().addMenuActions(&menu, m_model.layerName(layer), m_model.layerTitle(layer),
                                                   m_model.layerCatalogColor(layer), this);
            menu.exec(event->globalPos());
            return;
        }
    }
    QWidget::contextMenuEvent(event);
}

void BreakdownView::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    m_pressViewStart = viewStart();
    m_dragging = false;
    m_rubberBand = event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier);
    m_zoom.clearSelection();
    if (m_rubberBand)
        updateBand(m_pressPos);
}

void BreakdownView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->buttons() & Qt::LeftButton) {
        if ((pos - m_pressPos).manhattanLength() > 3)
            m_dragging = true;
        if (m_rubberBand) {
            updateBand(pos);
        } else if (m_dragging) {
            const QRect plot = layout(rect()).plot;
            const double barsPerPixel = viewCount() / std::max(1, plot.width());
            setViewRange(m_pressViewStart - (pos.x() - m_pressPos.x()) * barsPerPixel, viewCount());
        }
        return;
    }
    const int row = rowAt(pos);
    if (row != m_hoverRow) {
        m_hoverRow = row;
        update();
    }
    const QString tip = toolTipAt(pos);
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tip, this);
}

// The band between the press and `end` is the zoom control's selection (inside the visible range).
void BreakdownView::updateBand(const QPoint &end)
{
    m_zoom.setSelection(indexAtX(m_pressPos.x()), indexAtX(end.x()));
    update();
}

// Zooms to the band when it spans more than half a bar.
void BreakdownView::finishBand(const QPoint &end)
{
    updateBand(end);
    m_rubberBand = false;
    const bool zoom = m_zoom.hasSelection() && m_zoom.selectionEnd() - m_zoom.selectionStart() > 0.5;
    const double start = m_zoom.selectionStart(), count = m_zoom.selectionEnd() - m_zoom.selectionStart();
    m_zoom.clearSelection();
    if (zoom)
        setViewRange(start, count);
    update();
}

void BreakdownView::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_rubberBand) {
        finishBand(pos);
        return;
    }
    if (m_dragging || event->button() != Qt::LeftButton)
        return;
    for (const auto &[layer, itemRect] : layout(rect()).legendItems) {
        if (itemRect.contains(pos)) {
            setLayerShown(layer, !m_model.isLayerShown(layer));
            return;
        }
    }
    clickAt(pos, event->modifiers() & Qt::ControlModifier);
}

// A click selects the request under it, or every request of an aggregated column; `extend`
// toggles them in the selection instead.
void BreakdownView::clickAt(const QPoint &pos, bool extend)
{
    std::vector<int> rows;
    if (isAggregated()) {
        const QRect plot = layout(rect()).plot;
        const auto &summaries = columns(plot.width());
        const int column = pos.x() - plot.left();
        if (column >= 0 && column < int(summaries.size())) {
            const auto &summary = summaries[size_t(column)];
            for (int i = summary.firstIndex; i < summary.firstIndex + summary.count; ++i)
                rows.push_back(m_model.orderedRows()[size_t(i)]);
        }
    } else if (const int row = rowAt(pos); row >= 0) {
        rows.push_back(row);
    }
    if (extend) {
        std::vector<int> merged = m_selection->rows();
        for (int row : rows) {
            const auto at = std::find(merged.begin(), merged.end(), row);
            if (at == merged.end())
                merged.push_back(row);
            else
                merged.erase(at);
        }
        m_selection->setRows(std::move(merged));
    } else {
        m_selection->setRows(std::move(rows));
    }
}

void BreakdownView::zoomAt(double factor, double anchorX)
{
    // The bar under the cursor stays under the cursor.
    m_zoom.zoomAbout(indexAtX(anchorX), factor);
}

void BreakdownView::panBy(double bars)
{
    m_zoom.panBy(bars);
}

void BreakdownView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier)
        zoomAt(std::pow(0.8, steps), event->position().x());
    else
        panBy(-steps * viewCount() * 0.1);
    event->accept();
}

void BreakdownView::keyPressEvent(QKeyEvent *event)
{
    const double center = layout(rect()).plot.center().x();
    switch (event->key()) {
    case Qt::Key_Home: resetZoom(); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_W: zoomAt(0.8, center); break;
    case Qt::Key_Minus:
    case Qt::Key_S: zoomAt(1.25, center); break;
    case Qt::Key_Left:
    case Qt::Key_A: panBy(-viewCount() * 0.1); break;
    case Qt::Key_Right:
    case Qt::Key_D: panBy(viewCount() * 0.1); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

void BreakdownView::leaveEvent(QEvent *)
{
    if (m_hoverRow >= 0) {
        m_hoverRow = -1;
        update();
    }
}

} // namespace Phaseline
