#include "timelinegeometry.h"

#include "analysis/timelinelayout.h"

#include <algorithm>

namespace Phaseline {

namespace {

constexpr int kTitleHeight = 20;
constexpr int kOverviewHeight = 30;
constexpr int kRulerHeight = 22;
constexpr int kConcurrencyHeight = 70; // shrinks to 44 in short views
constexpr int kLegendRows = 2;
constexpr double kMaxLaneHeight = 18;       // when fitting every lane into the view
constexpr double kMaxZoomedLaneHeight = 40; // zoomed lanes: room for the steps under a request
constexpr double kGroupGap = 6;

} // namespace

TimelineGeometry::TimelineGeometry(const TimelineLayout &layout, const QRect &target, int fontHeight, double laneZoom,
                                   double laneScroll)
    : layout(&layout)
{
    placeStrips(target, fontHeight);
    placeGroups(fittedLaneHeight(fontHeight), fontHeight, laneZoom, laneScroll);
}

void TimelineGeometry::placeStrips(const QRect &target, int fontHeight)
{
    const int left = target.left() + kTimelineGutter;
    const int width = std::max(1, target.width() - kTimelineGutter - kTimelineRightMargin);
    int y = target.top();
    title = QRect(target.left(), y, target.width(), kTitleHeight);
    y += kTitleHeight;
    overview = QRect(left, y + 2, width, kOverviewHeight - 6);
    y += kOverviewHeight;
    ruler = QRect(left, y, width, kRulerHeight);
    y += kRulerHeight;
    const int concurrencyHeight = std::clamp(target.height() / 8, 44, kConcurrencyHeight);
    concurrency = QRect(left, y + 2, width, concurrencyHeight - 6);
    y += concurrencyHeight;
    const int legendHeight = kLegendRows * fontHeight + 8;
    legend = QRect(target.left() + 6, target.bottom() - legendHeight + 1, target.width() - 12, legendHeight);
    lanes = QRect(left, y + 4, width, std::max(10, legend.top() - y - 8));
}

// Every group gets at least a line of text, so its label stays readable; the other groups
// share the rest evenly per lane.
double TimelineGeometry::fittedLaneHeight(int fontHeight) const
{
    const auto &groups = layout->groups();
    const int laneCount = std::max(1, layout->laneCount());
    const double usable = lanes.height() - kGroupGap * std::max(0, int(groups.size()) - 1);
    const double line = fontHeight + 2;
    double height = std::min(kMaxLaneHeight, std::max(0.01, usable / laneCount));
    for (int pass = 0; pass < 3; ++pass) {
        double fixed = 0;
        int shared = 0;
        for (const TimelineGroup &group : groups) {
            if (group.laneCount * height < line)
                fixed += line;
            else
                shared += group.laneCount;
        }
        height = std::min(kMaxLaneHeight, std::max(0.01, (usable - fixed) / std::max(1, shared)));
    }
    return height;
}

// Shift+wheel makes lanes taller than the fit (up to step-detail height); the lanes then
// scroll vertically.
void TimelineGeometry::placeGroups(double fitted, int fontHeight, double laneZoom, double laneScroll)
{
    const auto &groups = layout->groups();
    const double line = fontHeight + 2;
    const double zoomed = std::max(fitted, std::min(kMaxZoomedLaneHeight, fitted * laneZoom));
    double content = 0;
    for (const TimelineGroup &group : groups) {
        const double height = group.laneCount * zoomed < line ? line / std::max(1, group.laneCount) : zoomed;
        groupLaneHeight.push_back(height);
        content += group.laneCount * height + kGroupGap;
    }
    contentHeight = std::max(0.0, content - kGroupGap);
    scroll = std::clamp(laneScroll, 0.0, std::max(0.0, contentHeight - lanes.height()));
    double top = lanes.top() - scroll;
    laneHeight = kMaxZoomedLaneHeight;
    for (size_t group = 0; group < groups.size(); ++group) {
        groupTop.push_back(top);
        laneHeight = std::min(laneHeight, groupLaneHeight[group]);
        top += groups[group].laneCount * groupLaneHeight[group] + kGroupGap;
    }
}

double TimelineGeometry::laneTop(int lane) const
{
    const int group = layout->groupOfLane(lane);
    if (group < 0)
        return lanes.top();
    return groupTop[size_t(group)] + (lane - layout->groups()[size_t(group)].firstLane) * groupLaneHeight[size_t(group)];
}

double TimelineGeometry::laneHeightOf(int lane) const
{
    const int group = layout->groupOfLane(lane);
    return group < 0 ? laneHeight : groupLaneHeight[size_t(group)];
}

bool TimelineGeometry::isLaneVisible(int lane) const
{
    const double top = laneTop(lane);
    return top + laneHeightOf(lane) > lanes.top() && top < lanes.top() + lanes.height();
}

int TimelineGeometry::laneAtY(double y) const
{
    const auto &groups = layout->groups();
    for (size_t g = 0; g < groups.size(); ++g) {
        const double top = groupTop[g];
        const double bottom = top + groups[g].laneCount * groupLaneHeight[g];
        if (y >= top && y < bottom)
            return groups[g].firstLane + std::min(groups[g].laneCount - 1, int((y - top) / groupLaneHeight[g]));
    }
    return -1;
}

} // namespace Phaseline
