#include "analysis/timelinelayout.h"

#include "analysis/statistics.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <functional>
#include <numeric>
#include <queue>

namespace Phaseline {

namespace {

const QString kClockColumn = QStringLiteral("clock");

TimelineSide sideOfStamp(const QString &stamp)
{
    if (stamp.startsWith(QLatin1String("ctx_")))
        return TimelineSide::Context;
    if (stamp.startsWith(QLatin1String("gen_")))
        return TimelineSide::Generation;
    return TimelineSide::Router;
}

// A phase belongs to the side both its stamps were taken on; a phase that crosses
// servers (relay, pre/postprocessing in the disagg server) belongs to the router.
TimelineSide sideOfPhase(const PhaseDefinition &phase)
{
    if (phase.spans.isEmpty())
        return TimelineSide::Router;
    const TimelineSide start = sideOfStamp(phase.spans.first().startStamp);
    return start == sideOfStamp(phase.spans.first().endStamp) ? start : TimelineSide::Router;
}

QString sideTitle(TimelineSide side)
{
    switch (side) {
    case TimelineSide::Router: return QStringLiteral("disagg server");
    case TimelineSide::Context: return QStringLiteral("context");
    case TimelineSide::Generation: return QStringLiteral("generation");
    case TimelineSide::Whole: break;
    }
    return QString();
}

struct StampColumns
{
    std::vector<const std::vector<double> *> all, context, generation;
};

StampColumns stampColumns(const RequestTable &table)
{
    StampColumns columns;
    for (int c = 0; c < table.stampColumnCount(); ++c) {
        const NumberColumn &column = table.stampColumn(c);
        if (!column.isAllocated())
            continue;
        columns.all.push_back(&column.values);
        const TimelineSide side = sideOfStamp(column.name);
        if (side == TimelineSide::Context)
            columns.context.push_back(&column.values);
        else if (side == TimelineSide::Generation)
            columns.generation.push_back(&column.values);
    }
    return columns;
}

bool extentOf(const std::vector<const std::vector<double> *> &columns, size_t row, double *start, double *end)
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const std::vector<double> *column : columns) {
        const double v = (*column)[row];
        if (std::isnan(v))
            continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (hi < lo)
        return false;
    *start = lo;
    *end = hi;
    return true;
}

} // namespace

