#pragma once

#include <QString>

namespace Phaseline {

// Something an importer could not take as it was: always names the input and the place.
struct LoadIssue
{
    enum Severity : quint8 {
        Warning, // data was skipped or left unjoined; everything else loaded
        Error,   // the input could not be read (completely)
    };

    Severity severity = Warning;
    QString input;          // file or directory as given
    qint64 line = -1;       // 1-based, -1 when not meaningful
    qint64 byteOffset = -1; // 0-based, -1 when not meaningful
    QString message;

    QString toString() const
    {
        QString place;
        if (line > 0)
            place += QStringLiteral(":%1").arg(line);
        if (byteOffset >= 0)
            place += QStringLiteral(" (byte %1)").arg(byteOffset);
        return input + place + QStringLiteral(": ")
               + (severity == Error ? QStringLiteral("error: ") : QStringLiteral("warning: ")) + message;
    }
};

} // namespace Phaseline
