// Numbers built to hurt (issue 12): stamps no clock reads are reported and never recorded, and
// never cost the other stamps their precision (points 5, 13); out-of-range numbers in a CSV are
// "not recorded", as in JSON (13); a step's "iter" beyond qint32 is refused, not converted (26);
// a label column with more than 65,535 distinct values grows its codes and relabels nothing (23).

#include "core/requesttable.h"
#include "testutils.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

// An aggregated TensorRT-LLM JSONL record: arrival, first scheduled, first token, last token.
QByteArray trtllmLine(int id, const QByteArray &arrival, const QByteArray &scheduled, const QByteArray &firstToken,
                      const QByteArray &lastToken)
{
    return "{\"request_id\":" + QByteArray::number(id) + ",\"perf_metrics\":{\"timing_metrics\":{\"arrival_time\":"
        + arrival + ",\"first_scheduled_time\":" + scheduled + ",\"first_token_time\":" + firstToken
        + ",\"last_token_time\":" + lastToken + "}}}\n";
}

LoadResult loadWritten(const QTemporaryDir &directory, const QString &name, const QByteArray &contents)
{
    const QString path = writeFile(directory.path(), name, contents);
    return path.isEmpty() ? LoadResult() : loadInputs({path});
}

double medianOf(const LoadResult &loaded, const QString &phase)
{
    const StatisticsReport report = computeStatistics(loaded.table);
    for (const PhaseStatistics &stats : report.phases + report.totals) {
        if (stats.name == phase && stats.count > 0)
            return stats.median;
    }
    return kMissing;
}

} // namespace

class TestNumbers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outlierStampIsRefused_data();
    void outlierStampIsRefused();
    void stampConversionsSaturate_data();
    void stampConversionsSaturate();
    void csvOutOfRangeValueIsNotRecorded_data();
    void csvOutOfRangeValueIsNotRecorded();
    void stepIterationOutOfRange_data();
    void stepIterationOutOfRange();
    void labelCodesGrow_data();
    void labelCodesGrow();
    void csvUnitGuessIsStated_data();
    void csvUnitGuessIsStated();
};

void TestNumbers::outlierStampIsRefused_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<double>("expectedMs");

    // The ordinary request: 10 ms queue, 40 ms prefill, 950 ms decode on an epoch clock.
    const QByteArray ordinary = trtllmLine(2, "1758000000.100", "1758000000.110", "1758000000.150", "1758000001.100");
    for (const QByteArray &outlier : {QByteArray("1e15"), QByteArray("18446744073709551616"), QByteArray("1e300")}) {
        const QByteArray first = trtllmLine(1, outlier, outlier, outlier, outlier);
        QTest::addRow("trtllm, %s first, queue", outlier.constData())
            << QStringLiteral("outlier.jsonl") << first + ordinary << QStringLiteral("ctx_queue") << 10.0;
        QTest::addRow("trtllm, %s first, decode", outlier.constData())
            << QStringLiteral("outlier.jsonl") << first + ordinary << QStringLiteral("decode") << 950.0;
    }
    // A millisecond epoch value typed as seconds: past 2^63 ns (the integer path overflowed).
    const QByteArray header = "req_id,arrival_time,server_first_token_time,finish_time\n";
    QTest::newRow("csv, seconds past 2262 first")
        << QStringLiteral("router.csv")
        << header + "1,17580000001.5,17580000001.6,17580000002.5\n2,1758000000.100,1758000000.150,1758000001.100\n"
        << QStringLiteral("e2e") << 1000.0;
    QTest::newRow("csv, 9223372037 s first")
        << QStringLiteral("router.csv")
        << header + "1,9223372037,9223372037,9223372037\n2,1758000000.100,1758000000.150,1758000001.100\n"
        << QStringLiteral("e2e") << 1000.0;
}

void TestNumbers::outlierStampIsRefused()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, contents);
    QFETCH(QString, phase);
    QFETCH(double, expectedMs);
    QTemporaryDir directory;
    const LoadResult loaded = loadWritten(directory, fileName, contents);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const double median = medianOf(loaded, phase);
    QVERIFY2(closeTo(median, expectedMs, 1e-3), qPrintable(mismatch(qPrintable(phase), median, expectedMs)));
    // The outlier's stamps were reported, naming the request, and not recorded.
    const LoadIssue *issue = findIssue(loaded, LoadIssue::Warning, QStringLiteral("out of range"));
    QVERIFY2(issue, qPrintable(describeIssues(loaded)));
    QVERIFY2(issue->message.contains(QLatin1String("request 1")), qPrintable(issue->message));
    QVERIFY(issue->input.endsWith(fileName));
    QVERIFY(loaded.table.timeOriginSeconds() < kLatestStampSeconds);
}

