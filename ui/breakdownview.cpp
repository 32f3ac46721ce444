#include "breakdownview.h"

#include "axisstep.h"
#include "phasecolors.h"
#include "requestdescription.h"
#include "requestselection.h"
#include "statistics.h"

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

QColor layerColor(const BreakdownModel &model, int layer)
{
    return PhaseColors::instance().color(model.layerName(layer), model.layerCatalogColor(layer));
}

namespace {

constexpr int kLeftMargin = 64;
constexpr int kRightMargin = 12;
constexpr int kBottomMargin = 30;
constexpr int kMissingCapHeight = 8;
constexpr int kClipCaretWidth = 7; // carets of clipped p99 marks: at most one per this many columns
constexpr double kMinBarWidth = 2.0; // narrower bars are aggregated per pixel column
constexpr int kMaxIdLabelBars = 60;   // up to this many bars carry their request ids below them
constexpr int kIdLabelChars = 40;     // of an id read for a label (ids may be megabytes long)
constexpr int kTooltipIdChars = 200;
constexpr int kMaxIdLabelHeight = 110; // rotated ids are elided to this many pixels

// The first `chars` characters of a request's id, with "…" when cut: never the whole of an id
// that may be megabytes long.
QString shortId(const RequestTable &table, int row, int chars)
{
    const std::string_view id = table.idView(row);
    // Four UTF-8 bytes at most per character; the cut may split one, which fromUtf8 replaces.
    const size_t bytes = std::min(id.size(), size_t(chars) * 4);
    QString text = QString::fromUtf8(id.data(), qsizetype(bytes));
    if (text.size() > chars || bytes < id.size())
        text = text.left(chars - 1) + QChar(0x2026);
    return text;
}

// "Decode <grey>(client)</grey>": which side's clock measured a phase, beside its name.
QString sideTagged(const QString &title, const QString &side)
{
    return side.isEmpty() ? title
                          : QStringLiteral("%1 <font color='#808080'>(%2)</font>").arg(title, side.toHtmlEscaped());
}

} // namespace

double BreakdownView::Scale::toY(double ms, const QRect &plot) const
{
    double fraction = 0;
    if (log) {
        fraction = ms <= minLogMs ? 0 : (std::log10(ms) - std::log10(minLogMs)) / (std::log10(maxMs) - std::log10(minLogMs));
    } else {
        fraction = ms / maxMs;
    }
    return plot.bottom() + 1 - std::clamp(fraction, 0.0, 1.0) * plot.height();
}

BreakdownView::BreakdownView(RequestSelection *selection, QWidget *parent)
    : QWidget(parent), m_selection(selection),
      m_build([this](PreparedModel prepared) { adoptModel(std::move(prepared)); })
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 220);
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
    const double start = m_viewStart, count = m_viewCount;
    const bool keepZoom = std::exchange(m_update, false) && count < m_model.requestCount();
    m_model = std::move(*prepared.model);
    m_pendingRows = 0;
    m_viewStart = 0;
    m_viewCount = m_model.requestCount();
    // A new model restarts its revisions: cached columns are only those built with it.
    m_columnsKey[0] = ~0ull;
    if (prepared.width > 0) {
        m_columns = std::move(prepared.columns);
        const quint64 key[4] = {m_model.revision(), 0, quint64(m_model.requestCount()), quint64(prepared.width)};
        std::copy(std::begin(key), std::end(key), std::begin(m_columnsKey));
    }
    if (keepZoom)
        setViewRange(start, count);
    changed();
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

int BreakdownView::clippedP99Count(const QRect &plot, const Scale &scale) const
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
    const double total = m_model.requestCount();
    count = std::clamp(count, std::min(total, 5.0), total);
    start = std::clamp(start, 0.0, std::max(0.0, total - count));
    if (start == m_viewStart && count == m_viewCount)
        return;
    m_viewStart = start;
    m_viewCount = count;
    changed();
}

void BreakdownView::resetZoom()
{
    setViewRange(0, m_model.requestCount());
}

