// LoadController: a load runs off the UI thread, a canceled one delivers nothing, and the next
// start after a cancel loads in full. Whether the loader itself stops when asked is checked
// where it lives (tests/models/formats/tst_loader.cpp).

#include "core/jobtracker.h"
#include "loadcontroller.h"
#include "testutils.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>

using namespace Phaseline;

class TestLoadController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cancelDeliversNothingThenNextLoadDoes()
    {
        QTemporaryDir dir;
        const QString path = PhaselineTest::writeSyntheticArray(QDir(dir.path()), 50000);
        QVERIFY(!path.isEmpty());
        LoadController controller;
        QSignalSpy finished(&controller, &LoadController::finished);
        QSignalSpy canceled(&controller, &LoadController::canceled);
        controller.start({path});
        controller.cancel();
        QVERIFY(canceled.wait(10000));
        QCOMPARE(finished.count(), 0);
        QVERIFY(!controller.isRunning());
        QCOMPARE(controller.takeResult().table.size(), 0);

        controller.start({path});
        QVERIFY(finished.wait(20000));
        QCOMPARE(canceled.count(), 1);
        QCOMPARE(controller.takeResult().table.size(), 50000);
    }

    void cancelReportsWhatHappened_data()
    {
        QTest::addColumn<bool>("cancelBeforeReading");
        QTest::newRow("cancel before the load reads") << true;
        QTest::newRow("cancel after the load finished") << false;
    }

    // The controller reports what the load did, not whether cancel() was called: a cancel that
    // reaches the load before it reads (held in the job hook meanwhile) cancels it; one made
    // after the load ended (the event loop has not delivered it yet) leaves it loaded.
    void cancelReportsWhatHappened()
    {
        QFETCH(bool, cancelBeforeReading);
        QTemporaryDir dir;
        const QString path = PhaselineTest::writeSyntheticArray(QDir(dir.path()), 100);
        LoadController controller;
        QSignalSpy finished(&controller, &LoadController::finished);
        QSignalSpy canceled(&controller, &LoadController::canceled);
        static QSemaphore started, letGo;
        if (cancelBeforeReading) {
            jobStartHookForTests.store([] {
                started.release();
                letGo.tryAcquire(1, 30000);
            });
        }
        controller.start({path});
        if (cancelBeforeReading) {
            QVERIFY(started.tryAcquire(1, 10000));
            jobStartHookForTests.store(nullptr);
        } else {
            backgroundPool()->waitForDone();
        }
        controller.cancel();
        if (cancelBeforeReading)
            letGo.release();
        QVERIFY((cancelBeforeReading ? canceled : finished).wait(10000));
        QCOMPARE((cancelBeforeReading ? finished : canceled).count(), 0);
        if (!cancelBeforeReading)
            QCOMPARE(controller.takeResult().table.size(), 100);
    }
};

QTEST_GUILESS_MAIN(TestLoadController)
#include "tst_loadcontroller.moc"
