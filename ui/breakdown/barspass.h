#pragma once

#include "analysis/breakdownmodel.h"

#include <QRectF>
#include <QVector>

#include <vector>

class QPainter;

namespace Phaseline {

struct BreakdownFrame;
class RequestSelection;

// The bars: one stacked bar per request, or per pixel column a median stack with its p99 mark
// (a caret at the top when above the axis); dashed caps where phases are missing, red
// triangles under anomalies, outlines of selected requests. Rectangles are batched per layer,
// so each layer is one paint call (and one SVG group), its legend swatch included.
class BreakdownBarsPass
{
public:
    // `columns`: the aggregates when the frame is aggregated; `selection` null for export.
    static void paint(QPainter &painter, const BreakdownFrame &frame,
                      const std::vector<BreakdownModel::ColumnSummary> &columns, const RequestSelection *selection);

private:
    struct Batches
    {
        std::vector<QVector<QRectF>> layers;
        QVector<QRectF> missingCaps, p99Marks, selectedOutlines;
        QVector<QPointF> anomalies, clippedCarets;
    };
    static double stack(const BreakdownFrame &frame, Batches &batches, double left, double width,
                        const BreakdownModel::Segment *segments, int n);
    static void collectColumns(const BreakdownFrame &frame, const std::vector<BreakdownModel::ColumnSummary> &columns,
                               const RequestSelection *selection, Batches &batches);
    static void collectBars(const BreakdownFrame &frame, const RequestSelection *selection, Batches &batches);
    static void paintLayers(QPainter &painter, const BreakdownFrame &frame, Batches &batches);
    static void paintMarks(QPainter &painter, const BreakdownFrame &frame, const Batches &batches);
};

} // namespace Phaseline
