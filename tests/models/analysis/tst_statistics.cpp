// Phase durations and statistics (docs/phase-model.md §2 "Missing is not zero", §5 percentiles):
// percentile interpolation, the missing and anomaly rules, what the report contains.
//
// Expected values are worked out by hand from the numpy "linear" definition:
// rank = p/100 * (n-1), value = v[floor(rank)] + (v[floor(rank)+1] - v[floor(rank)]) * frac(rank).

#include "testutils.h"

#include <QDirIterator>
#include <QTemporaryDir>

#include <algorithm>
#include <limits>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

// A table with the TensorRT-LLM catalogue, built one request at a time from absolute seconds.
class TableBuilder
{
public:
    TableBuilder() { m_table.setPhases(PhaseCatalog::trtllm()); }

    TableBuilder &request(const char *id, Role role, std::initializer_list<std::pair<const char *, double>> stamps)
    {
        const int row = m_table.appendRow(id, role);
        for (const auto &[name, seconds] : stamps)
            m_table.setStampSeconds(m_table.addStampColumn(QLatin1String(name)), row, seconds);
        return *this;
    }

    // An aggregated request whose ctx_queue lasts `queueMs` (negative: first scheduled before arrival).
    TableBuilder &queued(const char *id, double queueMs)
    {
        const double arrival = 2000.0;
        return request(id, Role::Aggregated,
                       {{"ctx_arrival_time", arrival}, {"ctx_first_scheduled_time", arrival + queueMs / 1000.0}});
    }

    const RequestTable &table() const { return m_table; }

private:
    RequestTable m_table;
};

PhaseState durationOf(const RequestTable &table, const char *phase, int row, double *ms)
{
    const int index = table.phases().indexOf(QLatin1String(phase));
    return index < 0 ? PhaseState::Missing : PhaseResolver(table).duration(index, row, ms);
}

} // namespace

class TestStatistics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void percentile_data();
    void percentile();
    void missingStampRulesInFiles_data();
    void missingStampRulesInFiles();
    void missingStampRulesInTheTable_data();
    void missingStampRulesInTheTable();
    void anomaliesAreCountedAndExcluded();
    void phaseWithOnlyAnomaliesIsReported();
    void neverRecordedPhasesAreOmitted();
    void emptyTable();
    void requestWithoutStampsStillCounts();
    void subsetOfRows_data();
    void subsetOfRows();
    void decodeFollowsRole_data();
    void decodeFollowsRole();
    void histogramEdges_data();
    void histogramEdges();
    void cdfPoints_data();
    void cdfPoints();
    void distributionOfPhase();
    void noZeroByConstruction_data();
    void noZeroByConstruction();
    void measuredNamesSideAndClock_data();
    void measuredNamesSideAndClock();
};

void TestStatistics::percentile_data()
{
    QTest::addColumn<QList<double>>("sorted");
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("expected");

    const QList<double> one{7.5};
    const QList<double> two{1, 3};
    const QList<double> odd{1, 2, 4};
    const QList<double> even{1, 2, 4, 8};
    QList<double> tens; // 0, 10, ..., 100
    for (int v = 0; v <= 100; v += 10)
        tens << v;

    QTest::newRow("one value p0") << one << 0.0 << 7.5;
    QTest::newRow("one value median") << one << 50.0 << 7.5;
    QTest::newRow("one value p99") << one << 99.0 << 7.5;
    QTest::newRow("two values median") << two << 50.0 << 2.0;
    QTest::newRow("two values p90") << two << 90.0 << 2.8;
    QTest::newRow("two values p99") << two << 99.0 << 2.98;
    QTest::newRow("odd count median is the middle value") << odd << 50.0 << 2.0;
    QTest::newRow("odd count p90") << odd << 90.0 << 3.6;
    QTest::newRow("odd count p99") << odd << 99.0 << 3.96;
    QTest::newRow("even count median is the mean of the middle two") << even << 50.0 << 3.0;
    QTest::newRow("even count p25") << even << 25.0 << 1.75;
    QTest::newRow("even count p90") << even << 90.0 << 6.8;
    QTest::newRow("even count p99") << even << 99.0 << 7.88;
    QTest::newRow("p0 is the minimum") << even << 0.0 << 1.0;
    QTest::newRow("p100 is the maximum") << even << 100.0 << 8.0;
    QTest::newRow("exact rank p90") << tens << 90.0 << 90.0;
    QTest::newRow("exact rank p99 interpolates") << tens << 99.0 << 99.0;
    QTest::newRow("duplicates") << QList<double>{5, 5, 5, 9} << 50.0 << 5.0;
}

