#pragma once

#include <QHash>
#include <QString>
#include <QVector>

namespace Phaseline {

// What each column of a CSV file holds, chosen by recognition or by the user (the window's
// column-mapping dialog). The CSV importer takes one explicitly; plain data, QtCore only.
struct CsvColumnMapping
{
    enum class Kind : quint8 {
        Ignore,
        Id,        // the request id
        Role,      // aggregated, context, generation, disaggregated, client
        Stamp,     // a point in time; target = stamp name (PhaseCatalog::common() and the CSV additions)
        Duration,  // a span; target = phase or total name (start and end stamps from the catalogue)
        Attribute, // a number; target = attribute name (input_tokens, ...)
        Label,     // text; target = label name (status, server, ...)
    };
    enum class Unit : quint8 { Seconds, Milliseconds, Microseconds, Nanoseconds };

    struct Column
    {
        Kind kind = Kind::Ignore;
        QString target;
        Unit unit = Unit::Seconds; // stamps and durations
    };

    QVector<Column> columns; // one per header column, in header order
    // Stamps are points on a clock shared by the whole file (epoch, or a run's own clock);
    // false: each request's stamps are relative to its own start (an aligned clock).
    bool absoluteStamps = true;

    bool hasTiming() const;
    int idColumn() const;

    // One line of text, for remembering a choice (QSettings) and reading it back.
    QString toText() const;
    static bool fromText(const QString &text, CsvColumnMapping *mapping);

    static QString kindName(Kind kind);
    static QString unitName(Unit unit);
    // "s", "ms", "us" or "ns"; false for anything else.
    static bool parseUnit(const QString &name, Unit *unit);
    static double secondsPer(Unit unit);
};

// Mappings by CSV header line (the line as written in the file).
using CsvMappings = QHash<QString, CsvColumnMapping>;

} // namespace Phaseline
