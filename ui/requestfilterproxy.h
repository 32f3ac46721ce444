#pragma once

#include "analysis/requestfilter.h"
#include "core/jobtracker.h"

#include <QAbstractProxyModel>

#include <vector>

namespace Phaseline {

class RequestTableModel;

// Sorts and filters a RequestTableModel. The row order (the accepted rows, sorted) is one
// array: for a large table it is computed by a background job from the table snapshot and
// applied in one layout change, O(rows), so the GUI thread never sorts a million rows; until
// then the view keeps the order it shows. Missing values sort last in both orders; ties keep
// table order. The filter expression is a RequestFilter (the language `phaseline --filter` reads too).
class RequestFilterProxy : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit RequestFilterProxy(QObject *parent = nullptr);
    ~RequestFilterProxy() override;

    // Must be a RequestTableModel (or nullptr).
    void setSourceModel(QAbstractItemModel *model) override;
    RequestTableModel *requestModel() const { return m_model; }

    // Parses and applies `expression`. On error returns false, sets `error` to a message
    // naming the offending column or token and keeps the previous filter.
    bool setFilterExpression(const QString &expression, QString *error = nullptr);
    QString filterExpression() const { return m_filter.expression(); }

    // column -1: table order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    // A background job is computing the order of the rows shown.
    bool isOrdering() const { return m_ordering.isBusy(); }
    // Tests: blocks until the order being computed is applied.
    void finishOrderingNow() { m_ordering.finishNow(); }

    // The accepted rows of `columns`' table sorted by `column` in `order`, as the proxy shows
    // them. Returns early (empty) once `token` says the job was superseded.
    static std::vector<int> rowOrder(const RequestColumns &columns, const RequestFilter &filter, int column,
                                     Qt::SortOrder order, const JobToken *token = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;

private:
    void sourceAboutToBeReset();
    void sourceReset();
    // Compiles the filter against the model's columns (a new table).
    void recompileFilter();
    // Computes the order now (small tables, or no sort and no filter) or starts its job.
    void reorder();
    // Shows `rows` (table rows in display order) in one layout change.
    void applyOrder(std::vector<int> rows);
    void setRows(std::vector<int> rows);

    RequestTableModel *m_model = nullptr;
    QList<QMetaObject::Connection> m_sourceConnections;
    RequestFilter m_filter;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    std::vector<int> m_rows;         // display row -> table row
    std::vector<int> m_displayRowOf; // table row -> display row, -1 when filtered out
    JobTracker<std::vector<int>> m_ordering;
};

} // namespace Phaseline
