#pragma once

#include <QCoreApplication>
#include <QImage>

class QPainter;

namespace Phaseline {

struct TimelineFrame;

// The strip over the ruler: in-flight requests over the whole run, and where the visible window is.
class OverviewPass
{
    Q_DECLARE_TR_FUNCTIONS(TimelineView)
public:
    void paint(QPainter &painter, const TimelineFrame &frame);
    // The run's curve is drawn once per strip size; a new state or size draws it again.
    void invalidate() { m_curve = QImage(); }

private:
    void drawCurve(const TimelineFrame &frame, const QSize &size);

    QImage m_curve;
};

} // namespace Phaseline
