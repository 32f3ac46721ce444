#include "concurrencypass.h"

#include "timelineframe.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace Phaseline {

const std::vector<std::vector<int>> &ConcurrencyPass::valuesFor(const TimelineFrame &frame, int columns)
{
    const QString key = QStringLiteral("%1|%2|%3|%4")
                            .arg(frame.axis.viewStart, 0, 'g', 17)
                            .arg(frame.axis.viewEnd, 0, 'g', 17)
                            .arg(columns)
                            .arg(frame.revision);
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
    painter.fillRect(area, frame.palette.alternateBase());
    const std::vector<ConcurrencySeries> &series = frame.state.concurrency;
    if (series.empty())
        return;
    const int columns = area.width();
    const std::vector<std::vector<int>> &values = valuesFor(frame, columns);
    int peak = 1;
    for (const std::vector<int> &counts : values)
        peak = std::max(peak, counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end()));
    auto yOf = [&](int count) { return area.bottom() - double(count) / peak * (area.height() - 4); };
    const QColor inFlight(0xC4, 0xC4, 0xC4);
    for (int x = 0; x < columns; ++x) {
        const int top = int(std::lround(yOf(values[0][size_t(x)])));
        painter.fillRect(area.left() + x, top, 1, area.bottom() - top + 1, inFlight);
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
    paintLabels(painter, frame, peak);
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
