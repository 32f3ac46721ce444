#include "stepspass.h"

#include "core/requesttable.h"
#include "timelineframe.h"

#include <QPainter>

#include <algorithm>

namespace Phaseline {

void StepsPass::paint(QPainter &painter, const TimelineFrame &frame, int part, const QRectF &band)
{
    const TimelineState &state = frame.state;
    const StepTable &steps = frame.table.steps();
    const int row = state.layout.partRow(part);
    const TimelineSide side = state.layout.partSide(part);
    const double top = band.top() + 1, height = std::max(1.0, band.height() - 2);
    for (quint32 k = state.stepBegin[size_t(row)]; k < state.stepBegin[size_t(row) + 1]; ++k) {
        const quint32 s = state.stepOrder[k];
        const bool chunk = steps.kind[s] == StepTable::ContextChunk;
        if ((side == TimelineSide::Context && !chunk) || (side == TimelineSide::Generation && chunk))
            continue;
        const double shift = state.stepClock.shiftOf(s);
        auto span = [&](double a, double b, const QColor &color) {
            if (isMissing(a) || isMissing(b))
                return;
            const double x0 = frame.xOfTime(a - shift), x1 = std::max(x0 + 1, frame.xOfTime(b - shift));
            painter.fillRect(QRectF(x0, top, x1 - x0, height), color);
        };
        span(steps.forwardStart[s], steps.forwardEnd[s], chunk ? QColor(0x1E, 0x60, 0xC8) : QColor(0x2E, 0x8B, 0x57));
        span(steps.sampleStart[s], steps.sampleEnd[s], QColor(0xE0, 0x8A, 0x1E));
        if (!isMissing(steps.tokenTime[s])) {
            const double x = frame.xOfTime(steps.tokenTime[s] - shift);
            painter.fillRect(QRectF(x, top - 1, 1, height + 2), QColor(0x30, 0x30, 0x30));
        }
    }
}

} // namespace Phaseline
