#pragma once

#include <QSortFilterProxyModel>

#include <vector>

namespace Phaseline {

class RequestTableModel;

// Sorts and filters a RequestTableModel, reading the cells straight from the model's
// columns (no QVariant per comparison). Missing values sort last in both orders.
//
// Filter expressions: whitespace- or `and`-separated parts that must all hold.
//   NAME OP NUMBER   a numeric column (phase, ttft, e2e, attribute) compared in its unit
//                    (ms for durations); OP is > >= < <= == !=; a missing value never matches
//   WORD             free text, case-insensitive substring of the id, server or status
// Example: `ctx_queue > 50 and decode<=1200 node0`.
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
    QString filterExpression() const { return m_expression; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    enum class Op : quint8 { Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual };

    struct Condition
    {
        int column;
        Op op;
        double value;
    };

    // A free-text word, resolved against the table once: which label codes contain it,
    // so a row costs a code lookup per label plus a scan of its id.
    struct Term
    {
        QByteArray lowerUtf8;
        std::vector<std::pair<int, std::vector<bool>>> labelMatches; // label column -> per code
    };

    struct Filter
    {
        std::vector<Condition> conditions;
        std::vector<Term> terms;
    };

    bool compile(const QString &expression, Filter *filter, QString *error) const;
    Term compileTerm(const QString &word) const;
    bool termMatches(const Term &term, int row) const;
    void recompileForNewTable();

    // Keys of the numeric sort column, one contiguous array: a million-row sort compares
    // rows in random order, and reading two stamp columns per row would miss the cache.
    // Built on the first comparison of a sort, dropped with the table.
    mutable std::vector<double> m_sortKeys;
    mutable int m_sortKeysColumn = -1;

    RequestTableModel *m_model = nullptr;
    QMetaObject::Connection m_resetConnection;
    QString m_expression;
    Filter m_filter;
};

} // namespace Phaseline
