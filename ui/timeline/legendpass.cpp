#include "legendpass.h"

#include "phasecolors.h"
#include "core/requesttable.h"
#include "timelineframe.h"

#include <QPainter>

namespace Phaseline {

void LegendPass::paintTitle(QPainter &painter, const TimelineFrame &frame, const QString &clock)
{
    const TimelineLayout &layout = frame.layout();
    QString text = tr("Clock: %1 · %2 requests in %3 lanes")
                       .arg(clock.isEmpty() ? tr("(unnamed)") : clock)
                       .arg(layout.rowsShown())
                       .arg(layout.laneCount());
    QStringList left;
    if (layout.rowsOnOtherClocks() > 0)
        left << tr("%1 on other clocks").arg(layout.rowsOnOtherClocks());
    if (layout.rowsWithoutWallClock() > 0)
        left << tr("%1 with durations only (no wall clock)").arg(layout.rowsWithoutWallClock());
    if (layout.rowsWithoutStamps() > 0)
        left << tr("%1 without stamps").arg(layout.rowsWithoutStamps());
    if (!left.isEmpty())
        text += tr(" · not shown: %1").arg(left.join(QStringLiteral(", ")));
    painter.drawText(frame.geometry.title.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
}

void LegendPass::paintLegend(QPainter &painter, const TimelineFrame &frame)
{
    const PhaseCatalog &catalog = frame.table.phases();
    const std::vector<bool> &used = frame.state.phaseShown;
    const QRect area = frame.geometry.legend;
    int x = area.left();
    int y = area.top() + 4;
    const QFontMetrics metrics(frame.font);
    for (int p = 0; p < catalog.size(); ++p) {
        if (!used[size_t(p)])
            continue;
        const QString title = catalog.at(p).title;
        const int itemWidth = 16 + metrics.horizontalAdvance(title) + 14;
        if (x + itemWidth > area.right()) {
            x = area.left();
            y += metrics.height();
            if (y + metrics.height() > area.bottom() + 2)
                break;
        }
        painter.fillRect(QRect(x, y + 2, 12, metrics.height() - 6), PhaseColors::instance().color(catalog.at(p)));
        painter.setPen(frame.palette.text().color());
        painter.drawText(QRect(x + 16, y, itemWidth - 16, metrics.height()), Qt::AlignVCenter | Qt::AlignLeft, title);
        x += itemWidth;
    }
}

} // namespace Phaseline
