// Timeline layout: lane packing, grouping by server, clock domains, the concurrency
// curve against hand-computed counts, and per-worker step clock offsets recovered from
// the TensorRT-LLM clock-offset sample and from an injected shift.

#include "analysis/stepclock.h"
#include "testutils.h"
#include "analysis/timelinelayout.h"

#include <QTest>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

using Interval = std::pair<double, double>;

// Aggregated requests with one phase each (queue: engine_enqueued -> scheduled) on one clock;
// stamps are seconds after a base that keeps them positive.
constexpr double kBase = 1000;

RequestTable tableOf(const QVector<Interval> &intervals, const QString &clock = QStringLiteral("steady"))
{
    RequestTable table;
    table.setPhases(PhaseCatalog::common());
    const int start = table.addStampColumn(QStringLiteral("engine_enqueued"));
    const int end = table.addStampColumn(QStringLiteral("scheduled"));
    const int clockColumn = table.addLabelColumn(QStringLiteral("clock"));
    for (int i = 0; i < intervals.size(); ++i) {
        const int row = table.appendRow(std::to_string(i), Role::Aggregated);
        table.setStampSeconds(start, row, kBase + intervals[i].first);
        table.setStampSeconds(end, row, kBase + intervals[i].second);
        table.setLabel(clockColumn, row, clock);
    }
    return table;
}

} // namespace

class TestTimelineLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void packing_data();
    void packing();
    void onePerRequest();
    void groupsDisaggregatedByServer();
    void clockDomainsAreNeverMixed();
    void concurrencyMatchesHandCount_data();
    void concurrencyMatchesHandCount();
    void hitTestFindsThePart();
    void stepClockOffsetsFromSample();
    void stepClockOffsetInjected();
    void stepClockSharedClockNotCorrected();
};

void TestTimelineLayout::packing_data()
{
    QTest::addColumn<QVector<Interval>>("intervals");
    QTest::addColumn<int>("lanes");
    QTest::newRow("one") << QVector<Interval>{{0, 1}} << 1;
    QTest::newRow("disjoint share a lane") << QVector<Interval>{{0, 1}, {2, 3}, {4, 5}} << 1;
    QTest::newRow("nested") << QVector<Interval>{{0, 10}, {1, 2}, {3, 4}} << 2;
    QTest::newRow("three overlap at t=4.5") << QVector<Interval>{{0, 10}, {2, 5}, {4, 8}, {6, 7}} << 3;
    // Touching ends still need two lanes: the first must end strictly before the next starts.
    QTest::newRow("touching") << QVector<Interval>{{0, 1}, {1, 2}} << 2;
    QTest::newRow("staircase") << QVector<Interval>{{0, 3}, {1, 4}, {2, 5}, {3.5, 6}, {4.5, 7}} << 3;
}

void TestTimelineLayout::packing()
{
    QFETCH(QVector<Interval>, intervals);
    QFETCH(int, lanes);
    const RequestTable table = tableOf(intervals);
    const TimelineLayout layout(table, QStringLiteral("steady"), TimelineLayout::Packing::Packed);
    QCOMPARE(layout.partCount(), intervals.size());
    QCOMPARE(layout.laneCount(), lanes);
    for (int lane = 0; lane < layout.laneCount(); ++lane) {
        for (int part = layout.laneBegin(lane) + 1; part < layout.laneEnd(lane); ++part) {
            QVERIFY2(layout.partStart(part) > layout.partEnd(part - 1),
                     qPrintable(QStringLiteral("lane %1 overlaps at part %2").arg(lane).arg(part)));
        }
    }
    // Every pair of overlapping requests sits on different lanes.
    for (int a = 0; a < layout.partCount(); ++a) {
        for (int b = a + 1; b < layout.partCount(); ++b) {
            const bool overlap = layout.partStart(a) <= layout.partEnd(b) && layout.partStart(b) <= layout.partEnd(a);
            if (overlap)
                QVERIFY(layout.partLane(a) != layout.partLane(b));
        }
    }
}

void TestTimelineLayout::onePerRequest()
{
    const RequestTable table = tableOf({{0, 1}, {2, 3}, {4, 5}});
    const TimelineLayout layout(table, QStringLiteral("steady"), TimelineLayout::Packing::OnePerRequest);
    QCOMPARE(layout.laneCount(), 3);
}

