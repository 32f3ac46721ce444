#include "requestfilterproxy.h"

#include "requesttablemodel.h"

namespace Phaseline {

namespace {

// Without a model the filter has no columns: every condition names an unknown column.
const RequestColumns &columnsOf(const RequestTableModel *model)
{
    static const RequestColumns none;
    return model ? model->columns() : none;
}

} // namespace

RequestFilterProxy::RequestFilterProxy(QObject *parent) : QSortFilterProxyModel(parent) {}

RequestFilterProxy::~RequestFilterProxy() = default;

void RequestFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_model = qobject_cast<RequestTableModel *>(model);
    Q_ASSERT_X(!model || m_model, "RequestFilterProxy::setSourceModel", "the source must be a RequestTableModel");
    disconnect(m_resetConnection);
    // Connected before the base class connects its own reset handling: the compiled filter
    // refers to column indices, which must match the new table before the proxy maps rows.
    if (m_model)
        m_resetConnection = connect(m_model, &QAbstractItemModel::modelReset, this,
                                    &RequestFilterProxy::recompileForNewTable);
    recompileForNewTable();
    QSortFilterProxyModel::setSourceModel(model);
}

void RequestFilterProxy::recompileForNewTable()
{
    const RequestColumns &columns = columnsOf(m_model);
    // An expression that no longer fits the columns (a phase this data lacks) is dropped;
    // whoever shows the expression re-applies it to report the error.
    if (!m_filter.compile(m_filter.expression(), columns))
        m_filter.compile(QString(), columns);
    m_sortKeys.clear();
    m_sortKeysColumn = -1;
}

bool RequestFilterProxy::setFilterExpression(const QString &expression, QString *error)
{
    // The filter in force (recompiled for every new table): re-filtering a million rows would change nothing.
    if (expression == m_filter.expression())
        return true;
    if (!m_filter.compile(expression, columnsOf(m_model), error))
        return false;
    // invalidate() rebuilds the mapping behind one layout change; invalidateFilter() would
    // emit a removal or insertion per contiguous range, up to millions for a scattered match.
    invalidate();
    return true;
}

bool RequestFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    return !sourceParent.isValid() && m_filter.accepts(sourceRow);
}

bool RequestFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int column = left.column();
    if (!m_model->isNumeric(column))
        return m_model->compareText(column, left.row(), right.row()) < 0;
    if (m_sortKeysColumn != column) {
        m_sortKeys.resize(size_t(m_model->rowCount()));
        for (int row = 0; row < m_model->rowCount(); ++row)
            m_sortKeys[size_t(row)] = m_model->number(column, row);
        m_sortKeysColumn = column;
    }
    const double a = m_sortKeys[size_t(left.row())];
    const double b = m_sortKeys[size_t(right.row())];
    if (isMissing(a) || isMissing(b)) {
        // Missing last in both orders. For descending order the base class sorts with
        // lessThan(right, left), so there "missing is less" puts it last.
        if (isMissing(a) == isMissing(b))
            return false;
        return isMissing(a) == (sortOrder() == Qt::DescendingOrder);
    }
    return a < b;
}

} // namespace Phaseline
