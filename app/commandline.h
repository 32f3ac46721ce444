#pragma once

#include "statisticsformat.h"

#include <QSize>
#include <QStringList>

namespace Phaseline {

// 3: nothing could be read; 4: something was loaded but parts were skipped (stderr says which).
enum ExitCode { ExitOk = 0, ExitUsage = 2, ExitInputError = 3, ExitPartial = 4 };

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
    QString error;    // set when mode == Invalid
    QString helpText; // set for Help and Invalid
};

// The command-line contract of PRODUCT.md §5 (extend, don't break).
CommandLine parseCommandLine(const QStringList &arguments);

// True for an http:// or https:// address (opened live, polled).
bool isUrlInput(const QString &input);

} // namespace Phaseline
