#include "requestfilterproxy.h"

#include "requesttablemodel.h"

#include <algorithm>

namespace Phaseline {

namespace {

struct Token
{
    enum Kind { Word, Operator } kind;
    QString text;
};

// In the order of RequestFilterProxy::Op.
const QStringList &operatorSpellings()
{
    static const QStringList spellings{QStringLiteral(">"),  QStringLiteral(">="), QStringLiteral("<"),
                                       QStringLiteral("<="), QStringLiteral("=="), QStringLiteral("!=")};
    return spellings;
}

bool isOperatorChar(QChar c)
{
    return c == QLatin1Char('<') || c == QLatin1Char('>') || c == QLatin1Char('=') || c == QLatin1Char('!');
}

// Splits at whitespace and around operators, so `decode<=1200` and `decode <= 1200` read alike.
bool tokenize(const QString &expression, std::vector<Token> *tokens, QString *error)
{
    int i = 0;
    const int n = expression.size();
    while (i < n) {
        if (expression.at(i).isSpace()) {
            ++i;
            continue;
        }
        int end = i + 1;
        if (isOperatorChar(expression.at(i))) {
            if (end < n && expression.at(end) == QLatin1Char('='))
                ++end;
            const QString op = expression.mid(i, end - i);
            if (!operatorSpellings().contains(op)) {
                *error = RequestFilterProxy::tr("Unknown operator \"%1\" (use > >= < <= == !=)").arg(op);
                return false;
            }
            tokens->push_back({Token::Operator, op});
        } else {
            while (end < n && !expression.at(end).isSpace() && !isOperatorChar(expression.at(end)))
                ++end;
            tokens->push_back({Token::Word, expression.mid(i, end - i)});
        }
        i = end;
    }
    return true;
}

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
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
    Filter filter;
    // An expression that no longer fits the columns (a phase this data lacks) is dropped;
    // whoever shows the expression re-applies it to report the error.
    if (!compile(m_expression, &filter, nullptr))
        m_expression.clear();
    m_filter = std::move(filter);
    m_sortKeys.clear();
    m_sortKeysColumn = -1;
}

bool RequestFilterProxy::setFilterExpression(const QString &expression, QString *error)
{
    Filter filter;
    QString message;
    if (!compile(expression, &filter, &message)) {
        if (error)
            *error = message;
        return false;
    }
    m_expression = expression;
    m_filter = std::move(filter);
    // invalidate() rebuilds the mapping behind one layout change; invalidateFilter() would
    // emit a removal or insertion per contiguous range, up to millions for a scattered match.
    invalidate();
    return true;
}

bool RequestFilterProxy::compile(const QString &expression, Filter *filter, QString *error) const
{
    QString message;
    std::vector<Token> tokens;
    auto fail = [&](const QString &text) {
        if (error)
            *error = text;
        return false;
    };
    if (!tokenize(expression, &tokens, &message))
        return fail(message);

    for (size_t i = 0; i < tokens.size();) {
        const Token &token = tokens[i];
        if (token.kind == Token::Operator)
            return fail(tr("\"%1\" needs a column name before it").arg(token.text));
        const bool isCondition = i + 1 < tokens.size() && tokens[i + 1].kind == Token::Operator;
        if (!isCondition) {
            if (token.text.compare(QLatin1String("and"), Qt::CaseInsensitive) != 0)
                filter->terms.push_back(compileTerm(token.text));
            ++i;
            continue;
        }
        const QString &op = tokens[i + 1].text;
        const int column = m_model ? m_model->columnForName(token.text) : -1;
        if (column < 0)
            return fail(tr("Unknown column \"%1\"").arg(token.text));
        if (!m_model->isNumeric(column))
            return fail(tr("\"%1\" is a text column: conditions need a phase, ttft, e2e or an attribute")
                            .arg(token.text));
        if (i + 2 >= tokens.size() || tokens[i + 2].kind != Token::Word)
            return fail(tr("\"%1 %2\" needs a number after \"%2\"").arg(token.text, op));
        bool ok = false;
        const double value = tokens[i + 2].text.toDouble(&ok);
        if (!ok)
            return fail(tr("\"%1\" is not a number (in \"%2 %3 %1\")").arg(tokens[i + 2].text, token.text, op));
        filter->conditions.push_back({column, Op(operatorSpellings().indexOf(op)), value});
        i += 3;
    }
    return true;
}

RequestFilterProxy::Term RequestFilterProxy::compileTerm(const QString &word) const
{
    Term term;
    term.lowerUtf8 = word.toLower().toUtf8();
    const RequestTable *table = m_model ? m_model->table() : nullptr;
    if (!table)
        return term;
    for (int column = 0; column < m_model->columnCount(); ++column) {
        const RequestTableModel::ColumnKind kind = m_model->columnKind(column);
        if (kind != RequestTableModel::ColumnKind::Server && kind != RequestTableModel::ColumnKind::Status)
            continue;
        for (int label : m_model->labelColumnsOf(column)) {
            const QStringList &values = table->labelColumn(label).values;
            std::vector<bool> matches(size_t(values.size()));
            for (int code = 0; code < values.size(); ++code)
                matches[size_t(code)] = values.at(code).contains(word, Qt::CaseInsensitive);
            term.labelMatches.emplace_back(label, std::move(matches));
        }
    }
    return term;
}

bool RequestFilterProxy::termMatches(const Term &term, int row) const
{
    const RequestTable &table = *m_model->table();
    for (const auto &[label, matches] : term.labelMatches) {
        if (matches[table.labelColumn(label).codes[size_t(row)]])
            return true;
    }
    // Ids are ASCII in practice; folding only ASCII keeps this free of allocations.
    const std::string_view id = table.idView(row);
    const QByteArray &needle = term.lowerUtf8;
    return std::search(id.begin(), id.end(), needle.begin(), needle.end(),
                       [](char a, char b) { return asciiLower(a) == b; })
        != id.end();
}

bool RequestFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !m_model || !m_model->table())
        return false;
    for (const Condition &condition : m_filter.conditions) {
        const double value = m_model->number(condition.column, sourceRow);
        if (isMissing(value))
            return false;
        bool holds = false;
        switch (condition.op) {
        case Op::Greater: holds = value > condition.value; break;
        case Op::GreaterEqual: holds = value >= condition.value; break;
        case Op::Less: holds = value < condition.value; break;
        case Op::LessEqual: holds = value <= condition.value; break;
        case Op::Equal: holds = value == condition.value; break;
        case Op::NotEqual: holds = value != condition.value; break;
        }
        if (!holds)
            return false;
    }
    return std::all_of(m_filter.terms.begin(), m_filter.terms.end(),
                       [this, sourceRow](const Term &term) { return termMatches(term, sourceRow); });
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
