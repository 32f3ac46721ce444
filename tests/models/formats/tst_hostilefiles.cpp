// Hostile files (issue 12): files that shrink while they are read, special files and symbolic
// link loops as inputs and inside input directories, damaged JSON arrays, first records longer
// than the sniffing prefix, byte order marks, thousands of repeated warnings, and messages that
// must stay one line of plain text.

#include "load/loader.h"
#include "core/mappedfile.h"
#include "testutils.h"

#include <QFuture>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentRun>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

// One aggregated TensorRT-LLM record, pretty-printed like benchmark_serving, with a step list
// (whose "}, {" boundaries must not be mistaken for record boundaries).
QByteArray record(int id, const QByteArray &extraKey = QByteArray())
{
    const double arrival = 100.0 + id;
    return QStringLiteral("  {\n    %1\"request_id\": %2,\n    \"perf_metrics\": {\n      \"timing_metrics\": {\n"
                          "        \"arrival_time\": %3, \"first_scheduled_time\": %4,\n"
                          "        \"first_token_time\": %5, \"last_token_time\": %6\n      },\n"
                          "      \"steps\": [{\"iter\": 1}, {\"iter\": 2}]\n    }\n  }")
        .arg(QString::fromUtf8(extraKey))
        .arg(id)
        .arg(arrival, 0, 'f', 3)
        .arg(arrival + 0.01, 0, 'f', 3)
        .arg(arrival + 0.05, 0, 'f', 3)
        .arg(arrival + 0.5, 0, 'f', 3)
        .toUtf8();
}

QByteArray arrayOf(const QList<QByteArray> &records)
{
    QByteArray text = "[\n";
    for (int i = 0; i < records.size(); ++i)
        text += records[i] + (i + 1 < records.size() ? ",\n" : "\n");
    return text + "]\n";
}

// Loads `inputs` on a worker thread: a load that blocks (a named pipe) fails the test instead of
// hanging it; the pipe is then opened for writing so the worker can finish.
LoadResult loadWithin(const QStringList &inputs, const QString &pipeToRelease = QString())
{
    QFuture<LoadResult> load = QtConcurrent::run([inputs] { return loadInputs(inputs); });
    for (int waited = 0; waited < 100 && !load.isFinished(); ++waited)
        QThread::msleep(50);
    if (!load.isFinished() && !pipeToRelease.isEmpty()) {
        const int writer = ::open(QFile::encodeName(pipeToRelease).constData(), O_WRONLY | O_NONBLOCK);
        load.waitForFinished();
        if (writer >= 0)
            ::close(writer);
        LoadResult hung = load.result();
        hung.issues.prepend(LoadIssue{LoadIssue::Error, pipeToRelease, -1, -1, QStringLiteral("the load blocked")});
        return hung;
    }
    return load.result();
}

const LoadIssue *issueAbout(const LoadResult &result, const QString &path)
{
    for (const LoadIssue &issue : result.issues) {
        if (issue.input == path)
            return &issue;
    }
    return nullptr;
}

} // namespace

class TestHostileFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fileShrinkingUnderTheMapping();
    void specialInputs_data();
    void specialInputs();
    void kernelFileWithoutSize();
    void messagesArePlainText_data();
    void messagesArePlainText();
    void damagedArray_data();
    void damagedArray();
    void sniffing_data();
    void sniffing();
    void repeatedWarningsSummarised();
};

// Point 1: touching pages past the new end of a truncated file used to kill the process (SIGBUS).
void TestHostileFiles::fileShrinkingUnderTheMapping()
{
    QTemporaryDir dir;
    const QByteArray contents(8 << 20, 'x');
    const QString path = writeFile(dir.path(), QStringLiteral("shrinking.jsonl"), contents);
    QVERIFY(!path.isEmpty());
    MappedFile mapped;
    QVERIFY(mapped.open(path));
    QVERIFY(!mapped.changedWhileRead());
    QVERIFY(QFile::resize(path, 4096));
    qint64 sum = 0;
    for (size_t i = 0; i < mapped.size(); i += 4096)
        sum += mapped.data()[i];
    QVERIFY(sum > 0); // the first page is still the file's
    QVERIFY(mapped.changedWhileRead());
    QCOMPARE(mapped.currentSize(), qint64(4096));
    QCOMPARE(mapped.data()[mapped.size() - 1], '\0'); // zeros past the new end, not a signal
}

void TestHostileFiles::specialInputs_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("inDirectory");
    QTest::addColumn<QString>("reason");
    for (bool inDirectory : {false, true}) {
        const char *where = inDirectory ? " in a directory" : " as input";
        QTest::newRow(qPrintable(QStringLiteral("named pipe") + QLatin1String(where)))
            << "fifo" << inDirectory << "named pipe (FIFO), not a regular file";
        QTest::newRow(qPrintable(QStringLiteral("symbolic link loop") + QLatin1String(where)))
            << "loop" << inDirectory << "symbolic link loop";
        QTest::newRow(qPrintable(QStringLiteral("dangling symbolic link") + QLatin1String(where)))
            << "dangling" << inDirectory << "dangling symbolic link";
        QTest::newRow(qPrintable(QStringLiteral("unreadable file") + QLatin1String(where)))
            << "unreadable" << inDirectory << "permission denied";
    }
}

