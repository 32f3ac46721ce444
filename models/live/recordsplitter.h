#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Phaseline::Live {

// The records of one `/perf_metrics` response body (a JSON array of objects), each as the
// exact bytes the server sent. A damaged body (cut off, not an array, junk between records)
// still yields every complete record before the damage, and says what is wrong and where.
struct SplitBody
{
    QList<QByteArray> records;
    QString problem;         // empty when the body was a complete JSON array
    qint64 problemOffset = -1;
};

SplitBody splitRecordArray(const QByteArray &body);

// One record as one line: JSON allows a raw newline only between tokens, so newlines of a
// pretty-printed record become blanks and the content stays exactly as sent.
QByteArray asJsonLine(QByteArray record);

} // namespace Phaseline::Live
