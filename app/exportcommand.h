#pragma once

#include "commandline.h"

#include <QTextStream>

namespace Phaseline {

// `phaseline --export OUT.png|OUT.svg [--view ...] [--size WxH] INPUT...`: renders a view
// without a window (needs a QApplication, offscreen is fine) and returns the exit code.
int runExportCommand(const CommandLine &command, QTextStream &err);

} // namespace Phaseline
