#include "commandline.h"
#include "exportcommand.h"
#include "mainwindow.h"
#include "statscommand.h"

#include <QApplication>
#include <QTextStream>

#include <memory>

using namespace Phaseline;

namespace {

bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
           || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const CommandLine command = parseCommandLine(arguments);

    // Headless modes must not need a display: --stats uses no GUI at all, --export
    // renders offscreen when there is no display to talk to.
    if (command.mode == CommandLine::Export && !hasDisplay())
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> app;
    if (command.mode == CommandLine::Window || command.mode == CommandLine::Export)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Phaseline"));
    QCoreApplication::setApplicationName(QStringLiteral("phaseline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PHASELINE_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
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
        return runExportCommand(command, err);
    case CommandLine::Window: {
        MainWindow window;
        window.show();
        window.open(command.inputs);
        return app->exec();
    }
    }
    return ExitUsage;
}
