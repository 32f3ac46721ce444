// Load benchmark: generates TensorRT-LLM perf-metrics files of N requests and measures
// how fast they become a loaded request model, and what the model costs per request.
// Usage: bench_load [--dir DIR] [--repeat R] [--shape array|jsonl|disagg-array|disagg-dir]... [N...]
// (default N: 10000 100000 1000000; default shapes: array, jsonl, disagg-array)
#include "load/loader.h"
#include "perfmetricsgenerator.h"
#include "analysis/statistics.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <vector>

using namespace Phaseline;

namespace {

long residentKiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    }
    return -1;
}

const char *shapeName(Bench::Shape shape)
{
    switch (shape) {
    case Bench::Shape::AggregatedArray: return "aggregated JSON array";
    case Bench::Shape::DisaggregatedArray: return "disaggregated JSON array";
    case Bench::Shape::AggregatedJsonl: return "aggregated JSONL";
    case Bench::Shape::DisaggregatedJsonlDirectory: return "disaggregated JSONL dir";
    }
    return "";
}

struct ShapeOption
{
    const char *option;
    Bench::Shape shape;
    const char *fileName; // %1 = requests
};
const ShapeOption kShapes[] = {
    {"array", Bench::Shape::AggregatedArray, "agg-%1.json"},
    {"jsonl", Bench::Shape::AggregatedJsonl, "agg-%1.jsonl"},
    {"disagg-array", Bench::Shape::DisaggregatedArray, "disagg-%1.json"},
    {"disagg-dir", Bench::Shape::DisaggregatedJsonlDirectory, "disagg-%1-jsonl"},
};

// Bytes of a file, or of the files of a directory.
qint64 inputBytes(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isDir())
        return info.size();
    qint64 total = 0;
    for (const QFileInfo &entry : QDir(path).entryInfoList(QDir::Files))
        total += entry.size();
    return total;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QString dir = QDir::tempPath() + QStringLiteral("/phaseline-bench");
    int repeat = 3;
    std::vector<int> sizes;
    std::vector<ShapeOption> shapes;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--dir") && i + 1 < args.size()) {
            dir = args[++i];
        } else if (args[i] == QLatin1String("--repeat") && i + 1 < args.size()) {
            repeat = std::max(1, args[++i].toInt());
        } else if (args[i] == QLatin1String("--shape") && i + 1 < args.size()) {
            const QString name = args[++i];
            const auto known = std::find_if(std::begin(kShapes), std::end(kShapes),
                                            [&name](const ShapeOption &shape) { return name == QLatin1String(shape.option); });
            if (known == std::end(kShapes)) {
                std::fprintf(stderr, "unknown --shape %s (array, jsonl, disagg-array, disagg-dir)\n", qPrintable(name));
                return 2;
            }
            shapes.push_back(*known);
        } else {
            sizes.push_back(args[i].toInt());
        }
    }
    if (sizes.empty())
        sizes = {10000, 100000, 1000000};
    if (shapes.empty())
        shapes.assign(std::begin(kShapes), std::begin(kShapes) + 3);
    QDir().mkpath(dir);

    std::printf("machine: %d hardware threads; files in %s\n", QThread::idealThreadCount(), qPrintable(dir));
    std::printf("%-26s %9s %9s %10s %10s %10s %12s %12s %10s\n", "shape", "requests", "MB", "best s", "median s",
                "MB/s", "model B/req", "RSS B/req", "stats s");
    for (const ShapeOption &option : shapes) {
        const Bench::Shape shape = option.shape;
        for (int n : sizes) {
            const QString path = QDir(dir).filePath(QString::fromLatin1(option.fileName).arg(n));
            if (!QFileInfo::exists(path) && Bench::writePerfMetrics(path, shape, n) < 0) {
                std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
                return 1;
            }
            const double megabytes = double(inputBytes(path)) / 1e6;
            std::vector<double> seconds;
            size_t modelBytes = 0;
            long rssDelta = 0;
            double statsSeconds = 0;
            for (int r = 0; r < repeat; ++r) {
                const long before = residentKiB();
                QElapsedTimer timer;
                timer.start();
                LoadResult result = loadInputs({path});
                seconds.push_back(double(timer.nsecsElapsed()) / 1e9);
                if (result.table.size() != n || result.hasErrors()) {
                    std::fprintf(stderr, "%s: loaded %d of %d requests\n", qPrintable(path), result.table.size(), n);
                    return 1;
                }
                modelBytes = result.table.memoryBytes();
                rssDelta = (residentKiB() - before) * 1024;
                timer.restart();
                const StatisticsReport report = computeStatistics(result.table);
                statsSeconds = double(timer.nsecsElapsed()) / 1e9;
                Q_UNUSED(report);
            }
            std::sort(seconds.begin(), seconds.end());
            const double best = seconds.front();
            const double median = seconds[seconds.size() / 2];
            std::printf("%-26s %9d %9.1f %10.3f %10.3f %10.0f %12.1f %12.1f %10.3f\n", shapeName(shape), n, megabytes,
                        best, median, megabytes / best, double(modelBytes) / n, double(rssDelta) / n, statsSeconds);
            std::fflush(stdout);
        }
    }
    return 0;
}
