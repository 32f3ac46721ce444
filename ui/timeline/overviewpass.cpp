#include "overviewpass.h"

#include "timelineframe.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace Phaseline {

void OverviewPass::paint(QPainter &painter, const TimelineFrame &frame)
{
    const QRect area = frame.geometry.overview;
    painter.setPen(frame.palette.mid().color());
    painter.drawText(QRect(6, area.top(), kTimelineGutter - 12, area.height()), Qt::AlignVCenter | Qt::AlignLeft,
                     tr("whole run"));
    if (frame.state.concurrency.empty())
        return;
    if (m_curve.size() != area.size())
        drawCurve(frame, area.size());
    painter.drawImage(area.topLeft(), m_curve);
    const TimelineLayout &layout = frame.layout();
    const double span = layout.runEnd() - layout.runStart();
    if (span > 0) {
        const double x0 = area.left() + (frame.axis.viewStart - layout.runStart()) / span * area.width();
        const double x1 = area.left() + (frame.axis.viewEnd - layout.runStart()) / span * area.width();
        const QRectF window(QPointF(std::max<double>(area.left(), x0), area.top()),
                            QPointF(std::min<double>(area.right(), std::max(x1, x0 + 2)), area.bottom()));
        painter.fillRect(window, QColor(0x1F, 0x77, 0xB4, 60));
        painter.setPen(QPen(QColor(0x1F, 0x77, 0xB4), 1));
        painter.drawRect(window);
    }
    painter.setPen(frame.palette.mid().color());
    painter.drawRect(area.adjusted(0, 0, -1, -1));
}

void OverviewPass::drawCurve(const TimelineFrame &frame, const QSize &size)
{
    m_curve = QImage(size, QImage::Format_ARGB32_Premultiplied);
    m_curve.fill(frame.palette.alternateBase().color());
    QPainter image(&m_curve);
    const TimelineLayout &layout = frame.layout();
    const ConcurrencySeries &inFlight = frame.state.concurrency.front();
    const int peak = std::max(1, inFlight.maximum());
    const double span = layout.runEnd() - layout.runStart();
    QPainterPath path(QPointF(0, size.height()));
    for (int x = 0; x <= size.width(); ++x) {
        const double t = layout.runStart() + span * (x + 0.5) / size.width();
        path.lineTo(x, size.height() - double(inFlight.countAt(t)) / peak * (size.height() - 2));
    }
    path.lineTo(size.width(), size.height());
    image.fillPath(path, QColor(0x80, 0x80, 0x80, 160));
}

} // namespace Phaseline
