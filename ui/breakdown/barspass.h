#pragma once

#include "analysis/breakdownmodel.h"
#include "breakdownframe.h"

#include <QRectF>
#include <QVector>

#include <vector>

class QPainter;

namespace Phaseline {

struct BreakdownFrame;
class BreakdownColumnImage;
class RequestSelection;

// The bars: one stacked bar per request, or per pixel column a median stack with its p99 mark
// (a caret at the top when above the axis); dashed caps where phases are missing, red
// triangles under anomalies, outlines of selected requests. Rectangles are batched per layer,
// so each layer is one paint call (and one SVG group), its legend swatch included.
class BreakdownBarsPass
{
public:
    // `columns`: the aggregates when the frame is aggregated; `selection` null for export.
    // `columnImage`, when given, draws the aggregated stacks as cached pixels (null: exact rectangles).
    static void paint(QPainter &painter, const BreakdownFrame &frame,
                      const std::vector<BreakdownModel::ColumnSummary> &columns, const RequestSelection *selection,
                      BreakdownColumnImage *columnImage = nullptr);

    // Walks a stack bottom-up on the frame's scale: `segment(layer, top, height)` for each segment
    // at least somewhat tall, in y pixels; returns the stack's top.
    template <typename SegmentFn>
    static double walkStack(const BreakdownFrame &frame, const BreakdownModel::Segment *segments, int n,
                            SegmentFn &&segment);

private:
    struct Batches
    {
        std::vector<QVector<QRectF>> layers;
        QVector<QRectF> missingCaps, p99Marks, selectedOutlines;
        QVector<QPointF> anomalies, clippedCarets;
    };
    static double stack(const BreakdownFrame &frame, Batches &batches, double left, double width,
                        const BreakdownModel::Segment *segments, int n);
    // `stacks`: batch the stacks' rectangles too (false when their pixels are drawn already).
    static void collectColumns(const BreakdownFrame &frame, const std::vector<BreakdownModel::ColumnSummary> &columns,
                               const RequestSelection *selection, bool stacks, Batches &batches);
    static void collectBars(const BreakdownFrame &frame, const RequestSelection *selection, Batches &batches);
    static void paintLayers(QPainter &painter, const BreakdownFrame &frame, Batches &batches);
    static void paintMarks(QPainter &painter, const BreakdownFrame &frame, const Batches &batches);
};

template <typename SegmentFn>
double BreakdownBarsPass::walkStack(const BreakdownFrame &frame, const BreakdownModel::Segment *segments, int n,
                                   SegmentFn &&segment)
{
    const QRect &plot = frame.plot();
    double cumulative = 0;
    double top = plot.bottom() + 1;
    for (int s = 0; s < n; ++s) {
        const double bottomY = frame.scale.toY(cumulative, plot);
        cumulative += segments[s].ms;
        top = frame.scale.toY(cumulative, plot);
        if (bottomY - top > 0)
            segment(segments[s].layer, top, bottomY - top);
    }
    return top;
}

} // namespace Phaseline
