// loadInputs() and cancellation: a load asked to stop stops, before the first file or inside one,
// says so (LoadResult::canceled) and returns no requests. The cancel is set at a known
// point (before the start, or as soon as the parse reports its first bytes), never after a sleep.
// What a finished load keeps: label codes compacted by a join hold no large reserve.

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

    // A disaggregated run directory holds three records per request; the join compacts them to one
    // row, and dropEmptyColumns() then gives the codes' room for three back (giveBackSlack).
    void labelCodesGiveBackSlack_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("keepEvery"); // keep row i when i % keepEvery == 0
        QTest::addColumn<bool>("wide");
        QTest::newRow("a third kept, narrow codes") << 30000 << 3 << false;
        QTest::newRow("a third kept, wide codes") << 30000 << 3 << true;
        QTest::newRow("all kept") << 30000 << 1 << false;
        QTest::newRow("one of ten kept, wide") << 1000 << 10 << true;
    }

    void labelCodesGiveBackSlack()
    {
        QFETCH(int, rows);
        QFETCH(int, keepEvery);
        QFETCH(bool, wide);
        LabelCodes codes;
        if (wide)
            codes.widen();
        codes.reserve(size_t(rows));
        std::vector<bool> keep;
        for (int i = 0; i < rows; ++i) {
            codes.push_back(LabelCode(i % 7));
            keep.push_back(i % keepEvery == 0);
        }
        codes.keepRows(keep);
        codes.giveBackSlack();
        const size_t kept = size_t((rows + keepEvery - 1) / keepEvery);
        QCOMPARE(codes.size(), kept);
        for (size_t row = 0; row < kept; ++row)
            QCOMPARE(codes[row], LabelCode(row * size_t(keepEvery) % 7));
        const size_t width = wide ? sizeof(LabelCode) : sizeof(quint16);
        QVERIFY2(codes.memoryBytes() <= (kept + kept / 4) * width,
                 qPrintable(QStringLiteral("%1 bytes for %2 codes").arg(codes.memoryBytes()).arg(kept)));
    }
};

QTEST_GUILESS_MAIN(TestLoader)
#include "tst_loader.moc"
