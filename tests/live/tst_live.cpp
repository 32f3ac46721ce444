// Live sources: the /perf_metrics poller against a draining test server with faults (nothing
// received is lost or counted twice, back-off and recovery, headers), the session file, the
// JSONL directory tail (partial lines, new, replaced and rotated files, the line limit, `{}`
// lines, what it opens), and `phaseline --record`.
// Expected records come from the test server's own account of what it delivered and from the
// sample files read with QJsonDocument, never from the code under test.

#include "live/directorytail.h"
#include "live/httppoller.h"
#include "live/livesession.h"
#include "perfmetricstestserver.h"
#include "live/recordsplitter.h"
#include "testutils.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>
#include <memory>
#include <numeric>

using namespace Phaseline;
using namespace Phaseline::Live;
using namespace PhaselineTest;
using Fault = PerfMetricsTestServer::Fault;

Q_DECLARE_METATYPE(PerfMetricsTestServer::Fault)

namespace {

// The records of a JSON-array sample, each as compact JSON (what a FastAPI server sends).
QList<QByteArray> sampleRecords(const QString &relative)
{
    QFile file(dataPath(relative));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> records;
    const QJsonArray array = QJsonDocument::fromJson(file.readAll()).array();
    for (const QJsonValue &value : array)
        records << QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return records;
}

QList<QByteArray> fileLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

QList<QByteArray> distinct(const QList<QByteArray> &records)
{
    QList<QByteArray> result;
    for (const QByteArray &record : records) {
        if (!result.contains(record))
            result << record;
    }
    return result;
}

QStringList sortedIds(const RequestTable &table)
{
    QStringList ids;
    for (int row = 0; row < table.size(); ++row)
        ids << roleName(table.role(row)) + QLatin1Char(':') + table.id(row);
    ids.sort();
    return ids;
}

bool writeLines(const QString &path, const QList<QByteArray> &records, QIODevice::OpenMode mode)
{
    QFile file(path);
    if (!file.open(mode))
        return false;
    for (const QByteArray &record : records)
        file.write(record + '\n');
    return file.flush();
}

const QString kAggregatedSample = QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json");

// A session writing to a file in a scratch folder.
struct SessionFile
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("session.jsonl"));
    LiveSession session;
    bool ready = false;

    SessionFile()
    {
        QString error;
        ready = session.openSessionFile(path, &error);
    }
};

// A test server, a session file, and a poller of that server (polling once a minute, so a test
// sees one response unless it says otherwise).
struct PollRig : SessionFile
{
    PerfMetricsTestServer server;
    PerfMetricsPoller poller{&session};
    PollSettings settings;

    PollRig()
    {
        ready = ready && server.listen();
        settings.url = server.url();
        settings.intervalMs = 60000;
    }
};

} // namespace

class TestLive : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitRecordArray_data();
    void splitRecordArray();
    void sessionKeepsEveryRecordOnce();
    void pollerSurvivesFaults_data();
    void pollerSurvivesFaults();
    void backoffDoublesAndRecovers();
    void extraHeadersAreSent();
    void directoryTailFollowsGrowingFiles();
    void directoryTailFollowsFilesByIdentity_data();
    void directoryTailFollowsFilesByIdentity();
    void directoryTailOpensOnlyChangedFiles();
    void directoryTailBoundsLines_data();
    void directoryTailBoundsLines();
    void recordCommandWritesEveryRecord();
    void pollerDestructorIsSilent();
    void parseHeaderRefusesControlCharacters_data();
    void parseHeaderRefusesControlCharacters();
    void pollerCutsOversizedResponses_data();
    void pollerCutsOversizedResponses();
    void pollerKeepsRecordsAsTheyArrive();
    void redirects_data();
    void redirects();
    void sessionWritesOnlyValidJson_data();
    void sessionWritesOnlyValidJson();
    void sessionIdentityIsTheWholeRecord();
    void queuedRecordsKeepWhatAddedRecordsKeep_data();
    void queuedRecordsKeepWhatAddedRecordsKeep();
    void sessionReportsWriteFailure();
    void sessionFileStopsWholeAtAFullDisk();
    void recordCommandKeepsItsPromises_data();
    void recordCommandKeepsItsPromises();
    void sessionKeepsScrapesAndReopensToTheSameIntervals();
};

void TestLive::splitRecordArray_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QList<QByteArray>>("records");
    QTest::addColumn<bool>("damaged");
    const QByteArray a = R"({"request_id": 1, "s": "}, {"})";
    const QByteArray b = "{\n  \"request_id\": 2\n}";
    QTest::newRow("empty list") << QByteArray(" [ ] \n") << QList<QByteArray>{} << false;
    QTest::newRow("two records, brace inside a string") << "[" + a + ", " + b + "]" << QList<QByteArray>{a, b} << false;
    QTest::newRow("cut inside the second record") << "[" + a + ", " + b.left(5) << QList<QByteArray>{a} << true;
    QTest::newRow("cut before the closing bracket") << "[" + a + "," << QList<QByteArray>{a} << true;
    QTest::newRow("not an array") << QByteArray("<html>502</html>") << QList<QByteArray>{} << true;
    QTest::newRow("empty body") << QByteArray() << QList<QByteArray>{} << true;
    QTest::newRow("junk between records") << "[" + a + " x " + b + "]" << QList<QByteArray>{a} << true;
}

void TestLive::splitRecordArray()
{
    QFETCH(QByteArray, body);
    QFETCH(QList<QByteArray>, records);
    QFETCH(bool, damaged);
    const SplitBody split = Live::splitRecordArray(body);
    QCOMPARE(split.records, records);
    QCOMPARE(!split.problem.isEmpty(), damaged);
}

