#include "barspass.h"

#include "columnimage.h"
#include "requestselection.h"

#include <QPainter>

#include <algorithm>

namespace Phaseline {

namespace {

constexpr int kMissingCapHeight = 8;
constexpr int kClipCaretWidth = 7; // carets of clipped p99 marks: at most one per this many columns

} // namespace

void BreakdownBarsPass::paint(QPainter &painter, const BreakdownFrame &frame,
                              const std::vector<BreakdownModel::ColumnSummary> &columns,
                              const RequestSelection *selection, BreakdownColumnImage *columnImage)
{
    Batches batches;
    batches.layers.resize(size_t(frame.model.layerCount()));
    if (frame.aggregated) {
        const bool stacksDrawn = columnImage && columnImage->paint(painter, frame, columns);
        collectColumns(frame, columns, selection, !stacksDrawn, batches);
    } else {
        collectBars(frame, selection, batches);
    }
    paintLayers(painter, frame, batches);
    paintMarks(painter, frame, batches);
}

// Adds a stack's rectangles to their layers' batches; returns the stack's top.
double BreakdownBarsPass::stack(const BreakdownFrame &frame, Batches &batches, double left, double width,
                                const BreakdownModel::Segment *segments, int n)
{
    return walkStack(frame, segments, n, [&](int layer, double top, double height) {
        batches.layers[size_t(layer)].append(QRectF(left, top, width, height));
    });
}

void BreakdownBarsPass::collectColumns(const BreakdownFrame &frame,
                                       const std::vector<BreakdownModel::ColumnSummary> &columns,
                                       const RequestSelection *selection, bool stacks, Batches &batches)
{
    const QRect &plot = frame.plot();
    const std::vector<int> &ordered = frame.model.orderedRows();
    for (int c = 0; c < int(columns.size()); ++c) {
        const auto &column = columns[size_t(c)];
        if (column.count == 0)
            continue;
        const double left = plot.left() + c;
        const auto *segments = column.medianStack.data();
        const int n = int(column.medianStack.size());
        const double top = stacks ? stack(frame, batches, left, 1, segments, n)
                                  : walkStack(frame, segments, n, [](int, double, double) {});
        if (column.anyMissing)
            batches.missingCaps.append(QRectF(left, top - kMissingCapHeight, 1, kMissingCapHeight));
        if (column.anyAnomaly)
            batches.anomalies.append(QPointF(left + 0.5, plot.bottom() + 3));
        if (column.p99Total <= frame.scale.maxMs)
            batches.p99Marks.append(QRectF(left, frame.scale.toY(column.p99Total, plot) - 1, 1, 2));
        else if (batches.clippedCarets.isEmpty() || left - batches.clippedCarets.last().x() >= kClipCaretWidth - 0.5)
            batches.clippedCarets.append(QPointF(left + 0.5, plot.top()));
        if (selection && !selection->isEmpty()) {
            for (int i = column.firstIndex; i < column.firstIndex + column.count; ++i) {
                if (selection->contains(ordered[size_t(i)])) {
                    batches.selectedOutlines.append(QRectF(left, plot.top(), 1, 4));
                    break;
                }
            }
        }
    }
}

void BreakdownBarsPass::collectBars(const BreakdownFrame &frame, const RequestSelection *selection, Batches &batches)
{
    const BreakdownModel &model = frame.model;
    const double barWidth = frame.barWidth();
    const double gap = barWidth >= 5 ? std::max(1.0, barWidth * 0.15) : 0;
    const std::vector<int> &ordered = model.orderedRows();
    std::vector<BreakdownModel::Segment> segments(static_cast<size_t>(model.layerCount()));
    for (int i = frame.first; i < frame.last; ++i) {
        const int row = ordered[size_t(i)];
        const double left = frame.plot().left() + (i - frame.viewStart) * barWidth + gap / 2;
        const double width = barWidth - gap;
        const int n = model.stack(row, segments.data());
        const double top = stack(frame, batches, left, width, segments.data(), n);
        if (model.hasMissing(row))
            batches.missingCaps.append(QRectF(left, top - kMissingCapHeight, width, kMissingCapHeight));
        if (model.hasAnomaly(row))
            batches.anomalies.append(QPointF(left + width / 2, frame.plot().bottom() + 3));
        if (selection && selection->contains(row))
            batches.selectedOutlines.append(QRectF(left, top, width, frame.plot().bottom() + 1 - top));
    }
}

// Each layer's bars and its legend swatch in one call; hidden layers get hollow swatches.
void BreakdownBarsPass::paintLayers(QPainter &painter, const BreakdownFrame &frame, Batches &batches)
{
    const BreakdownModel &model = frame.model;
    const auto &legendItems = frame.geometry.legendItems;
    painter.setPen(Qt::NoPen);
    for (int layer = 0; layer < model.layerCount(); ++layer) {
        QVector<QRectF> &rects = batches.layers[size_t(layer)];
        const auto legend = std::find_if(legendItems.begin(), legendItems.end(),
                                         [layer](const auto &item) { return item.first == layer; });
        if (rects.isEmpty() && legend == legendItems.end())
            continue;
        painter.setBrush(layerColor(model, layer));
        if (legend != legendItems.end() && model.isLayerShown(layer))
            rects.append(QRectF(legend->second.left(), legend->second.center().y() - 6, 14, 12));
        painter.drawRects(rects);
    }
    for (const auto &[layer, itemRect] : legendItems) {
        if (model.isLayerShown(layer))
            continue;
        painter.setPen(QPen(layerColor(model, layer), 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(itemRect.left() + 0.5, itemRect.center().y() - 5.5, 13, 11));
    }
}

void BreakdownBarsPass::paintMarks(QPainter &painter, const BreakdownFrame &frame, const Batches &batches)
{
    // Missing phases: an empty dashed box on top of what was recorded, never a 0 ms bar.
    // (Not a hatch: Qt's SVG output cannot carry pattern brushes.)
    painter.setPen(QPen(frame.text, 1, Qt::DashLine));
    painter.setBrush(frame.background);
    painter.drawRects(batches.missingCaps);
    painter.setPen(Qt::NoPen);
    painter.setBrush(frame.text);
    painter.drawRects(batches.p99Marks);
    for (const QPointF &at : batches.clippedCarets) { // pointing up: the p99 lies above the axis
        const int half = kClipCaretWidth / 2;
        const QPointF caret[3] = {at, at + QPointF(-half, half + 2), at + QPointF(half, half + 2)};
        painter.drawPolygon(caret, 3);
    }
    painter.setBrush(QColor(0xD6, 0x27, 0x28));
    for (const QPointF &at : batches.anomalies) {
        const QPointF triangle[3] = {at, at + QPointF(-3, 5), at + QPointF(3, 5)};
        painter.drawPolygon(triangle, 3);
    }
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(frame.highlight, 2));
    painter.drawRects(batches.selectedOutlines);
}

} // namespace Phaseline
