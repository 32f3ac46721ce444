#pragma once

#include "formats/formatimporter.h"
#include "formats/lenientjson.h"
#include "formats/requestrows.h"

#include <QString>

namespace Phaseline {

// The client-lane boundaries of PhaseCatalog::common(), as benchmark clients record them.
enum class ClientStamp : quint8 { Enqueued, Sent, ResponseStart, FirstToken, LastToken, End };

// The rows every benchmark-client importer returns: Role::Client on the common catalogue
// (see RequestRows), with the client-lane stamps named by ClientStamp.
class ClientRows : public RequestRows
{
public:
    explicit ClientRows(const QString &inputName) : RequestRows(inputName, Role::Client, PhaseCatalog::common()) {}

    void setSeconds(int row, ClientStamp stamp, double seconds) { RequestRows::setSeconds(row, nameOf(stamp), seconds); }
    void setNanoseconds(int row, ClientStamp stamp, qint64 nanoseconds)
    {
        RequestRows::setNanoseconds(row, nameOf(stamp), nanoseconds);
    }
    void setRelative(int row, ClientStamp stamp, double seconds) { RequestRows::setRelative(row, nameOf(stamp), seconds); }

private:
    static QString nameOf(ClientStamp stamp);
};

// The clock label of durations-only files: alignedClockName() naming the tool and the file.
QString alignedClockFor(const QString &tool, const QString &inputName);

// Parses a JSON (or concatenated JSON) file; a value that does not parse becomes an issue
// (an Error when nothing before it parsed, else a Warning that the rest was skipped).
LenientJson::Document readJsonFile(const MappedFile &file, const QString &inputName, QVector<LoadIssue> &issues);

} // namespace Phaseline
