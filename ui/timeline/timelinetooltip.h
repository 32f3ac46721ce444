#pragma once

#include <QCoreApplication>
#include <QString>

namespace Phaseline {

class RequestTable;
struct TimelineState;

// The tooltip of a part at time `t`: the request, its server, its phases (the one under the
// cursor in bold), and the step under the cursor with the clock correction that placed it.
class TimelineToolTip
{
    Q_DECLARE_TR_FUNCTIONS(TimelineView)
public:
    static QString forPart(const TimelineState &state, const RequestTable &table, const QString &clock, int part,
                           double t);

private:
    static QString phaseRows(const TimelineState &state, const RequestTable &table, int part, double t);
    static QString stepUnder(const TimelineState &state, const RequestTable &table, int row, double t);
};

} // namespace Phaseline
