#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QRect>
#include <QString>

#include <utility>
#include <vector>

namespace Phaseline {

class BreakdownModel;
class RequestTable;

constexpr int kBreakdownLeftMargin = 64;
constexpr int kBreakdownBottomMargin = 30;
constexpr int kBreakdownIdLabelChars = 40; // of an id read for a label (ids may be megabytes long)

// What the user sees for a layer: the catalogue's colour or the one picked for the phase (PhaseColors).
QColor layerColor(const BreakdownModel &model, int layer);

// The first `chars` characters of a request's id, with "…" when cut: never the whole of an id
// that may be megabytes long.
QString shortRequestId(const RequestTable &table, int row, int chars);

// Where the breakdown's parts go in a target rectangle.
struct BreakdownGeometry
{
    QRect header;
    QRect plot;
    std::vector<std::pair<int, QRect>> legendItems; // layer, swatch + text
};

// The y axis: milliseconds to pixels, linear or logarithmic.
struct BreakdownScale
{
    double maxMs = 1;
    double minLogMs = 0.01;
    bool log = false;
    double toY(double ms, const QRect &plot) const;
};

// Request ids under the bars when few enough are visible: horizontal when every id fits its
// bar, else rotated (reading upwards to the axis) and elided to `height` pixels.
struct BreakdownIdLabels
{
    bool shown = false;
    bool rotated = false;
    int height = 0; // pixels below the plot they need
};

// What every breakdown render pass reads for one frame.
struct BreakdownFrame
{
    const BreakdownModel &model;
    const QRect &target;
    const BreakdownGeometry &geometry;
    const BreakdownScale &scale;
    double viewStart, viewCount; // the visible display positions (fractional)
    int first, last;             // the display positions drawn, [first, last)
    bool aggregated;             // one median stack per pixel column instead of one bar per request
    const QFont &font;
    QColor text, background, grid, highlight;

    const QRect &plot() const { return geometry.plot; }
    double barWidth() const { return plot().width() / viewCount; }
};

} // namespace Phaseline
