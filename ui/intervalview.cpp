#include "intervalview.h"

#include "core/phasecatalog.h"
#include "phasecolors.h"
#include "analysis/axisstep.h"

#include <QContextMenuEvent>
#include <QDateTime>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace Phaseline {

namespace {

constexpr int kLeftMargin = 64;
constexpr int kRightMargin = 56; // the requests axis
constexpr int kBottomMargin = 30;
constexpr int kRowGap = 8;
constexpr int kStacked = 3;   // queue, prefill, decode
constexpr int kFirstTick = 3; // ttft and e2e: drawn as ticks, not stacked (they span the others)
const QColor kRequestsColor(0x30, 0x30, 0x30);
const QColor kRestartColor(0xD6, 0x27, 0x28);

// Legend items after the stacked phases.
enum LegendItem { LegendTtft = kStacked, LegendE2e, LegendRequests, LegendGap, LegendRestart, LegendItemCount };

const QStringList &trackedPhases()
{
    static const QStringList phases{QStringLiteral("queue"), QStringLiteral("prefill"), QStringLiteral("decode"),
                                    QStringLiteral("ttft"), QStringLiteral("e2e")};
    return phases;
}

// The common catalogue holds queue, prefill, decode and e2e: the same colours as the request views.
QColor phaseColor(const QString &name)
{
    static const PhaseCatalog catalog = PhaseCatalog::common();
    for (const QVector<PhaseDefinition> *list : {&catalog.all(), &catalog.totals()}) {
        for (const PhaseDefinition &phase : *list) {
            if (phase.name == name)
                return PhaseColors::instance().color(phase);
        }
    }
    return QColor(0x7F, 0x7F, 0x7F);
}

quint32 catalogColor(const QString &name)
{
    static const PhaseCatalog catalog = PhaseCatalog::common();
    const int index = catalog.indexOf(name);
    return index >= 0 ? catalog.at(index).color : 0xFF7F7F7F;
}

// Ticks: TTFT in its catalogue blue, end to end darker than its grey so it reads over decode.
QPen tickPen(int tracked)
{
    const QColor color = phaseColor(trackedPhases()[tracked]);
    return QPen(tracked == kFirstTick ? color : color.darker(160), 2);
}


QString number(double value)
{
    return QString::number(value, 'g', 6);
}

QString countText(double count)
{
    if (std::isnan(count))
        return QStringLiteral("–");
    return std::floor(count) == count && std::abs(count) < 1e15 ? QString::number(count, 'f', 0) : number(count);
}

QString msText(double seconds)
{
    return std::isfinite(seconds) ? number(seconds * 1e3) + QStringLiteral(" ms") : QStringLiteral("–");
}

QString quantileText(const QuantileEstimate &estimate)
{
    if (!estimate.valid)
        return QStringLiteral("–");
    if (estimate.aboveLastBound())
        return QStringLiteral("≥ %1 ms").arg(number(estimate.lower * 1e3));
    return QStringLiteral("≈ %1 ms").arg(number(estimate.value * 1e3));
}

QString clockText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString durationText(qint64 ms)
{
    if (ms < 120000)
        return QStringLiteral("%1 s").arg(number(ms / 1e3));
    if (ms < 7200000)
        return QStringLiteral("%1 min").arg(number(ms / 6e4));
    return QStringLiteral("%1 h").arg(number(ms / 3.6e6));
}

} // namespace

QString IntervalView::legendTitle(int item)
{
    switch (item) {
    case LegendTtft: return tr("Time-to-first-token mean");
    case LegendE2e: return tr("End-to-end mean");
    case LegendRequests: return tr("Requests finished per interval (right axis)");
    case LegendGap: return tr("No data");
    case LegendRestart: return tr("Counter reset (restart)");
    default: return tr("%1 mean").arg(phaseTitle(stackedPhases()[item]));
    }
}

const QStringList &IntervalView::stackedPhases()
{
    static const QStringList phases = trackedPhases().mid(0, kStacked);
    return phases;
}

QString IntervalView::phaseTitle(const QString &phase)
{
    static const QHash<QString, QString> titles{
        {QStringLiteral("queue"), tr("Queue")},
        {QStringLiteral("prefill"), tr("Prefill")},
        {QStringLiteral("decode"), tr("Decode")},
        {QStringLiteral("inference"), tr("Inference")},
        {QStringLiteral("ttft"), tr("Time to first token")},
        {QStringLiteral("itl"), tr("Inter-token latency")},
        {QStringLiteral("e2e"), tr("End to end")},
    };
    static const QLatin1String stage("stage:");
    if (phase.startsWith(stage))
        return tr("SGLang stage %1").arg(phase.mid(stage.size()));
    return titles.value(phase, phase);
}

IntervalView::IntervalView(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 220);
    connect(&PhaseColors::instance(), &PhaseColors::changed, this, qOverload<>(&QWidget::update));
}

bool IntervalView::isEmpty() const
{
    return m_dataEndMs <= m_dataStartMs;
}

