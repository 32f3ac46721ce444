#pragma once

#include <QCoreApplication>

#include <vector>

class QPainter;

namespace Phaseline {

struct TimelineFrame;

// What is drawn over the lanes for interaction, never exported: outlines of the selected
// requests, the hovered request's parts linked across servers, and a band being dragged.
struct TimelineOverlay
{
    enum class Band { None, Zoom, Select };
    const std::vector<int> &selectedRows;
    int hoverPart = -1;
    Band band = Band::None;
    int bandX0 = 0, bandX1 = 0; // widget x of the band's edges
};

class SelectionOverlay
{
    Q_DECLARE_TR_FUNCTIONS(TimelineView)
public:
    static void paint(QPainter &painter, const TimelineFrame &frame, const TimelineOverlay &overlay);

private:
    static void paintSelected(QPainter &painter, const TimelineFrame &frame, const std::vector<int> &rows);
    static void paintHovered(QPainter &painter, const TimelineFrame &frame, int part);
    static void paintBand(QPainter &painter, const TimelineFrame &frame, const TimelineOverlay &overlay);
};

} // namespace Phaseline
