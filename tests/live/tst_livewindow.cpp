// The window's live mode against the draining test server: the views fill as records arrive,
// the status indicator says what is going on, Pause freezes the views while records keep being
// kept, Resume catches up, and an outage is shown without losing anything.

#include "breakdownview.h"
#include "livecontroller.h"
#include "live/livesession.h"
#include "livestatuswidget.h"
#include "mainwindow.h"
#include "perfmetricstestserver.h"
#include "testutils.h"

#include "../ui/guitestmain.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <csignal>
#include <sys/resource.h>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

// Shows the window and has it poll `url` every 50 ms.
constexpr int kPollIntervalMs = 50;

void connectWindow(MainWindow &window, const QUrl &url)
{
    window.show();
    Live::PollSettings settings;
    settings.url = url;
    settings.intervalMs = kPollIntervalMs;
    window.connectTo(settings);
}

} // namespace

class TestLiveWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void viewsFollowPauseAndOutage();
    void sessionWriteFailureIsShown();
};

void TestLiveWindow::viewsFollowPauseAndOutage()
{
    QFile file(dataPath(QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> records;
    const QJsonArray array = QJsonDocument::fromJson(file.readAll()).array();
    for (const QJsonValue &value : array)
        records << QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    QCOMPARE(records.size(), 14);

    PerfMetricsTestServer server;
    QVERIFY(server.listen());
    server.addRecords(records.mid(0, 5));
    MainWindow window;
    connectWindow(window, server.url());
    QTRY_COMPARE_WITH_TIMEOUT(window.table().size(), 5, 5000);
    QVERIFY2(window.liveStatus()->text().startsWith(QStringLiteral("connected")), qPrintable(window.liveStatus()->text()));
    QVERIFY(window.liveStatus()->text().contains(QStringLiteral("5 records")));

    // Paused: records are still fetched and kept, the views stay as they were. The poller's own
    // polls measure the pause: two rebuild intervals' worth of them pass without a table handed over.
    QSignalSpy handedOver(window.live(), &LiveController::tableReady);
    window.live()->setPaused(true);
    server.addRecords(records.mid(5, 5));
    QTRY_COMPARE_WITH_TIMEOUT(window.live()->session()->recordsKept(), 10, 5000);
    const int pollsWhenKept = server.requestCount();
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= pollsWhenKept + 2 * LiveController::kRebuildIntervalMs / kPollIntervalMs,
                             10000);
    QCOMPARE(handedOver.count(), 0);
    QCOMPARE(window.table().size(), 5);
    window.live()->setPaused(false);
    QTRY_COMPARE_WITH_TIMEOUT(window.table().size(), 10, 5000);

    // An outage is shown and retried; afterwards the rest arrives.
    server.queueFault(PerfMetricsTestServer::Fault::ServerError);
    server.queueFault(PerfMetricsTestServer::Fault::ServerError);
    QTRY_VERIFY_WITH_TIMEOUT(window.liveStatus()->text().contains(QStringLiteral("HTTP 500")), 5000);
    server.addRecords(records.mid(10));
    QTRY_COMPARE_WITH_TIMEOUT(window.table().size(), 14, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(window.liveStatus()->text().startsWith(QStringLiteral("connected")), 5000);
    QVERIFY(window.liveStatus()->text().contains(QStringLiteral("2 error(s)")));
    QCOMPARE(window.breakdownView()->model().requestCount(), 14);

    // Stopped: everything received stays loaded.
    window.live()->stop();
    QVERIFY(window.liveStatus()->text().startsWith(QStringLiteral("stopped")));
    QCOMPARE(window.table().size(), 14);
}

// Point 20: a session file that cannot be written (disk full; here a file size limit) shows in
// the status at once, while the records keep arriving in the views.
void TestLiveWindow::sessionWriteFailureIsShown()
{
    PerfMetricsTestServer server;
    QVERIFY(server.listen());
    QList<QByteArray> records;
    for (int id = 1; id <= 20; ++id)
        records << PerfMetricsTestServer::makeRecord(id);
    server.addRecords(records);
    rlimit previous{};
    ::getrlimit(RLIMIT_FSIZE, &previous);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = previous;
    limit.rlim_cur = 1000;
    ::setrlimit(RLIMIT_FSIZE, &limit);
    MainWindow window;
    connectWindow(window, server.url());
    QTRY_COMPARE_WITH_TIMEOUT(window.live()->session()->recordsKept(), 20, 5000);
    ::setrlimit(RLIMIT_FSIZE, &previous);
    std::signal(SIGXFSZ, previousHandler);
    QTRY_VERIFY_WITH_TIMEOUT(window.liveStatus()->text().contains(QStringLiteral("cannot write the session file")), 5000);
    QVERIFY(window.liveStatus()->text().contains(QStringLiteral("File too large")));
    QTRY_COMPARE_WITH_TIMEOUT(window.table().size(), 20, 5000);
}

PHASELINE_GUI_TEST_MAIN(TestLiveWindow)
#include "tst_livewindow.moc"
