// UI-thread stalls around real actions in a real main window (run by hand, offscreen): an
// event-loop latency probe (a 1 ms timer on the GUI thread that records how late it fires)
// runs while the window opens a generated aggregated file to a drawn breakdown chart and to a
// drawn timeline, switches views, sorts the request table, exports PNG and CSV, and follows a
// directory whose JSONL file holds N records and then receives batches. Prints, per action,
// the time until it is done (chart drawn, file written, table shown) and the worst stall.
// Usage: bench_stall [--dir DIR] [--only PREFIX] [N]   (default N: 1000000; --only: the actions
// whose name starts with PREFIX, e.g. "live", for profiling one of them)
#include "benchsupport.h"
#include "breakdownview.h"
#include "exporter.h"
#include "livecontroller.h"
#include "mainwindow.h"
#include "perfmetricsgenerator.h"
#include "requesttableview.h"
#include "timelineview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QPainter>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <functional>

using namespace Phaseline;

namespace {

constexpr int kProbeIntervalMs = 1;
constexpr qint64 kStallBudgetNs = 16'000'000;

// Fires every millisecond and keeps the worst lateness since reset(); also checks, at each
// tick, whether the action under measurement is done.
class StallProbe : public QObject
{
public:
    StallProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kProbeIntervalMs);
        connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
        m_clock.start();
        m_timer.start();
    }
    void reset()
    {
        m_worstNs = 0;
        m_stalls = 0;
        m_lastNs = m_clock.nsecsElapsed();
    }
    qint64 nowNs() const { return m_clock.nsecsElapsed(); }
    qint64 worstNs() const { return m_worstNs; }
    int stalls() const { return m_stalls; }
    std::function<void()> onTick;

private:
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 late = now - m_lastNs - kProbeIntervalMs * 1'000'000;
        m_worstNs = std::max(m_worstNs, late);
        m_stalls += late > kStallBudgetNs;
        m_lastNs = now;
        if (onTick)
            onTick();
    }
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_worstNs = 0;
    int m_stalls = 0;
};

// Notes that a widget painted while `ready` held: what it drew was the finished state.
class DrawnWatch : public QObject
{
public:
    DrawnWatch(QWidget *widget, std::function<bool()> ready) : m_ready(std::move(ready)) { widget->installEventFilter(this); }
    bool drawn = false;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_ready())
            drawn = true;
        return false;
    }

private:
    std::function<bool()> m_ready;
};

struct ActionBench
{
    StallProbe probe;
    QString only;