void IntervalView::setSeries(const QVector<IntervalSeries> &series, bool keepView)
{
    // Live: a view of everything keeps showing everything, one at the end follows it.
    const bool showsAll = m_viewStartMs <= m_dataStartMs && m_viewEndMs >= m_dataEndMs;
    const bool followEnd = m_viewEndMs >= m_dataEndMs;
    const double viewSpan = m_viewEndMs - m_viewStartMs;
    m_series = series;
    m_tracks.assign(size_t(series.size()), Track());
    m_dataStartMs = std::numeric_limits<qint64>::max();
    m_dataEndMs = std::numeric_limits<qint64>::min();
    for (int s = 0; s < series.size(); ++s) {
        Track &track = m_tracks[size_t(s)];
        const QVector<MetricsInterval> &intervals = series[s].intervals;
        const size_t n = size_t(intervals.size());
        track.start.resize(n);
        track.end.resize(n);
        track.segment.resize(n);
        track.requests.resize(n);
        for (int p = 0; p < kTracked; ++p) {
            track.count[size_t(p)].assign(n, 0.0);
            track.sum[size_t(p)].assign(n, 0.0);
        }
        for (size_t i = 0; i < n; ++i) {
            const MetricsInterval &interval = intervals[int(i)];
            track.start[i] = interval.startMs;
            track.end[i] = interval.endMs;
            track.segment[i] = interval.segment;
            track.requests[i] = interval.requestsFinished;
            for (const IntervalPhase &phase : interval.phases) {
                const int p = int(trackedPhases().indexOf(phase.phase));
                if (p < 0)
                    continue;
                track.present[size_t(p)] = true;
                track.count[size_t(p)][i] = phase.count;
                track.sum[size_t(p)][i] = phase.sumSeconds;
            }
        }
        if (n > 0) {
            m_dataStartMs = std::min(m_dataStartMs, track.start.front());
            m_dataEndMs = std::max(m_dataEndMs, track.end.back());
        }
    }
    if (m_dataEndMs < m_dataStartMs)
        m_dataStartMs = m_dataEndMs = 0;
    ++m_revision;
    m_hoverSeries = m_hoverIndex = -1;
    if (!keepView)
        m_selectionStartMs = m_selectionEndMs = 0;
    if (!keepView || showsAll) {
        resetZoom();
    } else if (followEnd && viewSpan > 0) {
        setViewRange(m_dataEndMs - viewSpan, m_dataEndMs);
    } else {
        update();
    }
}

void IntervalView::setViewRange(double startMs, double endMs)
{
    const double total = double(m_dataEndMs - m_dataStartMs);
    double span = std::clamp(endMs - startMs, std::min(total, 10.0), std::max(total, 1.0));
    startMs = std::clamp(startMs, double(m_dataStartMs), std::max(double(m_dataStartMs), m_dataEndMs - span));
    if (isEmpty())
        span = 1;
    m_viewStartMs = startMs;
    m_viewEndMs = startMs + span;
    update();
    Q_EMIT visibleRangeChanged();
}

void IntervalView::resetZoom()
{
    setViewRange(double(m_dataStartMs), double(m_dataEndMs));
}

void IntervalView::selectRange(double startMs, double endMs)
{
    m_selectionStartMs = std::min(startMs, endMs);
    m_selectionEndMs = std::max(startMs, endMs);
    update();
    Q_EMIT rangeSelected();
}

void IntervalView::clearSelection()
{
    if (!hasSelection())
        return;
    m_selectionStartMs = m_selectionEndMs = 0;
    update();
    Q_EMIT rangeSelected();
}

bool IntervalView::selectedIntervals(int series, int *first, int *last) const
{
    if (!hasSelection() || series < 0 || series >= int(m_tracks.size()))
        return false;
    const Track &track = m_tracks[size_t(series)];
    // Intervals do not overlap, so their middles ascend with their starts.
    const auto middle = [&track](int i) { return (double(track.start[size_t(i)]) + double(track.end[size_t(i)])) / 2; };
    int lo = 0, hi = track.size();
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (middle(mid) < m_selectionStartMs)
            lo = mid + 1;
        else
            hi = mid;
    }
    int end = lo;
    while (end < track.size() && middle(end) <= m_selectionEndMs)
        ++end;
    if (end == lo)
        return false;
    *first = lo;
    *last = end - 1;
    return true;
}

void IntervalView::visibleIndexRange(int series, int *first, int *last) const
{
    const Track &track = m_tracks[size_t(series)];
    *first = int(std::upper_bound(track.end.begin(), track.end.end(), qint64(std::floor(m_viewStartMs))) - track.end.begin());
    *last = int(std::lower_bound(track.start.begin(), track.start.end(), qint64(std::ceil(m_viewEndMs))) - track.start.begin());
    *last = std::max(*first, *last);
}

