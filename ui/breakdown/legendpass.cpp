#include "legendpass.h"

#include "breakdownframe.h"
#include "analysis/breakdownmodel.h"

#include <QPainter>

namespace Phaseline {

void BreakdownLegendPass::paint(QPainter &painter, const BreakdownFrame &frame, const QString &header)
{
    painter.setPen(frame.text);
    painter.drawText(frame.geometry.header, Qt::AlignLeft | Qt::AlignVCenter, header);
    for (const auto &[layer, itemRect] : frame.geometry.legendItems) {
        QColor itemText = frame.text;
        if (!frame.model.isLayerShown(layer))
            itemText.setAlpha(110);
        painter.setPen(itemText);
        painter.drawText(itemRect.adjusted(18, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, frame.model.layerTitle(layer));
    }
}

} // namespace Phaseline