void TestLive::sessionKeepsEveryRecordOnce()
{
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    QCOMPARE(records.size(), 14); // python3 -c "len(json.load(open(...)))"
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("session.jsonl"));
    LiveSession session;
    QString error;
    QVERIFY2(session.openSessionFile(path, &error), qPrintable(error));
    QCOMPARE(session.addRecords(records.mid(0, 9), QStringLiteral("http://127.0.0.1:1")), 9);
    // The whole set again, pretty-printed this time: the first nine are the same requests.
    QList<QByteArray> again;
    for (const QByteArray &record : records)
        again << QJsonDocument::fromJson(record).toJson(QJsonDocument::Indented);
    QCOMPARE(session.addRecords(again, QStringLiteral("http://127.0.0.1:1")), 5);
    QCOMPARE(session.recordsKept(), 14);
    QCOMPARE(session.duplicatesIgnored(), 9);

    const QList<QByteArray> lines = fileLines(path);
    QCOMPARE(lines.size(), 14);
    QCOMPARE(lines.mid(0, 9), records.mid(0, 9));
    // The session file reopens as a perf-metrics file with the same requests as the sample.
    const LoadResult reopened = loadInputs({path});
    QCOMPARE(sortedIds(reopened.table), sortedIds(loadOnce(kAggregatedSample).table));
    QCOMPARE(sortedIds(session.buildTable().table), sortedIds(loadOnce(kAggregatedSample).table));
}

void TestLive::pollerSurvivesFaults_data()
{
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<bool>("isError");
    QTest::newRow("500") << Fault::ServerError << 0 << true;
    QTest::newRow("connection dropped mid-body") << Fault::DropMidBody << 0 << true;
    QTest::newRow("malformed JSON") << Fault::Malformed << 0 << true;
    QTest::newRow("empty list while records wait") << Fault::EmptyList << 0 << false;
    QTest::newRow("slow, within the timeout") << Fault::Slow << 300 << false;
    QTest::newRow("slow, past the timeout") << Fault::Slow << 3000 << true;
    QTest::newRow("duplicate delivery") << Fault::Repeat << 0 << false;
}

void TestLive::pollerSurvivesFaults()
{
    QFETCH(Fault, fault);
    QFETCH(int, delayMs);
    QFETCH(bool, isError);
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    PerfMetricsTestServer server;
    QVERIFY(server.listen());
    server.addRecords(records.mid(0, 8));
    if (fault == Fault::Repeat)
        server.queueFault(Fault::None); // something to repeat
    server.queueFault(fault, delayMs);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("session.jsonl"));
    LiveSession session;
    QString error;
    QVERIFY(session.openSessionFile(path, &error));
    PerfMetricsPoller poller(&session);
    int errorsSeen = 0;
    QString firstError;
    int firstRetry = -1;
    connect(&poller, &LiveSource::statusChanged, this, [&] {
        if (poller.status().errors > errorsSeen) {
            errorsSeen = int(poller.status().errors);
            if (firstError.isEmpty()) {
                firstError = poller.status().lastError;
                firstRetry = poller.status().retryInMs;
            }
        }
    });
    PollSettings settings;
    settings.url = server.url();
    settings.intervalMs = 50;
    settings.timeoutMs = 1000;
    poller.start(settings);

    // After the fault, the rest of the records come in a later batch.
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= (fault == Fault::Repeat ? 2 : 1), 5000);
    server.addRecords(records.mid(8));
    QTRY_VERIFY_WITH_TIMEOUT(server.waiting() == 0 && poller.status().state == SourceStatus::Receiving
                                 && session.recordsKept() == distinct(server.delivered()).size(),
                             8000);
    // A few more empty polls (counted, not timed) change nothing.
    const int polls = server.requestCount();
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= polls + 3, 5000);

    const QList<QByteArray> delivered = distinct(server.delivered());
    QCOMPARE(session.recordsKept(), qint64(delivered.size()));
    QCOMPARE(fileLines(path), delivered); // every record, once, as sent, in arrival order
    if (fault == Fault::DropMidBody)
        QVERIFY(delivered.size() < records.size()); // the cut-off records were drained and are gone
    else
        QCOMPARE(delivered.size(), records.size());
    if (fault == Fault::Repeat)
        QCOMPARE(session.duplicatesIgnored(), 8);
    QCOMPARE(errorsSeen > 0, isError);
    if (isError) {
        QVERIFY2(!firstError.isEmpty(), "the problem is shown");
        QCOMPARE(firstRetry, settings.intervalMs); // first back-off step
    }
    QVERIFY(poller.status().lastError.isEmpty()); // recovered
}

void TestLive::backoffDoublesAndRecovers()
{
    PerfMetricsTestServer server;
    QVERIFY(server.listen());
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    server.addRecords(records);
    for (int i = 0; i < 3; ++i)
        server.queueFault(Fault::ServerError);
    LiveSession session;
    PerfMetricsPoller poller(&session);
    QList<int> delays;
    connect(&poller, &LiveSource::statusChanged, this, [&] {
        if (poller.status().state == SourceStatus::Retrying)
            delays << poller.status().retryInMs;
    });
    PollSettings settings;
    settings.url = server.url();
    settings.intervalMs = 40;
    settings.maxBackoffMs = 120;
    poller.start(settings);
    QTRY_COMPARE_WITH_TIMEOUT(session.recordsKept(), qint64(records.size()), 5000);
    QCOMPARE(delays, (QList<int>{40, 80, 120})); // doubling, capped
    QCOMPARE(poller.status().state, SourceStatus::Receiving);
    QCOMPARE(poller.status().errors, 3);
    QCOMPARE(poller.status().consecutiveErrors, 0);
    QVERIFY(poller.status().lastError.isEmpty());
}

