#include "requestfilterproxy.h"

#include "requesttablemodel.h"

#include <algorithm>
#include <functional>

namespace Phaseline {

namespace {

// Without a model the filter has no columns: every condition names an unknown column.
const RequestColumns &columnsOf(const RequestTableModel *model)
{
    static const RequestColumns none;
    return model ? model->columns() : none;
}

struct KeyedRow
{
    double key;
    int row;
};

// Numeric columns: the keys in one contiguous array with their rows (a million-row sort reads
// them in random order), the missing ones set aside to follow in table order.
void sortByNumber(const RequestColumns &columns, int column, Qt::SortOrder order, std::vector<int> &rows)
{
    std::vector<KeyedRow> keyed;
    keyed.reserve(rows.size());
    std::vector<int> missing;
    for (int row : rows) {
        const double key = columns.number(column, row);
        if (isMissing(key))
            missing.push_back(row);
        else
            keyed.push_back({key, row});
    }
    if (order == Qt::AscendingOrder)
        std::stable_sort(keyed.begin(), keyed.end(), [](const KeyedRow &a, const KeyedRow &b) { return a.key < b.key; });
    else
        std::stable_sort(keyed.begin(), keyed.end(), [](const KeyedRow &a, const KeyedRow &b) { return a.key > b.key; });
    auto out = std::transform(keyed.begin(), keyed.end(), rows.begin(), [](const KeyedRow &k) { return k.row; });
    std::copy(missing.begin(), missing.end(), out);
}

} // namespace

RequestFilterProxy::RequestFilterProxy(QObject *parent)
    : QAbstractProxyModel(parent), m_ordering([this](std::vector<int> rows) { applyOrder(std::move(rows)); })
{
}

RequestFilterProxy::~RequestFilterProxy() = default;

std::vector<int> RequestFilterProxy::rowOrder(const RequestColumns &columns, const RequestFilter &filter, int column,
                                              Qt::SortOrder order, const JobToken *token)
{
    std::vector<int> rows = filter.acceptedRows();
    if (token && token->isCanceled())
        return {};
    if (column < 0 || column >= columns.count())
        return rows;
    if (columns.isNumeric(column)) {
        sortByNumber(columns, column, order, rows);
    } else if (order == Qt::AscendingOrder) {
        std::stable_sort(rows.begin(), rows.end(),
                         [&](int a, int b) { return columns.compareText(column, a, b) < 0; });
    } else {
        std::stable_sort(rows.begin(), rows.end(),
                         [&](int a, int b) { return columns.compareText(column, b, a) < 0; });
    }
    return rows;
}

void RequestFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_model = qobject_cast<RequestTableModel *>(model);
    Q_ASSERT_X(!model || m_model, "RequestFilterProxy::setSourceModel", "the source must be a RequestTableModel");
    beginResetModel();
    for (const QMetaObject::Connection &connection : std::as_const(m_sourceConnections))
        disconnect(connection);
    m_sourceConnections.clear();
    QAbstractProxyModel::setSourceModel(model);
    if (m_model) {
        // The model changes only by reset (a new table): rows and columns change together.
        m_sourceConnections = {
            connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &RequestFilterProxy::sourceAboutToBeReset),
            connect(m_model, &QAbstractItemModel::modelReset, this, &RequestFilterProxy::sourceReset)};
    }
    m_ordering.discard();
    recompileFilter();
    setRows({});
    endResetModel();
    reorder();
}

void RequestFilterProxy::sourceAboutToBeReset()
{
    beginResetModel();
}

void RequestFilterProxy::sourceReset()
{
    m_ordering.discard();
    recompileFilter();
    if (m_sortColumn >= columnCount())
        m_sortColumn = -1;
    // Until the new order is computed the rows keep their order: those the new table still has
    // (a live refresh appends), the others appear with the computed order.
    const int count = m_model ? m_model->rowCount() : 0;
    std::vector<int> kept;
    kept.reserve(m_rows.size());
    for (int row : m_rows) {
        if (row < count)
            kept.push_back(row);
    }
    setRows(std::move(kept));
    endResetModel();
    reorder();
}

void RequestFilterProxy::recompileFilter()
{
    const RequestColumns &columns = columnsOf(m_model);
    // An expression that no longer fits the columns (a phase this data lacks) is dropped;
    // whoever shows the expression re-applies it to report the error.
    if (!m_filter.compile(m_filter.expression(), columns))
        m_filter.compile(QString(), columns);
}

bool RequestFilterProxy::setFilterExpression(const QString &expression, QString *error)
{
    // The filter in force (recompiled for every new table): re-filtering a million rows would change nothing.
    if (expression == m_filter.expression())
        return true;
    if (!m_filter.compile(expression, columnsOf(m_model), error))
        return false;
    reorder();
    return true;
}

void RequestFilterProxy::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    reorder();
}

void RequestFilterProxy::reorder()
{
    const RequestColumns &columns = columnsOf(m_model);
    const int count = m_model ? m_model->rowCount() : 0;
    const bool tableOrder = m_sortColumn < 0 && m_filter.expression().isEmpty();
    if (count <= kBackgroundRows || tableOrder) {
        m_ordering.discard();
        applyOrder(rowOrder(columns, m_filter, m_sortColumn, m_sortOrder));
        return;
    }
    // The job compiles the filter again against its own columns of the snapshot: the model's
    // columns go with the next table, the job's live as long as it runs.
    m_ordering.start([table = m_model->tableSnapshot(), expression = m_filter.expression(), column = m_sortColumn,
                      order = m_sortOrder](const JobToken &token) {
        const RequestColumns jobColumns(table.get());
        RequestFilter filter;
        filter.compile(expression, jobColumns);
        return rowOrder(jobColumns, filter, column, order, &token);
    });
}

void RequestFilterProxy::setRows(std::vector<int> rows)
{
    m_rows = std::move(rows);
    m_displayRowOf.assign(size_t(m_model ? m_model->rowCount() : 0), -1);
    for (size_t displayRow = 0; displayRow < m_rows.size(); ++displayRow)
        m_displayRowOf[size_t(m_rows[displayRow])] = int(displayRow);
}

void RequestFilterProxy::applyOrder(std::vector<int> rows)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList sources;
    sources.reserve(before.size());
    for (const QModelIndex &index : before)
        sources << mapToSource(index);
    setRows(std::move(rows));
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &source : std::as_const(sources))
        after << mapFromSource(source);
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

QModelIndex RequestFilterProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= rowCount() || column < 0 || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex RequestFilterProxy::parent(const QModelIndex &) const
{
    return {};
}

int RequestFilterProxy::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestFilterProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_model ? 0 : m_model->columnCount();
}

bool RequestFilterProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_rows.empty() && columnCount() > 0;
}

QModelIndex RequestFilterProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!m_model || !proxyIndex.isValid() || proxyIndex.model() != this || size_t(proxyIndex.row()) >= m_rows.size())
        return {};
    return m_model->index(m_rows[size_t(proxyIndex.row())], proxyIndex.column());
}

QModelIndex RequestFilterProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.model() != m_model || size_t(sourceIndex.row()) >= m_displayRowOf.size())
        return {};
    const int displayRow = m_displayRowOf[size_t(sourceIndex.row())];
    return displayRow < 0 ? QModelIndex() : createIndex(displayRow, sourceIndex.column());
}

} // namespace Phaseline
