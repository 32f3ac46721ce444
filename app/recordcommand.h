#pragma once

#include "commandline.h"

#include <QTextStream>

namespace Phaseline {

// `phaseline --record OUT.jsonl [--interval S] [--duration S] URL|DIR`: polls the endpoint (or
// follows the directory's *.jsonl files) without a window, appends every new record to OUT.jsonl
// as one JSON line (flushed at once), reports problems on `err` and keeps retrying. Needs a running QCoreApplication event loop;
// returns the exit code when the duration is over.
int runRecordCommand(const CommandLine &command, QTextStream &err);

} // namespace Phaseline