void TestLive::extraHeadersAreSent()
{
    PerfMetricsTestServer server;
    QVERIFY(server.listen());
    LiveSession session;
    PerfMetricsPoller poller(&session);
    PollSettings settings;
    settings.url = server.url();
    QPair<QByteArray, QByteArray> header;
    QVERIFY(parseHeader(QStringLiteral("Authorization: Bearer s3cret"), &header));
    settings.headers << header;
    poller.start(settings);
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= 1, 5000);
    const QList<QByteArray> lines = server.requestHeaders().first();
    QVERIFY(lines.first().startsWith("GET /perf_metrics HTTP/1.1"));
    QVERIFY2(lines.contains("Authorization: Bearer s3cret\r"), lines.join('|').constData());
}

void TestLive::directoryTailFollowsGrowingFiles()
{
    const QString source = dataPath(QStringLiteral("trtllm/jsonl_D_disagg"));
    const QStringList names = QDir(source).entryList(QDir::Files, QDir::Name);
    QCOMPARE(names.size(), 4);
    QTemporaryDir dir;
    LiveSession session;
    DirectoryTail tail(&session);
    tail.start(dir.path(), 60000); // scans are driven by hand here
    auto append = [&](const QString &name, const QByteArray &bytes) {
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::Append));
        QCOMPARE(file.write(bytes), bytes.size());
    };
    auto linesOf = [&](const QString &name) { return fileLines(QDir(source).filePath(name)); };

    // Router file: two lines and half of the third.
    const QList<QByteArray> router = linesOf(names[0]);
    append(names[0], router[0] + '\n' + router[1] + '\n' + router[2].left(20));
    tail.scan();
    QCOMPARE(session.recordsKept(), 2);
    QVERIFY(tail.status().detail.contains(QStringLiteral("20 byte(s) waiting")));
    // The rest of the line arrives, then the rest of the file and a new worker file.
    append(names[0], router[2].mid(20) + '\n');
    tail.scan();
    QCOMPARE(session.recordsKept(), 3);
    for (int i = 3; i < router.size(); ++i)
        append(names[0], router[i] + '\n');
    append(names[1], linesOf(names[1]).join('\n') + '\n');
    tail.scan();
    QCOMPARE(session.recordsKept(), router.size() + linesOf(names[1]).size());
    for (int i = 2; i < names.size(); ++i)
        append(names[i], linesOf(names[i]).join('\n') + '\n');
    tail.scan();
    tail.scan(); // nothing new: nothing counted twice
    QCOMPARE(session.recordsKept(), 15); // wc -l of the four files
    QCOMPARE(session.duplicatesIgnored(), 0);

    // Router and worker records joined as in a one-shot load of the finished directory.
    const LoadResult live = session.buildTable();
    const LoadResult whole = loadInputs({source});
    QCOMPARE(live.table.size(), whole.table.size());
    QCOMPARE(sortedIds(live.table), sortedIds(whole.table));
}

void TestLive::directoryTailFollowsFilesByIdentity_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<int>("maxWarnings");
    // A bigger file takes the place of the one read, before the next scan: all of it is new.
    QTest::newRow("renamed over by a bigger file") << QStringLiteral("rename over") << 0;
    QTest::newRow("truncated and rewritten past the old offset") << QStringLiteral("truncate") << 1;
    // The new file may get the old one's inode: then it is told apart by its first bytes.
    QTest::newRow("deleted and created again, bigger") << QStringLiteral("recreate") << 1;
    // A rotated file is the same file under another name: nothing in it is new.
    QTest::newRow("rotated to another .jsonl name") << QStringLiteral("rotate") << 0;
}

void TestLive::directoryTailFollowsFilesByIdentity()
{
    QFETCH(QString, change);
    QFETCH(int, maxWarnings);
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    QCOMPARE(records.size(), 14);
    const QList<QByteArray> first = records.mid(0, 4);
    const QList<QByteArray> second = records.mid(4); // longer than `first`
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("perf_metrics-a.jsonl"));
    QVERIFY(writeLines(path, first, QIODevice::WriteOnly));
    LiveSession session;
    DirectoryTail tail(&session);
    tail.start(dir.path(), 60000);
    tail.scan();
    QCOMPARE(session.recordsKept(), first.size());

    if (change == QLatin1String("rename over")) {
        const QString temporary = dir.filePath(QStringLiteral(".perf_metrics-a.jsonl.tmp"));
        QVERIFY(writeLines(temporary, second, QIODevice::WriteOnly));
        QVERIFY(::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(path).constData()) == 0);
    } else if (change == QLatin1String("truncate")) {
        QVERIFY(writeLines(path, second, QIODevice::WriteOnly | QIODevice::Truncate));
    } else if (change == QLatin1String("recreate")) {
        QVERIFY(QFile::remove(path));
        QVERIFY(writeLines(path, second, QIODevice::WriteOnly));
    } else {
        QVERIFY(QFile::rename(path, dir.filePath(QStringLiteral("perf_metrics-a-1.jsonl"))));
        QVERIFY(writeLines(path, second, QIODevice::WriteOnly));
    }
    tail.scan();
    QCOMPARE(session.recordsKept(), records.size());
    QCOMPARE(session.duplicatesIgnored(), 0);
    QVERIFY2(!tail.status().detail.contains(QStringLiteral("waiting")), qPrintable(tail.status().detail));
    QVERIFY(session.issues().size() <= maxWarnings);
    tail.scan(); // nothing new
    QCOMPARE(session.recordsKept(), records.size());
    QCOMPARE(session.duplicatesIgnored(), 0);
}