void TestNumbers::stampConversionsSaturate_data()
{
    QTest::addColumn<double>("nanoseconds");
    QTest::addColumn<qint64>("expected");
    constexpr qint64 kMax = std::numeric_limits<qint64>::max();
    QTest::newRow("ordinary") << 1.5e9 << qint64(1500000000);
    QTest::newRow("NaN") << double(kMissing) << qint64(0);
    QTest::newRow("2^63") << 9223372036854775808.0 << kMax;
    QTest::newRow("1e300") << 1e300 << kMax;
    QTest::newRow("-1e300") << -1e300 << -kMax;
    QTest::newRow("inf") << std::numeric_limits<double>::infinity() << kMax;
}

void TestNumbers::stampConversionsSaturate()
{
    QFETCH(double, nanoseconds);
    QFETCH(qint64, expected);
    QCOMPARE(saturatingNanoseconds(nanoseconds), expected);
    constexpr qint64 kMax = std::numeric_limits<qint64>::max();
    QCOMPARE(saturatingAdd(kMax - 1, 5), kMax);
    QCOMPARE(saturatingAdd(-kMax, -5), std::numeric_limits<qint64>::min());
    // A saturated stamp is reported, not recorded.
    RequestTable table;
    const int column = table.addStampColumn(QStringLiteral("arrival"));
    const int row = table.appendRow("r", Role::Aggregated);
    table.setStampNanoseconds(column, row, kMax);
    QVERIFY(isMissing(table.stamp(column, row)));
    QCOMPARE(table.outOfRangeStamps().count, qint64(1));
    QVERIFY(!table.hasTimeOrigin());
}

void TestNumbers::csvOutOfRangeValueIsNotRecorded_data()
{
    QTest::addColumn<QByteArray>("value");
    for (const char *value : {"1e400", "inf", "-inf", "Infinity", "-1e999"})
        QTest::newRow(value) << QByteArray(value);
}

void TestNumbers::csvOutOfRangeValueIsNotRecorded()
{
    QFETCH(QByteArray, value);
    QTemporaryDir directory;
    const LoadResult loaded = loadWritten(directory, QStringLiteral("durations.csv"),
                                          "request_id,queue_time_ms,prefill_time_ms,decode_time_ms\n"
                                          "a,12.5,"
                                              + value + ",800\nb,10,35.5,700\n");
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    // The row stands; only the out-of-range value is not recorded.
    QCOMPARE(loaded.table.size(), 2);
    const StatisticsReport report = computeStatistics(loaded.table);
    QCOMPARE(findPhase(report, QStringLiteral("queue"))->count, 2);
    QCOMPARE(findPhase(report, QStringLiteral("prefill"))->count, 1);
    const LoadIssue *issue = findIssue(loaded, LoadIssue::Warning, QStringLiteral("not recorded"));
    QVERIFY2(issue, qPrintable(describeIssues(loaded)));
    QVERIFY2(issue->message.contains(QLatin1String("line 2")) && issue->message.contains(QLatin1String("prefill_time_ms")),
             qPrintable(issue->message));
}

void TestNumbers::stepIterationOutOfRange_data()
{
    QTest::addColumn<QByteArray>("iteration");
    QTest::addColumn<int>("stored");
    QTest::addColumn<bool>("reported");
    QTest::newRow("ordinary") << QByteArray("7") << 7 << false;
    QTest::newRow("largest") << QByteArray("2147483647") << 2147483647 << false;
    QTest::newRow("1e10") << QByteArray("1e10") << -1 << true;
    QTest::newRow("2^31") << QByteArray("2147483648") << -1 << true;
    QTest::newRow("negative") << QByteArray("-3") << -1 << true;
    QTest::newRow("1e300") << QByteArray("1e300") << -1 << true;
}

void TestNumbers::stepIterationOutOfRange()
{
    QFETCH(QByteArray, iteration);
    QFETCH(int, stored);
    QFETCH(bool, reported);
    QTemporaryDir directory;
    const QByteArray record =
        "[{\"request_id\":1,\"perf_metrics\":{\"timing_metrics\":{\"arrival_time\":10.0,\"first_scheduled_time\":10.01,"
        "\"first_token_time\":10.05,\"last_token_time\":11.0},\"time_breakdown_metrics\":{\"step_metrics\":[{"
        "\"forward_start_time\":10.06,\"forward_end_time\":10.07,\"token_time\":10.08,\"iter\":"
        + iteration + "}]}}}]";
    const LoadResult loaded = loadWritten(directory, QStringLiteral("steps.json"), record);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    QCOMPARE(int(loaded.table.steps().size()), 1);
    QCOMPARE(loaded.table.steps().iteration[0], stored);
    const LoadIssue *issue = findIssue(loaded, LoadIssue::Warning, QStringLiteral("\"iter\""));
    QCOMPARE(issue != nullptr, reported);
    if (issue)
        QVERIFY2(issue->message.contains(QLatin1String("2147483647")) && issue->line == 1, qPrintable(issue->toString()));
}

