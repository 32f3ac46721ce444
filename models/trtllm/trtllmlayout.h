#pragma once

// Internal to the TensorRT-LLM importer: the column layout every chunk table shares,
// so parallel chunks and the join can address columns by index.

#include "core/requesttable.h"

#include <array>

namespace Phaseline::TrtLlm {

enum Side { ContextSide = 0, GenerationSide = 1 };

enum SideStamp {
    ServerArrival, Arrival, FirstScheduled, FirstToken, ServerFirstToken, LastToken, KvTransferStart, KvTransferEnd,
    SideStampCount
};

enum SideAttribute {
    WorkerRequestId, FirstIter, LastIter, TotalBlocks, NewBlocks, ReusedBlocks, MissedBlocks, KvCacheSize,
    AcceptanceRate, AcceptedDraftTokens, DraftTokens, PrefillGpuForwardMs, PrefillGpuSampleMs, SideAttributeCount
};

enum DisaggStamp { DisaggArrival, DisaggCtxDispatch, DisaggFirstToken, DisaggStampCount };

struct Layout
{
    std::array<std::array<int, SideStampCount>, 2> sideStamp{};
    std::array<std::array<int, SideAttributeCount>, 2> sideAttribute{};
    std::array<int, DisaggStampCount> disaggStamp{};
    int disaggRequestId = -1;
    int ctxRequestId = -1;
    int serverLabel = -1, ctxServerLabel = -1, genServerLabel = -1, statusLabel = -1, sourceLabel = -1,
        clockLabel = -1;

    // Registers every column in a fixed order; identical tables get identical indices.
    static Layout registerOn(RequestTable &table);
};

} // namespace Phaseline::TrtLlm