void TestLive::directoryTailOpensOnlyChangedFiles()
{
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    QTemporaryDir dir;
    constexpr int kFiles = 200;
    for (int i = 0; i < kFiles; ++i)
        QVERIFY(writeLines(dir.filePath(QStringLiteral("perf_metrics-%1.jsonl").arg(i)), {records[i % records.size()]},
                           QIODevice::WriteOnly));
    LiveSession session;
    DirectoryTail tail(&session);
    tail.start(dir.path(), 60000);
    tail.scan();
    QCOMPARE(tail.filesOpened(), kFiles);
    for (int i = 0; i < 5; ++i)
        tail.scan();
    QCOMPARE(tail.filesOpened(), kFiles); // unchanged files are not opened again
    QVERIFY(writeLines(dir.filePath(QStringLiteral("perf_metrics-7.jsonl")), {records[0]}, QIODevice::Append));
    tail.scan();
    QCOMPARE(tail.filesOpened(), kFiles + 1);
    // A change notification alone brings a growing file in, read on the tail's own thread.
    QVERIFY(writeLines(dir.filePath(QStringLiteral("perf_metrics-7.jsonl")), {records[1]}, QIODevice::Append));
    QTRY_COMPARE_WITH_TIMEOUT(session.recordsKept(), kFiles + 2, 5000);
}

void TestLive::directoryTailBoundsLines_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("expectedRecords");
    QTest::addColumn<int>("expectedWaiting");
    QTest::addColumn<QString>("expectedIssue");
    const QByteArray record = sampleRecords(kAggregatedSample).first();
    const QByteArray other = sampleRecords(kAggregatedSample).last();
    const QByteArray longLine(5000, 'x');
    QTest::newRow("a long line without a newline is not held")
        << record + '\n' + longLine << 1 << 0 << QStringLiteral(":2 (byte %1): warning: a line longer than").arg(record.size() + 1);
    QTest::newRow("a long line between records is skipped")
        << record + '\n' + longLine + '\n' + other + '\n' << 2 << 0 << QStringLiteral(":2 (byte");
    QTest::newRow("a short partial line waits for its newline")
        << record + '\n' + other.left(100) << 1 << 100 << QString();
    QByteArray empties = record + '\n';
    for (int i = 0; i < 100000; ++i)
        empties += "{}\n";
    QTest::newRow("records that carry nothing are not records")
        << empties + " { }\n" << 1 << 0 << QStringLiteral(":2: warning: records that carry nothing");
}

void TestLive::directoryTailBoundsLines()
{
    QFETCH(QByteArray, content);
    QFETCH(int, expectedRecords);
    QFETCH(int, expectedWaiting);
    QFETCH(QString, expectedIssue);
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("perf_metrics-a.jsonl")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    // In two pieces: the limit holds across reads too.
    QCOMPARE(file.write(content.left(content.size() / 2)), content.size() / 2);
    QVERIFY(file.flush());
    LiveSession session;
    DirectoryTail tail(&session);
    tail.start(dir.path(), 60000, 1024);
    tail.scan();
    QCOMPARE(file.write(content.mid(content.size() / 2)), content.size() - content.size() / 2);
    QVERIFY(file.flush());
    tail.scan();
    QCOMPARE(session.recordsKept(), expectedRecords);
    QCOMPARE(session.recordsRejected(), 0);
    if (expectedWaiting > 0)
        QVERIFY2(tail.status().detail.contains(QStringLiteral("%1 byte(s) waiting").arg(expectedWaiting)),
                 qPrintable(tail.status().detail));
    else
        QVERIFY2(!tail.status().detail.contains(QStringLiteral("waiting")), qPrintable(tail.status().detail));
    if (expectedIssue.isEmpty()) {
        QCOMPARE(session.issues().size(), 0);
    } else {
        QCOMPARE(session.issues().size(), 1);
        QVERIFY2(session.issues().first().toString().contains(expectedIssue), qPrintable(session.issues().first().toString()));
    }
}

void TestLive::recordCommandWritesEveryRecord()
{
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    PerfMetricsTestServer server;
    QVERIFY(server.listen());
    server.addRecords(records.mid(0, 6));
    server.queueFault(Fault::None);
    server.queueFault(Fault::ServerError);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("recorded.jsonl"));
    QProcess process;
    process.start(QStringLiteral(PHASELINE_EXECUTABLE),
                  {QStringLiteral("--record"), out, QStringLiteral("--interval"), QStringLiteral("0.1"),
                   QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--header"),
                   QStringLiteral("X-Test: 1"), server.url().toString()});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= 2, 5000);
    server.addRecords(records.mid(6));
    // The event loop must run while the child polls this process's server.
    QSignalSpy finished(&process, &QProcess::finished);
    QVERIFY(finished.wait(15000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, qPrintable(err));
    QCOMPARE(fileLines(out), records); // one line per record, as the server sent it
    QVERIFY2(err.contains(QStringLiteral("HTTP 500")), qPrintable(err));
    QVERIFY(server.requestHeaders().first().contains("X-Test: 1\r"));
}