void TestStatistics::percentile()
{
    QFETCH(QList<double>, sorted);
    QFETCH(double, p);
    QFETCH(double, expected);
    const std::vector<double> values(sorted.begin(), sorted.end());
    PHASELINE_COMPARE_NEAR(percentileOfSorted(values, p), expected, 1e-12);

    // Selection on the values out of order gives exactly what the sorted values give,
    // also when other percentiles are asked for in the same call.
    std::vector<double> shuffled(values.rbegin(), values.rend());
    std::rotate(shuffled.begin(), shuffled.begin() + std::ptrdiff_t(shuffled.size() / 3), shuffled.end());
    double selected[3];
    percentilesBySelection(shuffled, {0, p, 100}, selected);
    QCOMPARE(selected[0], values.front());
    QCOMPARE(selected[1], percentileOfSorted(values, p));
    QCOMPARE(selected[2], values.back());
}

void TestStatistics::missingStampRulesInFiles_data()
{
    QTest::addColumn<QByteArray>("firstScheduled"); // JSON text of the value; empty: the key is absent
    QTest::addColumn<PhaseState>("state");         // of ctx_queue (arrival 1000.0 -> first scheduled)
    QTest::addColumn<double>("ms");

    QTest::newRow("recorded") << QByteArray("1000.0025") << PhaseState::Recorded << 2.5;
    QTest::newRow("equal stamps are a real 0 ms") << QByteArray("1000.0") << PhaseState::Recorded << 0.0;
    QTest::newRow("absent key") << QByteArray() << PhaseState::Missing << 0.0;
    QTest::newRow("null") << QByteArray("null") << PhaseState::Missing << 0.0;
    QTest::newRow("zero") << QByteArray("0") << PhaseState::Missing << 0.0;
    QTest::newRow("zero as a float") << QByteArray("0.0") << PhaseState::Missing << 0.0;
    QTest::newRow("negative") << QByteArray("-3.5") << PhaseState::Missing << 0.0;
    // Python's json.dumps writes NaN as a bare literal (allow_nan defaults to True).
    QTest::newRow("NaN literal") << QByteArray("NaN") << PhaseState::Missing << 0.0;
    QTest::newRow("end before start") << QByteArray("999.999") << PhaseState::Anomaly << -1.0;
}

// One record per file; ctx_queue ends and ctx_processing starts at first_scheduled_time.
void TestStatistics::missingStampRulesInFiles()
{
    QFETCH(QByteArray, firstScheduled);
    QFETCH(PhaseState, state);
    QFETCH(double, ms);

    QByteArray timing = R"("arrival_time": 1000.0, "first_token_time": 1000.05, "last_token_time": 1001.0)";
    if (!firstScheduled.isEmpty())
        timing += R"(, "first_scheduled_time": )" + firstScheduled;
    const QByteArray json = R"([{"request_id": 1, "perf_metrics": {"timing_metrics": {)" + timing + "}}}]\n";
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeFile(dir.path(), QStringLiteral("one.json"), json);
    QVERIFY(!path.isEmpty());

    const LoadResult loaded = loadInputs({path});
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), 1);

    double actual = -12345.0;
    QCOMPARE(durationOf(table, "ctx_queue", 0, &actual), state);
    if (state != PhaseState::Missing)
        PHASELINE_COMPARE_MS(actual, ms);
    double processing = 0;
    const PhaseState processingState = durationOf(table, "ctx_processing", 0, &processing);
    QCOMPARE(processingState, state == PhaseState::Missing ? PhaseState::Missing : PhaseState::Recorded);
    double decode = 0;
    QCOMPARE(durationOf(table, "decode", 0, &decode), PhaseState::Recorded);
    PHASELINE_COMPARE_MS(decode, 950.0);

    const StatisticsReport report = computeStatistics(table);
    QCOMPARE(report.requests, qint64(1));
    const PhaseStatistics *queue = findPhase(report, QStringLiteral("ctx_queue"));
    switch (state) {
    case PhaseState::Missing:
        QVERIFY2(!queue, "a phase that was never recorded must not be reported (and never as 0 ms)");
        break;
    case PhaseState::Recorded:
        QVERIFY(queue);
        QCOMPARE(queue->count, qint64(1));
        PHASELINE_COMPARE_MS(queue->mean, ms);
        break;
    case PhaseState::Anomaly:
        QVERIFY(queue);
        QCOMPARE(queue->count, qint64(0));
        QCOMPARE(queue->anomalies, qint64(1));
        break;
    }
}

