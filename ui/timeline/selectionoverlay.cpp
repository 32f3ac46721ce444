#include "selectionoverlay.h"

#include "timelineframe.h"

#include <QPainter>

#include <algorithm>

namespace Phaseline {

namespace {

constexpr size_t kMaxOutlinedRows = 5000; // larger selections are not outlined one by one

QRectF partRect(const TimelineFrame &frame, int part)
{
    const TimelineLayout &layout = frame.layout();
    const double top = frame.geometry.laneTop(layout.partLane(part));
    const double x0 = frame.xOfTime(layout.partStart(part));
    const double x1 = std::max(x0 + 2, frame.xOfTime(layout.partEnd(part)));
    const double height = frame.geometry.laneHeightOf(layout.partLane(part));
    return QRectF(x0, top, x1 - x0, std::max(2.0, height - (height >= 5 ? 1 : 0)));
}

} // namespace

void SelectionOverlay::paint(QPainter &painter, const TimelineFrame &frame, const TimelineOverlay &overlay)
{
    painter.save();
    painter.setClipRect(frame.geometry.lanes.adjusted(-1, -1, 1, 1));
    if (!overlay.selectedRows.empty() && overlay.selectedRows.size() <= kMaxOutlinedRows)
        paintSelected(painter, frame, overlay.selectedRows);
    if (overlay.hoverPart >= 0 && overlay.hoverPart < frame.layout().partCount())
        paintHovered(painter, frame, overlay.hoverPart);
    painter.restore();
    if (overlay.band != TimelineOverlay::Band::None)
        paintBand(painter, frame, overlay);
}

void SelectionOverlay::paintSelected(QPainter &painter, const TimelineFrame &frame, const std::vector<int> &rows)
{
    const TimelineLayout &layout = frame.layout();
    painter.setPen(QPen(frame.palette.highlight().color().darker(130), 1.5));
    painter.setBrush(Qt::NoBrush);
    for (int row : rows) {
        const auto [begin, end] = layout.partsOfRow(row);
        for (const quint32 *p = begin; p != end; ++p) {
            if (layout.partEnd(int(*p)) >= frame.axis.viewStart && layout.partStart(int(*p)) <= frame.axis.viewEnd)
                painter.drawRect(partRect(frame, int(*p)));
        }
    }
}

void SelectionOverlay::paintHovered(QPainter &painter, const TimelineFrame &frame, int part)
{
    const TimelineLayout &layout = frame.layout();
    const auto [begin, end] = layout.partsOfRow(layout.partRow(part));
    painter.setPen(QPen(Qt::black, 1.5));
    std::vector<QRectF> rects;
    for (const quint32 *p = begin; p != end; ++p) {
        rects.push_back(partRect(frame, int(*p)));
        painter.drawRect(rects.back());
    }
    if (rects.size() > 1) {
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(QPen(Qt::black, 1, Qt::DashLine));
        for (size_t i = 1; i < rects.size(); ++i)
            painter.drawLine(QPointF(rects[i].left(), rects[0].center().y()),
                             rects[i].topLeft() + QPointF(0, rects[i].height() / 2));
    }
}

void SelectionOverlay::paintBand(QPainter &painter, const TimelineFrame &frame, const TimelineOverlay &overlay)
{
    const TimelineGeometry &geometry = frame.geometry;
    const int x0 = std::min(overlay.bandX0, overlay.bandX1), x1 = std::max(overlay.bandX0, overlay.bandX1);
    const QRect band(QPoint(x0, geometry.concurrency.top()), QPoint(x1, geometry.lanes.bottom()));
    painter.fillRect(band, QColor(0x1F, 0x77, 0xB4, 40));
    painter.setPen(QPen(QColor(0x1F, 0x77, 0xB4), 1, Qt::DashLine));
    painter.drawRect(band);
    const double origin = frame.layout().runStart();
    const double t0 = frame.timeAtX(x0) - origin, t1 = frame.timeAtX(x1) - origin;
    const double step = timelineTickStep((t1 - t0) / 4, 1);
    const QString what = overlay.band == TimelineOverlay::Band::Zoom ? tr("zoom to %1") : tr("select %1");
    painter.drawText(band.adjusted(4, 2, -4, 0), Qt::AlignTop | Qt::AlignLeft, what.arg(formatTimelineTick(t1 - t0, step)));
}

} // namespace Phaseline
