// Breakdown view benchmark: time to build the view model, to aggregate and paint a frame,
// to repaint from cached column aggregates, and to answer a hover, for N requests.
// Usage: bench_breakdown [--dir DIR] [N...]   (default N: 10000 100000 1000000)
#include "breakdownview.h"
#include "loader.h"
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

namespace {

double millisecondsOf(const std::function<void()> &work, int repeat)
{
    std::vector<double> times;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2]; // median
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QString dir = QDir::tempPath() + QStringLiteral("/phaseline-bench");
    std::vector<int> sizes;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--dir") && i + 1 < args.size())
            dir = args[++i];
        else
            sizes.push_back(args[i].toInt());
    }
    if (sizes.empty())
        sizes = {10000, 100000, 1000000};
    QDir().mkpath(dir);

    const QSize frame(1600, 900);
    std::printf("frame %dx%d, raster, medians of repeated runs (ms)\n", frame.width(), frame.height());
    std::printf("%9s %10s %12s %12s %12s %12s %12s\n", "requests", "model", "first frame", "repaint",
                "zoomed 1%", "hover agg", "hover bar");
    for (int n : sizes) {
        const QString path = QStringLiteral("%1/agg-%2.json").arg(dir).arg(n);
        if (!QFileInfo::exists(path) && Bench::writePerfMetrics(path, Bench::Shape::AggregatedArray, n) < 0)
            return 1;
        const LoadResult loaded = loadInputs({path});
        RequestSelection selection;
        BreakdownView view(&selection);
        view.resize(frame);
        QImage image(frame, QImage::Format_ARGB32_Premultiplied);

        QElapsedTimer timer;
        timer.start();
        view.setTable(&loaded.table);
        const double modelMs = double(timer.nsecsElapsed()) / 1e6;
        auto paint = [&] {
            QPainter painter(&image);
            view.render(painter, QRect(QPoint(0, 0), frame), false);
        };
        timer.restart();
        paint(); // aggregates the columns
        const double firstFrameMs = double(timer.nsecsElapsed()) / 1e6;
        const double repaintMs = millisecondsOf(paint, 20);
        const QPoint middle(frame.width() / 2, frame.height() / 2);
        const double hoverAggregatedMs = millisecondsOf([&] { (void)view.toolTipAt(middle); }, 200);

        // A 1% window: still aggregated above 160k requests; each pan step re-aggregates.
        double start = n * 0.4;
        const double zoomedMs = millisecondsOf(
            [&] {
                start += n * 0.0005;
                view.setViewRange(start, n * 0.01);
                paint();
            },
            20);
        view.setViewRange(n / 2.0, 200); // single bars
        paint();
        const double hoverBarMs = millisecondsOf([&] { (void)view.rowAt(middle); }, 1000);
        std::printf("%9d %10.1f %12.1f %12.2f %12.2f %12.4f %12.5f\n", n, modelMs, firstFrameMs, repaintMs, zoomedMs,
                    hoverAggregatedMs, hoverBarMs);
        std::fflush(stdout);
    }
    return 0;
}
