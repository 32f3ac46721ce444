#pragma once

#include "core/requesttable.h"

#include <QString>

#include <vector>

namespace Phaseline {

// TensorRT-LLM's per-step stamps (time_breakdown_metrics) stay on each worker's local
// steady clock: the disagg server's clock-offset exchange shifts timing_metrics only
// (docs/trtllm.md §2.0). The offset of a worker is estimated as the median, over its requests,
// of (first chunk's or step's forward start) − (the request's first scheduled time on that
// side), which TRT-LLM's own stamps place within a scheduling step (~0.5 ms) of each other.
// Offsets within kStepClockTolerance are taken as a shared clock and not applied
// (TRT-LLM's tests allow the same slack between worker and disagg stamps).
constexpr double kStepClockTolerance = 0.005; // seconds

struct StepClockWorker
{
    QString name;         // e.g. "context http://ctx-node0:8001"
    double offset = 0;    // seconds: local step clock minus the request clock
    int samples = 0;      // requests the estimate is the median of
    bool applied() const { return samples > 0 && std::abs(offset) > kStepClockTolerance; }
};

struct StepClockCorrection
{
    std::vector<StepClockWorker> workers;
    std::vector<qint32> workerOfStep; // per step row; -1 when no worker could be told

    // Seconds to subtract from a step's stamps to place it on the request clock.
    double shiftOf(size_t step) const
    {
        const qint32 worker = workerOfStep.empty() ? -1 : workerOfStep[step];
        return worker >= 0 && workers[size_t(worker)].applied() ? workers[size_t(worker)].offset : 0.0;
    }
    const StepClockWorker *workerOf(size_t step) const
    {
        const qint32 worker = workerOfStep.empty() ? -1 : workerOfStep[step];
        return worker >= 0 ? &workers[size_t(worker)] : nullptr;
    }
};

StepClockCorrection estimateStepClockOffsets(const RequestTable &table);

} // namespace Phaseline