    // Starts `action` from the event loop, spins it until `done` holds (checked every tick)
    // and then for a settling time in which background work finishes, and prints the figures.
    void measure(const char *name, const std::function<void()> &action, const std::function<bool()> &done,
                 int settleMs = 300)
    {
        if (!QLatin1String(name).startsWith(only))
            return;
        qint64 startNs = 0, doneNs = -1;
        QEventLoop loop;
        probe.onTick = [&] {
            if (doneNs < 0 && done())
                doneNs = probe.nowNs();
            if (doneNs >= 0 && probe.nowNs() - doneNs > qint64(settleMs) * 1'000'000)
                loop.quit();
        };
        QTimer::singleShot(0, [&] {
            probe.reset();
            startNs = probe.nowNs();
            action();
        });
        QTimer::singleShot(120'000, &loop, &QEventLoop::quit); // a hung action still ends the bench
        loop.exec();
        probe.onTick = nullptr;
        std::printf("%-34s %10.0f %12.1f %8d\n", name, doneNs < 0 ? -1.0 : double(doneNs - startNs) / 1e6,
                    double(probe.worstNs()) / 1e6, probe.stalls());
        std::fflush(stdout);
    }
};

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("PhaselineBench")); // leaves the user's settings alone
    QStringList args = app.arguments();
    QString only;
    if (const qsizetype at = args.indexOf(QStringLiteral("--only")); at > 0 && at + 1 < args.size()) {
        only = args[at + 1];
        args.remove(at, 2);
    }
    const Phaseline::Bench::ViewBenchArguments arguments = Phaseline::Bench::parseViewBenchArguments(args);
    const int n = arguments.sizes.size() == 1 ? arguments.sizes.front() : 1000000;
    const QString path = QStringLiteral("%1/agg-%2.json").arg(arguments.dir).arg(n);
    if (!QFileInfo::exists(path) && Phaseline::Bench::writePerfMetrics(path, Phaseline::Bench::Shape::AggregatedArray, n) < 0)
        return 1;

    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    BreakdownView *breakdown = window.breakdownView();
    TimelineView *timeline = window.timelineView();
    QTabWidget *views = window.viewTabs();
    auto breakdownReady = [&] { return !breakdown->isPreparing() && breakdown->model().requestCount() == window.table().size(); };
    auto timelineReady = [&] { return !timeline->isLayingOut() && timeline->layout().partCount() > 0; };
    DrawnWatch breakdownDrawn(breakdown, breakdownReady);
    DrawnWatch timelineDrawn(timeline, timelineReady);
    auto drawnAfter = [](DrawnWatch &watch, const std::function<void()> &action) {
        return [&watch, action] {
            watch.drawn = false;
            action();
        };
    };
    ActionBench bench;
    bench.only = only;
    std::printf("%d requests, window 1600x1000, offscreen; stall = worst lateness of a 1 ms GUI-thread timer\n", n);
    std::printf("%-34s %10s %12s %8s\n", "action", "done (ms)", "stall (ms)", ">16 ms");

    bool loaded = false;
    QObject::connect(&window, &MainWindow::loaded, [&] { loaded = true; });
    auto open = [&] {
        loaded = false;
        window.open({path});
    };
    bench.measure("open to drawn breakdown", drawnAfter(breakdownDrawn, open),
                  [&] { return loaded && breakdownDrawn.drawn && window.table().size() == n; }, 2000);
    views->setCurrentIndex(1);
    bench.measure("open to drawn timeline", drawnAfter(timelineDrawn, open),
                  [&] { return loaded && timelineDrawn.drawn && window.table().size() == n; }, 2000);
    bench.measure("switch to breakdown", drawnAfter(breakdownDrawn, [&] { views->setCurrentIndex(0); }),
                  [&] { return breakdownDrawn.drawn; });
    bench.measure("switch to timeline", drawnAfter(timelineDrawn, [&] { views->setCurrentIndex(1); }),
                  [&] { return timelineDrawn.drawn; });
    views->setCurrentIndex(0);

    // Sorting needs the table: with --only naming a later action, it is opened unmeasured.
    if (window.table().size() != n) {
        QEventLoop opened;
        QObject::connect(&window, &MainWindow::loaded, &opened, &QEventLoop::quit);
        open();
        opened.exec();
    }
    QTableView *requests = window.requestTableView()->tableView();
    window.panelTabs()->setCurrentWidget(window.requestTableView());
    // The table's first showing is not part of a sort.
    QEventLoop shown;
    QTimer::singleShot(1000, &shown, &QEventLoop::quit);
    shown.exec();
    for (const auto &[name, order] : {std::pair{"sort request table (total, desc)", Qt::DescendingOrder},
                                      std::pair{"sort request table (total, asc)", Qt::AscendingOrder}}) {
        int totalColumn = -1;
        for (int c = 0; c < requests->model()->columnCount(); ++c) {
            if (requests->model()->headerData(c, Qt::Horizontal).toString().startsWith(QLatin1String("total")))
                totalColumn = c;
        }
        bool sorted = false;
        QMetaObject::Connection c = QObject::connect(requests->model(), &QAbstractItemModel::layoutChanged, [&] { sorted = true; });
        const Qt::SortOrder sortOrder = order;
        bench.measure(name, [&] { requests->sortByColumn(std::max(0, totalColumn), sortOrder); }, [&] { return sorted; });
        QObject::disconnect(c);
    }

    const QString pngPath = arguments.dir + QStringLiteral("/stall-breakdown.png");
    bench.measure("export breakdown PNG",
                  [&] {
                      QString error;
                      exportPainting([&](QPainter &painter, const QRect &target) { breakdown->render(painter, target, true); },
                                     pngPath, breakdown->size(), QStringLiteral("bench"), 1, &error);
                  },
                  [] { return true; });
    const QString csvPath = arguments.dir + QStringLiteral("/stall-requests.csv");
    QFile::remove(csvPath);
    bool exported = false;
    QObject::connect(window.requestTableView(), &RequestTableView::csvExportFinished, [&] { exported = true; });
    bench.measure("export request table CSV", [&] { window.exportRequestTable(csvPath); }, [&] { return exported; });

    // Live: a watched directory whose file already holds n records, then batches appended.
    const QString liveDir = arguments.dir + QStringLiteral("/stall-live");
    QDir(liveDir).removeRecursively();
    QDir().mkpath(liveDir);
    const QString source = QStringLiteral("%1/agg-%2.jsonl").arg(arguments.dir).arg(n);
    if (!QFileInfo::exists(source) && Phaseline::Bench::writePerfMetrics(source, Phaseline::Bench::Shape::AggregatedJsonl, n) < 0)
        return 1;
    QFile::link(source, liveDir + QStringLiteral("/perf_metrics-a.jsonl"));
    constexpr int kBatches = 5, kBatchRecords = 2000;
    const QString extraSource = QStringLiteral("%1/agg-extra-%2.jsonl").arg(arguments.dir).arg(kBatches * kBatchRecords);
    if (!QFileInfo::exists(extraSource)
        && Phaseline::Bench::writePerfMetrics(extraSource, Phaseline::Bench::Shape::AggregatedJsonl, kBatches * kBatchRecords, 7)
               < 0)
        return 1;
    QFile extra(extraSource);
    extra.open(QIODevice::ReadOnly);
    // Ids after the first file's: new requests, not repeats of its ids.
    QList<QByteArray> extraLines;
    const QRegularExpression idField(QStringLiteral("\"request_id\":\\s*(\\d+)"));
    for (const QByteArray &line : extra.readAll().split('\n')) {
        QString text = QString::fromUtf8(line);
        const QRegularExpressionMatch match = idField.match(text);
        if (match.hasMatch())
            text.replace(match.capturedStart(1), match.capturedLength(1), QString::number(match.captured(1).toLongLong() + n));
        extraLines << text.toUtf8();
    }
    bench.measure("live: watch a file of N records", drawnAfter(breakdownDrawn, [&] {
                      window.watchDirectory(liveDir);
                  }),
                  [&] { return breakdownDrawn.drawn && window.table().size() == n; }, 1000);
    QFile growing(liveDir + QStringLiteral("/perf_metrics-b.jsonl"));
    growing.open(QIODevice::WriteOnly | QIODevice::Append);
    int batchesSent = 0;
    QTimer batches;
    batches.setInterval(200);
    QObject::connect(&batches, &QTimer::timeout, [&] {
        for (int i = batchesSent * kBatchRecords; i < (batchesSent + 1) * kBatchRecords; ++i)
            growing.write(extraLines[i] + '\n');
        growing.flush();
        if (++batchesSent == kBatches)
            batches.stop();
    });
    const int liveTotal = n + kBatches * kBatchRecords;
    bench.measure("live: 5 batches of 2000 at N", drawnAfter(breakdownDrawn, [&] { batches.start(); }),
                  [&] { return breakdownDrawn.drawn && window.table().size() == liveTotal; }, 1000);
    window.live()->stop();
    return 0;
}
