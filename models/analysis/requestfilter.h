#pragma once

#include "analysis/requestcolumns.h"

#include <QString>

#include <vector>

namespace Phaseline {

// The filter language of the request table and of `phaseline --filter`: whitespace- or
// `and`-separated parts that must all hold.
//   NAME OP NUMBER   a numeric column (phase, ttft, e2e, attribute) compared in its unit
//                    (ms for durations); OP is > >= < <= == !=; a missing value never matches
//   WORD             free text, case-insensitive substring of the id, server or status
// Example: `ctx_queue > 50 and decode<=1200 node0`. Column names are RequestColumns'.
class RequestFilter
{
public:
    // Compiles `expression` against `columns` (which must outlive the filter). On error
    // returns false with `error` naming the offending column or token, and leaves this
    // filter as it was. An empty expression accepts every request.
    bool compile(const QString &expression, const RequestColumns &columns, QString *error = nullptr);

    QString expression() const { return m_expression; }
    bool accepts(int row) const;
    // The rows of the table it accepts, ascending.
    std::vector<int> acceptedRows() const;

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

    static Term compileTerm(const QString &word, const RequestColumns &columns);
    bool termMatches(const Term &term, int row) const;

    const RequestColumns *m_columns = nullptr;
    QString m_expression;
    std::vector<Condition> m_conditions;
    std::vector<Term> m_terms;
};

} // namespace Phaseline
