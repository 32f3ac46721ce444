#include "rulerpass.h"

#include "timelineframe.h"

#include <QPainter>

#include <cmath>

namespace Phaseline {

namespace {

constexpr double kMinTickPixels = 90;

} // namespace

void RulerPass::paint(QPainter &painter, const TimelineFrame &frame)
{
    const QRect area = frame.geometry.ruler;
    const double secondsPerPixel = frame.span() / area.width();
    const double step = timelineTickStep(secondsPerPixel, kMinTickPixels);
    const double origin = frame.layout().runStart();
    painter.setPen(frame.palette.text().color());
    painter.drawText(QRect(6, area.top(), kTimelineGutter - 12, area.height()), Qt::AlignVCenter | Qt::AlignLeft,
                     tr("time since first request"));
    const double first = std::ceil((frame.axis.viewStart - origin) / step) * step;
    for (double t = first; origin + t <= frame.axis.viewEnd; t += step) {
        const int x = int(std::lround(area.left() + (origin + t - frame.axis.viewStart) / secondsPerPixel));
        painter.drawLine(x, area.bottom() - 5, x, area.bottom());
        painter.drawText(QRect(x - 60, area.top(), 120, area.height() - 6), Qt::AlignCenter,
                         formatTimelineTick(t, step));
    }
    painter.setPen(frame.palette.mid().color());
    painter.drawLine(area.bottomLeft(), area.bottomRight());
}

void RulerPass::paintGrid(QPainter &painter, const TimelineFrame &frame)
{
    const QRect lanes = frame.geometry.lanes;
    const double secondsPerPixel = frame.span() / lanes.width();
    const double step = timelineTickStep(secondsPerPixel, kMinTickPixels);
    const double origin = frame.layout().runStart();
    painter.setPen(QColor(0, 0, 0, 28));
    for (double t = std::ceil((frame.axis.viewStart - origin) / step) * step; origin + t <= frame.axis.viewEnd; t += step) {
        const int x = int(std::lround(lanes.left() + (origin + t - frame.axis.viewStart) / secondsPerPixel));
        painter.drawLine(x, lanes.top(), x, lanes.bottom());
    }
}

} // namespace Phaseline
