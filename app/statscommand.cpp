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
    LoadControl control;
    control.csvUnits = command.csvUnits;
    const LoadResult loaded = loadInputs(command.inputs, &control);
    for (const LoadIssue &issue : loaded.issues)
        err << "phaseline: " << issue.toString() << '\n';
    err.flush();
    const int status = exitStatusOf(loaded);
    if (status == ExitInputError)
        return status;
    const StatisticsReport report = computeStatistics(loaded.table);
    // Several inputs: one entry per dataset, even when one input turned out to repeat another.
    const size_t minimumDatasets = command.inputs.size() > 1 ? 1 : 2;
    out << QString::fromUtf8(formatStatistics(report, command.statsFormat,
                                              computeDatasetStatistics(loaded.table, minimumDatasets),
                                              loaded.distributions, loaded.summaries));
    out.flush();
    return status;
}

} // namespace Phaseline
