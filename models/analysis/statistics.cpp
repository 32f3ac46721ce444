#include "analysis/statistics.h"

#include "analysis/axisstep.h"

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cmath>

namespace Phaseline {

PhaseResolver::PhaseResolver(const RequestTable &table) : PhaseResolver(table, table.phases().all()) {}

PhaseResolver::PhaseResolver(const RequestTable &table, const QVector<PhaseDefinition> &definitions)
    : m_table(table)
{
    m_spans.resize(size_t(definitions.size()));
    for (int p = 0; p < definitions.size(); ++p) {
        for (const PhaseSpan &span : definitions.at(p).spans) {
            const int start = table.stampIndex(span.startStamp);
            const int end = table.stampIndex(span.endStamp);
            Span resolved;
            resolved.roles = span.roles;
            // A stamp column the data never had: the span exists but is never recorded.
            resolved.start = start >= 0 && table.stampColumn(start).isAllocated() ? &table.stampColumn(start).values : nullptr;
            resolved.end = end >= 0 && table.stampColumn(end).isAllocated() ? &table.stampColumn(end).values : nullptr;
            m_spans[size_t(p)].push_back(resolved);
        }
    }
}

int PhaseResolver::usedSpan(int phase, int row) const
{
    const RoleMask role = roleBit(m_table.role(row));
    const std::vector<Span> &spans = m_spans[size_t(phase)];
    for (size_t i = 0; i < spans.size(); ++i) {
        const Span &span = spans[i];
        if (!(span.roles & role) || !span.start || !span.end)
            continue;
        if (!isMissing((*span.start)[size_t(row)]) && !isMissing((*span.end)[size_t(row)]))
            return int(i);
    }
    return -1;
}

bool PhaseResolver::stamps(int phase, int row, double *start, double *end) const
{
    const int used = usedSpan(phase, row);
    if (used < 0)
        return false;
    const Span &span = m_spans[size_t(phase)][size_t(used)];
    *start = (*span.start)[size_t(row)];
    *end = (*span.end)[size_t(row)];
    return true;
}

PhaseState PhaseResolver::duration(int phase, int row, double *milliseconds) const
{
    int span = -1;
    return duration(phase, row, milliseconds, &span);
}

PhaseState PhaseResolver::duration(int phase, int row, double *milliseconds, int *span) const
{
    *span = usedSpan(phase, row);
    if (*span < 0)
        return PhaseState::Missing;
    const Span &used = m_spans[size_t(phase)][size_t(*span)];
    const double start = (*used.start)[size_t(row)], end = (*used.end)[size_t(row)];
    *milliseconds = (end - start) * 1000.0;
    return end < start ? PhaseState::Anomaly : PhaseState::Recorded;
}

MeasurementTally::MeasurementTally(const RequestTable &table, const PhaseDefinition &definition)
    : m_table(table), m_definition(definition), m_clockLabel(table.labelIndex(QStringLiteral("clock"))),
      m_spans(size_t(definition.spans.size()), false)
{
}

void MeasurementTally::add(int row, int span)
{
    if (span < 0)
        return;
    m_spans[size_t(span)] = true;
    if (m_clockLabel < 0)
        return;
    constexpr size_t kNamedClocks = 2; // then "and N more": a disaggregated run has a clock per server
    const LabelCode clock = m_table.labelColumn(m_clockLabel).codes[size_t(row)];
    if (std::find(m_clocks.begin(), m_clocks.end(), clock) != m_clocks.end())
        return;
    if (m_clocks.size() < kNamedClocks)
        m_clocks.push_back(clock);
    else
        m_moreClocks = true;
}

QString MeasurementTally::describe() const
{
    QStringList spans;
    for (size_t i = 0; i < m_spans.size(); ++i) {
        if (m_spans[i])
            spans << describeSpan(m_definition.spans.at(int(i)));
    }
    if (spans.isEmpty())
        return QString();
    QStringList clocks;
    for (LabelCode clock : m_clocks) {
        const QString name = m_table.labelColumn(m_clockLabel).values.value(int(clock));
        if (!name.isEmpty())
            clocks << name;
    }
    QString text = spans.join(QStringLiteral("; or "));
    if (!clocks.isEmpty())
        text += QStringLiteral(" (clock: %1%2)").arg(clocks.join(QStringLiteral(", ")),
                                                     m_moreClocks ? QStringLiteral(" and more") : QString());
    return text;
}

double percentileOfSorted(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return std::nan("");
    const double rank = p / 100.0 * double(sorted.size() - 1);
    const size_t below = size_t(std::floor(rank));
    const size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = rank - double(below);
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

void percentilesBySelection(std::vector<double> &values, const std::vector<double> &ps, double *out)
{
    if (values.empty()) {
        std::fill(out, out + ps.size(), std::nan(""));
        return;
    }
    const size_t last = values.size() - 1;
    // Each percentile reads two neighbouring ranks; placing the ranks in ascending order lets
    // every selection work on what lies above the previous one.
    std::vector<size_t> ranks;
    for (double p : ps) {
        const size_t below = size_t(std::floor(p / 100.0 * double(last)));
        ranks.push_back(below);
        ranks.push_back(std::min(below + 1, last));
    }
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    size_t from = 0; // values below `from` are in place, and none above is smaller
    for (size_t rank : ranks) {
        const auto at = values.begin() + std::ptrdiff_t(rank);
        if (rank == from) // the next rank (a percentile's upper neighbour, the minimum): the smallest left
            std::iter_swap(at, std::min_element(at, values.end()));
        else if (rank == last)
            std::iter_swap(at, std::max_element(values.begin() + std::ptrdiff_t(from), values.end()));
        else
            std::nth_element(values.begin() + std::ptrdiff_t(from), at, values.end());
        from = rank + 1;
    }
    for (size_t i = 0; i < ps.size(); ++i) {
        const double rank = ps[i] / 100.0 * double(last);
        const size_t below = size_t(std::floor(rank));
        const size_t above = std::min(below + 1, last);
        out[i] = values[below] + (values[above] - values[below]) * (rank - double(below));
    }
}

namespace {

// One phase (or total) over all rows or `rows`; false when it was never recorded nor anomalous.
bool phaseStatistics(const RequestTable &table, const PhaseResolver &resolver, const PhaseDefinition &definition,
                     int phase, const std::vector<int> *rows, PhaseStatistics &stats)
{
    const int total = rows ? int(rows->size()) : table.size();
    stats.name = definition.name;
    MeasurementTally measured(table, definition);
    std::vector<double> values;
    values.reserve(size_t(total));
    long double sum = 0;
    for (int i = 0; i < total; ++i) {
        const int row = rows ? (*rows)[size_t(i)] : i;
        double ms = 0;
        int span = -1;
        switch (resolver.duration(phase, row, &ms, &span)) {
        case PhaseState::Recorded:
            values.push_back(ms);
            sum += ms;
            break;
        case PhaseState::Missing:
            ++stats.missing;
            break;
        case PhaseState::Anomaly:
            ++stats.anomalies;
            break;
        }
        measured.add(row, span);
    }
    stats.measured = measured.describe();
    stats.count = qint64(values.size());
    if (stats.count == 0 && stats.anomalies == 0)
        return false;
    if (stats.count > 0) {
        stats.mean = double(sum / (long double)values.size());
        static const std::vector<double> reported{0, 50, 90, 99, 100};
        double at[5];
        percentilesBySelection(values, reported, at);
        stats.min = at[0];
        stats.median = at[1];
        stats.p90 = at[2];
        stats.p99 = at[3];
        stats.max = at[4];
    }
    return true;
}

} // namespace

StatisticsReport computeStatistics(const RequestTable &table, const std::vector<int> *rows)
{
    StatisticsReport report;
    report.requests = rows ? qint64(rows->size()) : table.size();
    const QVector<PhaseDefinition> phases = table.phases().all();
    const QVector<PhaseDefinition> totals = table.phases().totals();
    const PhaseResolver phaseResolver(table, phases);
    const PhaseResolver totalResolver(table, totals);
    // Phases and totals are independent passes over the rows: one task each, on all cores.
    struct Task
    {
        const PhaseResolver *resolver;
        const PhaseDefinition *definition;
        int phase;
        bool reported = false;
        PhaseStatistics stats;
    };
    std::vector<Task> tasks;
    for (int p = 0; p < phases.size(); ++p)
        tasks.push_back(Task{&phaseResolver, &phases.at(p), p, false, {}});
    for (int p = 0; p < totals.size(); ++p)
        tasks.push_back(Task{&totalResolver, &totals.at(p), p, false, {}});
    QtConcurrent::blockingMap(tasks, [&](Task &task) {
        task.reported = phaseStatistics(table, *task.resolver, *task.definition, task.phase, rows, task.stats);
    });
    for (size_t i = 0; i < tasks.size(); ++i) {
        if (tasks[i].reported)
            (int(i) < phases.size() ? report.phases : report.totals).append(std::move(tasks[i].stats));
    }
    return report;
}

Histogram histogramOfSorted(const std::vector<double> &sorted, int maxBins)
{
    Histogram histogram;
    if (sorted.empty() || maxBins < 1)
        return histogram;
    // The bin count aims two short of the cap: rounding the width up to a nice number and
    // the start down to a multiple of it adds at most two bins.
    const double min = sorted.front(), max = sorted.back();
    const int target = std::clamp(int(std::ceil(2 * std::cbrt(double(sorted.size())))), 1, std::max(1, maxBins - 2));
    const double width = niceCeiling(max > min ? (max - min) / target : std::max(min * 0.01, 1e-3));
    const double start = std::floor(min / width) * width;
    const int binCount = std::min(maxBins, int((max - start) / width) + 1);
    histogram.start = start;
    histogram.width = width;
    histogram.bins.fill(0, binCount);
    for (double value : sorted)
        ++histogram.bins[std::clamp(int((value - start) / width), 0, binCount - 1)];
    return histogram;
}

QList<QPointF> cdfOfSorted(const std::vector<double> &sorted, int maxPoints)
{
    QList<QPointF> cdf;
    if (sorted.empty() || maxPoints < 1)
        return cdf;
    const size_t last = sorted.size() - 1;
    const size_t points = std::min(sorted.size(), size_t(maxPoints));
    cdf.reserve(qsizetype(points));
    for (size_t i = 0; i < points; ++i) {
        const size_t index = points == 1 ? last : size_t(std::llround(double(i) * double(last) / double(points - 1)));
        cdf.append(QPointF(sorted[index], last == 0 ? 100.0 : 100.0 * double(index) / double(last)));
    }
    return cdf;
}

PhaseDistribution distributionOf(const RequestTable &table, const std::vector<int> *rows,
                                 const PhaseDefinition &phase, int maxBins, int maxCdfPoints)
{
    const PhaseResolver resolver(table, {phase});
    const size_t total = rows ? rows->size() : size_t(table.size());
    std::vector<double> values;
    values.reserve(total);
    for (size_t i = 0; i < total; ++i) {
        double ms = 0;
        if (resolver.duration(0, rows ? (*rows)[i] : int(i), &ms) == PhaseState::Recorded)
            values.push_back(ms);
    }
    PhaseDistribution distribution;
    distribution.count = qint64(values.size());
    if (values.empty())
        return distribution;
    std::sort(values.begin(), values.end());
    distribution.median = percentileOfSorted(values, 50);
    distribution.p90 = percentileOfSorted(values, 90);
    distribution.p99 = percentileOfSorted(values, 99);
    distribution.histogram = histogramOfSorted(values, maxBins);
    distribution.cdf = cdfOfSorted(values, maxCdfPoints);
    return distribution;
}

} // namespace Phaseline
