// loadInputs() and cancellation: a load asked to stop stops, before the first file or inside one,
// says so (LoadResult::canceled) and returns no requests. The cancel is set at a known
// point (before the start, or as soon as the parse reports its first bytes), never after a sleep.

#include "load/loader.h"
#include "testutils.h"

#include <QTemporaryDir>

#include <atomic>
#include <thread>

using namespace Phaseline;

class TestLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void canceledBeforeTheStartReadsNothing()
    {
        QTemporaryDir dir;
        const QString path = PhaselineTest::writeSyntheticArray(QDir(dir.path()), 1000);
        QVERIFY(!path.isEmpty());
        LoadControl control;
        control.cancel();
        const LoadResult result = loadInputs({path}, &control);
        QVERIFY(result.canceled);
        QCOMPARE(result.table.size(), 0);
        QCOMPARE(control.bytesDone(), 0);
    }

    // 60000 requests (about 11 MB) parsed by one parser, which reports the bytes it has passed
    // every 1024 records and where it stopped. The cancel comes with the first report (about 2%
    // of the file), so a loader that honours it stops far short of half the file.
    void cancelStopsTheParseMidFile()
    {
        QTemporaryDir dir;
        const QString path = PhaselineTest::writeSyntheticArray(QDir(dir.path()), 60000);
        QVERIFY(!path.isEmpty());
        LoadControl control;
        control.parallelChunkBytes = size_t(1) << 40; // one parser: its byte count is exact
        std::atomic<bool> loading{true};
        std::thread canceler([&control, &loading] {
            while (loading.load() && control.bytesDone() == 0)
                std::this_thread::yield();
            control.cancel();
        });
        const LoadResult result = loadInputs({path}, &control);
        loading.store(false);
        canceler.join();
        QVERIFY(result.canceled);
        QCOMPARE(result.table.size(), 0);
        QVERIFY2(control.bytesDone() < control.bytesTotal() / 2,
                 qPrintable(QStringLiteral("parsed %1 of %2 bytes after the cancel")
                                .arg(control.bytesDone())
                                .arg(control.bytesTotal())));
    }
};

QTEST_GUILESS_MAIN(TestLoader)
#include "tst_loader.moc"
