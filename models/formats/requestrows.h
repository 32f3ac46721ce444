#pragma once

#include "formats/formatimporter.h"

#include <QHash>
#include <QJsonValue>
#include <QString>

#include <string_view>
#include <vector>

namespace Phaseline {

// Builds the table one importer returns: rows of one role on one phase catalogue, each with
// "source", "clock" and "status" labels. Stamp, attribute and label columns are created on
// first use, so a file only gets the columns its data has.
class RequestRows
{
public:
    RequestRows(const QString &inputName, Role role, const PhaseCatalog &phases);

    // A new row with status "ok" on clock domain `clock`.
    int append(const QString &id, const QString &clock);
    int size() const { return m_table.size(); }

    // Absolute seconds (epoch or a file-wide clock); non-positive or NaN = not recorded.
    void setSeconds(int row, const QString &stamp, double seconds);
    // Integer epoch nanoseconds, kept exact.
    void setNanoseconds(int row, const QString &stamp, qint64 nanoseconds);
    // Durations-only data: seconds since the request's own start; NaN = not recorded.
    void setRelative(int row, const QString &stamp, double seconds);

    void setStatus(int row, const QString &status) { setLabel(row, QStringLiteral("status"), status); }
    // An empty value leaves the cell empty.
    void setLabel(int row, const QString &name, const QString &value);
    // NaN = not recorded.
    void setAttribute(int row, const QString &name, double value);

    FileImport finish(QVector<LoadIssue> issues);

private:
    int column(QHash<QString, int> &columns, const QString &name, int (RequestTable::*add)(const QString &));

    RequestTable m_table;
    Role m_role;
    QHash<QString, int> m_stamps;
    QHash<QString, int> m_attributes;
    QHash<QString, int> m_labels;
    LabelCode m_sourceCode = 0;
    LabelCode m_okCode = 0;
};

// A short status for a tool's error text: a Python traceback's last line (the exception),
// else the first non-empty line, cut to a label's length.
QString statusFromError(const QString &error);

// One top-level JSON value of a JSON or JSON Lines file and where it starts.
struct JsonRecord
{
    QJsonValue value;
    qint64 line = 1;       // 1-based
    qint64 byteOffset = 0; // 0-based
};

// Every top-level value of a JSON file, of concatenated JSON values or of JSON Lines, in file
// order; bare NaN/Infinity read as null. A value that does not parse is reported as a Warning
// naming its line and byte, and reading resumes at the next line (JSON Lines); an unfinished
// last line (a file still being written) is reported as such. Nothing readable at all = Error.
std::vector<JsonRecord> readJsonRecords(std::string_view text, const QString &inputName, QVector<LoadIssue> &issues);

// The first top-level value's text (whole if it never ends): what sniffers look into.
std::string_view firstJsonValue(std::string_view text);


} // namespace Phaseline
