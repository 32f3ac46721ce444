#include "timelinetooltip.h"

#include "requestdescription.h"
#include "core/requesttable.h"
#include "analysis/statistics.h"
#include "timelinestate.h"

#include <QColor>

namespace Phaseline {

QString TimelineToolTip::forPart(const TimelineState &state, const RequestTable &table, const QString &clock, int part,
                                 double t)
{
    const TimelineLayout &layout = state.layout;
    const int row = layout.partRow(part);
    const double origin = layout.runStart();
    QString html = QStringLiteral("<b>Request %1</b><br>%2")
                       .arg(table.id(row).toHtmlEscaped(), describeRoleAndServers(table, row).toHtmlEscaped());
    if (layout.partSide(part) != TimelineSide::Whole)
        html += tr("<br>This row: %1").arg(layout.groups()[size_t(layout.groupOfLane(layout.partLane(part)))].title.toHtmlEscaped());
    html += tr("<br>From +%1 s to +%2 s after the first request (%3 ms)")
                .arg(QString::number(layout.partStart(part) - origin, 'f', 6),
                     QString::number(layout.partEnd(part) - origin, 'f', 6),
                     formatMilliseconds((layout.partEnd(part) - layout.partStart(part)) * 1000));
    html += phaseRows(state, table, part, t);
    if (!state.stepBegin.empty())
        html += stepUnder(state, table, row, t);
    html += tr("<br><i>Clock: %1</i>").arg(clock.toHtmlEscaped());
    return html;
}

QString TimelineToolTip::phaseRows(const TimelineState &state, const RequestTable &table, int part, double t)
{
    const PhaseCatalog &catalog = table.phases();
    const int row = state.layout.partRow(part);
    const TimelineSide side = state.layout.partSide(part);
    QString html = QStringLiteral("<table cellspacing=0 cellpadding=1>");
    for (const TimelinePhase &phase : state.layout.phases()) {
        if (!isPhaseDrawnOn(phase, side))
            continue;
        double start = 0, end = 0;
        if (!state.resolver->stamps(phase.phase, row, &start, &end))
            continue;
        const bool anomaly = end < start;
        const bool underCursor = !anomaly && t >= start && t <= end;
        html += QStringLiteral("<tr><td><font color='%1'>■</font> %2%3%4</td><td align=right>&nbsp;%5 ms</td>"
                               "<td align=right>&nbsp;at +%6 ms</td></tr>")
                    .arg(QColor::fromRgba(catalog.at(phase.phase).color).name(),
                         underCursor ? QStringLiteral("<b>") : QString(), catalog.at(phase.phase).title,
                         underCursor ? QStringLiteral("</b>") : QString(),
                         anomaly ? tr("<font color='#d62728'>⚠ end before start</font>")
                                 : formatMilliseconds((end - start) * 1000),
                         formatMilliseconds((start - state.layout.partStart(part)) * 1000));
    }
    return html + QStringLiteral("</table>");
}

// Per-step detail under the cursor, with the clock correction that placed it.
QString TimelineToolTip::stepUnder(const TimelineState &state, const RequestTable &table, int row, double t)
{
    const StepTable &steps = table.steps();
    for (quint32 k = state.stepBegin[size_t(row)]; k < state.stepBegin[size_t(row) + 1]; ++k) {
        const quint32 s = state.stepOrder[k];
        const double shift = state.stepClock.shiftOf(s);
        const double start = steps.forwardStart[s] - shift;
        const double end = (isMissing(steps.tokenTime[s]) ? steps.sampleEnd[s] : steps.tokenTime[s]) - shift;
        if (!(t >= start && t <= end))
            continue;
        const bool chunk = steps.kind[s] == StepTable::ContextChunk;
        QString html = chunk ? tr("<br><b>Context chunk</b>") : tr("<br><b>Generation step %1</b>").arg(steps.iteration[s]);
        html += tr(": forward %1 ms (GPU %2 ms), sample %3 ms (GPU %4 ms)")
                    .arg(formatMilliseconds((steps.forwardEnd[s] - steps.forwardStart[s]) * 1000),
                         QString::number(double(steps.gpuForwardMs[s]), 'f', 3),
                         formatMilliseconds((steps.sampleEnd[s] - steps.sampleStart[s]) * 1000),
                         QString::number(double(steps.gpuSampleMs[s]), 'f', 3));
        if (const StepClockWorker *worker = state.stepClock.workerOf(s); worker && worker->applied())
            html += tr("<br><i>Step stamps shifted by %1 s: the estimated clock offset of %2 (median of %3 "
                       "requests; TensorRT-LLM does not correct per-step stamps)</i>")
                        .arg(QString::number(-worker->offset, 'f', 6), worker->name.toHtmlEscaped())
                        .arg(worker->samples);
        return html;
    }
    return QString();
}

} // namespace Phaseline
