#pragma once

#include <QString>

namespace Phaseline {

// Something an importer could not take as it was: always names the input and the place.
struct LoadIssue
{
    enum Severity : quint8 {
        Warning, // something worth knowing; unless dataSkipped, everything else loaded
        Error,   // the input (or a part of it) could not be read
    };

    Severity severity = Warning;
    QString input;          // file or directory as given
    qint64 line = -1;       // 1-based, -1 when not meaningful
    qint64 byteOffset = -1; // 0-based, -1 when not meaningful
    QString message;
    // Data was left out (a damaged record, a bad line, an unreadable file in a directory):
    // with anything loaded at all, the load is partial (exit status 4).
    bool dataSkipped = false;
    // The bytes [byteOffset, byteOffset + skippedBytes) were left out; -1 when not a byte range.
    qint64 skippedBytes = -1;

    QString toString() const
    {
        QString place;
        if (line > 0)
            place += QStringLiteral(":%1").arg(line);
        if (byteOffset >= 0 && skippedBytes > 0)
            place += QStringLiteral(" (bytes %1-%2)").arg(byteOffset).arg(byteOffset + skippedBytes - 1);
        else if (byteOffset >= 0)
            place += QStringLiteral(" (byte %1)").arg(byteOffset);
        return printable(input) + place + QStringLiteral(": ")
               + (severity == Error ? QStringLiteral("error: ") : QStringLiteral("warning: ")) + printable(message);
    }

    // Control characters (a NUL byte quoted from a file, a newline in a file name) as \xNN:
    // a message is one line of plain text on a terminal, in a log and in the Issues tab.
    static QString printable(const QString &text)
    {
        QString shown;
        shown.reserve(text.size());
        for (const QChar c : text) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7F)
                shown += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
            else
                shown += c;
        }
        return shown;
    }
};

} // namespace Phaseline
