#pragma once

#include "core/requesttable.h"

#include <QString>

#include <memory>
#include <vector>

namespace Phaseline {

// What every bar of the breakdown view is made of, independent of painting: stack
// layers (the time-to-first-token chain of the phase catalogue, plus the decode
// remainder in lifecycle mode), their per-request durations, the display order and
// per-column aggregates for more requests than pixels.
class BreakdownModel
{
public:
    enum class Mode { TimeToFirstToken, Lifecycle };
    enum class Order { Arrival, Id, Total, Phase };

    struct Segment
    {
        int layer;
        float ms;
    };

    struct ColumnSummary
    {
        int firstIndex = 0; // into order()
        int count = 0;
        std::vector<Segment> medianStack; // median per shown layer, in stack order
        float p99Total = 0;
        bool anyMissing = false;
        bool anyAnomaly = false;
    };

    // The model keeps the snapshot: it may be built on a worker thread while the table is replaced.
    void setTable(std::shared_ptr<const RequestTable> table);
    const RequestTable *table() const { return m_table.get(); }
    int requestCount() const { return m_table ? m_table->size() : 0; }
    // Arrival of a request (arrivalOf(): seconds on the table's clock, NaN if none), and of all.
    // Requests on an aligned clock (durations only) have none: their 0 is their own start.
    double arrival(int row) const { return m_arrival[size_t(row)]; }
    double runStart() const { return m_runStart; }
    // Requests without an arrival; Order::Arrival puts them last, in file order.
    int requestsWithoutArrival() const { return m_withoutArrival; }

    // --- layers ---------------------------------------------------------------------
    int layerCount() const { return int(m_layers.size()); }
    int remainderLayer() const { return layerCount() - 1; } // "decode" after the TTFT chain
    QString layerName(int layer) const { return m_layers[size_t(layer)].name; }
    QString layerTitle(int layer) const { return m_layers[size_t(layer)].title; }
    QString layerDescription(int layer) const { return m_layers[size_t(layer)].description; }
    // What the layer's numbers measured in this table: side, events and clock (MeasurementTally).
    QString layerMeasured(int layer) const { return m_layers[size_t(layer)].measured; }
    quint32 layerCatalogColor(int layer) const { return m_layers[size_t(layer)].color; }
    int layerPhase(int layer) const { return m_layers[size_t(layer)].phase; } // catalogue index, -1 for the remainder
    // Recorded for at least one request and part of the current mode: listed in the legend.
    bool layerAvailable(int layer) const;
    bool isLayerShown(int layer) const { return m_layers[size_t(layer)].shown; }
    void setLayerShown(int layer, bool shown);
    float layerMs(int layer, int row) const; // NaN: missing; negative: anomaly (end before start)

    // --- mode and order -------------------------------------------------------------
    Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    Order order() const { return m_order; }
    int orderPhaseLayer() const { return m_orderLayer; }
    void setOrder(Order order, int layer = -1);
    const std::vector<int> &orderedRows() const { return m_ordered; } // table rows, display order
    int orderIndexOf(int row) const { return m_positionOfRow.empty() ? -1 : m_positionOfRow[size_t(row)]; }

    // --- stacks ---------------------------------------------------------------------
    // The request's drawn stack: shown, recorded layers in lifecycle order (a parent phase
    // is replaced by its children when all of them are recorded). Returns the count.
    int stack(int row, Segment *out) const;
    float stackTotal(int row) const;
    // The layer applies to the request (recorded for some request of the same role) but
    // was not recorded for it, and nothing stands in for it (a parent for its children,
    // or all children for their parent).
    bool isMissingFor(int layer, int row) const;
    bool hasMissing(int row) const;
    bool hasAnomaly(int row) const;

    // Per-column summaries of the requests order()[first, last) spread over `columns`.
    std::vector<ColumnSummary> aggregate(int first, int last, int columns) const;

    // Bumped whenever anything that changes the drawing changes (for caches).
    quint64 revision() const { return m_revision; }

private:
    struct Layer
    {
        QString name, title, description, measured;
        quint32 color = 0;
        int phase = -1;
        std::vector<int> childLayers;
        int parentLayer = -1;
        bool shown = true;
        bool ttft = true;
        bool drawnSomewhere = false; // a parent whose children always stand in is never drawn
        std::vector<float> ms; // per table row; empty when never recorded
    };

    void rebuildOrder();
    std::shared_ptr<const RequestTable> m_table;
    std::vector<Layer> m_layers;
    bool childrenUsed(const Layer &parent, int row) const;

    std::vector<std::vector<bool>> m_applicableByRole; // [role][layer]: recorded for some request of that role
    std::vector<double> m_arrival;                     // arrivalOf() per row (for ordering)
    double m_runStart = kMissing;
    int m_withoutArrival = 0;
    std::vector<int> m_ordered;
    std::vector<int> m_positionOfRow;
    Mode m_mode = Mode::TimeToFirstToken;
    Order m_order = Order::Arrival;
    int m_orderLayer = -1;
    quint64 m_revision = 0;
};

} // namespace Phaseline
