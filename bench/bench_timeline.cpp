// Timeline view benchmark: time to lay out N requests (packing, concurrency, per-part
// colours), to draw a frame of the whole run and of a 1% window while panning (each a
// new view state: lanes re-rasterised), to repaint an unchanged state (hover, selection),
// and to answer a hover.
// Usage: bench_timeline [--dir DIR] [N...]   (default N: 10000 100000 1000000)
#include "benchsupport.h"
#include "load/loader.h"
#include "perfmetricsgenerator.h"
#include "requestselection.h"
#include "timelineview.h"

#include <QApplication>
#include <QFileInfo>
#include <QImage>
#include <QPainter>

#include <cstdio>

using namespace Phaseline;

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const Bench::ViewBenchArguments arguments = Bench::parseViewBenchArguments(app.arguments());

    const QSize frame(1600, 900);
    std::printf("frame %dx%d, raster, medians of repeated runs (ms)\n", frame.width(), frame.height());
    std::printf("%-6s %9s %7s %9s %12s %10s %12s %10s\n", "shape", "requests", "lanes", "layout", "whole run",
                "repaint", "1% window", "hover");
    const std::pair<Bench::Shape, const char *> shapes[] = {{Bench::Shape::AggregatedArray, "agg"},
                                                            {Bench::Shape::DisaggregatedArray, "disagg"}};
    for (const auto &[shape, name] : shapes) {
        for (int n : arguments.sizes) {
            const QString path = QStringLiteral("%1/%2-%3.json").arg(arguments.dir, QLatin1String(name)).arg(n);
            if (!QFileInfo::exists(path) && Bench::writePerfMetrics(path, shape, n) < 0)
                return 1;
            const auto table = std::make_shared<const RequestTable>(loadInputs({path}).table);
            RequestSelection selection;
            TimelineView view(&selection);
            view.resize(frame);
            QImage image(frame, QImage::Format_ARGB32_Premultiplied);
            auto paint = [&] {
                QPainter painter(&image);
                view.render(painter, QRect(QPoint(0, 0), frame), false);
            };

            const double layoutMs = Bench::medianMilliseconds(
                [&] {
                    view.setTable(table);
                    view.waitForLayout();
                },
                1);
            // A new view state each run (the whole run, give or take a hair): lanes re-rasterised.
            const double runStart = view.viewStart(), runEnd = view.viewEnd();
            int flip = 0;
            const double wholeMs = Bench::medianMilliseconds(
                [&] {
                    view.setViewRange(runStart + (++flip % 2) * (runEnd - runStart) * 1e-6, runEnd);
                    paint();
                },
                7);
            const double repaintMs = Bench::medianMilliseconds(paint, 20);

            const double window = (runEnd - runStart) * 0.01;
            double start = runStart + (runEnd - runStart) * 0.4;
            const double zoomedMs = Bench::medianMilliseconds(
                [&] {
                    start += window * 0.05; // a pan step
                    view.setViewRange(start, start + window);
                    paint();
                },
                20);
            int hovered = 0;
            int x = 0;
            const double hoverMs = Bench::medianMilliseconds(
                [&] {
                    x = (x + 37) % (frame.width() - 200);
                    hovered += view.partAt(QPoint(200 + x, frame.height() / 2)) >= 0;
                },
                1000);
            std::printf("%-6s %9d %7d %9.1f %12.1f %10.2f %12.2f %10.4f\n", name, n, view.layout().laneCount(), layoutMs,
                        wholeMs, repaintMs, zoomedMs, hoverMs);
            std::fflush(stdout);
        }
    }
    return 0;
}