void BreakdownView::visibleIndexRange(int *first, int *last) const
{
    const int total = m_model.requestCount();
    *first = std::clamp(int(std::floor(m_viewStart)), 0, total);
    *last = std::clamp(int(std::ceil(m_viewStart + m_viewCount)), *first, total);
}

std::vector<int> BreakdownView::visibleRows() const
{
    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    const std::vector<int> &ordered = m_model.orderedRows();
    return std::vector<int>(ordered.begin() + first, ordered.begin() + last);
}

BreakdownView::Geometry BreakdownView::layout(const QRect &target) const
{
    Geometry geometry;
    const QFontMetrics metrics(font());
    const int line = metrics.height() + 4;
    geometry.header = QRect(target.left() + 8, target.top() + 4, target.width() - 16, line);

    // Legend items flow left to right under the header, wrapping as needed.
    int x = target.left() + kLeftMargin;
    int y = geometry.header.bottom() + 4;
    const int right = target.right() - kRightMargin;
    for (int layer = 0; layer < m_model.layerCount(); ++layer) {
        if (!m_model.layerAvailable(layer))
            continue;
        const int width = 14 + 4 + metrics.horizontalAdvance(m_model.layerTitle(layer)) + 12;
        if (x + width > right && x > target.left() + kLeftMargin) {
            x = target.left() + kLeftMargin;
            y += line;
        }
        geometry.legendItems.emplace_back(layer, QRect(x, y, width, line));
        x += width;
    }
    const int legendBottom = geometry.legendItems.empty() ? y : y + line;
    const IdLabels ids = idLabels(right - (target.left() + kLeftMargin) + 1);
    geometry.plot = QRect(QPoint(target.left() + kLeftMargin, legendBottom + 8),
                          QPoint(right, target.bottom() - std::max(kBottomMargin, ids.height)));
    return geometry;
}

