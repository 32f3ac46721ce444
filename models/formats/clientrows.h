#pragma once

#include "formatimporter.h"
#include "lenientjson.h"

#include <QHash>
#include <QString>

namespace Phaseline {

// The client-lane boundaries of PhaseCatalog::common(), as benchmark clients record them.
enum class ClientStamp : quint8 { Enqueued, Sent, ResponseStart, FirstToken, LastToken, End };

// Builds the table every benchmark-client importer returns: Role::Client rows on the common
// catalogue, each with "source", "clock" and "status" labels, optional "benchmark" label and
// token-count attributes. Attribute and label columns are created on first use.
class ClientRows
{
public:
    explicit ClientRows(const QString &inputName);

    // A new row with status "ok" on clock domain `clock`.
    int append(const QString &id, const QString &clock);
    int size() const { return m_table.size(); }

    // Epoch or file-wide monotonic seconds; non-positive or NaN = not recorded.
    void setSeconds(int row, ClientStamp stamp, double seconds);
    // Integer epoch nanoseconds, kept exact.
    void setNanoseconds(int row, ClientStamp stamp, qint64 nanoseconds);
    // Durations-only data: seconds since the request's own start (NaN = not recorded).
    void setRelative(int row, ClientStamp stamp, double seconds);

    void setStatus(int row, const QString &status) { setLabel(row, QStringLiteral("status"), status); }
    void setLabel(int row, const QString &name, const QString &value);
    // NaN = not recorded (the cell stays empty).
    void setAttribute(int row, const QString &name, double value);

    FileImport finish(QVector<LoadIssue> issues);

private:
    RequestTable m_table;
    int m_stamps[6];
    QHash<QString, int> m_attributes;
    QHash<QString, int> m_labels;
    quint16 m_sourceCode = 0;
    quint16 m_okCode = 0;
};

// A short status for a tool's error text: a Python traceback becomes its last line (the
// exception), anything else its first line.
QString statusFromError(const QString &error);

// The clock label of durations-only files: alignedClockName() naming the tool and the file.
QString alignedClockFor(const QString &tool, const QString &inputName);

// Parses a JSON (or concatenated JSON) file; a value that does not parse becomes an issue
// (an Error when nothing before it parsed, else a Warning that the rest was skipped).
LenientJson::Document readJsonFile(const MappedFile &file, const QString &inputName, QVector<LoadIssue> &issues);

// The Error a file with aggregate statistics only gets: nothing in it is a request.
LoadIssue aggregateOnlyIssue(const QString &inputName, const QString &what);

} // namespace Phaseline
