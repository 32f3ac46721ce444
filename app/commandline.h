#pragma once

#include "csvcolumnmapping.h"
#include "statisticsformat.h"

#include <QHash>
#include <QSize>
#include <QStringList>

namespace Phaseline {

enum ExitCode { ExitOk = 0, ExitUsage = 2, ExitInputError = 3 };

struct CommandLine
{
    enum Mode { Window, Stats, Export, Record, Help, Version, Invalid };

    Mode mode = Window;
    StatisticsFormat statsFormat = StatisticsFormat::Text;
    QString exportPath;
    QString exportView = QStringLiteral("breakdown");
    QSize exportSize{1600, 900};
    QStringList inputs;
    // --record OUT.jsonl [--interval S] [--duration S] [--header 'Name: value'...] URL
    QString recordPath;
    double intervalSeconds = 1;
    double durationSeconds = 0; // 0 = until interrupted
    QStringList headers;
    // --csv-unit COLUMN=s|ms|us|ns: the unit of a CSV column, over what its name or values suggest.
    QHash<QString, CsvColumnMapping::Unit> csvUnits;
    QString error;    // set when mode == Invalid
    QString helpText; // set for Help and Invalid
};

// The command-line contract of PRODUCT.md §5 (extend, don't break).
CommandLine parseCommandLine(const QStringList &arguments);

// True for an http:// or https:// address (opened live, polled).
bool isUrlInput(const QString &input);

} // namespace Phaseline
