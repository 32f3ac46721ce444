#pragma once

#include "formats/csvcolumnmapping.h"
#include "live/httppoller.h"
#include "output/statisticsformat.h"

#include <QHash>
#include <QSize>
#include <QStringList>

namespace Phaseline {

// 3: nothing could be read; 4: something was loaded but parts were skipped (stderr says which);
// 5: an output could not be written.
enum ExitCode { ExitOk = 0, ExitUsage = 2, ExitInputError = 3, ExitPartial = 4, ExitOutputError = 5 };

struct CommandLine
{
    enum Mode { Window, Stats, Export, Record, Help, Version, Invalid };

    Mode mode = Window;
    StatisticsFormat statsFormat = StatisticsFormat::Text;
    QString exportPath;
    QString exportView = QStringLiteral("breakdown");
    QSize exportSize{1600, 900};
    QStringList inputs;
    QString filter; // --filter EXPR (RequestFilter), checked against the columns once loaded
    // --record OUT.jsonl [--interval S] [--duration S] [--header 'Name: value'...] URL
    static constexpr double kMinSeconds = 0.01;
    static constexpr double kMaxIntervalSeconds = 86400;     // a day
    static constexpr double kMaxDurationSeconds = 2000000;   // fits a timer's int milliseconds
    QString recordPath;
    double intervalSeconds = 1;
    double durationSeconds = 0; // 0 = until interrupted
    // --csv-unit COLUMN=s|ms|us|ns: the unit of a CSV column, over what its name or values suggest.
    QHash<QString, CsvColumnMapping::Unit> csvUnits;
    QList<QPair<QByteArray, QByteArray>> headers; // checked: no control characters
    qint64 maxResponseBytes = Live::PollSettings::kDefaultMaxResponseBytes;
    bool followRedirects = false;
    // prom+http://HOST:9090 [--match SELECTOR] [--range S] [--step S]
    QString prometheusMatch;
    int rangeSeconds = 3600;
    int stepSeconds = 0; // 0: chosen from the range
    QString error;    // set when mode == Invalid
    QString helpText; // set for Help and Invalid
};

// The command-line contract of docs/design.md §5 (extend, don't break).
CommandLine parseCommandLine(const QStringList &arguments);

// How to poll the URL input (--header, --interval, --max-response, --follow-redirects).
Live::PollSettings pollSettings(const CommandLine &command);

// True for an http:// or https:// address or a Prometheus server (opened live, polled).
bool isUrlInput(const QString &input);
// prom+http://HOST:PORT or prom+https://...: a Prometheus server's HTTP API.
bool isPrometheusServerInput(const QString &input);

} // namespace Phaseline