// Point 12: a poller destroyed with a response in flight tells no one (its receivers may be gone).
void TestLive::pollerDestructorIsSilent()
{
    PerfMetricsTestServer server;
    QVERIFY(server.listen());
    server.addRecords(sampleRecords(kAggregatedSample));
    server.queueFault(Fault::Slow, 5000);
    LiveSession session;
    auto poller = std::make_unique<PerfMetricsPoller>(&session);
    PollSettings settings;
    settings.url = server.url();
    poller->start(settings);
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() == 1, 5000);
    QSignalSpy status(poller.get(), &LiveSource::statusChanged);
    QSignalSpy records(&session, &LiveSession::recordsAdded);
    poller.reset();
    QCOMPARE(status.count(), 0);
    QCOMPARE(records.count(), 0);
}

void TestLive::parseHeaderRefusesControlCharacters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("bearer token") << QStringLiteral("Authorization: Bearer s3cret") << true;
    QTest::newRow("tab inside the value") << QStringLiteral("X-A: a\tb") << true;
    QTest::newRow("CR LF inside the value") << QStringLiteral("X-A: a\r\nX-Injected: 1") << false;
    QTest::newRow("LF inside the value") << QStringLiteral("X-A: a\nX-Injected: 1") << false;
    QTest::newRow("NUL inside the value") << QString::fromUtf8("X-A: a\0b", 8) << false;
    QTest::newRow("DEL inside the value") << QStringLiteral("X-A: a\x7f") << false;
    QTest::newRow("CR LF inside the name") << QStringLiteral("X-A\r\nX-Injected: 1") << false;
    QTest::newRow("blank inside the name") << QStringLiteral("X A: 1") << false;
    QTest::newRow("no name") << QStringLiteral(": 1") << false;
}

// Point 15: a CR LF in a header would be sent raw and arrive as another header.
void TestLive::parseHeaderRefusesControlCharacters()
{
    QFETCH(QString, text);
    QFETCH(bool, accepted);
    QPair<QByteArray, QByteArray> header;
    QCOMPARE(parseHeader(text, &header), accepted);
    if (accepted) {
        PollRig rig;
        QVERIFY(rig.ready);
        rig.settings.headers << header;
        rig.poller.start(rig.settings);
        QTRY_VERIFY_WITH_TIMEOUT(rig.server.requestCount() >= 1, 5000);
        QVERIFY(rig.server.requestHeaders().first().contains(header.first + ": " + header.second + '\r'));
    }
}

void TestLive::pollerCutsOversizedResponses_data()
{
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<QString>("problem");
    QTest::newRow("endless body") << Fault::Endless << QStringLiteral("larger than the limit of 262144 bytes");
    QTest::newRow("2 GiB announced") << Fault::HugeLength
                                     << QStringLiteral("announces 2147483648 bytes, more than the limit of 262144 bytes");
}

// Point 3: one response holds at most maxResponseBytes; records before the cut are kept.
void TestLive::pollerCutsOversizedResponses()
{
    QFETCH(Fault, fault);
    QFETCH(QString, problem);
    PollRig rig;
    QVERIFY(rig.ready);
    rig.server.addRecords(sampleRecords(kAggregatedSample));
    rig.server.queueFault(fault, 100);
    PollSettings &settings = rig.settings;
    settings.maxResponseBytes = 256 << 10;
    settings.timeoutMs = 60000; // the cap, not the deadline, must end it
    rig.poller.start(settings);
    const PerfMetricsPoller &poller = rig.poller;
    const LiveSession &session = rig.session;
    const QString &path = rig.path;
    QTRY_VERIFY_WITH_TIMEOUT(poller.status().errors == 1, 10000);
    QVERIFY2(poller.status().lastError.contains(problem), qPrintable(poller.status().lastError));
    QTRY_VERIFY_WITH_TIMEOUT(!session.isIngesting(), 10000); // the records before the cut, checked on a worker
    const QList<QByteArray> lines = fileLines(path);
    QCOMPARE(qint64(lines.size()), session.recordsKept());
    for (const QByteArray &line : lines)
        QVERIFY(QJsonDocument::fromJson(line).isObject());
    if (fault == Fault::Endless) {
        QVERIFY(lines.size() > 100); // the records before the cut
        QVERIFY(std::accumulate(lines.begin(), lines.end(), qsizetype(0),
                                [](qsizetype sum, const QByteArray &line) { return sum + line.size() + 2; })
                <= settings.maxResponseBytes);
        QVERIFY(!session.issues().isEmpty());
        QVERIFY(session.issues().last().message.contains(QStringLiteral("response cut")));
    }
}

// Point 21: records reach the session file while a slow response is still coming, and the
// response has an overall deadline however steadily its bytes drip.
void TestLive::pollerKeepsRecordsAsTheyArrive()
{
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    PollRig rig;
    QVERIFY(rig.ready);
    rig.server.addRecords(records.mid(0, 4));
    rig.server.queueFault(Fault::Drip, 50);
    rig.settings.timeoutMs = 1500;
    rig.poller.start(rig.settings);
    const PerfMetricsPoller &poller = rig.poller;
    const QString &path = rig.path;
    QTRY_COMPARE_WITH_TIMEOUT(fileLines(path), records.mid(0, 2), 5000);
    QCOMPARE(poller.status().errors, 0); // still in flight
    QTRY_VERIFY_WITH_TIMEOUT(poller.status().errors == 1, 5000);
    QVERIFY2(poller.status().lastError.contains(QStringLiteral("no complete answer within 1.5 s")),
             qPrintable(poller.status().lastError));
    QCOMPARE(fileLines(path), records.mid(0, 2));
}

void TestLive::redirects_data()
{
    QTest::addColumn<bool>("sameOrigin");
    QTest::addColumn<bool>("follow");
    QTest::newRow("same origin: followed, with the headers") << true << false;
    QTest::newRow("another origin: reported, not followed") << false << false;
    QTest::newRow("another origin, allowed: followed without the headers") << false << true;
}