void TestStatistics::missingStampRulesInTheTable_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<bool>("recorded");

    QTest::newRow("positive") << 1234.5 << true;
    QTest::newRow("tiny positive") << 1e-6 << true;
    QTest::newRow("zero") << 0.0 << false;
    QTest::newRow("negative zero") << -0.0 << false;
    QTest::newRow("negative") << -1.0 << false;
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << false;
}

void TestStatistics::missingStampRulesInTheTable()
{
    QFETCH(double, seconds);
    QFETCH(bool, recorded);

    RequestTable table;
    const int column = table.addStampColumn(QStringLiteral("ctx_arrival_time"));
    const int row = table.appendRow("1", Role::Aggregated);
    table.setStampSeconds(column, row, seconds);
    QCOMPARE(!isMissing(table.stamp(column, row)), recorded);
    if (recorded)
        PHASELINE_COMPARE_NEAR(table.stamp(column, row) + table.timeOriginSeconds(), seconds, kToleranceSeconds);
}

void TestStatistics::anomaliesAreCountedAndExcluded()
{
    TableBuilder builder;
    builder.queued("a", 2.0).queued("b", 4.0).queued("c", -1.0).request("d", Role::Aggregated, {});
    const RequestTable &table = builder.table();

    double ms = 0;
    QCOMPARE(durationOf(table, "ctx_queue", 2, &ms), PhaseState::Anomaly);
    PHASELINE_COMPARE_MS(ms, -1.0); // shown with its real (negative) width

    const StatisticsReport report = computeStatistics(table);
    QCOMPARE(report.requests, qint64(4));
    const PhaseStatistics *queue = findPhase(report, QStringLiteral("ctx_queue"));
    QVERIFY(queue);
    QCOMPARE(queue->count, qint64(2));
    QCOMPARE(queue->anomalies, qint64(1));
    QCOMPARE(queue->missing, qint64(1));
    PHASELINE_COMPARE_MS(queue->mean, 3.0);
    PHASELINE_COMPARE_MS(queue->median, 3.0);
    PHASELINE_COMPARE_MS(queue->p90, 3.8);
    PHASELINE_COMPARE_MS(queue->p99, 3.98);
    PHASELINE_COMPARE_MS(queue->min, 2.0);
    PHASELINE_COMPARE_MS(queue->max, 4.0);
}

void TestStatistics::phaseWithOnlyAnomaliesIsReported()
{
    TableBuilder builder;
    builder.queued("a", -0.5);
    const StatisticsReport report = computeStatistics(builder.table());
    const PhaseStatistics *queue = findPhase(report, QStringLiteral("ctx_queue"));
    QVERIFY2(queue, "anomalies are shown, so their phase stays in the report");
    QCOMPARE(queue->count, qint64(0));
    QCOMPARE(queue->anomalies, qint64(1));
}

void TestStatistics::neverRecordedPhasesAreOmitted()
{
    TableBuilder builder;
    // A disaggregated request with only its context queue stamped: every other phase misses a stamp.
    builder.request("1", Role::Disaggregated,
                    {{"ctx_arrival_time", 10.0}, {"ctx_first_scheduled_time", 10.001}, {"gen_first_token_time", 11.0}});
    const StatisticsReport report = computeStatistics(builder.table());
    QCOMPARE(phaseNames(report), QStringList{QStringLiteral("ctx_queue")});
}