double IntervalView::toX(double ms, const QRect &plot) const
{
    const double span = std::max(1.0, m_viewEndMs - m_viewStartMs);
    return plot.left() + (ms - m_viewStartMs) / span * plot.width();
}

double IntervalView::xToTime(double x, const QRect &plot) const
{
    const double span = std::max(1.0, m_viewEndMs - m_viewStartMs);
    return m_viewStartMs + (x - plot.left()) / std::max(1, plot.width()) * span;
}

double IntervalView::timeAtX(double x) const
{
    const Geometry geometry = layout(rect());
    return geometry.plots.empty() ? m_viewStartMs : xToTime(x, geometry.plots.front());
}

QRect IntervalView::plotRect(int series) const
{
    const Geometry geometry = layout(rect());
    return series >= 0 && series < int(geometry.plots.size()) ? geometry.plots[size_t(series)] : QRect();
}

// Intervals whose start falls in the same pixel column are pooled into one bar; a bar stretches
// to the end of its last interval, so a long interval keeps its true width.
const std::vector<IntervalView::Bar> &IntervalView::bars(int series, const QRect &plot) const
{
    if (m_barCache.size() != m_tracks.size())
        m_barCache.assign(m_tracks.size(), BarCache());
    BarCache &cache = m_barCache[size_t(series)];
    if (cache.revision == m_revision && cache.start == m_viewStartMs && cache.end == m_viewEndMs
        && cache.left == plot.left() && cache.width == plot.width())
        return cache.bars;
    cache.revision = m_revision;
    cache.start = m_viewStartMs;
    cache.end = m_viewEndMs;
    cache.left = plot.left();
    cache.width = plot.width();
    cache.bars.clear();
    const Track &track = m_tracks[size_t(series)];
    int first = 0, last = 0;
    visibleIndexRange(series, &first, &last);
    double column = -std::numeric_limits<double>::infinity();
    for (int i = first; i < last; ++i) {
        const size_t at = size_t(i);
        const double left = toX(double(track.start[at]), plot);
        const double startColumn = std::floor(left);
        if (cache.bars.empty() || startColumn != column) {
            Bar bar;
            bar.left = left;
            bar.first = i;
            bar.newSegment = i > 0 && track.segment[at] != track.segment[at - 1];
            cache.bars.push_back(bar);
            column = startColumn;
        }
        Bar &bar = cache.bars.back();
        bar.right = toX(double(track.end[at]), plot);
        ++bar.count;
        if (!std::isnan(track.requests[at])) { // missing (no e2e histogram) is not zero
            bar.requests += track.requests[at];
            ++bar.counted;
        }
        bar.newSegment = bar.newSegment || (i > bar.first && track.segment[at] != track.segment[at - 1]);
        for (size_t p = 0; p < size_t(kTracked); ++p) {
            bar.observed[p] += track.count[p][at];
            bar.sum[p] += track.sum[p][at];
        }
    }
    return cache.bars;
}

std::vector<IntervalView::DrawnBar> IntervalView::drawnBars(int series) const
{
    std::vector<DrawnBar> drawn;
    const QRect plot = plotRect(series);
    if (plot.isEmpty())
        return drawn;
    for (const Bar &bar : bars(series, plot)) {
        DrawnBar numbers{bar.first, bar.count, bar.counted > 0 ? bar.requests : std::nan(""), {}};
        for (int p = 0; p < kTracked; ++p)
            numbers.meanMs[size_t(p)] = bar.observed[size_t(p)] > 0 ? bar.meanMs(p) : std::nan("");
        drawn.push_back(numbers);
    }
    return drawn;
}

const QStringList &IntervalView::drawnPhases()
{
    return trackedPhases();
}

bool IntervalView::aggregatedIn(const QRect &plot) const
{
    for (int s = 0; s < int(m_tracks.size()); ++s) {
        for (const Bar &bar : bars(s, plot)) {
            if (bar.count > 1)
                return true;
        }
    }
    return false;
}

bool IntervalView::isAggregated() const
{
    const Geometry geometry = layout(rect());
    return !geometry.plots.empty() && aggregatedIn(geometry.plots.front());
}

IntervalView::Geometry IntervalView::layout(const QRect &target) const
{
    Geometry geometry;
    const QFontMetrics metrics(font());
    const int line = metrics.height() + 4;
    geometry.header = QRect(target.left() + 8, target.top() + 4, target.width() - 16, line);
    int x = target.left() + kLeftMargin;
    int y = geometry.header.bottom() + 2;
    const int right = target.right() - kRightMargin;
    for (int item = 0; item < LegendItemCount; ++item) {
        if (item < kTracked) {
            const bool present = std::any_of(m_tracks.begin(), m_tracks.end(),
                                             [item](const Track &track) { return track.present[size_t(item)]; });
            if (!present)
                continue;
        }
        const int width = 14 + 4 + metrics.horizontalAdvance(legendTitle(item)) + 12;
        if (x + width > right && x > target.left() + kLeftMargin) {
            x = target.left() + kLeftMargin;
            y += line;
        }
        geometry.legendItems.emplace_back(item, QRect(x, y, width, line));
        x += width;
    }
    const int top = y + line + 4;
    const int bottom = target.bottom() - kBottomMargin;
    const int n = std::max(1, int(m_tracks.size()));
    const int rowHeight = (bottom - top - kRowGap * (n - 1)) / n;
    for (int s = 0; s < int(m_tracks.size()); ++s) {
        const QRect row(target.left() + kLeftMargin, top + s * (rowHeight + kRowGap), right - target.left() - kLeftMargin + 1,
                        rowHeight);
        geometry.rows.push_back(row);
        geometry.plots.push_back(row.adjusted(0, line, 0, 0));
    }
    return geometry;
}