// Point 6: credentials never go to another origin; records carry the origin that answered.
void TestLive::redirects()
{
    QFETCH(bool, sameOrigin);
    QFETCH(bool, follow);
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    PerfMetricsTestServer first;
    PerfMetricsTestServer other;
    QVERIFY(first.listen());
    QVERIFY(other.listen());
    PerfMetricsTestServer &target = sameOrigin ? first : other;
    target.addRecords(records);
    first.setRedirectTarget(target.url());
    first.queueFault(Fault::Redirect);
    LiveSession session;
    PerfMetricsPoller poller(&session);
    PollSettings settings;
    settings.url = first.url();
    settings.intervalMs = 60000;
    settings.followCrossOriginRedirects = follow;
    settings.headers << QPair<QByteArray, QByteArray>("Authorization", "Bearer s3cret");
    poller.start(settings);
    if (!sameOrigin && !follow) {
        QTRY_VERIFY_WITH_TIMEOUT(poller.status().errors == 1, 5000);
        QVERIFY2(poller.status().lastError.contains(QStringLiteral("redirected to %1, another origin: not followed")
                                                        .arg(other.url().toString())),
                 qPrintable(poller.status().lastError));
        QCOMPARE(other.requestCount(), 0);
        QCOMPARE(session.recordsKept(), 0);
        return;
    }
    QTRY_COMPARE_WITH_TIMEOUT(session.recordsKept(), qint64(records.size()), 5000);
    const bool headerSent = target.requestHeaders().last().contains("Authorization: Bearer s3cret\r");
    QCOMPARE(headerSent, sameOrigin);
    const QString answered = PerfMetricsPoller::serverName(target.url());
    const LoadResult table = session.buildTable();
    QCOMPARE(table.table.label(QStringLiteral("source"), 0), answered);
}

void TestLive::sessionWritesOnlyValidJson_data()
{
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("problem");
    const QByteArray valid = sampleRecords(kAggregatedSample).first();
    QTest::newRow("invalid array in an unread field") << QByteArray(valid).insert(1, R"("junk": [1 2 3], )")
                                                     << QStringLiteral("invalid JSON at byte");
    QTest::newRow("bare word in an unread field") << QByteArray(valid).insert(1, R"("junk": tru, )")
                                                  << QStringLiteral("invalid JSON at byte");
    QTest::newRow("raw control character in a string") << QByteArray(valid).insert(1, "\"junk\": \"a\x01b\", ")
                                                        << QStringLiteral("invalid JSON at byte");
}

// Point 25: a record that is not valid JSON anywhere is rejected with a message, never written.
void TestLive::sessionWritesOnlyValidJson()
{
    QFETCH(QByteArray, record);
    QFETCH(QString, problem);
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    SessionFile file;
    QVERIFY(file.ready);
    LiveSession &session = file.session;
    const QString &path = file.path;
    QCOMPARE(session.addRecords({records[1], record, records[2]}, QStringLiteral("http://127.0.0.1:1")), 2);
    QCOMPARE(fileLines(path), (QList<QByteArray>{records[1], records[2]}));
    QCOMPARE(session.recordsRejected(), 1);
    QVERIFY(!session.issues().isEmpty());
    QVERIFY2(session.issues().first().message.contains(problem), qPrintable(session.issues().first().message));
    QCOMPARE(session.issues().first().input, QStringLiteral("http://127.0.0.1:1"));
}

// Point 16: two different records with the same id and stamps are two records.
using Delivery = QPair<QString, QList<QByteArray>>; // input name, records

void TestLive::queuedRecordsKeepWhatAddedRecordsKeep_data()
{
    QTest::addColumn<QList<Delivery>>("deliveries");
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    const QString server = QStringLiteral("http://127.0.0.1:1");
    QTest::newRow("aggregated polls with repeats and damaged records")
        << QList<Delivery>{{server, records.mid(0, 6)},
                           {server, records.mid(3, 8) + QList<QByteArray>{"{\"request_id\": 5, \"perf", "[1, 2]"}},
                           {server, records.mid(8)}};
    QList<Delivery> files;
    const QDir disagg(dataPath(QStringLiteral("trtllm/jsonl_D_disagg")));
    for (const QString &name : disagg.entryList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Name))
        files << Delivery{name, fileLines(disagg.filePath(name))};
    files << files.first(); // a file read again: every record a repeat
    QTest::newRow("disaggregated files, the parts in separate deliveries") << files;
}