void TestStatistics::emptyTable()
{
    TableBuilder builder;
    const StatisticsReport report = computeStatistics(builder.table());
    QCOMPARE(report.requests, qint64(0));
    QVERIFY(report.phases.isEmpty());
}

void TestStatistics::requestWithoutStampsStillCounts()
{
    TableBuilder builder;
    builder.queued("a", 1.0)
        .request("b", Role::Aggregated, {{"ctx_arrival_time", 0.0}, {"ctx_first_scheduled_time", -1.0}})
        .queued("c", 3.0);
    const StatisticsReport report = computeStatistics(builder.table());
    QCOMPARE(report.requests, qint64(3));
    const PhaseStatistics *queue = findPhase(report, QStringLiteral("ctx_queue"));
    QVERIFY(queue);
    QCOMPARE(queue->count, qint64(2));
    QCOMPARE(queue->missing, qint64(1));
    PHASELINE_COMPARE_MS(queue->mean, 2.0);
}

void TestStatistics::subsetOfRows_data()
{
    QTest::addColumn<QList<int>>("rows");
    QTest::addColumn<qint64>("count"); // ctx_queue values among the rows; -1: phase not reported
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("median");
    QTest::addColumn<double>("max");

    // ctx_queue per row: 1, 2, 3, 10 ms, then a request without stamps.
    QTest::newRow("all rows") << QList<int>{0, 1, 2, 3, 4} << qint64(4) << 4.0 << 2.5 << 10.0;
    QTest::newRow("two rows") << QList<int>{1, 3} << qint64(2) << 6.0 << 6.0 << 10.0;
    QTest::newRow("unsorted selection") << QList<int>{3, 0} << qint64(2) << 5.5 << 5.5 << 10.0;
    QTest::newRow("one row") << QList<int>{2} << qint64(1) << 3.0 << 3.0 << 3.0;
    QTest::newRow("only the request without stamps") << QList<int>{4} << qint64(-1) << 0.0 << 0.0 << 0.0;
    QTest::newRow("nothing selected") << QList<int>{} << qint64(-1) << 0.0 << 0.0 << 0.0;
}

void TestStatistics::subsetOfRows()
{
    QFETCH(QList<int>, rows);
    QFETCH(qint64, count);
    QFETCH(double, mean);
    QFETCH(double, median);
    QFETCH(double, max);

    TableBuilder builder;
    builder.queued("a", 1.0).queued("b", 2.0).queued("c", 3.0).queued("d", 10.0).request("e", Role::Aggregated, {});
    const std::vector<int> selection(rows.begin(), rows.end());
    const StatisticsReport report = computeStatistics(builder.table(), &selection);
    QCOMPARE(report.requests, qint64(rows.size()));
    const PhaseStatistics *queue = findPhase(report, QStringLiteral("ctx_queue"));
    if (count < 0) {
        QVERIFY(!queue);
        return;
    }
    QVERIFY(queue);
    QCOMPARE(queue->count, count);
    QCOMPARE(queue->missing, qint64(rows.size()) - count);
    PHASELINE_COMPARE_MS(queue->mean, mean);
    PHASELINE_COMPARE_MS(queue->median, median);
    PHASELINE_COMPARE_MS(queue->max, max);
}

void TestStatistics::decodeFollowsRole_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<bool>("contextSideStamps"); // ctx_first/last token; else gen_first/last token
    QTest::addColumn<PhaseState>("state");

    // Aggregated workers keep their stamps under ctx_; a disaggregated request decodes on the gen side.
    QTest::newRow("aggregated, ctx stamps") << Role::Aggregated << true << PhaseState::Recorded;
    QTest::newRow("disaggregated, gen stamps") << Role::Disaggregated << false << PhaseState::Recorded;
    QTest::newRow("generation-only, gen stamps") << Role::Generation << false << PhaseState::Recorded;
    QTest::newRow("disaggregated, only ctx stamps") << Role::Disaggregated << true << PhaseState::Missing;
    QTest::newRow("aggregated, only gen stamps") << Role::Aggregated << false << PhaseState::Missing;
}