std::vector<std::pair<QString, int>> TimelineLayout::clockDomains(const RequestTable &table)
{
    const int clockColumn = table.labelIndex(kClockColumn);
    if (clockColumn < 0)
        return table.isEmpty() ? std::vector<std::pair<QString, int>>{}
                               : std::vector<std::pair<QString, int>>{{QString(), table.size()}};
    const LabelColumn &labels = table.labelColumn(clockColumn);
    std::vector<int> counts(size_t(labels.values.size()), 0);
    for (size_t row = 0; row < labels.codes.size(); ++row)
        ++counts[labels.codes[row]];
    std::vector<std::pair<QString, int>> domains;
    for (int code = 0; code < labels.values.size(); ++code) {
        if (counts[size_t(code)] > 0 && !isAlignedClock(labels.values[code]))
            domains.emplace_back(labels.values[code], counts[size_t(code)]);
    }
    std::stable_sort(domains.begin(), domains.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    return domains;
}

TimelineLayout::TimelineLayout(const RequestTable &table, const QString &clock, Packing packing)
    : m_clock(clock), m_packing(packing)
{
    const PhaseCatalog &catalog = table.phases();
    for (int pass = 0; pass < 2; ++pass) { // lifecycle phases first, the TTFT chain over them
        for (int p = 0; p < catalog.size(); ++p) {
            const bool chain = catalog.at(p).group == PhaseDefinition::TimeToFirstToken;
            if (chain == (pass == 1))
                m_phases.push_back(TimelinePhase{p, sideOfPhase(catalog.at(p))});
        }
    }

    // Which rows are on this clock; -1 = every row (a table without clock labels).
    const int clockColumn = table.labelIndex(kClockColumn);
    int clockCode = -1;
    const LabelColumn *clockLabels = clockColumn >= 0 ? &table.labelColumn(clockColumn) : nullptr;
    if (clockLabels)
        clockCode = int(clockLabels->values.indexOf(clock));

    const StampColumns columns = stampColumns(table);
    const int serverColumn = table.labelIndex(QStringLiteral("server"));
    const int sourceColumn = table.labelIndex(QStringLiteral("source"));
    const int ctxServerColumn = table.labelIndex(QStringLiteral("ctx_server"));
    const int genServerColumn = table.labelIndex(QStringLiteral("gen_server"));
    auto labelOf = [&table](int column, int row) {
        return column >= 0 ? table.labelColumn(column).at(row) : QString();
    };
    auto serverOf = [&](int preferredColumn, int row) {
        QString server = labelOf(preferredColumn, row);
        if (server.isEmpty())
            server = labelOf(serverColumn, row);
        if (server.isEmpty())
            server = labelOf(sourceColumn, row);
        return server;
    };

    QHash<QString, int> groupIds; // "side|server" -> group
    std::vector<quint32> group;
    auto groupFor = [&](TimelineSide side, const QString &server) {
        const QString key = QString::number(int(side)) + QLatin1Char('|') + server;
        auto found = groupIds.constFind(key);
        if (found != groupIds.constEnd())
            return found.value();
        TimelineGroup created;
        created.side = side;
        const QString sideName = sideTitle(side);
        QString host = server;
        host.remove(QRegularExpression(QStringLiteral("^[a-z]+://"))); // the scheme says nothing here
        created.server = host;
        if (side == TimelineSide::Router)
            created.title = sideName;
        else if (sideName.isEmpty())
            created.title = host.isEmpty() ? QStringLiteral("requests") : host;
        else
            created.title = host.isEmpty() ? sideName : sideName + QLatin1Char(' ') + host;
        m_groups.push_back(created);
        groupIds.insert(key, int(m_groups.size() - 1));
        return int(m_groups.size() - 1);
    };
    auto addPart = [&](int row, TimelineSide side, double start, double end, int partGroup) {
        m_row.push_back(quint32(row));
        m_side.push_back(quint8(side));
        m_start.push_back(start);
        m_end.push_back(end);
        group.push_back(quint32(partGroup));
    };

    // Group ids are interned per distinct (side, label code), not per row.
    QHash<quint64, int> groupOfCode;
    auto cachedGroup = [&](TimelineSide side, int preferredColumn, int row) {
        const int column = preferredColumn >= 0 ? preferredColumn : serverColumn;
        const quint64 code = column >= 0 ? table.labelColumn(column).codes[size_t(row)] : 0;
        const quint64 key = (quint64(side) << 40) | (quint64(quint32(column + 1)) << 20) | code;
        auto found = groupOfCode.constFind(key);
        if (found != groupOfCode.constEnd())
            return found.value();
        const int id = groupFor(side, side == TimelineSide::Router ? QString() : serverOf(preferredColumn, row));
        groupOfCode.insert(key, id);
        return id;
    };

    const int rows = table.size();
    for (int row = 0; row < rows; ++row) {
        if (clockLabels && int(clockLabels->codes[size_t(row)]) != clockCode) {
            if (isAlignedClock(clockLabels->at(row)))
                ++m_alignedClock;
            else
                ++m_otherClock;
            continue;
        }
        double start = 0, end = 0;
        if (!extentOf(columns.all, size_t(row), &start, &end)) {
            ++m_noStamps;
            continue;
        }
        ++m_rowsShown;
        switch (table.role(row)) {
        case Role::Disaggregated: {
            addPart(row, TimelineSide::Router, start, end, cachedGroup(TimelineSide::Router, -1, row));
            if (extentOf(columns.context, size_t(row), &start, &end))
                addPart(row, TimelineSide::Context, start, end, cachedGroup(TimelineSide::Context, ctxServerColumn, row));
            if (extentOf(columns.generation, size_t(row), &start, &end))
                addPart(row, TimelineSide::Generation, start, end,
                        cachedGroup(TimelineSide::Generation, genServerColumn, row));
            break;
        }
        case Role::Context:
            addPart(row, TimelineSide::Context, start, end, cachedGroup(TimelineSide::Context, ctxServerColumn, row));
            break;
        case Role::Generation:
            addPart(row, TimelineSide::Generation, start, end,
                    cachedGroup(TimelineSide::Generation, genServerColumn, row));
            break;
        case Role::Aggregated:
        case Role::Client:
            addPart(row, TimelineSide::Whole, start, end, cachedGroup(TimelineSide::Whole, -1, row));
            break;
        }
    }

    // Groups in reading order: router, context servers, generation servers, the rest.
    std::vector<int> groupOrder(m_groups.size());
    std::iota(groupOrder.begin(), groupOrder.end(), 0);
    auto sideRank = [](TimelineSide side) {
        switch (side) {
        case TimelineSide::Router: return 0;
        case TimelineSide::Context: return 1;
        case TimelineSide::Generation: return 2;
        case TimelineSide::Whole: break;
        }
        return 3;
    };
    std::sort(groupOrder.begin(), groupOrder.end(), [&](int a, int b) {
        const int ra = sideRank(m_groups[size_t(a)].side), rb = sideRank(m_groups[size_t(b)].side);
        return ra != rb ? ra < rb : m_groups[size_t(a)].title < m_groups[size_t(b)].title;
    });
    std::vector<int> rankOfGroup(m_groups.size());
    std::vector<TimelineGroup> sortedGroups;
    for (size_t i = 0; i < groupOrder.size(); ++i) {
        rankOfGroup[size_t(groupOrder[i])] = int(i);
        sortedGroups.push_back(m_groups[size_t(groupOrder[i])]);
    }
    m_groups = std::move(sortedGroups);

    // Visit parts by (group, start) and pack: reuse the lane that freed up earliest if it
    // is free by the part's start, else open a lane (interval partitioning: optimal).
    const size_t parts = m_row.size();
    std::vector<quint32> order(parts);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](quint32 a, quint32 b) {
        const int ga = rankOfGroup[group[a]], gb = rankOfGroup[group[b]];
        return ga != gb ? ga < gb : (m_start[a] != m_start[b] ? m_start[a] < m_start[b] : a < b);
    });
    std::vector<quint32> laneOfPart(parts, 0);
    int lanes = 0;
    size_t i = 0;
    while (i < parts) {
        const int g = rankOfGroup[group[order[i]]];
        m_groups[size_t(g)].firstLane = lanes;
        using FreeAt = std::pair<double, int>; // (end of the lane's last part, lane)
        std::priority_queue<FreeAt, std::vector<FreeAt>, std::greater<FreeAt>> free;
        int groupLanes = 0;
        for (; i < parts && rankOfGroup[group[order[i]]] == g; ++i) {
            const quint32 part = order[i];
            int lane;
            if (packing == Packing::Packed && !free.empty() && free.top().first < m_start[part]) {
                lane = free.top().second;
                free.pop();
            } else {
                lane = groupLanes++;
            }
            free.emplace(m_end[part], lane);
            laneOfPart[part] = quint32(lanes + lane);
        }
        m_groups[size_t(g)].laneCount = groupLanes;
        lanes += groupLanes;
    }

    // Store parts lane by lane (counting sort keeps the start order within a lane).
    m_laneBegin.assign(size_t(lanes) + 1, 0);
    for (size_t p = 0; p < parts; ++p)
        ++m_laneBegin[laneOfPart[p] + 1];
    std::partial_sum(m_laneBegin.begin(), m_laneBegin.end(), m_laneBegin.begin());
    std::vector<quint32> next(m_laneBegin.begin(), m_laneBegin.end() - 1);
    std::vector<quint32> position(parts);
    for (quint32 part : order)
        position[part] = next[laneOfPart[part]]++;
    auto permute = [&position](auto &values) {
        std::remove_reference_t<decltype(values)> sorted(values.size());
        for (size_t p = 0; p < values.size(); ++p)
            sorted[position[p]] = values[p];
        values.swap(sorted);
    };
    permute(m_row);
    permute(m_start);
    permute(m_end);
    permute(m_side);
    permute(laneOfPart);
    m_lane.swap(laneOfPart);

    m_rowPartBegin.assign(size_t(rows) + 1, 0);
    for (quint32 row : m_row)
        ++m_rowPartBegin[row + 1];
    std::partial_sum(m_rowPartBegin.begin(), m_rowPartBegin.end(), m_rowPartBegin.begin());
    m_partsByRow.resize(parts);
    std::vector<quint32> fill(m_rowPartBegin.begin(), m_rowPartBegin.end() - 1);
    for (size_t p = 0; p < parts; ++p)
        m_partsByRow[fill[m_row[p]]++] = quint32(p);

    if (parts > 0) {
        m_runStart = *std::min_element(m_start.begin(), m_start.end());
        m_runEnd = *std::max_element(m_end.begin(), m_end.end());
    }
}