QString IntervalView::headerText() const
{
    const Geometry geometry = layout(rect());
    return geometry.plots.empty() ? QString() : headerText(geometry.plots.front());
}

QString IntervalView::headerText(const QRect &plot) const
{
    int visible = 0, total = 0, widest = 0;
    for (int s = 0; s < int(m_tracks.size()); ++s) {
        int first = 0, last = 0;
        visibleIndexRange(s, &first, &last);
        visible += last - first;
        total += m_tracks[size_t(s)].size();
        for (const Bar &bar : bars(s, plot))
            widest = std::max(widest, bar.count);
    }
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(qint64(m_viewStartMs));
    const QDateTime end = QDateTime::fromMSecsSinceEpoch(qint64(m_viewEndMs));
    const QString dateTime = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    QString header = tr("%n series", nullptr, int(m_tracks.size()))
                     + tr(" · %1 of %2 intervals · %3 – %4 (%5, local time %6)")
                           .arg(visible)
                           .arg(total)
                           .arg(start.toString(dateTime),
                                end.toString(end.date() == start.date() ? QStringLiteral("HH:mm:ss") : dateTime), durationText(qint64(m_viewEndMs - m_viewStartMs)),
                                start.timeZoneAbbreviation());
    if (widest > 1)
        header += tr(" · aggregated: up to %1 intervals per pixel column (pooled means; line: mean per interval)")
                      .arg(widest);
    return header;
}

