#include "recordsplitter.h"

#include "jsonrecordscanner.h"

namespace Phaseline::Live {

SplitBody splitRecordArray(const QByteArray &body)
{
    SplitBody result;
    const char *begin = body.constData();
    const char *end = begin + body.size();
    auto fail = [&](const char *at, const QString &problem) {
        result.problem = problem;
        result.problemOffset = at - begin;
        return result;
    };
    const char *p = JsonScan::skipSpace(begin, end);
    if (p == end)
        return fail(p, QStringLiteral("empty response body (expected a JSON array)"));
    if (*p != '[')
        return fail(p, QStringLiteral("the response is not a JSON array (starts with '%1')").arg(QLatin1Char(*p)));
    p = JsonScan::skipSpace(p + 1, end);
    if (p < end && *p == ']')
        return JsonScan::skipSpace(p + 1, end) == end ? result
                                                      : fail(p + 1, QStringLiteral("unexpected data after the array"));
    for (;;) {
        if (p >= end)
            return fail(p, QStringLiteral("the response ends before the closing ']' (cut off after %1 complete "
                                          "record(s))").arg(result.records.size()));
        if (*p != '{')
            return fail(p, QStringLiteral("expected a record object, found '%1'").arg(QLatin1Char(*p)));
        const char *recordEnd = JsonScan::findValueEnd(p, end);
        if (!recordEnd)
            return fail(p, QStringLiteral("the response is cut off inside record %1 (after %2 complete record(s))")
                               .arg(result.records.size() + 1)
                               .arg(result.records.size()));
        result.records.append(QByteArray(p, recordEnd - p));
        p = JsonScan::skipSpace(recordEnd, end);
        if (p < end && *p == ',') {
            p = JsonScan::skipSpace(p + 1, end);
        } else if (p < end && *p == ']') {
            const char *rest = JsonScan::skipSpace(p + 1, end);
            return rest == end ? result : fail(rest, QStringLiteral("unexpected data after the array"));
        } else if (p < end) {
            return fail(p, QStringLiteral("expected ',' or ']' after record %1").arg(result.records.size()));
        }
    }
}

QByteArray asJsonLine(QByteArray record)
{
    record.replace('\n', ' ').replace('\r', ' ');
    return record;
}

} // namespace Phaseline::Live
