#pragma once

#include "core/requesttable.h"

#include <QString>
#include <QVector>

#include <utility>
#include <vector>

namespace Phaseline {

// Where a part of a request ran: the whole request on one server (aggregated serving, a
// client), or one side of a disaggregated request (router, context server, generation server).
enum class TimelineSide : quint8 { Whole, Router, Context, Generation };

struct TimelineGroup
{
    QString title;  // e.g. "context ctx-node0:8001"
    QString server; // the server part of the title ("ctx-node0:8001"), may be empty
    TimelineSide side = TimelineSide::Whole;
    int firstLane = 0;
    int laneCount = 0;
};

// How the timeline draws one catalogue phase: on which side's parts (router parts draw
// every phase: the router saw the whole request) and in which order (lifecycle phases
// first, the time-to-first-token chain over them, so overlaps show the finer phase).
struct TimelinePhase
{
    int phase = -1; // index into the table's catalogue
    TimelineSide side = TimelineSide::Whole;
};

// Requests of one clock domain placed on a shared time axis: each request is split into
// parts (one per side it ran on), parts are grouped by side and server, and packed into
// as few lanes per group as possible (or one lane per part). Parts of a lane never
// overlap, so a lane's parts are sorted by start and by end alike: the first visible
// part is one binary search.
class TimelineLayout
{
public:
    enum class Packing : quint8 { Packed, OnePerRequest };

    TimelineLayout() = default;
    TimelineLayout(const RequestTable &table, const QString &clock, Packing packing);

    // Clock domains with wall-clock stamps and their request counts, most requests first.
    // Durations-only domains (isAlignedClock) are never offered: they have no common axis.
    static std::vector<std::pair<QString, int>> clockDomains(const RequestTable &table);

    const QString &clock() const { return m_clock; }
    Packing packing() const { return m_packing; }
    int partCount() const { return int(m_row.size()); }
    int laneCount() const { return int(m_laneBegin.empty() ? 0 : m_laneBegin.size() - 1); }
    const std::vector<TimelineGroup> &groups() const { return m_groups; }
    int groupOfLane(int lane) const;
    const std::vector<TimelinePhase> &phases() const { return m_phases; }

    int partRow(int part) const { return int(m_row[size_t(part)]); }
    double partStart(int part) const { return m_start[size_t(part)]; }
    double partEnd(int part) const { return m_end[size_t(part)]; }
    TimelineSide partSide(int part) const { return TimelineSide(m_side[size_t(part)]); }
    int partLane(int part) const { return int(m_lane[size_t(part)]); }
    const double *partStarts() const { return m_start.data(); } // lane by lane, each lane sorted

    // Parts of a lane are [laneBegin(lane), laneEnd(lane)).
    int laneBegin(int lane) const { return int(m_laneBegin[size_t(lane)]); }
    int laneEnd(int lane) const { return int(m_laneBegin[size_t(lane) + 1]); }
    // First part of the lane that ends at or after t (laneEnd when none).
    int firstPartEndingAfter(int lane, double t) const;
    // The part of the lane covering [t - tolerance, t + tolerance] closest to t, or -1.
    int partAt(int lane, double t, double tolerance) const;
    // Table rows with a part overlapping [start, end], ascending and unique.
    std::vector<int> rowsBetween(double start, double end) const;
    // Parts of a table row (up to three for a disaggregated request), or an empty range.
    std::pair<const quint32 *, const quint32 *> partsOfRow(int row) const;

    // Extent of all parts (seconds relative to the table's origin).
    double runStart() const { return m_runStart; }
    double runEnd() const { return m_runEnd; }

    // Requests left out, and why.
    int rowsOnOtherClocks() const { return m_otherClock; }
    int rowsWithoutWallClock() const { return m_alignedClock; }
    int rowsWithoutStamps() const { return m_noStamps; }
    int rowsShown() const { return m_rowsShown; }

private:
    QString m_clock;
    Packing m_packing = Packing::Packed;
    std::vector<quint32> m_row;
    std::vector<double> m_start, m_end;
    std::vector<quint8> m_side;
    std::vector<quint32> m_lane;
    std::vector<quint32> m_laneBegin;
    std::vector<quint32> m_rowPartBegin; // per table row + 1, into m_partsByRow
    std::vector<quint32> m_partsByRow;
    std::vector<TimelineGroup> m_groups;
    std::vector<TimelinePhase> m_phases;
    double m_runStart = 0, m_runEnd = 0;
    int m_otherClock = 0, m_alignedClock = 0, m_noStamps = 0, m_rowsShown = 0;
};

// Requests in one state over time (in flight, in a queue, decoding): the count at t is
// #starts <= t minus #ends <= t, two binary searches on sorted stamps.
struct ConcurrencySeries
{
    QString title;
    quint32 color = 0;
    std::vector<double> starts, ends; // sorted

    int countAt(double t) const;
    // Counts at ascending times, searching forward from the previous answer (cheap when
    // sampling a view column by column).
    void countsAt(const std::vector<double> &ascendingTimes, std::vector<int> &counts) const;
    int maximum() const; // over the whole run
};

// In flight (each request's extent), every queue phase of the catalogue (names ending in
// "queue"), and decode, over the rows the layout shows. Series nobody recorded are left out.
std::vector<ConcurrencySeries> concurrencySeries(const RequestTable &table, const TimelineLayout &layout);

} // namespace Phaseline
