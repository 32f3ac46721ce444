#pragma once

class QPainter;
class QRectF;

namespace Phaseline {

struct TimelineFrame;

// TensorRT-LLM's per-step detail under a wide part: forward passes (context chunks blue,
// generation green), sampling (orange) and a tick per token, shifted by the step clock correction.
struct StepsPass
{
    static void paint(QPainter &painter, const TimelineFrame &frame, int part, const QRectF &band);
};

} // namespace Phaseline
