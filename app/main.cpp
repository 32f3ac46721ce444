#include "commandline.h"
#include "statscommand.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace Phaseline;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("phaseline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PHASELINE_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    const CommandLine command = parseCommandLine(QCoreApplication::arguments());
    switch (command.mode) {
    case CommandLine::Help:
        out << command.helpText;
        return ExitOk;
    case CommandLine::Version:
        out << "phaseline " << PHASELINE_VERSION << '\n';
        return ExitOk;
    case CommandLine::Invalid:
        err << "phaseline: " << command.error << "\n\n" << command.helpText;
        return ExitUsage;
    case CommandLine::Stats:
        return runStatsCommand(command, out, err);
    case CommandLine::Export:
    case CommandLine::Window:
        err << "phaseline: this build has no window yet; use --stats\n";
        return ExitUsage;
    }
    return ExitUsage;
}
