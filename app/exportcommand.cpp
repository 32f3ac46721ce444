#include "exportcommand.h"

#include "breakdownview.h"
#include "exporter.h"
#include "loader.h"
#include "requestselection.h"
#include "statisticspanel.h"
#include "timelineview.h"

#include <QEventLoop>

namespace Phaseline {

int runExportCommand(const CommandLine &command, QTextStream &err)
{
    const LoadResult loaded = loadInputs(command.inputs);
    for (const LoadIssue &issue : loaded.issues)
        err << "phaseline: " << issue.toString() << '\n';
    if (loaded.hasErrors())
        return ExitInputError;

    PaintFunction paint;
    RequestSelection selection;
    BreakdownView breakdown(&selection);
    TimelineView timeline(&selection);
    StatisticsPanel statistics;
    QString title;
    if (command.exportView == QLatin1String("stats")) {
        statistics.setTable(&loaded.table);
        statistics.resize(command.exportSize);
        if (statistics.isUpdating()) { // large inputs are summarised on a worker thread
            QEventLoop wait;
            QObject::connect(&statistics, &StatisticsPanel::statisticsUpdated, &wait, &QEventLoop::quit);
            wait.exec();
        }
        paint = [&statistics](QPainter &painter, const QRect &target) { statistics.renderPlots(painter, target); };
        title = QStringLiteral("Phaseline statistics");
    } else if (command.exportView == QLatin1String("timeline")) {
        timeline.resize(command.exportSize);
        timeline.setTable(&loaded.table);
        timeline.waitForLayout();
        paint = [&timeline](QPainter &painter, const QRect &target) { timeline.render(painter, target, true); };
        title = QStringLiteral("Phaseline timeline");
    } else {
        breakdown.resize(command.exportSize);
        breakdown.setTable(&loaded.table);
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
    return ExitOk;
}

} // namespace Phaseline
