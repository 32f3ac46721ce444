// JobTracker: results arrive by value on the owner's thread, only the latest job's; nothing
// waits for a superseded job. Workers are held at known points with QSemaphores, never timed.
#include "core/jobtracker.h"

#include <QSemaphore>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <algorithm>

using namespace Phaseline;

namespace {

// Held jobs: each one says it started, then waits to be let go (30 s at most, so that a
// broken tracker fails the test instead of hanging it).
QSemaphore started;
QSemaphore letGo;
std::atomic<int> holding{0};

void holdJob()
{
    ++holding;
    started.release();
    letGo.tryAcquire(1, 30000);
    --holding;
}

// Lets every job run to its end and delivers what was queued to this thread.
void drain()
{
    backgroundPool()->waitForDone();
    QCoreApplication::processEvents();
}

} // namespace

class TestJobTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Held jobs take a pool thread each; the jobs that run beside them need others.
        backgroundPool()->setMaxThreadCount(std::max(4, backgroundPool()->maxThreadCount()));
    }

    void cleanup()
    {
        jobStartHookForTests.store(nullptr);
        letGo.release(100);
        drain();
        letGo.acquire(letGo.available());
        started.acquire(started.available());
    }

    void deliversOnTheOwnersThread()
    {
        QThread *deliveredOn = nullptr;
        QVector<int> delivered;
        JobTracker<QVector<int>> tracker([&](QVector<int> result) {
            deliveredOn = QThread::currentThread();
            delivered = std::move(result);
        });
        tracker.start([](const JobToken &) { return QVector<int>{1, 2, 3}; });
        QVERIFY(tracker.isBusy());
        QTRY_VERIFY(!tracker.isBusy());
        QCOMPARE(delivered, (QVector<int>{1, 2, 3}));
        QCOMPARE(deliveredOn, QThread::currentThread());
    }

    // The first job is still held when the second starts: start() did not wait for it, and
    // only the second job's result is delivered.
    void supersededResultIsDropped()
    {
        QVector<int> delivered;
        JobTracker<int> tracker([&](int result) { delivered << result; });
        jobStartHookForTests.store(holdJob);
        const quint64 first = tracker.start([](const JobToken &) { return 1; });
        QVERIFY(started.tryAcquire(1, 10000));
        jobStartHookForTests.store(nullptr);
        const quint64 second = tracker.start([](const JobToken &) { return 2; });
        QVERIFY(second != first);
        QCOMPARE(holding.load(), 1); // the first job is still running
        QTRY_COMPARE(delivered, QVector<int>{2});
        letGo.release();
        drain();
        QCOMPARE(delivered, QVector<int>{2});
    }

    // A running job sees it was superseded; a queued one never runs its work.
    void supersededJobIsToldToStop()
    {
        std::atomic<bool> sawCancel{false};
        std::atomic<int> ran{0};
        JobTracker<int> tracker([](int) {});
        jobStartHookForTests.store(holdJob);
        tracker.start([&](const JobToken &token) {
            ++ran;
            sawCancel = token.isCanceled();
            return 0;
        });
        QVERIFY(started.tryAcquire(1, 10000));
        tracker.discard();
        letGo.release();
        drain();
        QCOMPARE(ran.load(), 0); // superseded before its work began: skipped
        QVERIFY(!tracker.isBusy());

        jobStartHookForTests.store(nullptr);
        QSemaphore inWork, mayFinish;
        tracker.start([&](const JobToken &token) {
            inWork.release();
            mayFinish.acquire();
            sawCancel = token.isCanceled();
            return 0;
        });
        QVERIFY(inWork.tryAcquire(1, 10000));
        tracker.start([](const JobToken &) { return 0; });
        mayFinish.release();
        drain();
        QVERIFY(sawCancel.load());
    }

    void finishNowDeliversOnce()
    {
        QVector<int> delivered;
        JobTracker<int> tracker([&](int result) { delivered << result; });
        tracker.start([](const JobToken &) { return 7; });
        tracker.finishNow();
        QCOMPARE(delivered, QVector<int>{7});
        QVERIFY(!tracker.isBusy());
        drain(); // its finished() signal still comes: it must not deliver again
        QCOMPARE(delivered, QVector<int>{7});
    }

    void destroyedTrackerDeliversNothing()
    {
        int delivered = 0;
        {
            JobTracker<int> tracker([&](int) { ++delivered; });
            jobStartHookForTests.store(holdJob);
            tracker.start([](const JobToken &) { return 1; });
            QVERIFY(started.tryAcquire(1, 10000));
        } // destroyed while its job is held: does not wait for it
        QCOMPARE(holding.load(), 1);
        letGo.release();
        drain();
        QCOMPARE(delivered, 0);
    }
};

QTEST_GUILESS_MAIN(TestJobTracker)
#include "tst_jobtracker.moc"
