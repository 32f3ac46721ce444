#include "concurrencypass.h"

#include "timelineframe.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace Phaseline {

QString ConcurrencyPass::valuesKey(const TimelineFrame &frame, int columns)
{
    return QStringLiteral("%1|%2|%3|%4")
        .arg(frame.axis.viewStart, 0, 'g', 17)
        .arg(frame.axis.viewEnd, 0, 'g', 17)
        .arg(columns)
        .arg(frame.revision);
}

const std::vector<std::vector<int>> &ConcurrencyPass::valuesFor(const TimelineFrame &frame, int columns)
{
    const QString key = valuesKey(frame, columns);
    if (key != m_key) {
        std::vector<double> times(static_cast<size_t>(columns));
        for (int x = 0; x < columns; ++x)
            times[size_t(x)] = frame.axis.viewStart + (x + 0.5) / columns * frame.span();
        m_values.resize(frame.state.concurrency.size());
        for (size_t s = 0; s < frame.state.concurrency.size(); ++s)
            frame.state.concurrency[s].countsAt(times, m_values[s]);
        m_key = key;
    }
    return m_values;
}

void ConcurrencyPass::paint(QPainter &painter, const TimelineFrame &frame)
{
    const QRect area = frame.geometry.concurrency;
    if (frame.state.concurrency.empty()) {
        painter.fillRect(area, frame.palette.alternateBase());
        return;
    }
    const qreal ratio = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
    const QString key = QStringLiteral("%1|%2|%3x%4|%5")
                            .arg(valuesKey(frame, area.width()))
                            .arg(ratio)
                            .arg(area.width())
                            .arg(area.height())
                            .arg(frame.palette.alternateBase().color().rgba());
    if (key != m_stripKey) {
        drawStrip(frame, area, ratio);
        m_stripKey = key;
    }
    painter.drawImage(area.topLeft(), m_strip);
    paintLabels(painter, frame, m_peak);
}

// The strip is opaque, so drawing it once into an image and copying that on every frame
// (hover and selection repaint the whole widget) gives the same pixels for less.
void ConcurrencyPass::drawStrip(const TimelineFrame &frame, const QRect &area, qreal ratio)
{
    m_strip = QImage(area.size() * ratio, QImage::Format_ARGB32_Premultiplied);
    m_strip.setDevicePixelRatio(ratio);
    m_strip.fill(frame.palette.base().color()); // what the strip is drawn over on the widget
    const std::vector<ConcurrencySeries> &series = frame.state.concurrency;
    const int columns = area.width();
    const std::vector<std::vector<int>> &values = valuesFor(frame, columns);
    m_peak = 1;
    for (const std::vector<int> &counts : values)
        m_peak = std::max(m_peak, counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end()));
    const int peak = m_peak;
    auto yOf = [&](int count) { return area.bottom() - double(count) / peak * (area.height() - 4); };
    auto topOf = [&](int x) { return int(std::lround(yOf(values[0][size_t(x)]))); };
    const QColor inFlight(0xC4, 0xC4, 0xC4);
    QPainter painter(&m_strip);
    painter.translate(-area.topLeft());
    painter.fillRect(area, frame.palette.alternateBase());
    if (ratio == 1.0) {
        // Straight into the pixels: a painter call per column costs more than the column.
        painter.end();
        uchar *pixels = m_strip.bits();
        const size_t stride = size_t(m_strip.bytesPerLine());
        const QRgb color = inFlight.rgba(); // opaque: premultiplied is the same
        for (int x = 0; x < columns; ++x) {
            for (int y = topOf(x); y <= area.bottom(); ++y)
                reinterpret_cast<QRgb *>(pixels + size_t(y - area.top()) * stride)[x] = color;
        }
        painter.begin(&m_strip);
        painter.translate(-area.topLeft());
    } else {
        for (int x = 0; x < columns; ++x)
            painter.fillRect(area.left() + x, topOf(x), 1, area.bottom() - topOf(x) + 1, inFlight);
    }
    // Aliased 2 px steps: an antialiased polyline of this many points costs more than the lanes.
    for (size_t s = 1; s < series.size(); ++s) {
        QPolygon line;
        line.reserve(columns);
        for (int x = 0; x < columns; ++x)
            line << QPoint(area.left() + x, int(std::lround(yOf(values[s][size_t(x)]))));
        painter.setPen(QPen(QColor::fromRgba(series[s].color).darker(115), 0));
        painter.drawPolyline(line);
        painter.drawPolyline(line.translated(0, -1));
    }
}

// In the gutter: the series and the scale.
void ConcurrencyPass::paintLabels(QPainter &painter, const TimelineFrame &frame, int peak) const
{
    const QRect area = frame.geometry.concurrency;
    const std::vector<ConcurrencySeries> &series = frame.state.concurrency;
    QFont small = painter.font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter.setFont(small);
    const int lineHeight = QFontMetrics(small).height();
    int y = area.top();
    for (size_t s = 0; s < series.size() && y + lineHeight <= area.bottom() + 2; ++s, y += lineHeight) {
        const QColor color = s == 0 ? QColor(0x90, 0x90, 0x90) : QColor::fromRgba(series[s].color);
        painter.fillRect(QRect(6, y + 3, 10, lineHeight - 6), color);
        painter.setPen(frame.palette.text().color());
        painter.drawText(QRect(20, y, kTimelineGutter - 26, lineHeight), Qt::AlignVCenter | Qt::AlignLeft,
                         series[s].title);
    }
    painter.setPen(frame.palette.text().color());
    painter.drawText(area.adjusted(4, 0, -4, 0), Qt::AlignTop | Qt::AlignRight, tr("peak %1 requests").arg(peak));
    painter.setFont(frame.font);
}

} // namespace Phaseline