void TestStatistics::decodeFollowsRole()
{
    QFETCH(Role, role);
    QFETCH(bool, contextSideStamps);
    QFETCH(PhaseState, state);

    TableBuilder builder;
    if (contextSideStamps)
        builder.request("1", role, {{"ctx_first_token_time", 50.0}, {"ctx_last_token_time", 50.75}});
    else
        builder.request("1", role, {{"gen_first_token_time", 50.0}, {"gen_last_token_time", 50.75}});
    double ms = 0;
    QCOMPARE(durationOf(builder.table(), "decode", 0, &ms), state);
    if (state == PhaseState::Recorded)
        PHASELINE_COMPARE_MS(ms, 750.0);
}


// Bins worked out by hand: target = ceil(2 * cbrt(n)) bins, width = the next 1/2/2.5/5 x 10^k
// not below (max - min) / target, start = min rounded down to a multiple of the width.
void TestStatistics::histogramEdges_data()
{
    QTest::addColumn<QList<double>>("sorted");
    QTest::addColumn<int>("maxBins");
    QTest::addColumn<double>("start");
    QTest::addColumn<double>("width");
    QTest::addColumn<QList<qint64>>("bins");

    // n = 10: 5 bins aimed, 9 / 5 = 1.8 rounds up to 2.
    QTest::newRow("0..9") << QList<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9} << 60 << 0.0 << 2.0
                          << QList<qint64>{2, 2, 2, 2, 2};
    // n = 4: 4 bins aimed, 19.1 / 4 = 4.775 rounds up to 5, 12.3 starts at 10; 25.0 lies on
    // the left edge of [25, 30), not in [20, 25).
    QTest::newRow("value on an inner edge") << QList<double>{12.3, 17.9, 25.0, 31.4} << 60 << 10.0 << 5.0
                                            << QList<qint64>{1, 1, 0, 1, 1};
    // n = 2: 3 bins aimed, 10 / 3 rounds up to 5; the maximum opens the bin [10, 15).
    QTest::newRow("maximum on an edge") << QList<double>{0, 10} << 60 << 0.0 << 5.0 << QList<qint64>{1, 0, 1};
    // One distinct value: a bin 1 % of it wide (0.4 rounds up to 0.5) starting at the value.
    QTest::newRow("one distinct value") << QList<double>{40, 40, 40} << 60 << 40.0 << 0.5 << QList<qint64>{3};
    QTest::newRow("zero only") << QList<double>{0, 0} << 60 << 0.0 << 0.001 << QList<qint64>{2};
    QTest::newRow("empty") << QList<double>{} << 60 << 0.0 << 0.0 << QList<qint64>{};
    // Six bins allowed aim at four: 10 / 4 = 2.5 exactly, so 0..10 takes five; 0 to 10 once
    // each and nineteen more 10s.
    QList<double> manyTens{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (int i = 0; i < 20; ++i)
        manyTens << 10;
    QTest::newRow("few bins allowed") << manyTens << 6 << 0.0 << 2.5 << QList<qint64>{3, 2, 3, 2, 20};
}

void TestStatistics::histogramEdges()
{
    QFETCH(QList<double>, sorted);
    QFETCH(int, maxBins);
    QFETCH(double, start);
    QFETCH(double, width);
    QFETCH(QList<qint64>, bins);
    const Histogram histogram = histogramOfSorted(std::vector<double>(sorted.begin(), sorted.end()), maxBins);
    QCOMPARE(histogram.bins, bins);
    if (bins.isEmpty())
        return;
    PHASELINE_COMPARE_NEAR(histogram.start, start, 1e-12);
    PHASELINE_COMPARE_NEAR(histogram.width, width, 1e-12);
    PHASELINE_COMPARE_NEAR(histogram.end(), start + width * double(bins.size()), 1e-9);
    QVERIFY(histogram.bins.size() <= maxBins);
    // Every value lies inside the bin it was counted in.
    for (double value : sorted) {
        const int bin = int((value - histogram.start) / histogram.width);
        QVERIFY2(value >= histogram.edge(bin) && value < histogram.edge(bin + 1), qPrintable(QString::number(value)));
    }
}