int TimelineLayout::groupOfLane(int lane) const
{
    for (size_t g = 0; g < m_groups.size(); ++g) {
        if (lane >= m_groups[g].firstLane && lane < m_groups[g].firstLane + m_groups[g].laneCount)
            return int(g);
    }
    return -1;
}

int TimelineLayout::firstPartEndingAfter(int lane, double t) const
{
    const auto begin = m_end.begin() + laneBegin(lane);
    const auto end = m_end.begin() + laneEnd(lane);
    return int(std::lower_bound(begin, end, t) - m_end.begin());
}

int TimelineLayout::partAt(int lane, double t, double tolerance) const
{
    if (lane < 0 || lane >= laneCount())
        return -1;
    int best = -1;
    double bestDistance = tolerance;
    for (int part = firstPartEndingAfter(lane, t - tolerance); part < laneEnd(lane); ++part) {
        if (m_start[size_t(part)] > t + tolerance)
            break;
        const double distance = t < m_start[size_t(part)] ? m_start[size_t(part)] - t
                                : t > m_end[size_t(part)] ? t - m_end[size_t(part)]
                                                          : 0.0;
        if (distance <= bestDistance) {
            best = part;
            bestDistance = distance;
            if (distance == 0)
                break;
        }
    }
    return best;
}

