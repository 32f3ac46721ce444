#include "statscommand.h"

#include "analysis/datasets.h"
#include "live/httppoller.h"
#include "live/livesession.h"
#include "output/intervalsformat.h"
#include "load/loader.h"
#include "analysis/requestfilter.h"
#include "output/statisticsformat.h"
#include "analysis/statistics.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace Phaseline {

int exitStatusOf(const LoadResult &loaded)
{
    if (loaded.loadedAnything())
        return loaded.isPartial() ? ExitPartial : ExitOk;
    const bool skipped = std::any_of(loaded.issues.begin(), loaded.issues.end(),
                                     [](const LoadIssue &issue) { return issue.dataSkipped; });
    return loaded.hasErrors() || skipped ? ExitInputError : ExitOk;
}

bool applyFilter(const QString &expression, RequestTable &table, QTextStream &err)
{
    if (expression.isEmpty())
        return true;
    std::vector<bool> keep;
    {
        const RequestColumns columns(&table);
        RequestFilter filter;
        QString error;
        if (!filter.compile(expression, columns, &error)) {
            err << "phaseline: --filter '" << expression << "': " << error << '\n';
            err << "phaseline: columns of these inputs: " << columns.names().join(QStringLiteral(", ")) << '\n';
            err.flush();
            return false;
        }
        keep.resize(size_t(table.size()));
        for (int row = 0; row < table.size(); ++row)
            keep[size_t(row)] = filter.accepts(row);
    }
    table.compact(keep);
    return true;
}

namespace {

// One range query of a Prometheus server, read like a recorded session of it.
LoadResult queryPrometheus(const CommandLine &command)
{
    Live::LiveSession session;
    Live::PerfMetricsPoller poller(&session);
    QEventLoop loop;
    QObject::connect(&poller, &Live::LiveSource::statusChanged, &loop, [&] {
        if (poller.status().state != Live::SourceStatus::Waiting)
            loop.quit();
    });
    poller.start(pollSettings(command));
    if (poller.status().state == Live::SourceStatus::Waiting)
        loop.exec();
    poller.stop();
    LoadResult result = session.buildTable();
    const QString source = command.inputs.first();
    if (!poller.status().lastError.isEmpty())
        result.issues << LoadIssue{LoadIssue::Error, source, -1, -1, poller.status().lastError};
    else if (result.intervalSeries.isEmpty())
        result.issues << LoadIssue{LoadIssue::Error, source, -1, -1,
                                   QStringLiteral("no vLLM or SGLang phase histogram in the last %1 s%2")
                                       .arg(command.rangeSeconds)
                                       .arg(command.prometheusMatch.isEmpty() ? QString()
                                                                              : QStringLiteral(" matching ") + command.prometheusMatch)};
    return result;
}

} // namespace

int runStatsCommand(const CommandLine &command, QTextStream &out, QTextStream &err)
{
    LoadControl control;
    control.csvUnits = command.csvUnits;
    LoadResult loaded = isPrometheusServerInput(command.inputs.first()) ? queryPrometheus(command)
                                                                              : loadInputs(command.inputs, &control);
    for (const LoadIssue &issue : loaded.issues)
        err << "phaseline: " << issue.toString() << '\n';
    err.flush();
    const int status = exitStatusOf(loaded);
    if (status == ExitInputError)
        return status;
    if (!applyFilter(command.filter, loaded.table, err))
        return ExitUsage;
    const StatisticsReport report = computeStatistics(loaded.table);
    // Several inputs: one entry per dataset, even when one input turned out to repeat another.
    const size_t minimumDatasets = command.inputs.size() > 1 ? 1 : 2;
    QByteArray text = formatStatistics(report, command.statsFormat, computeDatasetStatistics(loaded.table, minimumDatasets),
                                       loaded.distributions, loaded.summaries);
    if (!loaded.intervalSeries.isEmpty()) {
        if (command.statsFormat == StatisticsFormat::Json) {
            QJsonObject root = QJsonDocument::fromJson(text).object();
            root.insert(QStringLiteral("interval_series"), intervalsToJson(loaded.intervalSeries));
            text = QJsonDocument(root).toJson(QJsonDocument::Indented);
        } else {
            text += '\n' + (command.statsFormat == StatisticsFormat::Csv ? intervalsToCsv(loaded.intervalSeries)
                                                                         : intervalsToText(loaded.intervalSeries));
        }
    }
    out << QString::fromUtf8(text);
    out.flush();
    return status;
}

} // namespace Phaseline
