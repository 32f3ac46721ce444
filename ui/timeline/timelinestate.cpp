#include "timelinestate.h"

#include "analysis/statistics.h"

#include <algorithm>
#include <numeric>

namespace Phaseline {

bool isPhaseDrawnOn(const TimelinePhase &phase, TimelineSide side)
{
    return side == TimelineSide::Whole || side == TimelineSide::Router || phase.side == side;
}

namespace {

struct Interval
{
    double start, end;
};

// The part's phases as drawn. Walks phases in reverse drawing order: what a later phase
// covers, an earlier one does not get (the finer TTFT phases win over decode, children
// over their parent), so the pieces never overlap.
int drawnSegments(const TimelineState &state, int part, TimelineSegment *out)
{
    const int row = state.layout.partRow(part);
    const TimelineSide side = state.layout.partSide(part);
    const auto &phases = state.layout.phases();
    Interval covered[kMaxTimelineSegments]; // left uninitialised: this runs for every part
    int coveredCount = 0;
    int n = 0;
    auto recorded = [&](int k) {
        double start = 0, end = 0;
        return k >= 0 && state.resolver->stamps(phases[size_t(k)].phase, row, &start, &end);
    };
    for (auto it = phases.rbegin(); it != phases.rend() && n < kMaxTimelineSegments - 4; ++it) {
        if (!isPhaseDrawnOn(*it, side))
            continue;
        // A parent or its children, never both (as the breakdown and the statistics draw them).
        const size_t k = size_t(phases.rend() - it) - 1;
        if (PhaseCatalog::childrenReplaceParent(state.childrenOf[k], recorded)
            || (state.parentOf[k] >= 0
                && !PhaseCatalog::childrenReplaceParent(state.childrenOf[size_t(state.parentOf[k])], recorded)))
            continue;
        double start = 0, end = 0;
        if (!state.resolver->stamps(it->phase, row, &start, &end) || !(end > start))
            continue;
        double cursor = start;
        for (int c = 0; c < coveredCount && cursor < end; ++c) {
            if (covered[c].end <= cursor)
                continue;
            if (covered[c].start >= end)
                break;
            if (covered[c].start > cursor)
                out[n++] = TimelineSegment{it->phase, cursor, covered[c].start};
            cursor = std::max(cursor, covered[c].end);
        }
        if (cursor < end)
            out[n++] = TimelineSegment{it->phase, cursor, end};
        // Insert [start, end) into the sorted, disjoint covered list.
        Interval merged{start, end};
        int write = 0;
        Interval next[kMaxTimelineSegments];
        bool placed = false;
        for (int c = 0; c < coveredCount; ++c) {
            if (covered[c].end < merged.start) {
                next[write++] = covered[c];
            } else if (covered[c].start > merged.end) {
                if (!placed) {
                    next[write++] = merged;
                    placed = true;
                }
                next[write++] = covered[c];
            } else {
                merged.start = std::min(merged.start, covered[c].start);
                merged.end = std::max(merged.end, covered[c].end);
            }
        }
        if (!placed)
            next[write++] = merged;
        std::copy(next, next + write, covered);
        coveredCount = write;
    }
    return n;
}

} // namespace

TimelineState::TimelineState() = default;
TimelineState::~TimelineState() = default;
TimelineState::TimelineState(TimelineState &&) noexcept = default;
TimelineState &TimelineState::operator=(TimelineState &&) noexcept = default;

int TimelineState::segmentsOf(int part, TimelineSegment *out) const
{
    return drawnSegments(*this, part, out);
}

int TimelineState::dominantPhase(int part) const
{
    const quint8 phase = dominant[size_t(part)];
    return phase == kNoTimelinePhase ? -1 : int(phase);
}

std::shared_ptr<TimelineState> buildTimelineState(const RequestTable &table, const QString &clock,
                                                TimelineLayout::Packing packing)
{
    auto state = std::make_shared<TimelineState>();
    state->layout = TimelineLayout(table, clock, packing);
    state->concurrency = concurrencySeries(table, state->layout);
    state->resolver = std::make_unique<PhaseResolver>(table);
    const auto &phases = state->layout.phases();
    state->parentOf.assign(phases.size(), -1);
    state->childrenOf.assign(phases.size(), {});
    for (size_t p = 0; p < phases.size(); ++p) {
        const QStringList &children = table.phases().at(phases[p].phase).children;
        for (size_t c = 0; c < phases.size(); ++c) {
            if (phases[c].side == phases[p].side && children.contains(table.phases().at(phases[c].phase).name)) {
                state->parentOf[c] = int(p);
                state->childrenOf[p].push_back(int(c));
            }
        }
        // A child no part records is not laid out: it stands as -1, never recorded.
        state->childrenOf[p].resize(size_t(children.size()), -1);
    }

    // Parts narrower than a few pixels are drawn in one colour: their longest phase. The
    // legend lists every phase some part draws. Narrow runs of parts are folded per pixel
    // using the sums of their durations.
    const int parts = state->layout.partCount();
    state->dominant.assign(size_t(parts), kNoTimelinePhase);
    state->phaseShown.assign(size_t(table.phases().size()), false);
    state->durationPrefix.assign(size_t(parts) + 1, 0.0);
    TimelineSegment segments[kMaxTimelineSegments];
    for (int part = 0; part < parts; ++part) {
        state->durationPrefix[size_t(part) + 1] =
            state->durationPrefix[size_t(part)] + (state->layout.partEnd(part) - state->layout.partStart(part));
        const int n = drawnSegments(*state, part, segments);
        double longest = -1;
        for (int s = 0; s < n; ++s) {
            state->phaseShown[size_t(segments[s].phase)] = true;
            if (segments[s].end - segments[s].start > longest) {
                longest = segments[s].end - segments[s].start;
                state->dominant[size_t(part)] = quint8(std::min(segments[s].phase, int(kNoTimelinePhase) - 1));
            }
        }
    }

    const StepTable &steps = table.steps();
    state->stepClock = estimateStepClockOffsets(table);
    if (steps.size() > 0) {
        // Step rows grouped by request (a counting sort keeps each request's steps in order).
        state->stepBegin.assign(size_t(table.size()) + 1, 0);
        for (quint32 row : steps.request)
            ++state->stepBegin[row + 1];
        std::partial_sum(state->stepBegin.begin(), state->stepBegin.end(), state->stepBegin.begin());
        state->stepOrder.resize(steps.size());
        std::vector<quint32> next(state->stepBegin.begin(), state->stepBegin.end() - 1);
        for (size_t s = 0; s < steps.size(); ++s)
            state->stepOrder[next[steps.request[s]]++] = quint32(s);
    }
    return state;
}

} // namespace Phaseline
