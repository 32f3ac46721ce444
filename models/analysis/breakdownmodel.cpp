#include "analysis/breakdownmodel.h"

#include "core/arrival.h"
#include "analysis/statistics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

namespace Phaseline {

namespace {
constexpr float kMissingMs = std::numeric_limits<float>::quiet_NaN();
}

void BreakdownModel::setTable(std::shared_ptr<const RequestTable> snapshot)
{
    m_table = std::move(snapshot);
    const RequestTable *table = m_table.get();
    m_layers.clear();
    m_ordered.clear();
    m_positionOfRow.clear();
    m_arrival.clear();
    m_runStart = kMissing;
    m_withoutArrival = 0;
    m_applicableByRole.assign(kRoleCount, {});
    ++m_revision;
    if (!table)
        return;

    const PhaseCatalog &catalog = table->phases();
    const PhaseResolver resolver(*table);
    const int rows = table->size();
    int decodePhase = -1;
    for (int p = 0; p < catalog.size(); ++p) {
        const PhaseDefinition &definition = catalog.at(p);
        if (definition.group != PhaseDefinition::TimeToFirstToken) {
            if (definition.name == QLatin1String("decode"))
                decodePhase = p;
            continue;
        }
        Layer layer;
        layer.name = definition.name;
        layer.title = definition.title;
        layer.description = definition.description;
        layer.color = definition.color;
        layer.phase = p;
        layer.ms.resize(size_t(rows));
        MeasurementTally measured(*table, definition);
        bool any = false;
        for (int row = 0; row < rows; ++row) {
            double ms = 0;
            int span = -1;
            const PhaseState state = resolver.duration(p, row, &ms, &span);
            layer.ms[size_t(row)] = state == PhaseState::Missing ? kMissingMs : float(ms);
            any = any || state != PhaseState::Missing;
            measured.add(row, span);
        }
        layer.measured = measured.describe();
        if (!any)
            layer.ms.clear();
        m_layers.push_back(std::move(layer));
    }
    for (size_t i = 0; i < m_layers.size(); ++i) {
        for (const QString &child : catalog.at(m_layers[i].phase).children) {
            for (size_t j = 0; j < m_layers.size(); ++j) {
                if (m_layers[j].name == child) {
                    m_layers[i].childLayers.push_back(int(j));
                    m_layers[j].parentLayer = int(i);
                }
            }
        }
    }

    // The decode remainder: from the end of the time-to-first-token chain to the last
    // token. decode itself overlaps the chain's postprocessing phases, so stacking it
    // whole would count that time twice.
    Layer remainder;
    remainder.name = QStringLiteral("decode");
    remainder.title = QStringLiteral("Decode (after first token)");
    remainder.description = QStringLiteral("Last token minus the end of the time-to-first-token chain: the part of "
                                           "decode that does not overlap the postprocessing phases");
    remainder.color = decodePhase >= 0 ? catalog.at(decodePhase).color : 0xFF199365;
    remainder.ttft = false;
    if (decodePhase >= 0) {
        remainder.ms.assign(size_t(rows), kMissingMs);
        MeasurementTally measured(*table, catalog.at(decodePhase));
        bool any = false;
        for (int row = 0; row < rows; ++row) {
            double decodeStart = 0, lastToken = 0;
            if (!resolver.stamps(decodePhase, row, &decodeStart, &lastToken))
                continue;
            double chainEnd = -std::numeric_limits<double>::infinity();
            for (const Layer &layer : m_layers) {
                double start = 0, end = 0;
                if (!layer.ms.empty() && resolver.stamps(layer.phase, row, &start, &end))
                    chainEnd = std::max(chainEnd, end);
            }
            if (std::isinf(chainEnd))
                continue;
            remainder.ms[size_t(row)] = float(std::max(0.0, (lastToken - chainEnd) * 1000.0));
            measured.add(row, resolver.usedSpan(decodePhase, row));
            any = true;
        }
        const QString decodeMeasured = measured.describe();
        if (!decodeMeasured.isEmpty())
            remainder.measured = QStringLiteral("from the end of the time-to-first-token chain to the end of decode, ")
                + decodeMeasured;
        if (!any)
            remainder.ms.clear();
    }
    m_layers.push_back(std::move(remainder));

    for (size_t l = 0; l < m_layers.size(); ++l) {
        Layer &layer = m_layers[l];
        for (size_t row = 0; row < layer.ms.size() && !layer.drawnSomewhere; ++row) {
            const bool used = layer.parentLayer >= 0 ? childrenUsed(m_layers[size_t(layer.parentLayer)], int(row))
                                                      : !childrenUsed(layer, int(row));
            layer.drawnSomewhere = used && !std::isnan(layer.ms[row]);
        }
    }
    for (int role = 0; role < kRoleCount; ++role)
        m_applicableByRole[size_t(role)].assign(m_layers.size(), false);
    for (size_t l = 0; l < m_layers.size(); ++l) {
        const std::vector<float> &ms = m_layers[l].ms;
        for (size_t row = 0; row < ms.size(); ++row) {
            if (!std::isnan(ms[row]))
                m_applicableByRole[size_t(table->role(int(row)))][l] = true;
        }
    }

    const ArrivalStamps arrivals(*table);
    m_arrival.resize(size_t(rows));
    for (int row = 0; row < rows; ++row)
        m_arrival[size_t(row)] = arrivals.at(row);
    m_runStart = kMissing;
    m_withoutArrival = 0;
    for (double arrival : m_arrival) {
        if (isMissing(arrival))
            ++m_withoutArrival;
        else if (isMissing(m_runStart) || arrival < m_runStart)
            m_runStart = arrival;
    }
    rebuildOrder();
}

bool BreakdownModel::layerAvailable(int layer) const
{
    const Layer &l = m_layers[size_t(layer)];
    if (!l.drawnSomewhere)
        return false;
    return l.ttft || m_mode == Mode::Lifecycle;
}

void BreakdownModel::setLayerShown(int layer, bool shown)
{
    if (m_layers[size_t(layer)].shown == shown)
        return;
    m_layers[size_t(layer)].shown = shown;
    ++m_revision;
    if (m_order == Order::Total)
        rebuildOrder();
}

float BreakdownModel::layerMs(int layer, int row) const
{
    const std::vector<float> &ms = m_layers[size_t(layer)].ms;
    return ms.empty() ? kMissingMs : ms[size_t(row)];
}

void BreakdownModel::setMode(Mode mode)
{
    if (m_mode == mode)
        return;
    m_mode = mode;
    ++m_revision;
    if (m_order == Order::Total)
        rebuildOrder();
}

void BreakdownModel::setOrder(Order order, int layer)
{
    m_order = order;
    m_orderLayer = order == Order::Phase ? layer : -1;
    ++m_revision;
    rebuildOrder();
}

bool BreakdownModel::childrenUsed(const Layer &parent, int row) const
{
    return PhaseCatalog::childrenReplaceParent(parent.childLayers,
                                               [&](int child) { return !std::isnan(layerMs(child, row)); });
}

int BreakdownModel::stack(int row, Segment *out) const
{
    int n = 0;
    for (int l = 0; l < layerCount(); ++l) {
        const Layer &layer = m_layers[size_t(l)];
        if (!layer.shown || layer.ms.empty() || (!layer.ttft && m_mode != Mode::Lifecycle))
            continue;
        if (layer.parentLayer >= 0 ? !childrenUsed(m_layers[size_t(layer.parentLayer)], row) : childrenUsed(layer, row))
            continue;
        const float ms = layer.ms[size_t(row)];
        if (std::isnan(ms) || ms < 0)
            continue;
        out[n++] = Segment{l, ms};
    }
    return n;
}

float BreakdownModel::stackTotal(int row) const
{
    std::vector<Segment> segments(m_layers.size());
    const int n = stack(row, segments.data());
    float total = 0;
    for (int i = 0; i < n; ++i)
        total += segments[size_t(i)].ms;
    return total;
}

bool BreakdownModel::isMissingFor(int layer, int row) const
{
    const Layer &l = m_layers[size_t(layer)];
    if (!m_applicableByRole[size_t(m_table->role(row))][size_t(layer)] || !std::isnan(l.ms[size_t(row)]))
        return false;
    if (l.parentLayer >= 0)
        return std::isnan(layerMs(l.parentLayer, row)); // older data: the parent covers it
    return !childrenUsed(l, row);
}

bool BreakdownModel::hasMissing(int row) const
{
    for (int l = 0; l < layerCount(); ++l) {
        if ((m_layers[size_t(l)].ttft || m_mode == Mode::Lifecycle) && isMissingFor(l, row))
            return true;
    }
    return false;
}

bool BreakdownModel::hasAnomaly(int row) const
{
    for (const Layer &layer : m_layers) {
        if (!layer.ms.empty() && layer.ms[size_t(row)] < 0)
            return true;
    }
    return false;
}

void BreakdownModel::rebuildOrder()
{
    const int rows = requestCount();
    m_ordered.resize(size_t(rows));
    std::iota(m_ordered.begin(), m_ordered.end(), 0);
    // Missing keys sort last in every order.
    auto sortByKey = [this](const std::vector<double> &key, bool descending) {
        std::stable_sort(m_ordered.begin(), m_ordered.end(), [&](int a, int b) {
            const double ka = key[size_t(a)], kb = key[size_t(b)];
            if (std::isnan(ka) || std::isnan(kb))
                return !std::isnan(ka) && std::isnan(kb);
            return descending ? ka > kb : ka < kb;
        });
    };
    switch (m_order) {
    case Order::Arrival:
        sortByKey(m_arrival, false);
        break;
    case Order::Id: {
        std::vector<double> numeric(size_t(rows), kMissing);
        for (int row = 0; row < rows; ++row) {
            const std::string_view id = m_table->idView(row);
            double value = 0;
            const auto parsed = std::from_chars(id.data(), id.data() + id.size(), value);
            if (parsed.ec == std::errc() && parsed.ptr == id.data() + id.size())
                numeric[size_t(row)] = value;
        }
        std::stable_sort(m_ordered.begin(), m_ordered.end(), [&](int a, int b) {
            const double ka = numeric[size_t(a)], kb = numeric[size_t(b)];
            if (!std::isnan(ka) && !std::isnan(kb))
                return ka < kb;
            if (std::isnan(ka) != std::isnan(kb))
                return !std::isnan(ka);
            return m_table->idView(a) < m_table->idView(b);
        });
        break;
    }
    case Order::Total: {
        std::vector<double> totals(static_cast<size_t>(rows));
        for (int row = 0; row < rows; ++row)
            totals[size_t(row)] = stackTotal(row);
        sortByKey(totals, true);
        break;
    }
    case Order::Phase: {
        std::vector<double> key(size_t(rows), kMissing);
        if (m_orderLayer >= 0 && m_orderLayer < layerCount()) {
            for (int row = 0; row < rows; ++row)
                key[size_t(row)] = double(layerMs(m_orderLayer, row));
        }
        sortByKey(key, true);
        break;
    }
    }
    m_positionOfRow.assign(size_t(rows), -1);
    for (int i = 0; i < rows; ++i)
        m_positionOfRow[size_t(m_ordered[size_t(i)])] = i;
}

std::vector<BreakdownModel::ColumnSummary> BreakdownModel::aggregate(int first, int last, int columns) const
{
    std::vector<ColumnSummary> result;
    if (columns <= 0 || last <= first)
        return result;
    result.resize(size_t(columns));
    std::vector<std::vector<float>> perLayer(m_layers.size());
    std::vector<float> totals;
    std::vector<Segment> segments(m_layers.size());
    const qint64 span = qint64(last) - first;
    for (int c = 0; c < columns; ++c) {
        ColumnSummary &summary = result[size_t(c)];
        const int begin = first + int(span * c / columns);
        const int end = first + int(span * (c + 1) / columns);
        summary.firstIndex = begin;
        summary.count = end - begin;
        for (auto &values : perLayer)
            values.clear();
        totals.clear();
        for (int i = begin; i < end; ++i) {
            const int row = m_ordered[size_t(i)];
            const int n = stack(row, segments.data());
            float total = 0;
            for (int s = 0; s < n; ++s) {
                perLayer[size_t(segments[size_t(s)].layer)].push_back(segments[size_t(s)].ms);
                total += segments[size_t(s)].ms;
            }
            totals.push_back(total);
            summary.anyMissing = summary.anyMissing || hasMissing(row);
            summary.anyAnomaly = summary.anyAnomaly || hasAnomaly(row);
        }
        for (size_t l = 0; l < perLayer.size(); ++l) {
            std::vector<float> &values = perLayer[l];
            if (values.empty())
                continue;
            auto middle = values.begin() + std::ptrdiff_t(values.size() / 2);
            std::nth_element(values.begin(), middle, values.end());
            summary.medianStack.push_back(Segment{int(l), *middle});
        }
        if (!totals.empty()) {
            auto at = totals.begin() + std::ptrdiff_t(std::min(totals.size() - 1, size_t(double(totals.size()) * 0.99)));
            std::nth_element(totals.begin(), at, totals.end());
            summary.p99Total = *at;
        }
    }
    return result;
}

} // namespace Phaseline
