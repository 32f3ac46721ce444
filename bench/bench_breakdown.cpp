// Breakdown view benchmark: time to build the view model, to aggregate and paint a frame,
// to repaint from cached column aggregates, and to answer a hover, for N requests.
// Usage: bench_breakdown [--dir DIR] [N...]   (default N: 10000 100000 1000000)
#include "benchsupport.h"
#include "breakdownview.h"
#include "load/loader.h"
#include "perfmetricsgenerator.h"
#include "requestselection.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Phaseline;

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const Bench::ViewBenchArguments arguments = Bench::parseViewBenchArguments(app.arguments());
    const QSize frame(1600, 900);
    std::printf("frame %dx%d, raster, medians of repeated runs (ms)\n", frame.width(), frame.height());
    std::printf("%9s %10s %12s %12s %12s %12s %12s\n", "requests", "model", "first frame", "repaint",
                "zoomed 1%", "hover agg", "hover bar");
    for (int n : arguments.sizes) {
        const QString path = QStringLiteral("%1/agg-%2.json").arg(arguments.dir).arg(n);
        if (!QFileInfo::exists(path) && Bench::writePerfMetrics(path, Bench::Shape::AggregatedArray, n) < 0)
            return 1;
        const auto table = std::make_shared<const RequestTable>(loadInputs({path}).table);
        RequestSelection selection;
        BreakdownView view(&selection);
        view.resize(frame);
        QImage image(frame, QImage::Format_ARGB32_Premultiplied);

        QElapsedTimer timer;
        timer.start();
        view.setTable(table);
        view.waitForModel();
        const double modelMs = double(timer.nsecsElapsed()) / 1e6;
        auto paint = [&] {
            QPainter painter(&image);
            view.render(painter, QRect(QPoint(0, 0), frame), false);
        };
        timer.restart();
        paint(); // aggregates the columns
        const double firstFrameMs = double(timer.nsecsElapsed()) / 1e6;
        const double repaintMs = Bench::medianMilliseconds(paint, 20);
        const QPoint middle(frame.width() / 2, frame.height() / 2);
        const double hoverAggregatedMs = Bench::medianMilliseconds([&] { (void)view.toolTipAt(middle); }, 200);

        // A 1% window: still aggregated above 160k requests; each pan step re-aggregates.
        double start = n * 0.4;
        const double zoomedMs = Bench::medianMilliseconds(
            [&] {
                start += n * 0.0005;
                view.setViewRange(start, n * 0.01);
                paint();
            },
            20);
        view.setViewRange(n / 2.0, 200); // single bars
        paint();
        const double hoverBarMs = Bench::medianMilliseconds([&] { (void)view.rowAt(middle); }, 1000);
        std::printf("%9d %10.1f %12.1f %12.2f %12.2f %12.4f %12.5f\n", n, modelMs, firstFrameMs, repaintMs, zoomedMs,
                    hoverAggregatedMs, hoverBarMs);
        std::fflush(stdout);
    }
    return 0;
}