void IntervalView::render(QPainter &painter, const QRect &target, bool forExport) const
{
    const QColor text = palette().color(QPalette::Text);
    const QColor grid(text.red(), text.green(), text.blue(), 40);
    const QColor gapColor(text.red(), text.green(), text.blue(), 22); // "no data": fainter than the grid
    painter.save();
    painter.fillRect(target, palette().color(QPalette::Base));
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setFont(font());
    const QFontMetrics metrics(font());
    const Geometry geometry = layout(target);
    if (isEmpty() || geometry.plots.empty() || geometry.plots.front().height() < 10 || geometry.plots.front().width() < 10) {
        painter.setPen(text);
        painter.drawText(target, Qt::AlignCenter,
                         isEmpty() ? tr("No per-interval data: intervals come from consecutive /metrics scrapes\n"
                                        "(a vLLM or SGLang server followed live, or a recorded scrape session).")
                                   : QString());
        painter.restore();
        return;
    }
    const QRect &firstPlot = geometry.plots.front();
    painter.setPen(text);
    painter.drawText(geometry.header, Qt::AlignLeft | Qt::AlignVCenter,
                     metrics.elidedText(headerText(firstPlot), Qt::ElideRight, geometry.header.width()));

    // One scale for every row, so that series compare by height.
    double maxMs = 0, maxRequests = 0;
    for (int s = 0; s < int(m_tracks.size()); ++s) {
        for (const Bar &bar : bars(s, geometry.plots[size_t(s)])) {
            double total = 0;
            for (int p = 0; p < kStacked; ++p)
                total += std::max(0.0, bar.meanMs(p));
            maxMs = std::max({maxMs, total, bar.meanMs(kFirstTick), bar.meanMs(kFirstTick + 1)});
            if (bar.counted > 0)
                maxRequests = std::max(maxRequests, bar.requests / bar.counted);
        }
    }
    maxMs = niceCeiling(maxMs * 1.02);
    maxRequests = niceCeiling(maxRequests * 1.02);

    std::array<QVector<QRectF>, kStacked> rects;
    std::array<QVector<QLineF>, kTracked - kStacked> ticks;
    QVector<QLineF> restarts;
    QVector<QRectF> gaps;
    std::vector<QPolygonF> lines;
    for (int s = 0; s < int(m_tracks.size()); ++s) {
        const QRect &plot = geometry.plots[size_t(s)];
        const QRect &row = geometry.rows[size_t(s)];
        const IntervalSeries &series = m_series[s];
        const Track &track = m_tracks[size_t(s)];
        int restartsInSeries = 0;
        double requests = 0;
        for (int i = 0; i < track.size(); ++i) {
            restartsInSeries += i > 0 && track.segment[size_t(i)] != track.segment[size_t(i - 1)];
            if (!std::isnan(track.requests[size_t(i)]))
                requests += track.requests[size_t(i)];
        }
        QString title = series.name.isEmpty() ? tr("series %1").arg(s + 1) : series.name;
        if (!series.engine.isEmpty())
            title += QStringLiteral(" · ") + series.engine;
        title += tr(" · %1 intervals · %2 requests finished").arg(track.size()).arg(countText(requests));
        if (restartsInSeries > 0)
            title += tr(" · %n restart(s)", nullptr, restartsInSeries);
        painter.setPen(text);
        painter.drawText(QRect(row.left(), row.top(), row.width(), plot.top() - row.top()), Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(title, Qt::ElideRight, row.width()));

        // Axes: ms on the left, requests on the right, a few lines each.
        const auto toY = [&plot](double value, double max) {
            return plot.bottom() + 1 - std::clamp(value / max, 0.0, 1.0) * plot.height();
        };
        const int tickCount = plot.height() >= 5 * metrics.height() ? 4 : 2;
        for (int i = 0; i <= tickCount; ++i) {
            const int y = int(std::lround(toY(maxMs * i / tickCount, maxMs)));
            painter.setPen(grid);
            painter.drawLine(plot.left(), y, plot.right(), y);
            painter.setPen(text);
            painter.drawText(QRect(target.left(), y - metrics.height() / 2, kLeftMargin - 6, metrics.height()),
                             Qt::AlignRight | Qt::AlignVCenter, number(maxMs * i / tickCount));
            painter.setPen(kRequestsColor);
            painter.drawText(QRect(plot.right() + 6, y - metrics.height() / 2, kRightMargin - 8, metrics.height()),
                             Qt::AlignLeft | Qt::AlignVCenter, number(maxRequests * i / tickCount));
        }
        painter.save();
        painter.setPen(text);
        painter.translate(target.left() + 12, plot.center().y());
        painter.rotate(-90);
        painter.drawText(QRect(-plot.height() / 2, -metrics.height(), plot.height(), metrics.height() + 2),
                         Qt::AlignCenter, tr("ms"));
        painter.translate(0, target.right() - 12 - (target.left() + 12));
        painter.setPen(kRequestsColor);
        painter.drawText(QRect(-plot.height() / 2, -metrics.height(), plot.height(), metrics.height() + 2),
                         Qt::AlignCenter, tr("requests"));
        painter.restore();
        drawTimeAxis(painter, plot, s == int(m_tracks.size()) - 1, text, grid);

        const std::vector<Bar> &columns = bars(s, plot);
        const double gap = !columns.empty() && columns.size() * 5.0 < plot.width() ? 0.5 : 0;
        double previousEnd = -1;
        int previousLast = -1;
        for (const Bar &bar : columns) {
            const double width = std::max(1.0, bar.right - bar.left);
            // Time not covered by any interval (no scrape there): shaded, never drawn as zero.
            if (previousLast >= 0 && track.start[size_t(bar.first)] > track.end[size_t(previousLast)] && bar.left - previousEnd >= 1)
                gaps.append(QRectF(previousEnd, plot.top(), bar.left - previousEnd, plot.height()));
            if (bar.newSegment)
                restarts.append(QLineF(bar.left, plot.top(), bar.left, plot.bottom()));
            const bool breakLine = lines.empty() || previousLast < 0 || bar.newSegment || bar.counted == 0
                                   || track.start[size_t(bar.first)] > track.end[size_t(previousLast)];
            if (breakLine)
                lines.emplace_back();
            if (bar.counted > 0)
                lines.back().append(QPointF(bar.left + width / 2, toY(bar.requests / bar.counted, maxRequests)));
            double cumulative = 0;
            for (int p = 0; p < kStacked; ++p) {
                const double ms = bar.meanMs(p);
                if (ms <= 0)
                    continue;
                const double bottomY = toY(cumulative, maxMs);
                cumulative += ms;
                const double topY = toY(cumulative, maxMs);
                rects[size_t(p)].append(QRectF(bar.left + gap, topY, width - 2 * gap, bottomY - topY));
            }
            for (int p = kFirstTick; p < kTracked; ++p) {
                const double ms = bar.meanMs(p);
                if (ms > 0) {
                    const double y = toY(ms, maxMs);
                    ticks[size_t(p - kFirstTick)].append(QLineF(bar.left + gap, y, bar.left + width - gap, y));
                }
            }
            previousEnd = bar.left + width;
            previousLast = bar.first + bar.count - 1;
        }
        painter.setPen(text);
        painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    }

    // Time labels under the last row only: the axis is shared.
    const QRect &lastPlot = geometry.plots.back();
    painter.setPen(text);
    painter.drawText(QRect(lastPlot.left(), lastPlot.bottom() + 16, lastPlot.width(), kBottomMargin - 16),
                     Qt::AlignRight | Qt::AlignVCenter, tr("wall-clock time"));

    painter.save();
    painter.setClipRect(QRect(firstPlot.left(), target.top(), firstPlot.width(), target.height()));
    painter.setPen(Qt::NoPen);
    painter.setBrush(gapColor);
    painter.drawRects(gaps);
    for (int p = 0; p < kStacked; ++p) {
        painter.setBrush(phaseColor(stackedPhases()[p]));
        painter.drawRects(rects[size_t(p)]);
    }
    for (int p = kFirstTick; p < kTracked; ++p) {
        painter.setPen(tickPen(p));
        painter.drawLines(ticks[size_t(p - kFirstTick)]);
    }
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(kRequestsColor, 1.2));
    for (const QPolygonF &line : lines) {
        if (line.isEmpty())
            continue;
        if (line.size() > 1)
            painter.drawPolyline(line);
        else
            painter.drawEllipse(line.front(), 1.5, 1.5);
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(QPen(kRestartColor, 2, Qt::DashLine));
    painter.drawLines(restarts);
    for (const QLineF &restart : restarts)
        painter.drawText(QPointF(restart.x1() + 4, restart.y1() + metrics.ascent() + 2), tr("restart"));

    if (!forExport) {
        QColor selection = palette().color(QPalette::Highlight);
        selection.setAlpha(60);
        for (int s = 0; s < int(m_tracks.size()); ++s) {
            int first = 0, last = 0;
            const QRect &plot = geometry.plots[size_t(s)];
            if (selectedIntervals(s, &first, &last)) {
                const double left = toX(double(m_tracks[size_t(s)].start[size_t(first)]), plot);
                const double right = toX(double(m_tracks[size_t(s)].end[size_t(last)]), plot);
                painter.fillRect(QRectF(left, plot.top(), std::max(1.0, right - left), plot.height()), selection);
            }
            if (s == m_hoverSeries && m_hoverIndex >= 0 && m_hoverIndex < m_tracks[size_t(s)].size()) {
                const double left = toX(double(m_tracks[size_t(s)].start[size_t(m_hoverIndex)]), plot);
                const double right = toX(double(m_tracks[size_t(s)].end[size_t(m_hoverIndex)]), plot);
                painter.setPen(QPen(palette().color(QPalette::Highlight), 1));
                painter.setBrush(Qt::NoBrush);
                painter.drawRect(QRectF(left, plot.top(), std::max(1.0, right - left), plot.height() - 1));
            }
        }
        if (m_pressed && (m_dragEnd - m_pressPos).manhattanLength() > 3) {
            painter.setPen(QPen(palette().color(QPalette::Highlight), 1, Qt::DashLine));
            painter.setBrush(Qt::NoBrush);
            const int left = std::min(m_pressPos.x(), m_dragEnd.x());
            const int right = std::max(m_pressPos.x(), m_dragEnd.x());
            painter.drawRect(QRect(left, firstPlot.top(), right - left, lastPlot.bottom() - firstPlot.top()));
        }
    }
    painter.restore();

    // Legend.
    for (const auto &[item, itemRect] : geometry.legendItems) {
        const QRect swatch(itemRect.left(), itemRect.center().y() - 6, 14, 12);
        painter.setPen(Qt::NoPen);
        if (item < kStacked) {
            painter.setBrush(phaseColor(stackedPhases()[item]));
            painter.drawRect(swatch);
        } else if (item == LegendTtft || item == LegendE2e) {
            painter.setPen(tickPen(item));
            painter.drawLine(swatch.left(), swatch.center().y(), swatch.right(), swatch.center().y());
        } else if (item == LegendRequests) {
            painter.setPen(QPen(kRequestsColor, 1.2));
            painter.drawLine(swatch.left(), swatch.center().y() + 3, swatch.right(), swatch.center().y() - 3);
        } else if (item == LegendGap) {
            painter.setBrush(gapColor);
            painter.drawRect(swatch);
        } else {
            painter.setPen(QPen(kRestartColor, 2, Qt::DashLine));
            painter.drawLine(swatch.center().x(), swatch.top(), swatch.center().x(), swatch.bottom());
        }
        painter.setPen(text);
        painter.drawText(itemRect.adjusted(18, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, legendTitle(item));
    }
    painter.restore();
}

// Vertical grid lines at round wall-clock times (local), labels under the last row.
void IntervalView::drawTimeAxis(QPainter &painter, const QRect &plot, bool labels, const QColor &text,
                                const QColor &grid) const
{
    static const qint64 steps[] = {1,      2,      5,      10,      20,      50,      100,     200,      500,
                                   1000,   2000,   5000,   10000,   15000,   30000,   60000,   120000,   300000,
                                   600000, 900000, 1800000, 3600000, 7200000, 10800000, 21600000, 43200000, 86400000};
    const QFontMetrics metrics(font());
    const double span = std::max(1.0, m_viewEndMs - m_viewStartMs);
    const double minSpacingMs = span * (metrics.horizontalAdvance(QStringLiteral("00:00:00.000")) + 24) / plot.width();
    qint64 step = steps[std::size(steps) - 1];
    for (qint64 candidate : steps) {
        if (candidate >= minSpacingMs) {
            step = candidate;
            break;
        }
    }
    const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(qint64(m_viewStartMs)).offsetFromUtc()) * 1000;
    const qint64 firstTick = qint64(std::ceil((m_viewStartMs + offset) / double(step))) * step - offset;
    for (qint64 tick = firstTick; tick <= m_viewEndMs; tick += step) {
        const int x = int(std::lround(toX(double(tick), plot)));
        painter.setPen(grid);
        painter.drawLine(x, plot.top(), x, plot.bottom());
        if (!labels)
            continue;
        painter.setPen(text);
        painter.drawLine(x, plot.bottom(), x, plot.bottom() + 3);
        const QString label = QDateTime::fromMSecsSinceEpoch(tick).toString(
            step < 1000 ? QStringLiteral("HH:mm:ss.zzz") : step < 60000 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
        const int width = metrics.horizontalAdvance(label) + 8;
        painter.drawText(QRect(x - width / 2, plot.bottom() + 4, width, metrics.height()), Qt::AlignCenter, label);
    }
}

bool IntervalView::intervalAt(const QPoint &pos, int *series, int *index, int *count) const
{
    const Geometry geometry = layout(rect());
    for (int s = 0; s < int(geometry.plots.size()); ++s) {
        const QRect &plot = geometry.plots[size_t(s)];
        if (!plot.contains(pos))
            continue;
        const std::vector<Bar> &columns = bars(s, plot);
        // The last bar starting at or left of the point, if it reaches it.
        auto it = std::upper_bound(columns.begin(), columns.end(), double(pos.x()) + 0.5,
                                   [](double x, const Bar &bar) { return x < bar.left; });
        if (it == columns.begin())
            return false;
        --it;
        if (pos.x() + 0.5 > std::max(it->right, it->left + 1))
            return false;
        *series = s;
        *index = it->first;
        if (count)
            *count = it->count;
        return true;
    }
    return false;
}

QPoint IntervalView::intervalCenter(int series, int index) const
{
    const QRect plot = plotRect(series);
    const Track &track = m_tracks[size_t(series)];
    const double left = toX(double(track.start[size_t(index)]), plot);
    const double right = toX(double(track.end[size_t(index)]), plot);
    return QPoint(int(std::floor((left + std::max(left + 1, right)) / 2)), plot.center().y());
}

QString IntervalView::toolTipAt(const QPoint &pos) const
{
    int series = 0, index = 0, count = 0;
    if (!intervalAt(pos, &series, &index, &count))
        return QString();
    if (count == 1)
        return intervalToolTip(series, index);
    const Geometry geometry = layout(rect());
    for (const Bar &bar : bars(series, geometry.plots[size_t(series)])) {
        if (bar.first == index)
            return columnToolTip(series, bar);
    }
    return QString();
}

QString IntervalView::intervalToolTip(int series, int index) const
{
    const MetricsInterval &interval = m_series[series].intervals[index];
    QString tip = QStringLiteral("<b>%1</b><br>%2 – %3 (%4)<br>")
                      .arg(m_series[series].name.toHtmlEscaped(), clockText(interval.startMs), clockText(interval.endMs),
                           durationText(interval.endMs - interval.startMs));
    tip += tr("Requests finished: %1").arg(countText(interval.requestsFinished));
    if (std::isnan(interval.requestsFinished))
        tip += tr(" (not exposed: no end-to-end histogram)");
    if (index > 0 && m_series[series].intervals[index - 1].segment != interval.segment)
        tip += tr("<br><span style='color:#d62728'>First interval after a counter reset (server restart)</span>");
    if (interval.isSingleRequest())
        tip += tr("<br><b>Exactly one request finished:</b> a phase with count 1 is that request's own value (exact).");
    tip += QStringLiteral("<table cellspacing=0 cellpadding=2><tr><th align=left>%1</th><th>%2</th><th>%3</th>"
                          "<th>%4</th><th>%5</th><th>%6</th></tr>")
               .arg(tr("Phase"), tr("count"), tr("mean (exact)"), tr("p50 *"), tr("p90 *"), tr("p99 *"));
    for (const IntervalPhase &phase : interval.phases) {
        QString mean = msText(phase.meanSeconds);
        if (interval.isSingleRequest() && phase.count == 1)
            mean = tr("<b>%1</b> (the request's)").arg(mean);
        tip += QStringLiteral("<tr><td>%1</td><td align=right>%2</td><td align=right>%3</td><td align=right>%4</td>"
                              "<td align=right>%5</td><td align=right>%6</td></tr>")
                   .arg(phaseTitle(phase.phase), countText(phase.count), mean, quantileText(phase.p50),
                        quantileText(phase.p90), quantileText(phase.p99));
    }
    tip += QStringLiteral("</table>");
    tip += tr("* estimated from the interval's bucket counts (linear interpolation inside a bucket); means are exact "
              "(sum Δ / count Δ).");
    return tip;
}

QString IntervalView::columnToolTip(int series, const Bar &bar) const
{
    const Track &track = m_tracks[size_t(series)];
    const int last = bar.first + bar.count - 1;
    QString tip = QStringLiteral("<b>%1</b><br>%2 – %3 (%4)<br>")
                      .arg(m_series[series].name.toHtmlEscaped(), clockText(track.start[size_t(bar.first)]),
                           clockText(track.end[size_t(last)]),
                           durationText(track.end[size_t(last)] - track.start[size_t(bar.first)]));
    tip += tr("%1 intervals pooled in this pixel column (zoom in for each one's numbers and quantiles)<br>").arg(bar.count);
    if (bar.counted > 0)
        tip += tr("Requests finished: %1 (%2 per interval)<br>").arg(countText(bar.requests), number(bar.requests / bar.counted));
    else
        tip += tr("Requests finished: – (not exposed)<br>");
    if (bar.newSegment)
        tip += tr("<span style='color:#d62728'>Includes a counter reset (server restart)</span><br>");
    for (int p = 0; p < kTracked; ++p) {
        if (!track.present[size_t(p)])
            continue;
        const double ms = bar.meanMs(p);
        tip += tr("%1: mean %2 over %3 observations (exact)<br>")
                   .arg(phaseTitle(trackedPhases()[p]), ms >= 0 ? number(ms) + QStringLiteral(" ms") : QStringLiteral("–"),
                        countText(bar.observed[size_t(p)]));
    }
    return tip;
}

void IntervalView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    render(painter, rect(), false);
}

