#include "statscommand.h"

#include "datasets.h"
#include "loader.h"
#include "statisticsformat.h"
#include "statistics.h"

namespace Phaseline {

int runStatsCommand(const CommandLine &command, QTextStream &out, QTextStream &err)
{
    const LoadResult loaded = loadInputs(command.inputs);
    for (const LoadIssue &issue : loaded.issues)
        err << "phaseline: " << issue.toString() << '\n';
    err.flush();
    if (loaded.hasErrors())
        return ExitInputError;
    const StatisticsReport report = computeStatistics(loaded.table);
    out << QString::fromUtf8(formatStatistics(report, command.statsFormat, computeDatasetStatistics(loaded.table),
                                              loaded.distributions));
    out.flush();
    return ExitOk;
}

} // namespace Phaseline
