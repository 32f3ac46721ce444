#pragma once

#include "commandline.h"

#include <QTextStream>

namespace Phaseline {

// `phaseline --stats`: loads the inputs, writes the statistics to `out` and the load
// issues to `err`; returns the process exit code.
int runStatsCommand(const CommandLine &command, QTextStream &out, QTextStream &err);

} // namespace Phaseline
