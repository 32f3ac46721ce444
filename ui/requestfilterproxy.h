#pragma once

#include "analysis/requestfilter.h"

#include <QSortFilterProxyModel>

#include <vector>

namespace Phaseline {

class RequestTableModel;

// Sorts and filters a RequestTableModel, reading the cells straight from the model's
// columns (no QVariant per comparison). Missing values sort last in both orders. The
// filter expression is a RequestFilter (the language `phaseline --filter` reads too).
class RequestFilterProxy : public QSortFilterProxyModel
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

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void recompileForNewTable();

    // Keys of the numeric sort column, one contiguous array: a million-row sort compares
    // rows in random order, and reading two stamp columns per row would miss the cache.
    // Built on the first comparison of a sort, dropped with the table.
    mutable std::vector<double> m_sortKeys;
    mutable int m_sortKeysColumn = -1;

    RequestTableModel *m_model = nullptr;
    QMetaObject::Connection m_resetConnection;
    RequestFilter m_filter;
};

} // namespace Phaseline