void IntervalView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressed = true;
    m_zoomDrag = event->modifiers() & Qt::ShiftModifier;
    m_pressPos = m_dragEnd = event->position().toPoint();
}

void IntervalView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_pressed) {
        m_dragEnd = pos;
        update();
        return;
    }
    int series = -1, index = -1;
    if (!intervalAt(pos, &series, &index))
        series = index = -1;
    if (series != m_hoverSeries || index != m_hoverIndex) {
        m_hoverSeries = series;
        m_hoverIndex = index;
        update();
    }
    QToolTip::showText(event->globalPosition().toPoint(), toolTipAt(pos), this); // empty: hides it
}

void IntervalView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_pressed || event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    m_pressed = false;
    const QPoint end = event->position().toPoint();
    if (std::abs(end.x() - m_pressPos.x()) <= 3) {
        update();
        return;
    }
    const double start = timeAtX(std::min(end.x(), m_pressPos.x()));
    const double stop = timeAtX(std::max(end.x(), m_pressPos.x()));
    if (m_zoomDrag)
        setViewRange(start, stop);
    else
        selectRange(start, stop);
}

void IntervalView::mouseDoubleClickEvent(QMouseEvent *)
{
    clearSelection();
}

void IntervalView::zoomAt(double factor, double anchorX)
{
    const double anchor = timeAtX(anchorX);
    setViewRange(anchor - (anchor - m_viewStartMs) * factor, anchor + (m_viewEndMs - anchor) * factor);
}

