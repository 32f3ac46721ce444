#include "commandline.h"
#include "exportcommand.h"
#include "live/httppoller.h"
#include "mainwindow.h"
#include "recordcommand.h"
#include "statscommand.h"

#include <QApplication>
#include <QIcon>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

#include <memory>

using namespace Phaseline;

namespace {

bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
           || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

// A TensorRT-LLM output directory (JSONL era) is followed live: it may still be growing.
bool isJsonlRunDirectory(const QString &input)
{
    const QFileInfo info(input);
    return info.isDir()
           && (QDir(input).isEmpty(QDir::Files | QDir::NoDotAndDotDot)
               || !QDir(input).entryList({QStringLiteral("perf_metrics*.jsonl")}, QDir::Files).isEmpty());
}

void openInputs(MainWindow &window, const CommandLine &command)
{
    if (command.inputs.size() == 1 && isUrlInput(command.inputs.first())) {
        window.connectTo(pollSettings(command));
    } else if (command.inputs.size() == 1 && isJsonlRunDirectory(command.inputs.first())) {
        window.watchDirectory(command.inputs.first());
    } else {
        window.open(command.inputs);
    }
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
    case CommandLine::Record:
        return runRecordCommand(command, err);
    case CommandLine::Window: {
        QApplication::setWindowIcon(QIcon(QStringLiteral(":/phaseline/phaseline.svg")));
        MainWindow window;
        window.show();
        openInputs(window, command);
        return app->exec();
    }
    }
    return ExitUsage;
}