std::vector<int> TimelineLayout::rowsBetween(double start, double end) const
{
    std::vector<int> rows;
    for (int lane = 0; lane < laneCount(); ++lane) {
        for (int part = firstPartEndingAfter(lane, start); part < laneEnd(lane) && partStart(part) <= end; ++part)
            rows.push_back(partRow(part));
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

std::pair<const quint32 *, const quint32 *> TimelineLayout::partsOfRow(int row) const
{
    if (row < 0 || size_t(row) + 1 >= m_rowPartBegin.size())
        return {nullptr, nullptr};
    const quint32 *base = m_partsByRow.data();
    return {base + m_rowPartBegin[size_t(row)], base + m_rowPartBegin[size_t(row) + 1]};
}

int ConcurrencySeries::countAt(double t) const
{
    const auto started = std::upper_bound(starts.begin(), starts.end(), t) - starts.begin();
    const auto ended = std::upper_bound(ends.begin(), ends.end(), t) - ends.begin();
    return int(started - ended);
}

namespace {

// Index of the first value > t at or after `from` (values sorted): galloping, then binary search.
size_t upperBoundFrom(const std::vector<double> &values, size_t from, double t)
{
    size_t step = 1, hi = from;
    while (hi < values.size() && values[hi] <= t) {
        from = hi + 1;
        hi += step;
        step *= 2;
    }
    hi = std::min(hi, values.size());
    return size_t(std::upper_bound(values.begin() + qsizetype(from), values.begin() + qsizetype(hi), t) - values.begin());
}

} // namespace

void ConcurrencySeries::countsAt(const std::vector<double> &ascendingTimes, std::vector<int> &counts) const
{
    counts.resize(ascendingTimes.size());
    size_t started = 0, ended = 0;
    for (size_t i = 0; i < ascendingTimes.size(); ++i) {
        started = upperBoundFrom(starts, started, ascendingTimes[i]);
        ended = upperBoundFrom(ends, ended, ascendingTimes[i]);
        counts[i] = int(started - ended);
    }
}

int ConcurrencySeries::maximum() const
{
    // Sweep both sorted lists; at equal times an end is taken first (half-open intervals).
    int current = 0, best = 0;
    size_t s = 0, e = 0;
    while (s < starts.size()) {
        if (e < ends.size() && ends[e] <= starts[s]) {
            --current;
            ++e;
        } else {
            best = std::max(best, ++current);
            ++s;
        }
    }
    return best;
}

std::vector<ConcurrencySeries> concurrencySeries(const RequestTable &table, const TimelineLayout &layout)
{
    std::vector<ConcurrencySeries> series;
    ConcurrencySeries inFlight;
    inFlight.title = QStringLiteral("in flight");
    inFlight.color = 0xFF555555;
    // One interval per request: its router or whole part, else its context/generation parts' hull.
    std::vector<double> firstStart(size_t(table.size()), std::numeric_limits<double>::quiet_NaN());
    std::vector<double> lastEnd(size_t(table.size()), std::numeric_limits<double>::quiet_NaN());
    for (int part = 0; part < layout.partCount(); ++part) {
        const size_t row = size_t(layout.partRow(part));
        firstStart[row] = std::isnan(firstStart[row]) ? layout.partStart(part)
                                                     : std::min(firstStart[row], layout.partStart(part));
        lastEnd[row] = std::isnan(lastEnd[row]) ? layout.partEnd(part) : std::max(lastEnd[row], layout.partEnd(part));
    }
    std::vector<int> shownRows;
    for (size_t row = 0; row < firstStart.size(); ++row) {
        if (std::isnan(firstStart[row]))
            continue;
        shownRows.push_back(int(row));
        inFlight.starts.push_back(firstStart[row]);
        inFlight.ends.push_back(lastEnd[row]);
    }
    series.push_back(std::move(inFlight));

    const PhaseCatalog &catalog = table.phases();
    const PhaseResolver resolver(table);
    for (int p = 0; p < catalog.size(); ++p) {
        const PhaseDefinition &phase = catalog.at(p);
        if (!phase.name.endsWith(QLatin1String("queue")) && phase.name != QLatin1String("decode"))
            continue;
        ConcurrencySeries state;
        state.title = phase.name == QLatin1String("decode") ? QStringLiteral("decoding")
                                                            : QStringLiteral("in %1").arg(phase.title.toLower());
        state.color = phase.color;
        for (int row : shownRows) {
            double start = 0, end = 0;
            if (resolver.stamps(p, row, &start, &end) && end >= start) { // anomalies are not a state
                state.starts.push_back(start);
                state.ends.push_back(end);
            }
        }
        if (!state.starts.empty())
            series.push_back(std::move(state));
    }
    for (ConcurrencySeries &s : series) {
        std::sort(s.starts.begin(), s.starts.end());
        std::sort(s.ends.begin(), s.ends.end());
    }
    if (series.front().starts.empty())
        series.clear();
    return series;
}

} // namespace Phaseline