void IntervalView::panBy(double fraction)
{
    const double shift = (m_viewEndMs - m_viewStartMs) * fraction;
    setViewRange(m_viewStartMs + shift, m_viewEndMs + shift);
}

void IntervalView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier)
        zoomAt(std::pow(0.8, steps), event->position().x());
    else
        panBy(-steps * 0.1);
}

void IntervalView::keyPressEvent(QKeyEvent *event)
{
    const double centre = rect().center().x();
    switch (event->key()) {
    case Qt::Key_W: case Qt::Key_Plus: zoomAt(0.8, centre); break;
    case Qt::Key_S: case Qt::Key_Minus: zoomAt(1.25, centre); break;
    case Qt::Key_A: case Qt::Key_Left: panBy(-0.1); break;
    case Qt::Key_D: case Qt::Key_Right: panBy(0.1); break;
    case Qt::Key_Home: resetZoom(); break;
    case Qt::Key_Escape: clearSelection(); break;
    default: QWidget::keyPressEvent(event); return;
    }
}

void IntervalView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    for (const auto &[item, itemRect] : layout(rect()).legendItems) {
        if (item < kStacked && itemRect.contains(event->pos())) {
            const QString phase = stackedPhases()[item];
            PhaseColors::instance().addMenuActions(&menu, phase, phaseTitle(phase), catalogColor(phase), this);
            menu.addSeparator();
        }
    }
    menu.addAction(tr("Reset zoom"), this, &IntervalView::resetZoom);
    menu.addAction(tr("Clear selection"), this, &IntervalView::clearSelection)->setEnabled(hasSelection());
    menu.exec(event->globalPos());
}

void IntervalView::leaveEvent(QEvent *)
{
    if (m_hoverSeries >= 0) {
        m_hoverSeries = m_hoverIndex = -1;
        update();
    }
}

} // namespace Phaseline
