#pragma once

#include "formats/jsonrecordscanner.h"

#include <QByteArray>
#include <QByteArrayView>
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

// Splits a response body into records while it arrives, so every complete record can be kept
// at once and only the record being received is held. The state survives between pieces, so
// each byte is looked at once however the body is cut. After the first damage it ignores the rest.
class RecordStream
{
public:
    // The records completed by `bytes` (appended to `records`).
    void feed(QByteArrayView bytes, QList<QByteArray> *records);
    // The body is over: a body that is not a complete array becomes a problem.
    void finish();

    qint64 bytesSeen() const { return m_offset; }
    int recordCount() const { return m_records; }
    bool isComplete() const { return m_state == State::AfterArray; }
    const QString &problem() const { return m_problem; }
    qint64 problemOffset() const { return m_problemOffset; }

private:
    enum class State { BeforeArray, BeforeRecord, InRecord, AfterRecord, AfterArray, Damaged };
    void fail(qint64 offset, const QString &problem);

    State m_state = State::BeforeArray;
    bool m_afterComma = false; // BeforeRecord: ']' is only allowed right after '['
    QByteArray m_record;       // the record being received
    qint64 m_recordStart = 0;
    JsonScan::ValueEndScanner m_value; // InRecord: where the record's closing '}' is
    qint64 m_offset = 0;
    int m_records = 0;
    QString m_problem;
    qint64 m_problemOffset = -1;
};

// One record as one line: JSON allows a raw newline only between tokens, so newlines of a
// pretty-printed record become blanks and the content stays exactly as sent.
QByteArray asJsonLine(QByteArray record);

} // namespace Phaseline::Live
