// The window following /metrics live (issue 14, "done when"): a vLLM- or SGLang-like endpoint polled
// directly, and a real local Prometheus server scraping it, drawn as per-interval bars whose numbers
// must be the arithmetic on what the server served. The stand-in server
// (tests/tools/metrics_test_server.py) logs every body it sent whole; the expected numbers are
// computed here from that log with this file's own reading of the `_count` / `_sum` lines, never
// with Phaseline's parser. Every wait ends on what was served or drawn, not after a fixed time, so
// a slow (sanitizer) build only takes longer.

#include "intervalview.h"
#include "livecontroller.h"
#include "mainwindow.h"
#include "testutils.h"

#include "../ui/guitestmain.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace Phaseline;

namespace {

// The histograms behind IntervalView::drawnPhases(), by name (vLLM, SGLang); a per-stage one with
// its stage (docs/metrics-intervals.md).
const QList<QStringList> kDrawnMetrics{
    {QStringLiteral("vllm:request_queue_time_seconds"), QStringLiteral("sglang:queue_time_seconds")},
    {QStringLiteral("vllm:request_prefill_time_seconds"), QStringLiteral("sglang:per_stage_req_latency_seconds{prefill_forward}")},
    {QStringLiteral("vllm:request_decode_time_seconds")},
    {QStringLiteral("vllm:time_to_first_token_seconds"), QStringLiteral("sglang:time_to_first_token_seconds")},
    {QStringLiteral("vllm:e2e_request_latency_seconds"), QStringLiteral("sglang:e2e_request_latency_seconds")},
};
constexpr int kE2e = 4;

// One served body: per drawn phase its (count, sum), NaN when the body has no such histogram.
using ServedTotals = std::array<std::pair<double, double>, IntervalView::kTracked>;

ServedTotals servedTotals(const QString &text)
{
    ServedTotals totals;
    totals.fill({std::nan(""), std::nan("")});
    static const QRegularExpression sample(QStringLiteral("^([a-zA-Z_:][a-zA-Z0-9_:]*)_(count|sum)(\\{[^}]*\\})?\\s+(\\S+)$"),
                                           QRegularExpression::MultilineOption);
    static const QRegularExpression stage(QStringLiteral("stage=\"([^\"]*)\""));
    for (auto match = sample.globalMatch(text); match.hasNext();) {
        const QRegularExpressionMatch line = match.next();
        const QRegularExpressionMatch staged = stage.match(line.captured(3));
        const QString name = staged.hasMatch() ? QStringLiteral("%1{%2}").arg(line.captured(1), staged.captured(1)) : line.captured(1);
        for (int p = 0; p < IntervalView::kTracked; ++p) {
            if (kDrawnMetrics[p].contains(name)) {
                double &value = line.captured(2) == QLatin1String("count") ? totals[size_t(p)].first : totals[size_t(p)].second;
                value = line.captured(4).toDouble();
            }
        }
    }
    return totals;
}

// The bodies the server logged whole for `path`, in order.
QVector<ServedTotals> served(const QString &log, const QString &path)
{
    QVector<ServedTotals> bodies;
    QFile file(log);
    if (!file.open(QIODevice::ReadOnly))
        return bodies;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QJsonObject record = QJsonDocument::fromJson(line).object(); // a line still being written is no object
        if (record.value(QStringLiteral("source")).toString().endsWith(path))
            bodies << servedTotals(record.value(QStringLiteral("text")).toString());
    }
    return bodies;
}

bool near(double actual, double wanted)
{
    if (std::isnan(wanted))
        return std::isnan(actual);
    return std::abs(actual - wanted) <= 1e-9 * std::max(1.0, std::abs(wanted));
}

// Empty when every bar of `bars` is the difference of the served bodies chain[i] -> chain[i + 1]
// (bar i standing for interval i alone): its requests the e2e count delta, each phase's mean its
// sum delta / count delta in ms.
QString barMismatch(const std::vector<IntervalView::DrawnBar> &bars, const QVector<ServedTotals> &bodies,
                    const QVector<int> &chain)
{
    for (size_t b = 0; b < bars.size(); ++b) {
        const IntervalView::DrawnBar &bar = bars[b];
        if (bar.first != int(b) || bar.count != 1)
            return QStringLiteral("bar %1 pools intervals %2+%3").arg(b).arg(bar.first).arg(bar.count);
        const ServedTotals &before = bodies[chain[int(b)]];
        const ServedTotals &after = bodies[chain[int(b) + 1]];
        const double requests = after[kE2e].first - before[kE2e].first;
        if (!near(bar.requests, requests))
            return QStringLiteral("bar %1: %2 requests, served %3").arg(b).arg(bar.requests).arg(requests);
        for (int p = 0; p < IntervalView::kTracked; ++p) {
            const double count = after[size_t(p)].first - before[size_t(p)].first;
            const double mean = count > 0 ? (after[size_t(p)].second - before[size_t(p)].second) / count * 1e3 : std::nan("");
            if (!near(bar.meanMs[size_t(p)], mean))
                return QStringLiteral("bar %1 %2: mean %3 ms, served %4 ms")
                    .arg(b)
                    .arg(IntervalView::drawnPhases()[p])
                    .arg(bar.meanMs[size_t(p)], 0, 'g', 17)
                    .arg(mean, 0, 'g', 17);
        }
    }
    return QString();
}

