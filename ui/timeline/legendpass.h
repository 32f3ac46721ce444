#pragma once

#include <QCoreApplication>

class QPainter;

namespace Phaseline {

struct TimelineFrame;

// The captions around the lanes: the title line (clock, counts, what is not shown) and the
// legend of the phases some part draws.
class LegendPass
{
    Q_DECLARE_TR_FUNCTIONS(TimelineView)
public:
    static void paintTitle(QPainter &painter, const TimelineFrame &frame, const QString &clock);
    static void paintLegend(QPainter &painter, const TimelineFrame &frame);
};

} // namespace Phaseline
