#pragma once

#include "analysis/breakdownmodel.h"

#include <QImage>
#include <QRect>
#include <QRgb>

#include <vector>

class QPainter;

namespace Phaseline {

struct BreakdownFrame;

// The aggregated median stacks as pixels. At a million requests, tracing ~1600 one-pixel-wide
// columns per layer through QPainter took most of a repaint; here each column's rows are written
// straight into an image, rebuilt only when the columns, the scale, the plot, the layer colours
// or the device pixel ratio change, and blitted on every other repaint (hover, selection).
// The rows written are those the raster engine fills for the same rectangles without
// antialiasing, so the picture is the same pixel for pixel.
class BreakdownColumnImage
{
public:
    // Draws the stacks of `columns` into the frame's plot; false (nothing drawn) when the
    // painter needs exact rectangles: not raster, transformed, or a fractional pixel ratio.
    bool paint(QPainter &painter, const BreakdownFrame &frame,
               const std::vector<BreakdownModel::ColumnSummary> &columns);
    // The column aggregates were recomputed: rebuild on the next paint.
    void invalidate() { m_valid = false; }
    // How often the image was rebuilt (tests, benchmarks).
    int buildCount() const { return m_builds; }

private:
    struct Key
    {
        QRect plot;
        int pixelRatio = 0;
        double maxMs = 0, minLogMs = 0;
        bool log = false;
        std::vector<QRgb> colors; // per layer, premultiplied
        bool operator==(const Key &other) const;
    };
    void build(const BreakdownFrame &frame, const std::vector<BreakdownModel::ColumnSummary> &columns);

    QImage m_image;
    Key m_key;
    bool m_valid = false;
    int m_builds = 0;
};

} // namespace Phaseline
