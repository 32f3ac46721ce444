#pragma once

#include "timelinegeometry.h"
#include "timelinestate.h"

#include <QFont>
#include <QLoggingCategory>
#include <QPalette>
#include <QString>

namespace Phaseline {

// QT_LOGGING_RULES="phaseline.timeline.frametime.debug=true" prints what each frame cost.
Q_DECLARE_LOGGING_CATEGORY(lcTimelineFrames)

class RequestSelection;
class RequestTable;

// The visible time window across the widget's lanes: x = kTimelineGutter at its start, the
// widget's lane width at its end. Painting and hit testing share it, so they agree.
struct TimelineAxis
{
    double viewStart, viewEnd;
    double width;
    double span() const { return viewEnd - viewStart; }
    double xOfTime(double t) const { return kTimelineGutter + (t - viewStart) / span() * width; }
    double timeAtX(double x) const { return viewStart + (x - kTimelineGutter) / width * span(); }
};

// What every timeline render pass reads for one frame: the laid-out state, where things go,
// the visible time window and how it maps to x, and the widget's look.
struct TimelineFrame
{
    const TimelineState &state;
    const RequestTable &table;
    const TimelineGeometry &geometry;
    const QPalette &palette;
    const QFont &font;
    TimelineAxis axis;
    quint64 revision; // of the state: keys the passes' caches

    const TimelineLayout &layout() const { return state.layout; }
    double span() const { return axis.span(); }
    double xOfTime(double t) const { return axis.xOfTime(t); }
    double timeAtX(double x) const { return axis.timeAtX(x); }
};

// A round tick step (niceCeiling) giving at least `minPixels` between ticks.
double timelineTickStep(double secondsPerPixel, double minPixels);
// "1.25 s", "340 ms", "12.5 µs": the unit follows the tick step.
QString formatTimelineTick(double seconds, double step);

} // namespace Phaseline
