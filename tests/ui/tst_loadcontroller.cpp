// LoadController: a load runs off the UI thread, a canceled one delivers nothing, and the next
// start after a cancel loads in full. Whether the loader itself stops when asked is checked
// where it lives (tests/models/tst_loader.cpp).

#include "loadcontroller.h"
#include "testutils.h"

#include <QSignalSpy>
#include <QTemporaryDir>

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
};

QTEST_GUILESS_MAIN(TestLoadController)
#include "tst_loadcontroller.moc"
