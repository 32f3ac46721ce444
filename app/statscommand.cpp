#include "statscommand.h"

#include "datasets.h"
#include "loader.h"
#include "statisticsformat.h"
#include "statistics.h"

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

int runStatsCommand(const CommandLine &command, QTextStream &out, QTextStream &err)
{
    const LoadResult loaded = loadInputs(command.inputs);
    for (const LoadIssue &issue : loaded.issues)
        err << "phaseline: " << issue.toString() << '\n';
    err.flush();
    const int status = exitStatusOf(loaded);
    if (status == ExitInputError)
        return status;
    const StatisticsReport report = computeStatistics(loaded.table);
    out << QString::fromUtf8(formatStatistics(report, command.statsFormat, computeDatasetStatistics(loaded.table),
                                              loaded.distributions));
    out.flush();
    return status;
}

} // namespace Phaseline
