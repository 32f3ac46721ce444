#pragma once

class QPainter;
class QString;

namespace Phaseline {

struct BreakdownFrame;

// The header line and the legend's texts (dimmed for hidden layers). The swatches are drawn
// with their layer's bars (BreakdownBarsPass): one paint group per layer in SVG.
struct BreakdownLegendPass
{
    static void paint(QPainter &painter, const BreakdownFrame &frame, const QString &header);
};

} // namespace Phaseline