BreakdownView::IdLabels BreakdownView::idLabels(int plotWidth) const
{
    IdLabels labels;
    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    if (last - first > kMaxIdLabelBars || last <= first || m_viewCount <= 0 || plotWidth / m_viewCount < kMinBarWidth)
        return labels;
    labels.shown = true;
    const QFontMetrics metrics(font());
    const double barWidth = plotWidth / m_viewCount;
    int widest = 0;
    for (int i = first; i < last; ++i)
        widest = std::max(widest, metrics.horizontalAdvance(shortId(*m_model.table(), m_model.orderedRows()[size_t(i)],
                                                                    kIdLabelChars)));
    labels.rotated = widest + 4 > barWidth;
    labels.height = labels.rotated ? std::min(widest, kMaxIdLabelHeight) + 10 : kBottomMargin;
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
    if (isAggregatedIn(plot) && m_viewCount > plot.width()) {
        const int clipped = clippedP99Count(plot, scaleFor(plot));
        header += tr(" · aggregated: ~%1 requests per pixel column (median per phase; dots: p99 of totals")
                      .arg(QString::number(m_viewCount / plot.width(), 'f', 1));
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
    return m_viewCount > 0 && plot.width() / m_viewCount < kMinBarWidth;
}

const std::vector<BreakdownModel::ColumnSummary> &BreakdownView::columns(int width) const
{
    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    const quint64 key[4] = {m_model.revision(), quint64(first), quint64(last), quint64(width)};
    if (!std::equal(std::begin(key), std::end(key), std::begin(m_columnsKey))) {
        m_columns = m_model.aggregate(first, last, width);
        std::copy(std::begin(key), std::end(key), std::begin(m_columnsKey));
    }
    return m_columns;
}

BreakdownView::Scale BreakdownView::scaleFor(const QRect &plot) const
{
    Scale scale;
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
    if (m_pendingRows > 0) {
        painter.setPen(text);
        painter.drawText(target, Qt::AlignCenter, tr("Preparing %1 requests…").arg(m_pendingRows));
        painter.restore();
        return;
    }
    const Geometry geometry = layout(target);
    const QRect &plot = geometry.plot;
    const int total = m_model.requestCount();
    if (total == 0 || plot.width() < 10 || plot.height() < 10) {
        painter.setPen(text);
        // A loaded input without requests holds aggregates only (e.g. server histograms).
        const QString empty = m_model.table() ? tr("No per-request data in this input; what it holds is in the tabs "
                                                   "below (statistics, tool summaries, issues).")
                                              : tr("No requests loaded");
        painter.drawText(target, Qt::AlignCenter, total == 0 ? empty : QString());
        painter.restore();
        return;
    }

    int first = 0, last = 0;
    visibleIndexRange(&first, &last);
    const double barWidth = plot.width() / m_viewCount;
    const bool aggregated = barWidth < kMinBarWidth;
    const Scale scale = scaleFor(plot);

    const QString header = headerText(plot, last - first);
    painter.setPen(text);
    painter.drawText(geometry.header, Qt::AlignLeft | Qt::AlignVCenter, header);

    // Legend texts (swatches are drawn with their phase's bars: one paint group per phase).
    for (const auto &[layer, itemRect] : geometry.legendItems) {
        QColor itemText = text;
        if (!m_model.isLayerShown(layer))
            itemText.setAlpha(110);
        painter.setPen(itemText);
        painter.drawText(itemRect.adjusted(18, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, m_model.layerTitle(layer));
    }

    // Axes and grid.
    const QFontMetrics metrics(font());
    painter.setPen(grid);
    std::vector<double> ticks;
    if (scale.log) {
        for (double v = scale.minLogMs; v <= scale.maxMs * 1.0001; v *= 10)
            ticks.push_back(v);
    } else {
        for (int i = 0; i <= 5; ++i)
            ticks.push_back(scale.maxMs * i / 5);
    }
    for (double tick : ticks) {
        const int y = int(std::lround(scale.toY(tick, plot)));
        painter.setPen(grid);
        painter.drawLine(plot.left(), y, plot.right(), y);
        painter.setPen(text);
        painter.drawText(QRect(target.left(), y - metrics.height() / 2, kLeftMargin - 6, metrics.height()),
                         Qt::AlignRight | Qt::AlignVCenter, QString::number(tick, 'g', 4));
    }
    painter.save();
    painter.translate(target.left() + 12, plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-plot.height() / 2, -metrics.height(), plot.height(), metrics.height() + 2),
                     Qt::AlignCenter, scale.log ? tr("ms (log)") : tr("ms"));
    painter.restore();
    const IdLabels ids = idLabels(plot.width());
    if (!ids.shown) {
        painter.drawText(QRect(plot.left(), plot.bottom() + 6, plot.width(), kBottomMargin - 6),
                         Qt::AlignHCenter | Qt::AlignTop,
                         tr("requests in display order: #%1 – #%2").arg(first + 1).arg(last));
    } else {
        // Few bars: each one's request id under it (every n-th when rotated labels would overlap).
        const double idBarWidth = plot.width() / m_viewCount;
        const int step = ids.rotated ? std::max(1, int(std::ceil(metrics.height() / idBarWidth))) : 1;
        for (int i = first; i < last; i += step) {
            const double centre = plot.left() + (i - m_viewStart + 0.5) * idBarWidth;
            const QString id = shortId(*m_model.table(), m_model.orderedRows()[size_t(i)], kIdLabelChars);
            if (!ids.rotated) {
                painter.drawText(QRectF(centre - idBarWidth / 2, plot.bottom() + 4, idBarWidth, metrics.height()),
                                 Qt::AlignHCenter | Qt::AlignTop, id);
                continue;
            }
            const int length = ids.height - 10;
            painter.save();
            painter.translate(centre, plot.bottom() + 5);
            painter.rotate(-90);
            painter.drawText(QRect(-length, -metrics.height() / 2, length, metrics.height()),
                             Qt::AlignRight | Qt::AlignVCenter, metrics.elidedText(id, Qt::ElideRight, length));
            painter.restore();
        }
    }
    painter.setPen(text);
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());

    // Bars: rectangles per layer, so each layer is one batch (and one SVG group).
    const int layers = m_model.layerCount();
    std::vector<QVector<QRectF>> rects(static_cast<size_t>(layers));
    QVector<QRectF> missingCaps, p99Marks, selectedOutlines;
    QVector<QPointF> anomalies, clippedCarets;
    const std::vector<int> &ordered = m_model.orderedRows();
    std::vector<BreakdownModel::Segment> segments(static_cast<size_t>(layers));
    auto stackRects = [&](double left, double width, const BreakdownModel::Segment *stack, int n) {
        double cumulative = 0;
        double top = plot.bottom() + 1;
        for (int s = 0; s < n; ++s) {
            const double bottomY = scale.toY(cumulative, plot);
            cumulative += stack[s].ms;
            top = scale.toY(cumulative, plot);
            if (bottomY - top > 0)
                rects[size_t(stack[s].layer)].append(QRectF(left, top, width, bottomY - top));
        }
        return top;
    };
    if (aggregated) {
        const auto &summaries = columns(plot.width());
        for (int c = 0; c < int(summaries.size()); ++c) {
            const auto &column = summaries[size_t(c)];
            if (column.count == 0)
                continue;
            const double left = plot.left() + c;
            const double top = stackRects(left, 1, column.medianStack.data(), int(column.medianStack.size()));
            if (column.anyMissing)
                missingCaps.append(QRectF(left, top - kMissingCapHeight, 1, kMissingCapHeight));
            if (column.anyAnomaly)
                anomalies.append(QPointF(left + 0.5, plot.bottom() + 3));
            if (column.p99Total <= scale.maxMs)
                p99Marks.append(QRectF(left, scale.toY(column.p99Total, plot) - 1, 1, 2));
            else if (clippedCarets.isEmpty() || left - clippedCarets.last().x() >= kClipCaretWidth - 0.5)
                clippedCarets.append(QPointF(left + 0.5, plot.top()));
            if (!forExport && !m_selection->isEmpty()) {
                for (int i = column.firstIndex; i < column.firstIndex + column.count; ++i) {
                    if (m_selection->contains(ordered[size_t(i)])) {
                        selectedOutlines.append(QRectF(left, plot.top(), 1, 4));
                        break;
                    }
                }
            }
        }
    } else {
        const double gap = barWidth >= 5 ? std::max(1.0, barWidth * 0.15) : 0;
        for (int i = first; i < last; ++i) {
            const int row = ordered[size_t(i)];
            const double left = plot.left() + (i - m_viewStart) * barWidth + gap / 2;
            const double width = barWidth - gap;
            const int n = m_model.stack(row, segments.data());
            const double top = stackRects(left, width, segments.data(), n);
            if (m_model.hasMissing(row))
                missingCaps.append(QRectF(left, top - kMissingCapHeight, width, kMissingCapHeight));
            if (m_model.hasAnomaly(row))
                anomalies.append(QPointF(left + width / 2, plot.bottom() + 3));
            if (!forExport && m_selection->contains(row))
                selectedOutlines.append(QRectF(left, top, width, plot.bottom() + 1 - top));
        }
    }
    painter.save();
    painter.setClipRect(target);
    painter.setPen(Qt::NoPen);
    for (int layer = 0; layer < layers; ++layer) {
        const auto legend = std::find_if(geometry.legendItems.begin(), geometry.legendItems.end(),
                                         [layer](const auto &item) { return item.first == layer; });
        if (rects[size_t(layer)].isEmpty() && legend == geometry.legendItems.end())
            continue;
        painter.setBrush(layerColor(m_model, layer));
        if (legend != geometry.legendItems.end() && m_model.isLayerShown(layer))
            rects[size_t(layer)].append(QRectF(legend->second.left(), legend->second.center().y() - 6, 14, 12));
        painter.drawRects(rects[size_t(layer)]);
    }
    // Hidden layers: hollow swatches.
    for (const auto &[layer, itemRect] : geometry.legendItems) {
        if (m_model.isLayerShown(layer))
            continue;
        painter.setPen(QPen(layerColor(m_model, layer), 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(itemRect.left() + 0.5, itemRect.center().y() - 5.5, 13, 11));
    }
    // Missing phases: an empty dashed box on top of what was recorded, never a 0 ms bar.
    // (Not a hatch: Qt's SVG output cannot carry pattern brushes.)
    painter.setPen(QPen(text, 1, Qt::DashLine));
    painter.setBrush(background);
    painter.drawRects(missingCaps);
    painter.setPen(Qt::NoPen);
    painter.setBrush(text);
    painter.drawRects(p99Marks);
    for (const QPointF &at : clippedCarets) { // pointing up: the p99 lies above the axis
        const int half = kClipCaretWidth / 2;
        const QPointF caret[3] = {at, at + QPointF(-half, half + 2), at + QPointF(half, half + 2)};
        painter.drawPolygon(caret, 3);
    }
    painter.setBrush(QColor(0xD6, 0x27, 0x28));
    for (const QPointF &at : anomalies) {
        const QPointF triangle[3] = {at, at + QPointF(-3, 5), at + QPointF(3, 5)};
        painter.drawPolygon(triangle, 3);
    }
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
    painter.drawRects(selectedOutlines);

    if (!forExport && m_hoverRow >= 0 && !aggregated) {
        const int index = m_model.orderIndexOf(m_hoverRow);
        if (index >= first && index < last) {
            const int n = m_model.stack(m_hoverRow, segments.data());
            double sum = 0;
            for (int s = 0; s < n; ++s)
                sum += segments[size_t(s)].ms;
            const double left = plot.left() + (index - m_viewStart) * barWidth;
            const double top = scale.toY(sum, plot);
            painter.setPen(QPen(text, 1, Qt::DashLine));
            painter.drawRect(QRectF(left, top - 1, std::max(1.0, barWidth - 1), plot.bottom() + 1 - top));
        }
    }
    if (!forExport && m_rubberBand) {
        QColor band = palette().color(QPalette::Highlight);
        band.setAlpha(60);
        painter.setPen(Qt::NoPen);
        painter.setBrush(band);
        painter.drawRect(QRect(QPoint(std::min(m_pressPos.x(), m_rubberEnd.x()), plot.top()),
                               QPoint(std::max(m_pressPos.x(), m_rubberEnd.x()), plot.bottom())));
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
    return m_viewStart + (x - plot.left()) * m_viewCount / std::max(1, plot.width());
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
    const double barWidth = plot.width() / m_viewCount;
    const int row = m_model.orderedRows()[size_t(orderIndex)];
    std::vector<BreakdownModel::Segment> segments(static_cast<size_t>(m_model.layerCount()));
    const int n = m_model.stack(row, segments.data());
    double sum = 0;
    for (int s = 0; s < n; ++s)
        sum += segments[size_t(s)].ms;
    const Scale scale = scaleFor(plot);
    const double x = plot.left() + (orderIndex - m_viewStart + 0.5) * barWidth;
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

QString BreakdownView::requestToolTip(int row) const
{
    const RequestTable &table = *m_model.table();
    const PhaseResolver resolver(table);
    const PhaseCatalog &catalog = table.phases();
    std::vector<BreakdownModel::Segment> segments(static_cast<size_t>(m_model.layerCount()));
    const int n = m_model.stack(row, segments.data());
    double stackTotal = 0;
    for (int s = 0; s < n; ++s)
        stackTotal += segments[size_t(s)].ms;

    QString html = QStringLiteral("<b>Request %1</b><br>%2<table cellspacing=0 cellpadding=1>")
                       .arg(shortId(table, row, kTooltipIdChars).toHtmlEscaped(),
                            describeRoleAndServers(table, row).toHtmlEscaped());
    auto rowHtml = [](const QColor &color, const QString &name, const QString &value, const QString &share) {
        return QStringLiteral("<tr><td><font color='%1'>■</font> %2</td><td align=right>&nbsp;%3</td>"
                              "<td align=right>&nbsp;%4</td></tr>")
            .arg(color.name(), name, value, share);
    };
    QStringList missing;
    for (int l = 0; l < m_model.layerCount(); ++l) {
        const int phase = m_model.layerPhase(l);
        if (!m_model.layerAvailable(l))
            continue;
        const bool drawn = std::any_of(segments.begin(), segments.begin() + n,
                                       [l](const BreakdownModel::Segment &s) { return s.layer == l; });
        if (phase < 0) { // the decode remainder (lifecycle mode)
            const float ms = m_model.layerMs(l, row);
            if (std::isnan(ms) && m_model.isMissingFor(l, row))
                missing << m_model.layerTitle(l);
            else if (!std::isnan(ms))
                html += rowHtml(layerColor(m_model, l), m_model.layerTitle(l), formatMilliseconds(ms) + QStringLiteral(" ms"),
                                stackTotal > 0 ? QString::number(100.0 * ms / stackTotal, 'f', 1) + QLatin1Char('%')
                                               : QString());
            continue;
        }
        double ms = 0;
        int span = -1;
        const PhaseState state = resolver.duration(phase, row, &ms, &span);
        if (state == PhaseState::Missing) {
            if (m_model.isMissingFor(l, row))
                missing << catalog.at(phase).title;
            continue;
        }
        QString share;
        if (state == PhaseState::Anomaly)
            share = QStringLiteral("<font color='#d62728'>⚠ end before start</font>");
        else if (drawn && stackTotal > 0)
            share = QString::number(100.0 * ms / stackTotal, 'f', 1) + QLatin1Char('%');
        else if (!m_model.isLayerShown(l))
            share = tr("hidden");
        else
            share = tr("in sub-phases");
        html += rowHtml(PhaseColors::instance().color(catalog.at(phase)),
                        sideTagged(catalog.at(phase).title, spanSide(catalog.at(phase).spans.at(span))),
                        formatMilliseconds(ms) + QStringLiteral(" ms"), share);
    }
    html += QStringLiteral("</table>");
    html += tr("Stack total: <b>%1 ms</b>").arg(formatMilliseconds(stackTotal));
    // Totals and decode are named for what measured them: a client's e2e is not a server's.
    auto measuredLine = [](const PhaseDefinition &definition, double ms, int span) {
        return QStringLiteral("<br>%1: %2 ms <font color='#808080'>(%3)</font>")
            .arg(definition.title, formatMilliseconds(ms), describeSpan(definition.spans.at(span)).toHtmlEscaped());
    };
    const PhaseResolver totals(table, catalog.totals());
    for (int t = 0; t < catalog.totals().size(); ++t) {
        double ms = 0;
        int span = -1;
        if (totals.duration(t, row, &ms, &span) == PhaseState::Recorded)
            html += measuredLine(catalog.totals().at(t), ms, span);
    }
    const int decode = catalog.indexOf(QStringLiteral("decode"));
    double decodeMs = 0;
    int decodeSpan = -1;
    if (decode >= 0 && resolver.duration(decode, row, &decodeMs, &decodeSpan) != PhaseState::Missing) {
        html += measuredLine(catalog.at(decode), decodeMs, decodeSpan);
        if (m_model.mode() == BreakdownModel::Mode::Lifecycle)
            html += tr("<br><i>decode overlaps the postprocessing phases; the stack draws only the part after the "
                       "first token was sent</i>");
    }
    if (!missing.isEmpty())
        html += tr("<br><font color='#d62728'>Not recorded: %1</font>").arg(missing.join(QStringLiteral(", ")));
    const QString derived = table.label(QStringLiteral("approximations"), row);
    if (!derived.isEmpty())
        html += tr("<br><i>Derived, not stamped: %1</i>").arg(derived.toHtmlEscaped());
    const double runStart = m_model.runStart();
    if (!isMissing(m_model.arrival(row)) && !isMissing(runStart)) {
        html += tr("<br>Arrival: +%1 s after the first request (clock %2)")
                    .arg(QString::number(m_model.arrival(row) - runStart, 'f', 6),
                         table.label(QStringLiteral("clock"), row).toHtmlEscaped());
    }
    return html;
}

QString BreakdownView::columnToolTip(const BreakdownModel::ColumnSummary &column, bool p99AboveAxis) const
{
    QString html = tr("<b>%1 requests</b> (#%2 – #%3 in display order)<table cellspacing=0 cellpadding=1>")
                       .arg(column.count)
                       .arg(column.firstIndex + 1)
                       .arg(column.firstIndex + column.count);
    double sum = 0;
    for (const BreakdownModel::Segment &segment : column.medianStack) {
        sum += segment.ms;
        html += QStringLiteral("<tr><td><font color='%1'>■</font> %2</td><td align=right>&nbsp;median %3 ms</td></tr>")
                    .arg(layerColor(m_model, segment.layer).name(), m_model.layerTitle(segment.layer),
                         formatMilliseconds(segment.ms));
    }
    html += QStringLiteral("</table>");
    html += tr("Sum of medians: %1 ms · p99 of totals: %2 ms").arg(formatMilliseconds(sum), formatMilliseconds(column.p99Total));
    if (p99AboveAxis)
        html += tr(" (above the axis: ▲)");
    if (column.anyMissing)
        html += tr("<br>Some requests here miss phases.");
    if (column.anyAnomaly)
        html += tr("<br><font color='#d62728'>Some requests here have phases ending before they start.</font>");
    html += tr("<br><i>Zoom in (Ctrl+wheel, Shift+drag) to see single requests.</i>");
    return html;
}

QString BreakdownView::toolTipAt(const QPoint &pos) const
{
    if (m_model.requestCount() == 0)
        return QString();
    const Geometry geometry = layout(rect());
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
            return columnToolTip(summary, summary.p99Total > scaleFor(geometry.plot).maxMs);
        }
        return QString();
    }
    const int row = rowAt(pos);
    return row >= 0 ? requestToolTip(row) : QString();
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
    m_pressViewStart = m_viewStart;
    m_dragging = false;
    m_rubberBand = event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier);
    m_rubberEnd = m_pressPos;
}

