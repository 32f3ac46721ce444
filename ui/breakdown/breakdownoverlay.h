#pragma once

class QPainter;

namespace Phaseline {

struct BreakdownFrame;

// Interaction marks, never exported: a dashed outline around the hovered bar and the band
// being dragged to zoom (widget x of its edges).
struct BreakdownOverlay
{
    int hoverRow = -1;
    bool band = false;
    int bandX0 = 0, bandX1 = 0;

    void paint(QPainter &painter, const BreakdownFrame &frame) const;
};

} // namespace Phaseline
