#pragma once

#include <QCoreApplication>

class QPainter;

namespace Phaseline {

struct TimelineFrame;

// The time ruler (seconds since the first request, round steps) and its light grid over the lanes.
class RulerPass
{
    Q_DECLARE_TR_FUNCTIONS(TimelineView)
public:
    static void paint(QPainter &painter, const TimelineFrame &frame);
    static void paintGrid(QPainter &painter, const TimelineFrame &frame);
};

} // namespace Phaseline
