#pragma once

#include <QCoreApplication>

class QPainter;

namespace Phaseline {

struct BreakdownFrame;
struct BreakdownIdLabels;

// The breakdown's axes: y ticks with their grid lines and unit, and under the plot either the
// range of requests shown or, for few bars, each bar's request id.
class BreakdownAxesPass
{
    Q_DECLARE_TR_FUNCTIONS(BreakdownView)
public:
    static void paint(QPainter &painter, const BreakdownFrame &frame, const BreakdownIdLabels &ids);

private:
    static void paintYAxis(QPainter &painter, const BreakdownFrame &frame);
    static void paintIds(QPainter &painter, const BreakdownFrame &frame, const BreakdownIdLabels &ids);
};

} // namespace Phaseline
