#pragma once

#include <QRect>

#include <vector>

namespace Phaseline {

class TimelineLayout;

constexpr int kTimelineGutter = 180; // server labels left of the lanes
constexpr int kTimelineRightMargin = 10;

// Where the timeline's strips go in a target rectangle, and the lanes' rows in it: lanes of a
// group share a height, every group keeps at least a line of text for its label, and lanes
// taller than the fit (lane zoom) scroll vertically.
struct TimelineGeometry
{
    TimelineGeometry(const TimelineLayout &layout, const QRect &target, int fontHeight, double laneZoom,
                     double laneScroll);

    double laneTop(int lane) const;
    double laneHeightOf(int lane) const;
    bool isLaneVisible(int lane) const;
    int laneAtY(double y) const; // -1 outside every group

    const TimelineLayout *layout;
    QRect title, overview, ruler, concurrency, lanes, legend;
    double laneHeight = 0;               // the smallest lane height (may be below one pixel)
    std::vector<double> groupLaneHeight; // lane height in each group
    double contentHeight = 0;            // all lanes; above lanes.height() they scroll
    double scroll = 0;                   // pixels of lanes scrolled off the top
    std::vector<double> groupTop;        // y of each group's first lane

private:
    void placeStrips(const QRect &target, int fontHeight);
    double fittedLaneHeight(int fontHeight) const;
    void placeGroups(double laneHeight, int fontHeight, double laneZoom, double laneScroll);
};

} // namespace Phaseline