// Points 2, 9, 27: anything that is not a readable regular file is refused at once with what it
// is; inside a directory it is a warning and the rest of the directory loads.
void TestHostileFiles::specialInputs()
{
    QFETCH(QString, kind);
    QFETCH(bool, inDirectory);
    QFETCH(QString, reason);
    if (kind == QLatin1String("unreadable") && geteuid() == 0)
        QSKIP("root reads every file; tests/hostile/cases/27-silent-skips.sh runs this as another user");

    QTemporaryDir dir;
    const QString run = dir.filePath(QStringLiteral("run"));
    QVERIFY(QDir().mkpath(run));
    QVERIFY(!writeFile(run, QStringLiteral("good.json"), arrayOf({record(1), record(2)})).isEmpty());
    const QString special = QDir(inDirectory ? run : dir.path()).filePath(QStringLiteral("special.json"));
    if (kind == QLatin1String("fifo")) {
        QCOMPARE(mkfifo(QFile::encodeName(special).constData(), 0644), 0);
    } else if (kind == QLatin1String("loop")) {
        const QString other = QDir(inDirectory ? run : dir.path()).filePath(QStringLiteral("other.json"));
        QVERIFY(QFile::link(other, special));
        QVERIFY(QFile::link(special, other));
    } else if (kind == QLatin1String("dangling")) {
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("gone.json")), special));
    } else {
        QVERIFY(!writeFile(QFileInfo(special).path(), QStringLiteral("special.json"), arrayOf({record(3)})).isEmpty());
        QVERIFY(QFile::setPermissions(special, QFileDevice::WriteOwner));
    }

    const LoadResult result = loadWithin({inDirectory ? run : special}, kind == QLatin1String("fifo") ? special : QString());
    const LoadIssue *issue = issueAbout(result, special);
    QVERIFY2(issue, qPrintable(describeIssues(result)));
    QVERIFY2(issue->message.contains(reason), qPrintable(describeIssues(result)));
    QVERIFY2(!issue->message.contains(QStringLiteral("no such file")) || kind != QLatin1String("loop"),
             qPrintable(issue->message));
    if (inDirectory) {
        QCOMPARE(issue->severity, LoadIssue::Warning);
        QCOMPARE(result.table.size(), 2);
    } else {
        QCOMPARE(issue->severity, LoadIssue::Error);
        QVERIFY(!result.loadedAnything());
    }
}

// Point 27: /proc files report size 0 yet have contents; they are read, not "empty".
void TestHostileFiles::kernelFileWithoutSize()
{
    const QString path = QStringLiteral("/proc/self/status");
    if (!QFileInfo::exists(path))
        QSKIP("no /proc");
    const LoadResult result = loadInputs({path});
    QVERIFY(result.hasErrors());
    const QString message = result.issues.first().message;
    QVERIFY2(!message.contains(QStringLiteral("empty")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Name:")), qPrintable(message)); // read as a tab-separated table
}

void TestHostileFiles::messagesArePlainText_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("name");
    QTest::newRow("NUL bytes at the start") << QByteArray("\0\0\0garbage\n", 11) << "nul.json";
    const QByteArray nul(1, '\0');
    QTest::newRow("NUL in a JSONL line")
        << (record(1).simplified() + "\n{\"request_id\": \"a" + nul + "b\", \"perf_metrics\": " + nul + "}\n"
            + record(2).simplified() + "\n")
        << "nul.jsonl";
    QByteArray csv = "ttft_ms,e2e_latency_ms\n";
    for (int row = 0; row < 400; ++row)
        csv += QByteArray::number(10 + row % 7) + ",100\n";
    QTest::newRow("NUL in a CSV value") << csv + "1" + nul + "2,100\n" + nul + ",3\n" << "nul.csv";
    QTest::newRow("newline in the file name") << arrayOf({record(1)}).left(30) << "two\nlines.json";
}

// Point 27: a message is one line of plain text: no raw NUL or other control bytes.
void TestHostileFiles::messagesArePlainText()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, name);
    QTemporaryDir dir;
    const QString path = writeFile(dir.path(), name, contents);
    QVERIFY(!path.isEmpty());
    const LoadResult result = loadInputs({path});
    QVERIFY(!result.issues.isEmpty());
    for (const LoadIssue &issue : result.issues) {
        const QString text = issue.toString();
        const bool control = std::any_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x20; });
        QVERIFY2(!control, qPrintable(QString(text).replace(QChar(0), QStringLiteral("<NUL>"))));
    }
}