void TestTimelineLayout::groupsDisaggregatedByServer()
{
    const LoadResult &loaded = loadOnce(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"));
    const auto domains = TimelineLayout::clockDomains(loaded.table);
    QVERIFY(!domains.empty());
    const TimelineLayout layout(loaded.table, domains.front().first, TimelineLayout::Packing::Packed);
    QVERIFY(!layout.groups().empty());
    QCOMPARE(layout.groups().front().side, TimelineSide::Router);
    QStringList titles;
    for (const TimelineGroup &group : layout.groups())
        titles << group.title;
    // Router first, then context servers, then generation servers; URL schemes dropped.
    for (const QString &title : titles.mid(1))
        QVERIFY2(title.startsWith(QLatin1String("context ")) || title.startsWith(QLatin1String("generation ")),
                 qPrintable(titles.join(QStringLiteral(", "))));
    QVERIFY(!titles.join(QLatin1Char(' ')).contains(QLatin1String("http://")));
    // A joined request has a router part and parts on its context and generation servers.
    for (int row = 0; row < loaded.table.size(); ++row) {
        if (loaded.table.role(row) != Role::Disaggregated || isMissing(loaded.table.stamp(QStringLiteral("ctx_arrival_time"), row)))
            continue;
        const auto [begin, end] = layout.partsOfRow(row);
        QCOMPARE(int(end - begin), 3);
        QSet<int> sides;
        for (const quint32 *p = begin; p != end; ++p) {
            sides.insert(int(layout.partSide(int(*p))));
            const TimelineGroup &group = layout.groups()[size_t(layout.groupOfLane(layout.partLane(int(*p))))];
            QCOMPARE(group.side, layout.partSide(int(*p)));
        }
        QCOMPARE(sides.size(), 3);
        // The context part spans exactly the request's ctx_* stamps.
        for (const quint32 *p = begin; p != end; ++p) {
            if (layout.partSide(int(*p)) == TimelineSide::Context)
                QCOMPARE(layout.partStart(int(*p)), loaded.table.stamp(QStringLiteral("ctx_server_arrival_time"), row));
        }
    }
}

void TestTimelineLayout::clockDomainsAreNeverMixed()
{
    RequestTable table = tableOf({{0, 1}, {0.5, 2}});
    RequestTable other = tableOf({{10, 11}}, QStringLiteral("client wall clock"));
    table.appendTable(std::move(other));
    RequestTable aligned = tableOf({{0, 3}}, alignedClockName(QStringLiteral("bench.json")));
    table.appendTable(std::move(aligned));

    const auto domains = TimelineLayout::clockDomains(table);
    QCOMPARE(int(domains.size()), 2); // the durations-only domain is not offered
    QCOMPARE(domains[0].first, QStringLiteral("steady"));
    QCOMPARE(domains[0].second, 2);

    const TimelineLayout layout(table, QStringLiteral("steady"), TimelineLayout::Packing::Packed);
    QCOMPARE(layout.rowsShown(), 2);
    QCOMPARE(layout.rowsOnOtherClocks(), 1);
    QCOMPARE(layout.rowsWithoutWallClock(), 1);
    for (int part = 0; part < layout.partCount(); ++part)
        QVERIFY(layout.partRow(part) < 2);
}

void TestTimelineLayout::concurrencyMatchesHandCount_data()
{
    // Requests [0,10], [2,5], [4,8]; counted by hand (an end at t has left by t).
    QTest::addColumn<double>("t");
    QTest::addColumn<int>("inFlight");
    QTest::newRow("before") << -1.0 << 0;
    QTest::newRow("t=0") << 0.0 << 1;
    QTest::newRow("t=1") << 1.0 << 1;
    QTest::newRow("t=3") << 3.0 << 2;
    QTest::newRow("t=4.5") << 4.5 << 3;
    QTest::newRow("t=5") << 5.0 << 2;
    QTest::newRow("t=7.99") << 7.99 << 2;
    QTest::newRow("t=9") << 9.0 << 1;
    QTest::newRow("t=10") << 10.0 << 0;
}

void TestTimelineLayout::concurrencyMatchesHandCount()
{
    QFETCH(double, t);
    QFETCH(int, inFlight);
    const RequestTable table = tableOf({{0, 10}, {2, 5}, {4, 8}});
    const TimelineLayout layout(table, QStringLiteral("steady"), TimelineLayout::Packing::Packed);
    const std::vector<ConcurrencySeries> series = concurrencySeries(table, layout);
    QCOMPARE(int(series.size()), 2); // in flight, and the queue phase the requests record
    const double origin = table.timeOriginSeconds();
    QCOMPARE(series[0].countAt(kBase + t - origin), inFlight);
    // Each request is one queue phase here, so "in queue" counts the same.
    QCOMPARE(series[1].countAt(kBase + t - origin), inFlight);
    QCOMPARE(series[0].maximum(), 3);
}

void TestTimelineLayout::hitTestFindsThePart()
{
    const RequestTable table = tableOf({{0, 10}, {2, 5}, {6, 8}});
    const TimelineLayout layout(table, QStringLiteral("steady"), TimelineLayout::Packing::Packed);
    const double origin = table.timeOriginSeconds();
    for (int part = 0; part < layout.partCount(); ++part) {
        const double middle = (layout.partStart(part) + layout.partEnd(part)) / 2;
        QCOMPARE(layout.partAt(layout.partLane(part), middle, 0), part);
    }
    // Between [2,5] and [6,8] on the second lane: nothing within 0.2 s, the nearer within 0.6 s.
    const int lane = layout.partLane(layout.partAt(0, kBase + 1 - origin, 0)) == 0 ? 1 : 0;
    QCOMPARE(layout.partAt(lane, kBase + 5.5 - origin, 0.2), -1);
    QCOMPARE(table.id(layout.partRow(layout.partAt(lane, kBase + 5.6 - origin, 0.6))), QStringLiteral("2"));
}

void TestTimelineLayout::stepClockOffsetsFromSample()
{
    // docs/trtllm.md / the sample's provenance: chunk stamps +294065.985 s on the context worker,
    // step stamps +9.971 s on the generation workers, relative to timing_metrics. The
    // estimate carries the scheduling lag (~0.5 ms); TRT-LLM's own tolerance is 5 ms.
    const LoadResult &loaded = loadOnce(QStringLiteral("trtllm/endpoint_C_disagg_time_breakdown_metrics_clock_offsets.json"));
    const StepClockCorrection correction = estimateStepClockOffsets(loaded.table);
    QVERIFY(!correction.workers.empty());
    int context = 0, generation = 0;
    for (const StepClockWorker &worker : correction.workers) {
        QVERIFY(worker.applied());
        if (worker.name.startsWith(QLatin1String("context"))) {
            ++context;
            QVERIFY2(closeTo(worker.offset, 294065.985, 0.002), qPrintable(QString::number(worker.offset, 'f', 6)));
        } else {
            ++generation;
            QVERIFY2(worker.name.startsWith(QLatin1String("generation")), qPrintable(worker.name));
            QVERIFY2(closeTo(worker.offset, 9.971, 0.002), qPrintable(QString::number(worker.offset, 'f', 6)));
        }
    }
    QCOMPARE(context, 1);    // ctx-node0
    QCOMPARE(generation, 2); // gen-node0, gen-node1
    for (size_t s = 0; s < loaded.table.steps().size(); ++s)
        QVERIFY(correction.shiftOf(s) != 0);
}

void TestTimelineLayout::stepClockOffsetInjected()
{
    LoadResult loaded = loadInputs({dataPath(QStringLiteral("trtllm/endpoint_C_agg_time_breakdown_metrics.json"))});
    QVERIFY(loaded.table.steps().size() > 0);
    constexpr double kInjected = 123.456;
    StepTable &steps = loaded.table.mutableSteps();
    for (std::vector<double> *column : {&steps.forwardStart, &steps.forwardEnd, &steps.sampleStart, &steps.sampleEnd,
                                        &steps.tokenTime}) {
        for (double &value : *column)
            value += kInjected;
    }
    const StepClockCorrection correction = estimateStepClockOffsets(loaded.table);
    QCOMPARE(int(correction.workers.size()), 1);
    QVERIFY2(closeTo(correction.workers.front().offset, kInjected, 0.002),
             qPrintable(QString::number(correction.workers.front().offset, 'f', 6)));
    QVERIFY(correction.workers.front().applied());
}

void TestTimelineLayout::stepClockSharedClockNotCorrected()
{
    // An aggregated worker's steps share its clock: the estimate stays within the tolerance.
    const LoadResult &loaded = loadOnce(QStringLiteral("trtllm/endpoint_C_agg_time_breakdown_metrics.json"));
    const StepClockCorrection correction = estimateStepClockOffsets(loaded.table);
    QCOMPARE(int(correction.workers.size()), 1);
    QVERIFY(std::abs(correction.workers.front().offset) < kStepClockTolerance);
    QVERIFY(!correction.workers.front().applied());
    QCOMPARE(correction.shiftOf(0), 0.0);
}

QTEST_GUILESS_MAIN(TestTimelineLayout)
#include "tst_timelinelayout.moc"
