#include "exportcommand.h"

#include "breakdownview.h"
#include "exporter.h"
#include "intervalview.h"
#include "load/loader.h"
#include "mainwindow.h"
#include "requestselection.h"
#include "statscommand.h"
#include "statisticspanel.h"
#include "timelineview.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QSettings>
#include <QTemporaryDir>

namespace Phaseline {

namespace {

void waitForStatistics(StatisticsPanel &statistics)
{
    if (statistics.isUpdating()) { // large inputs are summarised on a worker thread
        QEventLoop wait;
        QObject::connect(&statistics, &StatisticsPanel::statisticsUpdated, &wait, &QEventLoop::quit);
        wait.exec();
    }
}

// The whole window as a user sees it after opening the inputs (README screenshot, AppStream).
int exportWindow(const CommandLine &command, QTextStream &err)
{
    // Fresh settings: the picture must not depend on (nor change) the user's saved layout and recent files.
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    MainWindow window;
    window.resize(command.exportSize);
    window.show();
    QEventLoop wait;
    QObject::connect(&window, &MainWindow::loaded, &wait, &QEventLoop::quit);
    window.open(command.inputs);
    wait.exec();
    window.breakdownView()->waitForModel();
    window.timelineView()->waitForLayout();
    waitForStatistics(*window.statisticsPanel());
    // The charts lay themselves out on posted events after the views took their sizes.
    QCoreApplication::processEvents();
    QString error;
    if (!exportWidget(&window, command.exportPath, &error)) {
        err << "phaseline: " << error << '\n';
        return ExitInputError;
    }
    return ExitOk;
}

} // namespace

int runExportCommand(const CommandLine &command, QTextStream &err)
{
    if (command.exportView == QLatin1String("window"))
        return exportWindow(command, err);

    LoadControl control;
    control.csvUnits = command.csvUnits;
    LoadResult loaded = loadInputs(command.inputs, &control);
    for (const LoadIssue &issue : loaded.issues)
        err << "phaseline: " << issue.toString() << '\n';
    const int status = exitStatusOf(loaded);
    if (status == ExitInputError)
        return status;
    if (!applyFilter(command.filter, loaded.table, err))
        return ExitUsage;

    const auto table = std::make_shared<const RequestTable>(std::move(loaded.table));
    PaintFunction paint;
    IntervalView intervals;
    RequestSelection selection;
    BreakdownView breakdown(&selection);
    TimelineView timeline(&selection);
    StatisticsPanel statistics;
    QString title;
    if (command.exportView == QLatin1String("stats")) {
        statistics.setTable(table);
        statistics.resize(command.exportSize);
        waitForStatistics(statistics);
        paint = [&statistics](QPainter &painter, const QRect &target) { statistics.renderPlots(painter, target); };
        title = QStringLiteral("Phaseline statistics");
    } else if (command.exportView == QLatin1String("intervals")) {
        if (loaded.intervalSeries.isEmpty()) {
            err << "phaseline: no per-interval data in " << command.inputs.join(QStringLiteral(", "))
                << " (intervals come from consecutive /metrics scrapes: a recorded scrape session)\n";
            return ExitInputError;
        }
        intervals.resize(command.exportSize);
        intervals.setSeries(loaded.intervalSeries);
        paint = [&intervals](QPainter &painter, const QRect &target) { intervals.render(painter, target, true); };
        title = QStringLiteral("Phaseline intervals");
    } else if (command.exportView == QLatin1String("timeline")) {
        timeline.resize(command.exportSize);
        timeline.setTable(table);
        timeline.waitForLayout();
        paint = [&timeline](QPainter &painter, const QRect &target) { timeline.render(painter, target, true); };
        title = QStringLiteral("Phaseline timeline");
    } else {
        breakdown.resize(command.exportSize);
        breakdown.setTable(table);
        breakdown.waitForModel();
        paint = [&breakdown](QPainter &painter, const QRect &target) { breakdown.render(painter, target, true); };
        title = QStringLiteral("Phaseline breakdown");
    }
    QString error;
    // Pixel ratio 1: the PNG has exactly the requested size in pixels.
    if (!exportPainting(paint, command.exportPath, command.exportSize, title, 1.0, &error)) {
        err << "phaseline: " << error << '\n';
        return ExitInputError;
    }
    return status;
}

} // namespace Phaseline