void TestHostileFiles::damagedArray_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<int>("requests");
    QTest::addColumn<QByteArray>("damage"); // the skipped range starts with it
    QTest::addColumn<bool>("toTheEnd");     // the skipped range runs to the end of the file

    QList<QByteArray> records;
    for (int id = 1; id <= 40; ++id)
        records << record(id);
    QList<QByteArray> missingBrace = records;
    missingBrace[19] = record(20).left(record(20).lastIndexOf('}'));
    QTest::newRow("a record missing its '}' in the middle") << arrayOf(missingBrace) << 39 << record(20).mid(2, 20)
                                                            << false;
    QList<QByteArray> badValue = records;
    badValue[9] = record(10, "\"broken\": ],\n    ");
    QTest::newRow("a stray ']' inside a record") << arrayOf(badValue) << 39 << QByteArray("{\n    \"broken\"") << false;
    QList<QByteArray> garbage = records;
    garbage[29] = "  @@@@ not a record @@@@";
    QTest::newRow("garbage between records") << arrayOf(garbage) << 39 << QByteArray("@@@@") << false;
    const QByteArray whole = arrayOf(records);
    const int cut = whole.indexOf(record(35)) + 40;
    QTest::newRow("cut off inside the 35th record") << whole.left(cut) << 34 << record(35).mid(2, 20) << true;
}

// Point 10: both sides of a damaged record load; the skipped bytes are reported as a range.
void TestHostileFiles::damagedArray()
{
    QFETCH(QByteArray, contents);
    QFETCH(int, requests);
    QFETCH(QByteArray, damage);
    QFETCH(bool, toTheEnd);
    QTemporaryDir dir;
    const QString path = writeFile(dir.path(), QStringLiteral("damaged.json"), contents);
    QVERIFY(!path.isEmpty());
    const LoadResult result = loadInputs({path});
    QCOMPARE(result.table.size(), requests);
    QVERIFY2(result.isPartial(), qPrintable(describeIssues(result)));
    const LoadIssue *skipped = nullptr;
    for (const LoadIssue &issue : result.issues) {
        if (issue.skippedBytes > 0)
            skipped = &issue;
    }
    QVERIFY2(skipped, qPrintable(describeIssues(result)));
    QVERIFY(skipped->dataSkipped);
    QVERIFY2(contents.mid(skipped->byteOffset).startsWith(damage), qPrintable(skipped->toString()));
    QCOMPARE(skipped->byteOffset + skipped->skippedBytes == contents.size(), toTheEnd);
    QVERIFY2(skipped->toString().contains(QStringLiteral("(bytes %1-").arg(skipped->byteOffset)),
             qPrintable(skipped->toString()));
}

void TestHostileFiles::sniffing_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<int>("requests");
    const QByteArray longId = "\"prompt_id\": \"" + QByteArray(100 * 1024, 'p') + "\",\n    ";
    QTest::newRow("first record with a 100 KiB string first") << arrayOf({record(1, longId), record(2)}) << 2;
    QTest::newRow("JSONL with a 2 MiB first line")
        << (record(1, "\"prompt_id\": \"" + QByteArray(2 << 20, 'p') + "\", ").simplified() + "\n"
            + record(2).simplified() + "\n")
        << 2;
    QTest::newRow("UTF-8 byte order mark before an array") << "\xEF\xBB\xBF" + arrayOf({record(1), record(2)}) << 2;
}

// Point 7: sniffing decides from a bounded prefix that never cuts the first record.
void TestHostileFiles::sniffing()
{
    QFETCH(QByteArray, contents);
    QFETCH(int, requests);
    QTemporaryDir dir;
    const QString path = writeFile(dir.path(), QStringLiteral("run.json"), contents);
    const LoadResult result = loadInputs({path});
    QVERIFY2(!result.hasErrors(), qPrintable(describeIssues(result)));
    QCOMPARE(result.table.size(), requests);
}

// Point 8: thousands of bad lines are the first few and one summary with the count and places.
void TestHostileFiles::repeatedWarningsSummarised()
{
    QByteArray contents;
    for (int i = 0; i < 5000; ++i)
        contents += (i % 2 ? record(i).simplified() : QByteArray("{\"request_id\": oops}")) + '\n';
    QTemporaryDir dir;
    const QString path = writeFile(dir.path(), QStringLiteral("noisy.jsonl"), contents);
    const LoadResult result = loadInputs({path});
    QCOMPARE(result.table.size(), 2500);
    QVERIFY2(result.issues.size() <= 5, qPrintable(describeIssues(result)));
    const LoadIssue *summary = findIssue(result, LoadIssue::Warning, QStringLiteral("2497 more"));
    QVERIFY2(summary, qPrintable(describeIssues(result)));
    QVERIFY2(summary->message.contains(QStringLiteral("line 7")) && summary->message.contains(QStringLiteral("line 4999")),
             qPrintable(summary->toString()));
    QVERIFY(result.isPartial());
}

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "tst_hostilefiles.moc"