void TestStatistics::cdfPoints_data()
{
    QTest::addColumn<QList<double>>("sorted");
    QTest::addColumn<int>("maxPoints");
    QTest::addColumn<QList<QPointF>>("points");

    QTest::newRow("every value") << QList<double>{1, 2, 4, 8} << 1000
                                 << QList<QPointF>{{1, 0}, {2, 100.0 / 3}, {4, 200.0 / 3}, {8, 100}};
    // 5 values, 3 points: ranks 0, 2 and 4 of 4.
    QTest::newRow("resampled by rank") << QList<double>{10, 20, 30, 40, 50} << 3
                                       << QList<QPointF>{{10, 0}, {30, 50}, {50, 100}};
    QTest::newRow("one value is all of them") << QList<double>{7} << 1000 << QList<QPointF>{{7, 100}};
    QTest::newRow("one point is the maximum") << QList<double>{1, 2, 3} << 1 << QList<QPointF>{{3, 100}};
    QTest::newRow("empty") << QList<double>{} << 1000 << QList<QPointF>{};
}

void TestStatistics::cdfPoints()
{
    QFETCH(QList<double>, sorted);
    QFETCH(int, maxPoints);
    QFETCH(QList<QPointF>, points);
    const QList<QPointF> cdf = cdfOfSorted(std::vector<double>(sorted.begin(), sorted.end()), maxPoints);
    QCOMPARE(cdf.size(), points.size());
    for (int i = 0; i < cdf.size(); ++i) {
        PHASELINE_COMPARE_NEAR(cdf[i].x(), points[i].x(), 1e-12);
        PHASELINE_COMPARE_NEAR(cdf[i].y(), points[i].y(), 1e-9);
    }
}

// The distribution of one phase over a subset: anomalies and missing left out, percentiles
// of what is left (queues of 31, 12, 22 and 44 ms; the subset leaves out the 44).
void TestStatistics::distributionOfPhase()
{
    TableBuilder builder;
    builder.queued("a", 31).queued("b", 12).queued("c", -5).queued("d", 22).queued("e", 44);
    builder.request("f", Role::Aggregated, {{"ctx_arrival_time", 2000.0}});
    const RequestTable &table = builder.table();
    const PhaseDefinition &queue = table.phases().at(table.phases().indexOf(QStringLiteral("ctx_queue")));
    const std::vector<int> rows{0, 1, 2, 3, 5};
    const PhaseDistribution distribution = distributionOf(table, &rows, queue, 60, 1000);
    QCOMPARE(distribution.count, qint64(3));
    PHASELINE_COMPARE_NEAR(distribution.median, 22.0, 1e-6);
    PHASELINE_COMPARE_NEAR(distribution.p90, 29.2, 1e-6);
    // n = 3: 3 bins aimed, 19 / 3 rounds up to 10 from 10: one value in each of [10, 20), [20, 30), [30, 40).
    PHASELINE_COMPARE_NEAR(distribution.histogram.start, 10.0, 1e-6);
    PHASELINE_COMPARE_NEAR(distribution.histogram.width, 10.0, 1e-9);
    QCOMPARE(distribution.histogram.bins, (QVector<qint64>{1, 1, 1}));
    QCOMPARE(distribution.cdf.size(), 3);
    PHASELINE_COMPARE_NEAR(distribution.cdf.last().x(), 31.0, 1e-6);
    const PhaseDistribution all = distributionOf(table, nullptr, queue, 60, 1000);
    QCOMPARE(all.count, qint64(4));
    PHASELINE_COMPARE_NEAR(all.median, 26.5, 1e-6);
}