// A live source's deliveries are checked and parsed on a worker: the session must end up with
// exactly what the same deliveries give on the session's own thread (the table, the counts,
// the issues and the session file), and must not keep anything before the worker is done.
void TestLive::queuedRecordsKeepWhatAddedRecordsKeep()
{
    QFETCH(QList<Delivery>, deliveries);
    SessionFile direct, queued;
    QVERIFY(direct.ready && queued.ready);
    for (const Delivery &delivery : std::as_const(deliveries))
        direct.session.addRecords(delivery.second, delivery.first);

    static QSemaphore started, letGo;
    jobStartHookForTests.store([] {
        started.release();
        letGo.tryAcquire(1, 30000);
    });
    QSignalSpy added(&queued.session, &LiveSession::recordsAdded);
    for (const Delivery &delivery : std::as_const(deliveries))
        queued.session.queueRecords(delivery.second, delivery.first);
    QVERIFY(started.tryAcquire(1, 10000));
    jobStartHookForTests.store(nullptr);
    QVERIFY(queued.session.isIngesting());
    QCOMPARE(queued.session.recordsKept(), 0); // the first delivery is still held on its worker
    letGo.release();
    QTRY_VERIFY_WITH_TIMEOUT(!queued.session.isIngesting(), 10000);

    QVERIFY(direct.session.recordsKept() > 0);
    QCOMPARE(queued.session.recordsKept(), direct.session.recordsKept());
    QCOMPARE(queued.session.duplicatesIgnored(), direct.session.duplicatesIgnored());
    QCOMPARE(queued.session.recordsRejected(), direct.session.recordsRejected());
    QCOMPARE(queued.session.recordsWritten(), direct.session.recordsWritten());
    qint64 addedCount = 0;
    for (const QList<QVariant> &signal : std::as_const(added))
        addedCount += signal.at(0).toInt();
    QCOMPARE(addedCount, direct.session.recordsKept());
    auto describe = [](const QVector<LoadIssue> &issues) {
        QStringList texts;
        for (const LoadIssue &issue : issues)
            texts << issue.toString();
        return texts;
    };
    QCOMPARE(describe(queued.session.issues()), describe(direct.session.issues()));
    QCOMPARE(fileLines(queued.path), fileLines(direct.path));
    const LoadResult a = direct.session.buildTable(), b = queued.session.buildTable();
    QCOMPARE(b.table.size(), a.table.size());
    QCOMPARE(sortedIds(b.table), sortedIds(a.table));
    QCOMPARE(describe(b.issues), describe(a.issues));
}

void TestLive::sessionIdentityIsTheWholeRecord()
{
    const QByteArray record = sampleRecords(kAggregatedSample).first();
    const QByteArray twin = QByteArray(record).insert(1, R"("note": "another request", )");
    SessionFile file;
    QVERIFY(file.ready);
    LiveSession &session = file.session;
    const QString &path = file.path;
    QCOMPARE(session.addRecords({record}, QStringLiteral("http://127.0.0.1:1")), 1);
    QCOMPARE(session.addRecords({twin, record}, QStringLiteral("http://127.0.0.1:1")), 1);
    QCOMPARE(session.duplicatesIgnored(), 1);
    QCOMPARE(fileLines(path), (QList<QByteArray>{record, twin}));
    // The same record from another server is another record.
    QCOMPARE(session.addRecords({record}, QStringLiteral("http://127.0.0.1:2")), 1);
}

// Point 20: a failed write is an error at once, and counts only what was written whole.
void TestLive::sessionReportsWriteFailure()
{
    if (!QFileInfo::exists(QStringLiteral("/dev/full")))
        QSKIP("no /dev/full");
    LiveSession session;
    QString error;
    QVERIFY(session.openSessionFile(QStringLiteral("/dev/full"), &error));
    QSignalSpy failed(&session, &LiveSession::writeFailed);
    session.addRecords(sampleRecords(kAggregatedSample), QStringLiteral("http://127.0.0.1:1"));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(session.recordsWritten(), 0);
    QVERIFY2(session.writeError().contains(QStringLiteral("cannot write the session file /dev/full: No space left on device")),
             qPrintable(session.writeError()));
    QCOMPARE(session.recordsKept(), 14); // still shown in the window
}

// A file size limit (RLIMIT_FSIZE) fails writes like a full disk, part-way through a record.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &m_previous);
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN); // a failed write, not a killed process
        rlimit limit = m_previous;
        limit.rlim_cur = bytes;
        ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_previous);
        std::signal(SIGXFSZ, m_previousHandler);
    }

private:
    rlimit m_previous{};
    void (*m_previousHandler)(int) = nullptr;
};

// Point 20: the session file ends with the last whole record written, never part of one.
void TestLive::sessionFileStopsWholeAtAFullDisk()
{
    const QList<QByteArray> records = sampleRecords(kAggregatedSample);
    SessionFile file;
    QVERIFY(file.ready);
    LiveSession &session = file.session;
    const QString &path = file.path;
    QSignalSpy failed(&session, &LiveSession::writeFailed);
    {
        const FileSizeLimit full(3 * records.first().size() + records.first().size() / 2);
        session.addRecords(records, QStringLiteral("http://127.0.0.1:1"));
    }
    QCOMPARE(failed.count(), 1);
    const QList<QByteArray> lines = fileLines(path);
    QVERIFY(lines.size() >= 2 && lines.size() < records.size());
    QCOMPARE(lines, records.mid(0, lines.size()));
    QCOMPARE(session.recordsWritten(), lines.size());
    QVERIFY2(session.writeError().contains(QStringLiteral("File too large; it holds the %1 record(s) written before that")
                                               .arg(lines.size())),
             qPrintable(session.writeError()));
    session.addRecords({PerfMetricsTestServer::makeRecord(1)}, QStringLiteral("http://127.0.0.1:1"));
    QCOMPARE(fileLines(path), lines); // nothing more is written after a failure
}

void TestLive::recordCommandKeepsItsPromises_data()
{
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("signal"); // sent once two records are in the file; 0: none
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QStringList duration{QStringLiteral("--duration"), QStringLiteral("1.5")};
    QTest::newRow("--duration cuts an endless response") << Fault::Endless << duration << 0 << 0
                                                         << QStringLiteral("recorded [0-9]+ record");
    QTest::newRow("--duration cuts a dripping response") << Fault::Drip << duration << 0 << 0
                                                         << QStringLiteral("recorded 2 record");
    QTest::newRow("SIGINT keeps what arrived") << Fault::Drip << QStringList() << int(SIGINT) << 0
                                               << QStringLiteral("recorded 2 record.*stopped by SIGINT");
    QTest::newRow("SIGTERM keeps what arrived") << Fault::Drip << QStringList() << int(SIGTERM) << 0
                                                << QStringLiteral("recorded 2 record.*stopped by SIGTERM");
    QTest::newRow("/dev/full is an error") << Fault::None << duration << 0 << 5
                                           << QStringLiteral("cannot write the session file /dev/full: No space left");
    QTest::newRow("refused connection names the URL")
        << Fault::None << duration << 0 << 0 << QStringLiteral("phaseline: http://127\\.0\\.0\\.1:[0-9]+/perf_metrics: .*refused");
}