void BreakdownView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->buttons() & Qt::LeftButton) {
        if ((pos - m_pressPos).manhattanLength() > 3)
            m_dragging = true;
        if (m_rubberBand) {
            m_rubberEnd = pos;
            update();
        } else if (m_dragging) {
            const QRect plot = layout(rect()).plot;
            const double barsPerPixel = m_viewCount / std::max(1, plot.width());
            setViewRange(m_pressViewStart - (pos.x() - m_pressPos.x()) * barsPerPixel, m_viewCount);
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

void BreakdownView::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_rubberBand) {
        m_rubberBand = false;
        const double a = indexAtX(std::min(m_pressPos.x(), pos.x()));
        const double b = indexAtX(std::max(m_pressPos.x(), pos.x()));
        if (b - a > 0.5)
            setViewRange(a, b - a);
        update();
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
    const bool extend = event->modifiers() & Qt::ControlModifier;
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
    const double anchor = indexAtX(anchorX);
    const double count = m_viewCount * factor;
    const double fraction = (anchor - m_viewStart) / std::max(m_viewCount, 1e-9);
    setViewRange(anchor - fraction * count, count);
}

void BreakdownView::panBy(double bars)
{
    setViewRange(m_viewStart + bars, m_viewCount);
}

void BreakdownView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier)
        zoomAt(std::pow(0.8, steps), event->position().x());
    else
        panBy(-steps * m_viewCount * 0.1);
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
    case Qt::Key_A: panBy(-m_viewCount * 0.1); break;
    case Qt::Key_Right:
    case Qt::Key_D: panBy(m_viewCount * 0.1); break;
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
