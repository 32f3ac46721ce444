#include "axespass.h"

#include "breakdownframe.h"
#include "analysis/breakdownmodel.h"

#include <QPainter>

#include <cmath>

namespace Phaseline {

void BreakdownAxesPass::paint(QPainter &painter, const BreakdownFrame &frame, const BreakdownIdLabels &ids)
{
    const QRect &plot = frame.plot();
    paintYAxis(painter, frame);
    if (!ids.shown) {
        painter.drawText(QRect(plot.left(), plot.bottom() + 6, plot.width(), kBreakdownBottomMargin - 6),
                         Qt::AlignHCenter | Qt::AlignTop,
                         tr("requests in display order: #%1 – #%2").arg(frame.first + 1).arg(frame.last));
    } else {
        paintIds(painter, frame, ids);
    }
    painter.setPen(frame.text);
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
}

void BreakdownAxesPass::paintYAxis(QPainter &painter, const BreakdownFrame &frame)
{
    const QRect &plot = frame.plot();
    const BreakdownScale &scale = frame.scale;
    const QFontMetrics metrics(frame.font);
    painter.setPen(frame.grid);
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
        painter.setPen(frame.grid);
        painter.drawLine(plot.left(), y, plot.right(), y);
        painter.setPen(frame.text);
        painter.drawText(QRect(frame.target.left(), y - metrics.height() / 2, kBreakdownLeftMargin - 6, metrics.height()),
                         Qt::AlignRight | Qt::AlignVCenter, QString::number(tick, 'g', 4));
    }
    painter.save();
    painter.translate(frame.target.left() + 12, plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-plot.height() / 2, -metrics.height(), plot.height(), metrics.height() + 2),
                     Qt::AlignCenter, scale.log ? tr("ms (log)") : tr("ms"));
    painter.restore();
}

// Few bars: each one's request id under it (every n-th when rotated labels would overlap).
void BreakdownAxesPass::paintIds(QPainter &painter, const BreakdownFrame &frame, const BreakdownIdLabels &ids)
{
    const QRect &plot = frame.plot();
    const QFontMetrics metrics(frame.font);
    const double barWidth = frame.barWidth();
    const int step = ids.rotated ? std::max(1, int(std::ceil(metrics.height() / barWidth))) : 1;
    for (int i = frame.first; i < frame.last; i += step) {
        const double centre = plot.left() + (i - frame.viewStart + 0.5) * barWidth;
        const QString id = shortRequestId(*frame.model.table(), frame.model.orderedRows()[size_t(i)],
                                          kBreakdownIdLabelChars);
        if (!ids.rotated) {
            painter.drawText(QRectF(centre - barWidth / 2, plot.bottom() + 4, barWidth, metrics.height()),
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

} // namespace Phaseline