// Points 11, 14, 20, 27: --record stops when promised, on SIGINT/SIGTERM keeps every complete
// record and summarises, fails loudly when it cannot write, and names the URL in every message.
void TestLive::recordCommandKeepsItsPromises()
{
    QFETCH(Fault, fault);
    QFETCH(QStringList, options);
    QFETCH(int, signal);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const bool refused = QString::fromLatin1(QTest::currentDataTag()).contains(QStringLiteral("refused"));
    const bool full = exitCode == 5;
    PerfMetricsTestServer server;
    QVERIFY(server.listen());
    server.addRecords(sampleRecords(kAggregatedSample).mid(0, 4));
    server.setStandingFault(fault, 1000);
    QUrl url = server.url();
    if (refused) {
        QTcpServer closed; // a port that was free a moment ago
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        url.setPort(closed.serverPort());
    }
    QTemporaryDir dir;
    const QString out = full ? QStringLiteral("/dev/full") : dir.filePath(QStringLiteral("recorded.jsonl"));
    QProcess process;
    QElapsedTimer elapsed;
    elapsed.start();
    process.start(QStringLiteral(PHASELINE_EXECUTABLE),
                  QStringList{QStringLiteral("--record"), out} + options + QStringList{url.toString()});
    QVERIFY(process.waitForStarted());
    QSignalSpy finished(&process, &QProcess::finished);
    if (signal != 0) {
        QTRY_VERIFY_WITH_TIMEOUT(fileLines(out).size() == 2, 10000);
        QCOMPARE(process.state(), QProcess::Running);
        ::kill(pid_t(process.processId()), signal);
    }
    QVERIFY(finished.wait(15000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == exitCode, qPrintable(err));
    QVERIFY2(err.contains(QRegularExpression(message)), qPrintable(err));
    QVERIFY2(!err.contains(QStringLiteral("phaseline: :")), qPrintable(err));
    if (!options.isEmpty())
        QVERIFY2(elapsed.elapsed() < 6000, qPrintable(QString::number(elapsed.elapsed())));
    if (!full && !refused) {
        const QList<QByteArray> lines = fileLines(out);
        QVERIFY(!lines.isEmpty());
        for (const QByteArray &line : lines)
            QVERIFY(QJsonDocument::fromJson(line).isObject());
    }
}

// /metrics scrapes (issue 14): a scrape is kept and written as received, one without histograms is
// refused and not written, and the session file reopens to the very intervals the live session built.
void TestLive::sessionKeepsScrapesAndReopensToTheSameIntervals()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString path = directory.filePath(QStringLiteral("scrapes.jsonl"));
    Live::LiveSession session;
    QString error;
    QVERIFY(session.openSessionFile(path, &error));
    QFile recorded(dataPath(QStringLiteral("prometheus/sessions/vllm_session.jsonl")));
    QVERIFY(recorded.open(QIODevice::ReadOnly));
    int kept = 0;
    while (!recorded.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(recorded.readLine()).object();
        QString problem;
        QVERIFY2(session.addScrape(line.value(QStringLiteral("text")).toString().toUtf8(),
                                   qint64(line.value(QStringLiteral("scrape_time_ms")).toDouble()),
                                   QStringLiteral("http://vllm:8000/metrics"), &problem),
                 qPrintable(problem));
        ++kept;
        QVERIFY(!session.addScrape("<html>502 Bad Gateway</html>\n", 1, QStringLiteral("http://vllm:8000/metrics"), &problem));
        QVERIFY2(problem.contains(QLatin1String("without any histogram")), qPrintable(problem));
    }
    QCOMPARE(session.scrapesKept(), qint64(kept));
    QCOMPARE(session.recordsWritten(), qint64(kept));
    const LoadResult live = session.buildTable();
    const LoadResult reopened = loadInputs({path});
    QCOMPARE(live.intervalSeries.size(), 1);
    QCOMPARE(reopened.intervalSeries.size(), 1);
    const IntervalSeries &a = live.intervalSeries.first();
    const IntervalSeries &b = reopened.intervalSeries.first();
    QCOMPARE(b.name, a.name);
    QCOMPARE(b.intervals.size(), kept - 1);
    QCOMPARE(b.intervals.size(), a.intervals.size());
    for (int i = 0; i < a.intervals.size(); ++i) {
        QCOMPARE(b.intervals[i].startMs, a.intervals[i].startMs);
        QCOMPARE(b.intervals[i].segment, a.intervals[i].segment);
        QCOMPARE(b.intervals[i].phases.size(), a.intervals[i].phases.size());
        for (int p = 0; p < a.intervals[i].phases.size(); ++p) {
            QCOMPARE(b.intervals[i].phases[p].count, a.intervals[i].phases[p].count);
            QCOMPARE(b.intervals[i].phases[p].sumSeconds, a.intervals[i].phases[p].sumSeconds);
            QCOMPARE(b.intervals[i].phases[p].bucketDeltas, a.intervals[i].phases[p].bucketDeltas);
        }
    }
}

QTEST_GUILESS_MAIN(TestLive)
#include "tst_live.moc"
