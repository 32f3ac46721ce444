#include "breakdownoverlay.h"

#include "breakdownframe.h"
#include "analysis/breakdownmodel.h"

#include <QPainter>

#include <algorithm>

namespace Phaseline {

void BreakdownOverlay::paint(QPainter &painter, const BreakdownFrame &frame) const
{
    const QRect &plot = frame.plot();
    const BreakdownModel &model = frame.model;
    if (hoverRow >= 0 && !frame.aggregated) {
        const int index = model.orderIndexOf(hoverRow);
        if (index >= frame.first && index < frame.last) {
            std::vector<BreakdownModel::Segment> segments(static_cast<size_t>(model.layerCount()));
            const int n = model.stack(hoverRow, segments.data());
            double sum = 0;
            for (int s = 0; s < n; ++s)
                sum += segments[size_t(s)].ms;
            const double left = plot.left() + (index - frame.viewStart) * frame.barWidth();
            const double top = frame.scale.toY(sum, plot);
            painter.setPen(QPen(frame.text, 1, Qt::DashLine));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(QRectF(left, top - 1, std::max(1.0, frame.barWidth() - 1), plot.bottom() + 1 - top));
        }
    }
    if (band) {
        QColor fill = frame.highlight;
        fill.setAlpha(60);
        painter.setPen(Qt::NoPen);
        painter.setBrush(fill);
        painter.drawRect(QRect(QPoint(std::min(bandX0, bandX1), plot.top()), QPoint(std::max(bandX0, bandX1), plot.bottom())));
    }
}

} // namespace Phaseline