// Missing is not zero (docs/phase-model.md): a phase that is exactly 0 ms for every request of a real
// file is an importer writing one value into two stamps, unless the file itself records two
// equal values. Every file under tests/data is loaded; the phases that come out all zero must be
// exactly the documented cases below (each one still occurring, so the list cannot go stale).
void TestStatistics::noZeroByConstruction_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("allowed");
    // file -> phases legitimately all zero, and why.
    const QHash<QString, QStringList> documented{
        // Synthetic (gen_samples.py): the file writes request_end_ns equal to the last response's
        // time, as its ground truth has no client tail. AIPerf records both (the real
        // databloom file has a tail).
        {QStringLiteral("aiperf/profile_export.jsonl"), {QStringLiteral("client_tail")}},
        // Fixture (tests/tools/make_guidellm_v03_fixture.py): last_token_time = end_time written.
        {QStringLiteral("guidellm/guidellm_v0.3_two_benchmarks.json"), {QStringLiteral("client_tail")}},
        // Real GuideLLM 0.5: first_request_iteration and first_token_iteration are the same
        // iteration in every request (the stream's first message carried the first token).
        {QStringLiteral("guidellm/openai_gpt-oss-20b_tp4_quant-none_benchmarks.json"),
         {QStringLiteral("client_first_token_wait")}},
    };
    const QDir root(QStringLiteral(PHASELINE_TEST_DATA));
    QDirIterator files(root.path(), QDir::Files, QDirIterator::Subdirectories);
    QStringList paths;
    while (files.hasNext())
        paths << root.relativeFilePath(files.next());
    paths.sort();
    for (const QString &path : paths) {
        if (!path.endsWith(QLatin1String(".md")))
            QTest::newRow(qPrintable(path)) << path << documented.value(path);
    }
}

void TestStatistics::noZeroByConstruction()
{
    QFETCH(QString, path);
    QFETCH(QStringList, allowed);
    const LoadResult loaded = loadInputs({dataPath(path)});
    const StatisticsReport report = computeStatistics(loaded.table);
    QStringList allZero;
    for (const PhaseStatistics &stats : report.phases + report.totals) {
        if (stats.count > 0 && stats.min == 0 && stats.max == 0)
            allZero << stats.name;
    }
    allZero.sort();
    allowed.sort();
    QCOMPARE(allZero, allowed);
}

// What measured a phase is named from the stamps its rows used and their clock labels
// (expectations typed from the files: which stamps each format records, docs/formats.md mappings).
void TestStatistics::measuredNamesSideAndClock_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<QString>("measured");
    // No engine stamp in a client file: its decode is the client's, first to last chunk received.
    QTest::newRow("vLLM bench decode")
        << QStringLiteral("vllm/serving_meta-llama-Llama-3.3-70B-Instruct_tp4_pp2_sharegpt_qps_04.json")
        << QStringLiteral("decode")
        << QStringLiteral("client: first token received \u2192 last token received (clock: no wall clock: durations "
                          "from vLLM bench (serving_meta-llama-Llama-3.3-70B-Instruct_tp4_pp2_sharegpt_qps_04.json), "
                          "every request starts at 0)");
    QTest::newRow("vLLM bench e2e ends at the last token")
        << QStringLiteral("vllm/openai-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.json") << QStringLiteral("e2e")
        << QStringLiteral("client: request sent \u2192 last token received (clock: vLLM bench client monotonic clock "
                          "(openai-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.json))");
    // llmperf stops its clock when the response is complete: decode runs to there.
    QTest::newRow("llmperf decode")
        << QStringLiteral("llmperf/meta-llama-Llama-3-1-8B-Instruct_1024_64_individual_responses.json")
        << QStringLiteral("decode")
        << QStringLiteral("client: first token received \u2192 response complete (clock: no wall clock: durations "
                          "from llmperf (meta-llama-Llama-3-1-8B-Instruct_1024_64_individual_responses.json), every "
                          "request starts at 0)");
    QTest::newRow("TensorRT-LLM aggregated decode")
        << QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json") << QStringLiteral("decode")
        << QStringLiteral("context server: first token produced \u2192 last token produced");
}

void TestStatistics::measuredNamesSideAndClock()
{
    QFETCH(QString, path);
    QFETCH(QString, phase);
    QFETCH(QString, measured);
    const StatisticsReport report = computeStatistics(loadInputs({dataPath(path)}).table);
    for (const PhaseStatistics &stats : report.phases + report.totals) {
        if (stats.name == phase) {
            // The clock names of server files carry hosts and offsets: the side and events are checked.
            QVERIFY2(stats.measured.startsWith(measured), qPrintable(stats.measured));
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("no %1 in the report").arg(phase)));
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
