#include "core/arrival.h"

namespace Phaseline {

namespace {

// Client formats record when the load generator queued and sent a request; server formats
// when the HTTP server received it and the engine queued it; TensorRT-LLM names its own.
constexpr const char *kArrivalStamps[] = {
    "client_enqueued", "client_sent", "router_arrival", "server_received", "engine_enqueued",
    "disagg_server_arrival_time", "ctx_server_arrival_time", "ctx_arrival_time",
    "gen_server_arrival_time", "gen_arrival_time",
};

} // namespace

ArrivalStamps::ArrivalStamps(const RequestTable &table) : m_table(table)
{
    for (const char *name : kArrivalStamps) {
        const int column = table.stampIndex(QLatin1String(name));
        if (column >= 0 && table.stampColumn(column).isAllocated())
            m_columns.push_back(column);
    }
    m_clockLabel = table.labelIndex(QStringLiteral("clock"));
    if (m_clockLabel >= 0) {
        const LabelColumn &clocks = table.labelColumn(m_clockLabel);
        for (const QString &clock : clocks.values)
            m_alignedClock.push_back(isAlignedClock(clock));
    }
}

double ArrivalStamps::at(int row) const
{
    if (m_clockLabel >= 0 && m_alignedClock[size_t(m_table.labelColumn(m_clockLabel).codes[size_t(row)])])
        return kMissing;
    double earliest = kMissing;
    for (int column : m_columns) {
        const double value = m_table.stamp(column, row);
        if (!isMissing(value) && (isMissing(earliest) || value < earliest))
            earliest = value;
    }
    return earliest;
}

double arrivalOf(const RequestTable &table, int row)
{
    return ArrivalStamps(table).at(row);
}

} // namespace Phaseline
