#include "live/recordsplitter.h"

#include "formats/jsonrecordscanner.h"

namespace Phaseline::Live {

SplitBody splitRecordArray(const QByteArray &body)
{
    RecordStream stream;
    SplitBody result;
    stream.feed(body, &result.records);
    stream.finish();
    result.problem = stream.problem();
    result.problemOffset = stream.problemOffset();
    return result;
}

void RecordStream::fail(qint64 offset, const QString &problem)
{
    m_state = State::Damaged;
    m_problem = problem;
    m_problemOffset = offset;
    m_record.clear();
}

void RecordStream::feed(QByteArrayView bytes, QList<QByteArray> *records)
{
    const qint64 base = m_offset;
    qsizetype recordFrom = 0; // where the current record's bytes start in this piece
    for (qsizetype i = 0; i < bytes.size() && m_state != State::Damaged; ++i) {
        if (m_state == State::InRecord) {
            const char *from = bytes.data() + i;
            const char *recordEnd = m_value.scan(from, bytes.data() + bytes.size());
            if (!recordEnd) {
                m_offset = base + bytes.size();
                break;
            }
            i = recordEnd - bytes.data() - 1;
            m_offset = base + i + 1;
            m_record.append(bytes.sliced(recordFrom, i + 1 - recordFrom));
            records->append(std::move(m_record));
            m_record = QByteArray();
            ++m_records;
            m_state = State::AfterRecord;
            continue;
        }
        const char c = bytes[i];
        m_offset = base + i + 1;
        if (JsonScan::isSpace(c))
            continue;
        const qint64 at = base + i;
        switch (m_state) {
        case State::BeforeArray:
            if (c != '[')
                fail(at, QStringLiteral("the response is not a JSON array (starts with '%1')").arg(QLatin1Char(c)));
            else
                m_state = State::BeforeRecord;
            break;
        case State::BeforeRecord:
            if (c == ']' && !m_afterComma) {
                m_state = State::AfterArray;
            } else if (c != '{') {
                fail(at, QStringLiteral("expected a record object, found '%1'").arg(QLatin1Char(c)));
            } else {
                m_state = State::InRecord;
                m_value = JsonScan::ValueEndScanner();
                m_recordStart = at;
                recordFrom = i--; // the scanner starts at the record's '{'
            }
            break;
        case State::AfterRecord:
            if (c == ',') {
                m_state = State::BeforeRecord;
                m_afterComma = true;
            } else if (c == ']') {
                m_state = State::AfterArray;
            } else {
                fail(at, QStringLiteral("expected ',' or ']' after record %1").arg(m_records));
            }
            break;
        case State::AfterArray:
            fail(at, QStringLiteral("unexpected data after the array"));
            break;
        case State::InRecord:
        case State::Damaged:
            break;
        }
    }
    if (m_state == State::InRecord)
        m_record.append(bytes.sliced(recordFrom));
}

void RecordStream::finish()
{
    switch (m_state) {
    case State::BeforeArray:
        fail(m_offset, QStringLiteral("empty response body (expected a JSON array)"));
        break;
    case State::BeforeRecord:
    case State::AfterRecord:
        fail(m_offset, QStringLiteral("the response ends before the closing ']' (cut off after %1 complete "
                                      "record(s))").arg(m_records));
        break;
    case State::InRecord:
        fail(m_recordStart, QStringLiteral("the response is cut off inside record %1 (after %2 complete record(s))")
                                .arg(m_records + 1)
                                .arg(m_records));
        break;
    case State::AfterArray:
    case State::Damaged:
        break;
    }
}

QByteArray asJsonLine(QByteArray record)
{
    record.replace('\n', ' ').replace('\r', ' ');
    return record;
}

} // namespace Phaseline::Live