// The stand-in /metrics server as a process, logging what it served.
struct MetricsServer
{
    QTemporaryDir dir;
    QProcess process;
    int port = 0;
    QString log() const { return dir.filePath(QStringLiteral("served.jsonl")); }

    bool start()
    {
        process.start(QStringLiteral(PHASELINE_PYTHON),
                      {PhaselineTest::dataPath(QStringLiteral("../tools/metrics_test_server.py")), log()});
        if (!process.waitForStarted(30000))
            return false;
        while (!process.canReadLine() && process.waitForReadyRead(60000)) {
        }
        const QByteArray line = process.readLine().trimmed();
        port = line.startsWith("PORT ") ? line.mid(5).toInt() : 0;
        return port > 0;
    }
    QUrl url(const QString &path) const { return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)); }
    ~MetricsServer()
    {
        process.terminate();
        if (!process.waitForFinished(10000))
            process.kill();
        process.waitForFinished(10000);
    }
};

int freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

} // namespace

class TestMetricsWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void followsMetricsEndpoint_data();
    void followsMetricsEndpoint();
    void followsPrometheusServer();
};

void TestMetricsWindow::followsMetricsEndpoint_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QList<int>>("drawn"); // the drawn phases the server exposes
    QTest::newRow("vLLM") << QStringLiteral("/vllm/metrics") << QList<int>{0, 1, 2, 3, 4};
    QTest::newRow("SGLang") << QStringLiteral("/sglang/metrics") << QList<int>{1, 3, 4}; // prefill: its prefill_forward stage
}

// Polled directly: the window keeps every served body in order, so interval i is body i -> i + 1.
void TestMetricsWindow::followsMetricsEndpoint()
{
    QFETCH(QString, path);
    QFETCH(QList<int>, drawn);
    MetricsServer server;
    QVERIFY2(server.start(), "tests/tools/metrics_test_server.py did not start");
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    Live::PollSettings settings;
    settings.url = server.url(path);
    settings.intervalMs = 100;
    window.connectTo(settings);
    IntervalView *view = window.intervalView();
    constexpr int kIntervals = 6;
    QTRY_VERIFY_WITH_TIMEOUT(view->series().size() == 1 && view->series().first().intervals.size() >= kIntervals, 90000);
    window.live()->stop();
    const std::vector<IntervalView::DrawnBar> bars = view->drawnBars(0);
    const int intervals = view->series().first().intervals.size();
    QCOMPARE(int(bars.size()), intervals);
    QTRY_VERIFY_WITH_TIMEOUT(served(server.log(), path).size() >= intervals + 1, 30000); // the log is written after the body
    const QVector<ServedTotals> bodies = served(server.log(), path);
    QVector<int> chain(intervals + 1);
    std::iota(chain.begin(), chain.end(), 0);
    const QString mismatch = barMismatch(bars, bodies, chain);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    for (const IntervalView::DrawnBar &bar : bars) {
        QVERIFY(bar.requests > 0); // the server finishes requests at every scrape
        for (int p = 0; p < IntervalView::kTracked; ++p)
            QCOMPARE(std::isnan(bar.meanMs[size_t(p)]), !drawn.contains(p));
        // A real server's request spans its phases: the e2e tick is never below the stack.
        double stack = 0;
        for (int p = 0; p < IntervalView::stackedPhases().size(); ++p)
            stack += std::isnan(bar.meanMs[size_t(p)]) ? 0 : bar.meanMs[size_t(p)];
        QVERIFY2(bar.meanMs[kE2e] >= stack, qPrintable(QStringLiteral("e2e %1 ms < stack %2 ms").arg(bar.meanMs[kE2e]).arg(stack)));
    }
}

