#pragma once

// Shared by the view benchmarks: argument parsing and repeated timing.
#include <QDir>
#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>
#include <functional>
#include <vector>

namespace Phaseline::Bench {

struct ViewBenchArguments
{
    QString dir = QDir::tempPath() + QStringLiteral("/phaseline-bench");
    std::vector<int> sizes{10000, 100000, 1000000};
};

// [--dir DIR] [N...]
inline ViewBenchArguments parseViewBenchArguments(const QStringList &args)
{
    ViewBenchArguments parsed;
    std::vector<int> sizes;
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--dir") && i + 1 < args.size())
            parsed.dir = args[++i];
        else
            sizes.push_back(args[i].toInt());
    }
    if (!sizes.empty())
        parsed.sizes = sizes;
    QDir().mkpath(parsed.dir);
    return parsed;
}

// Median wall time of `repeat` runs, in milliseconds.
inline double medianMilliseconds(const std::function<void()> &work, int repeat)
{
    std::vector<double> times;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace Phaseline::Bench
