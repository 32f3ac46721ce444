#pragma once

#include "analysis/stepclock.h"
#include "analysis/timelinelayout.h"

#include <QString>

#include <memory>
#include <vector>

namespace Phaseline {

class PhaseResolver;
class RequestTable;

// One phase of a part as drawn: a catalogue index and where it starts and ends.
struct TimelineSegment
{
    int phase;
    double start, end;
};
constexpr int kMaxTimelineSegments = 64; // buffers passed to TimelineState::segmentsOf hold this many
constexpr quint8 kNoTimelinePhase = 255;
constexpr quint32 kTimelinePartBackground = 0xFFC8C8C8; // a part where no phase is drawn

// Everything the timeline derives from (table, clock, packing); built off the UI thread.
struct TimelineState
{
    TimelineState();
    ~TimelineState();
    TimelineState(TimelineState &&) noexcept;
    TimelineState &operator=(TimelineState &&) noexcept;

    // The part's phases as drawn: later (finer) phases over earlier ones, clipped so pieces never overlap.
    int segmentsOf(int part, TimelineSegment *out) const;
    // Catalogue index of the part's longest drawn phase, or -1.
    int dominantPhase(int part) const;

    TimelineLayout layout;
    std::vector<ConcurrencySeries> concurrency;
    std::unique_ptr<PhaseResolver> resolver;
    std::vector<bool> phaseShown; // per catalogue phase: drawn on some part
    // Nesting of the layout's phases (indexes into layout.phases()): its parent, if any, and
    // its children. Which of them a part draws: PhaseCatalog::childrenReplaceParent.
    std::vector<int> parentOf;
    std::vector<std::vector<int>> childrenOf;
    std::vector<quint8> dominant;       // per part: catalogue index of its longest phase (kNoTimelinePhase = none)
    std::vector<double> durationPrefix; // per part + 1, in lane order: sums of part durations
    StepClockCorrection stepClock;
    std::vector<quint32> stepBegin; // per table row + 1, into stepOrder
    std::vector<quint32> stepOrder; // step table rows, grouped by request
    std::shared_ptr<const RequestTable> table; // what an update's layout describes
};

std::shared_ptr<TimelineState> buildTimelineState(const RequestTable &table, const QString &clock,
                                                  TimelineLayout::Packing packing);

// Whether a phase belongs on a part of this side (a router or whole-request part shows every phase).
bool isPhaseDrawnOn(const TimelinePhase &phase, TimelineSide side);

} // namespace Phaseline