void TestNumbers::labelCodesGrow_data()
{
    QTest::addColumn<int>("distinct");
    QTest::newRow("65535 (fits two bytes)") << 65535;
    QTest::newRow("65536") << 65536;
    QTest::newRow("70000") << 70000;
}

void TestNumbers::labelCodesGrow()
{
    QFETCH(int, distinct);
    // An "ok" row first, then one error text per request (statuses naming the request).
    QByteArray csv = "request_id,e2e_latency_ms,status\n0,5,ok\n";
    for (int i = 1; i <= distinct; ++i)
        csv += QByteArray::number(i) + ",5,error " + QByteArray::number(i) + "\n";
    QTemporaryDir directory;
    LoadResult loaded = loadWritten(directory, QStringLiteral("statuses.csv"), csv);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    QCOMPARE(loaded.table.size(), distinct + 1);
    int ok = 0;
    for (int row = 0; row < loaded.table.size(); ++row) {
        const QString status = loaded.table.label(QStringLiteral("status"), row);
        if (status == QLatin1String("ok"))
            ++ok;
        else if (status != QStringLiteral("error %1").arg(loaded.table.id(row)))
            QFAIL(qPrintable(QStringLiteral("row %1: status \"%2\"").arg(row).arg(status)));
    }
    QCOMPARE(ok, 1);

    // Rows kept after a compaction and appended tables keep their labels too.
    RequestTable table = std::move(loaded.table);
    std::vector<bool> keep(size_t(table.size()), true);
    keep[0] = false;
    table.compact(keep);
    QCOMPARE(table.label(QStringLiteral("status"), table.size() - 1), QStringLiteral("error %1").arg(distinct));
    RequestTable other;
    const int status = other.addLabelColumn(QStringLiteral("status"));
    other.setLabel(status, other.appendRow("extra", Role::Aggregated), QStringLiteral("late error"));
    table.appendTable(std::move(other));
    QCOMPARE(table.label(QStringLiteral("status"), table.size() - 1), QStringLiteral("late error"));
    QCOMPARE(table.label(QStringLiteral("status"), table.size() - 2), QStringLiteral("error %1").arg(distinct));
}

void TestNumbers::csvUnitGuessIsStated_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("values");
    QTest::addColumn<QString>("statement"); // empty: nothing was guessed
    QTest::addColumn<double>("ttftMs");
    QTest::newRow("fast milliseconds read as seconds")
        << QByteArray("ttft") << QByteArray("5.95") << QStringLiteral("column \"ttft\" names no unit: read as s") << 5950.0;
    QTest::newRow("milliseconds") << QByteArray("ttft") << QByteArray("595") << QStringLiteral("read as ms") << 595.0;
    QTest::newRow("unit in the name") << QByteArray("ttft_ms") << QByteArray("5.95") << QString() << 5.95;
}

void TestNumbers::csvUnitGuessIsStated()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, values);
    QFETCH(QString, statement);
    QFETCH(double, ttftMs);
    QTemporaryDir directory;
    const LoadResult loaded =
        loadWritten(directory, QStringLiteral("ttft.csv"), "request_id," + header + "\na," + values + "\nb," + values + "\n");
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const double median = medianOf(loaded, QStringLiteral("ttft"));
    QVERIFY2(closeTo(median, ttftMs, 1e-6), qPrintable(mismatch("ttft", median, ttftMs)));
    const LoadIssue *issue = findIssue(loaded, LoadIssue::Warning, QStringLiteral("names no unit"));
    QCOMPARE(issue != nullptr, !statement.isEmpty());
    if (issue) {
        QVERIFY2(issue->message.contains(statement) && issue->message.contains(QString::fromLatin1(values))
                     && issue->message.contains(QLatin1String("_ms")),
                 qPrintable(issue->toString()));
        QCOMPARE(issue->line, qint64(1));
    }
}

QTEST_GUILESS_MAIN(TestNumbers)
#include "tst_numbers.moc"
