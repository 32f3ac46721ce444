#pragma once

#include "core/requesttable.h"

#include <QList>
#include <QPointF>
#include <QVector>

#include <vector>

namespace Phaseline {

enum class PhaseState : quint8 {
    Recorded, // both stamps recorded, end >= start
    Missing,  // a stamp not recorded, or the phase does not apply to the request's role
    Anomaly,  // end before start: shown and counted, excluded from statistics
};

// Resolves a table's phase catalogue to its stamp columns once, so a phase duration is
// two array reads.
class PhaseResolver
{
public:
    // Resolves the table's phase catalogue, or another list of definitions (e.g. totals()).
    explicit PhaseResolver(const RequestTable &table);
    PhaseResolver(const RequestTable &table, const QVector<PhaseDefinition> &definitions);

    int phaseCount() const { return int(m_spans.size()); }
    PhaseState duration(int phase, int row, double *milliseconds) const;
    // The same, and which of the definition's spans gave it (-1 when missing).
    PhaseState duration(int phase, int row, double *milliseconds, int *span) const;
    // The stamps (seconds, relative to the table's origin) the phase used for this row;
    // false when the phase is missing for it.
    bool stamps(int phase, int row, double *start, double *end) const;
    // Index into the definition's spans of the one this row used; -1 when missing.
    int usedSpan(int phase, int row) const;

private:
    struct Span
    {
        const std::vector<double> *start = nullptr;
        const std::vector<double> *end = nullptr;
        RoleMask roles = 0;
    };
    const RequestTable &m_table;
    std::vector<std::vector<Span>> m_spans;
};

// What a phase measured over some rows: the spans they used (side and events, from the
// stamps) and the clocks those rows' stamps are on (their "clock" labels).
class MeasurementTally
{
public:
    MeasurementTally(const RequestTable &table, const PhaseDefinition &definition);
    void add(int row, int span);
    // "client: request sent → last token received (clock: epoch (client wall clock))";
    // several spans are joined with "; or ". Empty when no row was added.
    QString describe() const;

private:
    const RequestTable &m_table;
    const PhaseDefinition &m_definition;
    int m_clockLabel = -1;
    std::vector<bool> m_spans;
    std::vector<LabelCode> m_clocks; // distinct, the first few
    bool m_moreClocks = false;
};

struct PhaseStatistics
{
    QString name;
    QString measured; // MeasurementTally::describe() of the rows that recorded it
    qint64 count = 0;     // requests with a recorded duration
    qint64 missing = 0;   // requests where it was not recorded (or does not apply)
    qint64 anomalies = 0; // end before start
    double mean = 0, median = 0, p90 = 0, p99 = 0, min = 0, max = 0; // ms, meaningful when count > 0
};

struct StatisticsReport
{
    qint64 requests = 0;
    QVector<PhaseStatistics> phases; // catalogue order; phases never recorded are left out
    QVector<PhaseStatistics> totals; // time to first token, end to end (same rule)
};

// p-th percentile (0..100) of ascending values by linear interpolation between closest
// ranks (numpy's default); the median of an even count is the mean of the middle two.
double percentileOfSorted(const std::vector<double> &sorted, double p);

// The same percentiles of unsorted values, found by selection (O(n) each, no full sort);
// `values` is reordered. `ps` ascending; out[i] is the ps[i]-th percentile.
void percentilesBySelection(std::vector<double> &values, const std::vector<double> &ps, double *out);

// Statistics over all requests, or over `rows` (a selection) when given.
StatisticsReport computeStatistics(const RequestTable &table, const std::vector<int> *rows = nullptr);

// Equal-width bins with round edges: bin i counts the values in [edge(i), edge(i + 1)).
struct Histogram
{
    double start = 0;
    double width = 0;
    QVector<qint64> bins;

    double edge(int i) const { return start + width * double(i); }
    double end() const { return edge(int(bins.size())); }
};

// Rice rule (2 * cbrt(n) bins) with the width rounded up by niceCeiling() (axisstep.h) and the start down to
// a multiple of it, at most `maxBins` bins; a single distinct value gets one narrow bin.
// Empty input gives no bins.
Histogram histogramOfSorted(const std::vector<double> &sorted, int maxBins);

// The empirical CDF as at most `maxPoints` points (value, % of values at or below), taken
// evenly by rank: the k-th of n sorted values sits at 100 * k / (n - 1), so straight lines
// between the points interpolate as percentileOfSorted() does.
QList<QPointF> cdfOfSorted(const std::vector<double> &sorted, int maxPoints);

// What the statistics panel plots for one phase (or total) over all requests or `rows`.
struct PhaseDistribution
{
    qint64 count = 0; // requests with a recorded duration
    double median = 0, p90 = 0, p99 = 0;
    Histogram histogram;
    QList<QPointF> cdf;
};

PhaseDistribution distributionOf(const RequestTable &table, const std::vector<int> *rows,
                                 const PhaseDefinition &phase, int maxBins, int maxCdfPoints);

} // namespace Phaseline
