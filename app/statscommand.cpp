#include "statscommand.h"

#include "datasets.h"
#include "loader.h"
#include "statisticsformat.h"
#include "statistics.h"

namespace Phaseline {

int runStatsCommand(const CommandLine &command, QTextStream &out, QTextStream &err)
{
    LoadControl control;
    control.csvUnits = command.csvUnits;
    const LoadResult loaded = loadInputs(command.inputs, &control);
    for (const LoadIssue &issue : loaded.issues)
        err << "phaseline: " << issue.toString() << '\n';
    err.flush();
    if (loaded.hasErrors())
        return ExitInputError;
    const StatisticsReport report = computeStatistics(loaded.table);
    // Several inputs: one entry per dataset, even when one input turned out to repeat another.
    const size_t minimumDatasets = command.inputs.size() > 1 ? 1 : 2;
    out << QString::fromUtf8(formatStatistics(report, command.statsFormat,
                                              computeDatasetStatistics(loaded.table, minimumDatasets),
                                              loaded.distributions));
    out.flush();
    return ExitOk;
}

} // namespace Phaseline
