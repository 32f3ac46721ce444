#include "analysis/requestfilter.h"

#include <QCoreApplication>

#include <algorithm>

namespace Phaseline {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Phaseline::RequestFilter", text);
}

struct Token
{
    enum Kind { Word, Operator } kind;
    QString text;
};

// In the order of RequestFilter::Op.
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
                *error = tr("Unknown operator \"%1\" (use > >= < <= == !=)").arg(op);
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

bool RequestFilter::compile(const QString &expression, const RequestColumns &columns, QString *error)
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

    std::vector<Condition> conditions;
    std::vector<Term> terms;
    for (size_t i = 0; i < tokens.size();) {
        const Token &token = tokens[i];
        if (token.kind == Token::Operator)
            return fail(tr("\"%1\" needs a column name before it").arg(token.text));
        const bool isCondition = i + 1 < tokens.size() && tokens[i + 1].kind == Token::Operator;
        if (!isCondition) {
            if (token.text.compare(QLatin1String("and"), Qt::CaseInsensitive) != 0)
                terms.push_back(compileTerm(token.text, columns));
            ++i;
            continue;
        }
        const QString &op = tokens[i + 1].text;
        const int column = columns.forName(token.text);
        if (column < 0)
            return fail(tr("Unknown column \"%1\"").arg(token.text));
        if (!columns.isNumeric(column))
            return fail(tr("\"%1\" is a text column: conditions need a phase, ttft, e2e or an attribute").arg(token.text));
        if (i + 2 >= tokens.size() || tokens[i + 2].kind != Token::Word)
            return fail(tr("\"%1 %2\" needs a number after \"%2\"").arg(token.text, op));
        bool ok = false;
        const double value = tokens[i + 2].text.toDouble(&ok);
        if (!ok)
            return fail(tr("\"%1\" is not a number (in \"%2 %3 %1\")").arg(tokens[i + 2].text, token.text, op));
        conditions.push_back({column, Op(operatorSpellings().indexOf(op)), value});
        i += 3;
    }
    m_columns = &columns;
    m_expression = expression;
    m_conditions = std::move(conditions);
    m_terms = std::move(terms);
    return true;
}

RequestFilter::Term RequestFilter::compileTerm(const QString &word, const RequestColumns &columns)
{
    Term term;
    term.lowerUtf8 = word.toLower().toUtf8();
    const RequestTable *table = columns.table();
    if (!table)
        return term;
    for (int column = 0; column < columns.count(); ++column) {
        const RequestColumns::Kind kind = columns.kind(column);
        if (kind != RequestColumns::Kind::Server && kind != RequestColumns::Kind::Status)
            continue;
        for (int label : columns.labelColumnsOf(column)) {
            const QStringList &values = table->labelColumn(label).values;
            std::vector<bool> matches(size_t(values.size()));
            for (int code = 0; code < values.size(); ++code)
                matches[size_t(code)] = values.at(code).contains(word, Qt::CaseInsensitive);
            term.labelMatches.emplace_back(label, std::move(matches));
        }
    }
    return term;
}

bool RequestFilter::termMatches(const Term &term, int row) const
{
    const RequestTable &table = *m_columns->table();
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

bool RequestFilter::accepts(int row) const
{
    if (!m_columns || !m_columns->table())
        return false;
    for (const Condition &condition : m_conditions) {
        const double value = m_columns->number(condition.column, row);
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
    return std::all_of(m_terms.begin(), m_terms.end(), [this, row](const Term &term) { return termMatches(term, row); });
}

std::vector<int> RequestFilter::acceptedRows() const
{
    std::vector<int> rows;
    const int count = m_columns && m_columns->table() ? m_columns->table()->size() : 0;
    for (int row = 0; row < count; ++row) {
        if (accepts(row))
            rows.push_back(row);
    }
    return rows;
}

} // namespace Phaseline
