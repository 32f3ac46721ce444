#pragma once

#include "core/requesttable.h"

#include <vector>

namespace Phaseline {

// When a request arrived: the earliest recorded of the stamps that mark an arrival on any
// side (load generator, router, HTTP server, engine, TensorRT-LLM's disaggregated and worker
// servers), on the table's clock in seconds; NaN when the request recorded none of them, and
// for a durations-only request (aligned clock): its 0 is its own start, not an arrival.
// Resolves the stamp columns once, so a row costs a few array reads.
class ArrivalStamps
{
public:
    explicit ArrivalStamps(const RequestTable &table);
    double at(int row) const;
    bool isEmpty() const { return m_columns.empty(); } // the table has no arrival stamp at all

private:
    const RequestTable &m_table;
    std::vector<int> m_columns;
    int m_clockLabel = -1;
    std::vector<bool> m_alignedClock; // per clock label code
};

double arrivalOf(const RequestTable &table, int row);

} // namespace Phaseline
