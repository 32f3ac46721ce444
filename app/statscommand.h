#pragma once

#include "commandline.h"

#include <QTextStream>

namespace Phaseline {

struct LoadResult;
class RequestTable;

// Keeps the requests `expression` (--filter, RequestFilter's language) accepts; an empty
// expression keeps all. On a bad expression writes it to `err` and returns false: the
// caller exits with ExitUsage.
bool applyFilter(const QString &expression, RequestTable &table, QTextStream &err);

// The exit status a load ends with: ExitInputError when nothing could be read, ExitPartial when
// something was loaded and something left out, else ExitOk.
int exitStatusOf(const LoadResult &loaded);

// `phaseline --stats`: loads the inputs, writes the statistics to `out` and the load
// issues to `err`; returns the process exit code.
int runStatsCommand(const CommandLine &command, QTextStream &out, QTextStream &err);

} // namespace Phaseline