// A real Prometheus scrapes the server every second; the window asks it for 1 s steps. A step holds
// the last body Prometheus scraped before it, so interval i is some served body -> a later one (or
// the same: nothing finished). The e2e counts find those bodies (every body finished more requests
// than the one before); then every drawn number must be their difference.
void TestMetricsWindow::followsPrometheusServer()
{
    const QString binary = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (binary.isEmpty())
        QSKIP("no prometheus binary (Debian: apt-get install prometheus; packaging/bootstrap.sh test installs it)");
    MetricsServer server;
    QVERIFY2(server.start(), "tests/tools/metrics_test_server.py did not start");
    const int promPort = freePort();
    QFile config(server.dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("global: {scrape_interval: 1s, scrape_timeout: 1s}\nscrape_configs:\n");
    for (const char *job : {"vllm", "sglang"})
        config.write(QStringLiteral("  - job_name: %1\n    metrics_path: /%1/metrics\n    static_configs: [{targets: ['127.0.0.1:%2']}]\n")
                         .arg(QLatin1String(job))
                         .arg(server.port)
                         .toUtf8());
    config.close();
    QProcess prometheus;
    prometheus.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    prometheus.setStandardOutputFile(QProcess::nullDevice());
    prometheus.start(binary, {QStringLiteral("--config.file=") + config.fileName(),
                              QStringLiteral("--storage.tsdb.path=") + server.dir.filePath(QStringLiteral("tsdb")),
                              QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(promPort),
                              QStringLiteral("--log.level=error")});
    QVERIFY(prometheus.waitForStarted(30000));
    const auto stopPrometheus = qScopeGuard([&prometheus] {
        prometheus.terminate();
        if (!prometheus.waitForFinished(20000))
            prometheus.kill();
        prometheus.waitForFinished(10000);
    });

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    Live::PollSettings settings;
    settings.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(promPort));
    settings.prometheus.enabled = true;
    settings.prometheus.rangeSeconds = 120;
    settings.prometheus.stepSeconds = 1;
    settings.intervalMs = 1000;
    window.connectTo(settings); // refused until Prometheus listens: the poller retries
    IntervalView *view = window.intervalView();
    constexpr int kIntervals = 6;
    auto enough = [view] {
        if (view->series().size() != 2)
            return false;
        for (const IntervalSeries &series : view->series()) {
            if (series.intervals.size() < kIntervals)
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(enough(), 120000);
    window.live()->stop();
    // Prometheus scrapes each target in turn and the server logs a body once sent: one more body
    // logged per job means every body a step can hold is in the log.
    for (const char *job : {"/vllm/metrics", "/sglang/metrics"}) {
        const int logged = served(server.log(), QLatin1String(job)).size();
        QTRY_VERIFY_WITH_TIMEOUT(served(server.log(), QLatin1String(job)).size() > logged, 30000);
    }

    for (int s = 0; s < 2; ++s) {
        const IntervalSeries &series = view->series()[s];
        const QString job = series.name.contains(QStringLiteral("job=vllm")) ? QStringLiteral("vllm") : QStringLiteral("sglang");
        QVERIFY2(series.name.contains(QStringLiteral("job=") + job), qPrintable(series.name));
        const std::vector<IntervalView::DrawnBar> bars = view->drawnBars(s);
        QCOMPARE(int(bars.size()), series.intervals.size());
        const QVector<ServedTotals> bodies = served(server.log(), QStringLiteral("/%1/metrics").arg(job));
        // Chains of served bodies whose e2e counts step as the bars' requests do; one must match every number.
        QString firstMismatch = QStringLiteral("no served bodies whose e2e counts step as the bars do");
        bool matched = false;
        for (int start = 0; start < bodies.size() && !matched; ++start) {
            QVector<int> chain{start};
            for (const IntervalView::DrawnBar &bar : bars) {
                const double target = bodies[chain.last()][kE2e].first + bar.requests;
                int next = chain.last();
                while (next < bodies.size() && bodies[next][kE2e].first != target)
                    ++next;
                if (next == bodies.size())
                    break;
                chain << next;
            }
            if (chain.size() != int(bars.size()) + 1)
                continue;
            const QString mismatch = barMismatch(bars, bodies, chain);
            matched = mismatch.isEmpty();
            if (!matched && firstMismatch.startsWith(QLatin1String("no served")))
                firstMismatch = mismatch;
        }
        QVERIFY2(matched, qPrintable(job + QStringLiteral(": ") + firstMismatch));
        // Not only steps that repeated one scrape (nothing finished, nothing to compare).
        const auto busy = std::count_if(bars.begin(), bars.end(), [](const IntervalView::DrawnBar &bar) { return bar.requests > 0; });
        QVERIFY2(busy >= 3, qPrintable(QStringLiteral("%1: only %2 bars with finished requests").arg(job).arg(busy)));
        qInfo("%s: %d bars (%d with requests) match the served scrapes", qPrintable(job), int(bars.size()), int(busy));
    }
}

PHASELINE_GUI_TEST_MAIN(TestMetricsWindow)
#include "tst_metricswindow.moc"
