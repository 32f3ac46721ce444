// Per-interval phases from consecutive /metrics scrapes (issue 14). The scrapes are the real
// dumps in tests/data/prometheus with observations added step by step; the expected numbers were
// computed from the same scrapes by tests/tools/metrics_sessions.py (its own parser and arithmetic).

#include "testutils.h"
#include "intervalexpectations.h"

#include "formats/prometheusimporter.h"
#include "analysis/metricsintervals.h"

#include <QJsonArray>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

// The scrapes of a session file, parsed one by one with the exposition parser.
QVector<MetricsScrape> readScrapes(const QString &path)
{
    QVector<MetricsScrape> scrapes;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return scrapes;
    while (!file.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
        const QByteArray text = line.value(QStringLiteral("text")).toString().toUtf8();
        const FileImport parsed = PrometheusImporter::parse(std::string_view(text.constData(), size_t(text.size())), path);
        scrapes << MetricsScrape{qint64(line.value(QStringLiteral("scrape_time_ms")).toDouble()), parsed.distributions};
    }
    return scrapes;
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

// A histogram with the given cumulative bucket counts over bounds 1, 2, +Inf.
HistogramDistribution histogram(const char *name, double sum, QVector<double> cumulative)
{
    HistogramDistribution h;
    h.engine = QStringLiteral("vLLM");
    h.name = QLatin1String(name);
    h.metric = QStringLiteral("vllm:%1_seconds").arg(h.name);
    h.unit = QStringLiteral("s");
    h.upperBounds = {1, 2, std::numeric_limits<double>::infinity()};
    h.boundTexts = QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("+Inf")};
    h.cumulativeCounts = cumulative;
    h.sum = sum;
    h.count = cumulative.last();
    return h;
}

// An SGLang /metrics body: e2e and sglang:per_stage_req_latency_seconds for three stages, each
// histogram with bounds 0.1, 1, +Inf. `observed[stage]` = {count below 0.1, count in (0.1, 1], sum}.
QByteArray sglangStagesText(const QList<std::array<double, 3>> &observed)
{
    static const char *const stages[] = {"prefill_forward", "request_process", "chunked_prefill"};
    QByteArray text = "# TYPE sglang:per_stage_req_latency_seconds histogram\n";
    for (int i = 0; i < 3; ++i) {
        const auto &[low, high, sum] = observed[i];
        const QByteArray labels = QByteArray("model_name=\"m\",stage=\"") + stages[i] + '"';
        text += "sglang:per_stage_req_latency_seconds_bucket{" + labels + ",le=\"0.1\"} " + QByteArray::number(low) + '\n';
        text += "sglang:per_stage_req_latency_seconds_bucket{" + labels + ",le=\"1.0\"} " + QByteArray::number(low + high) + '\n';
        text += "sglang:per_stage_req_latency_seconds_bucket{" + labels + ",le=\"+Inf\"} " + QByteArray::number(low + high) + '\n';
        text += "sglang:per_stage_req_latency_seconds_sum{" + labels + "} " + QByteArray::number(sum, 'g', 17) + '\n';
        text += "sglang:per_stage_req_latency_seconds_count{" + labels + "} " + QByteArray::number(low + high) + '\n';
    }
    const auto &[low, high, sum] = observed[3];
    text += "# TYPE sglang:e2e_request_latency_seconds histogram\n";
    text += "sglang:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.1\"} " + QByteArray::number(low) + '\n';
    text += "sglang:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"1.0\"} " + QByteArray::number(low + high) + '\n';
    text += "sglang:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"+Inf\"} " + QByteArray::number(low + high) + '\n';
    text += "sglang:e2e_request_latency_seconds_sum{model_name=\"m\"} " + QByteArray::number(sum, 'g', 17) + '\n';
    text += "sglang:e2e_request_latency_seconds_count{model_name=\"m\"} " + QByteArray::number(low + high) + '\n';
    return text;
}

MetricsScrape parsedScrape(qint64 timeMs, const QByteArray &text)
{
    const FileImport parsed = PrometheusImporter::parse(std::string_view(text.constData(), size_t(text.size())), QStringLiteral("stages"));
    return MetricsScrape{timeMs, parsed.distributions};
}

} // namespace

class TestMetricsIntervals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesIndependentArithmetic_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<int>("resets");
        QTest::addColumn<int>("bucketChanges");
        QTest::newRow("vLLM 0.25.1, restart and a changed bucket list") << "vllm_session" << 1 << 1;
        QTest::newRow("SGLang docs example") << "sglang_session" << 0 << 0;
    }
    void matchesIndependentArithmetic()
    {
        QFETCH(QString, session);
        QFETCH(int, resets);
        QFETCH(int, bucketChanges);
        const QString base = dataPath(QStringLiteral("prometheus/sessions/") + session);
        const QVector<IntervalSeries> all = intervalSeriesBySeries(readScrapes(base + QStringLiteral(".jsonl")), session);
        QCOMPARE(all.size(), 1);
        const IntervalSeries &series = all.first();
        const QString difference = intervalMismatch(series, readJson(base + QStringLiteral(".expected.json")));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        int resetIssues = 0, bucketIssues = 0;
        for (const LoadIssue &issue : series.issues) {
            resetIssues += issue.message.contains(QLatin1String("restarted"));
            bucketIssues += issue.message.contains(QLatin1String("bucket bounds changed")) && issue.dataSkipped;
        }
        QCOMPARE(resetIssues, resets);
        QCOMPARE(bucketIssues, bucketChanges);
    }

    // Merged intervals are the sums of the intervals (checked against the expected file's own numbers).
    void mergeSumsDeltas_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<int>("first");
        QTest::addColumn<int>("last");
        QTest::newRow("vLLM, across the restart") << "vllm_session" << 2 << 7;
        QTest::newRow("vLLM, everything") << "vllm_session" << 0 << 9;
        QTest::newRow("SGLang, one interval") << "sglang_session" << 3 << 3;
        QTest::newRow("SGLang, all") << "sglang_session" << 0 << 4;
    }
    void mergeSumsDeltas()
    {
        QFETCH(QString, session);
        QFETCH(int, first);
        QFETCH(int, last);
        const QString base = dataPath(QStringLiteral("prometheus/sessions/") + session);
        const IntervalSeries series = intervalSeriesBySeries(readScrapes(base + QStringLiteral(".jsonl")), session).value(0);
        const QJsonArray intervals = readJson(base + QStringLiteral(".expected.json")).value(QStringLiteral("intervals")).toArray();
        const MetricsInterval merged = mergeIntervals(series, first, last);
        QCOMPARE(merged.startMs, qint64(intervals[first].toObject().value(QStringLiteral("start_ms")).toDouble()));
        QCOMPARE(merged.endMs, qint64(intervals[last].toObject().value(QStringLiteral("end_ms")).toDouble()));
        for (const QString &phase : intervalPhaseNames()) {
            double count = 0, sum = 0;
            bool present = false;
            for (int i = first; i <= last; ++i) {
                for (const QJsonValue &value : intervals[i].toObject().value(QStringLiteral("phases")).toArray()) {
                    if (value.toObject().value(QStringLiteral("phase")).toString() == phase) {
                        present = true;
                        count += value.toObject().value(QStringLiteral("count")).toDouble();
                        sum += value.toObject().value(QStringLiteral("sum")).toDouble();
                    }
                }
            }
            const IntervalPhase *got = merged.phase(phase);
            QCOMPARE(got != nullptr, present);
            if (!got)
                continue;
            PHASELINE_COMPARE_NEAR(got->count, count, 1e-9);
            PHASELINE_COMPARE_NEAR(got->sumSeconds, sum, 1e-9 * std::max(1.0, sum));
            if (count > 0)
                PHASELINE_COMPARE_NEAR(got->meanSeconds, sum / count, 1e-9);
            double inBuckets = 0;
            for (double delta : got->bucketDeltas)
                inBuckets += delta;
            // The queue histogram's bucket list changed: its merged buckets are left out, not mixed.
            if (!got->bucketDeltas.isEmpty())
                PHASELINE_COMPARE_NEAR(inBuckets, count, 1e-9);
        }
    }

    // By hand: 2 requests then 1; the single one is labelled as exact (its own sums).
    void singleRequestAndIdle()
    {
        QVector<MetricsScrape> scrapes = {
            {1000, {histogram("e2e_request_latency", 3.0, {1, 2, 2}), histogram("request_queue_time", 0.5, {2, 2, 2})}},
            {2000, {histogram("e2e_request_latency", 4.5, {1, 3, 3}), histogram("request_queue_time", 0.75, {3, 3, 3})}},
            {3000, {histogram("e2e_request_latency", 4.5, {1, 3, 3}), histogram("request_queue_time", 0.75, {3, 3, 3})}},
        };
        const IntervalSeries series = computeIntervals(scrapes, QStringLiteral("hand"));
        QCOMPARE(series.intervals.size(), 2);
        const MetricsInterval &one = series.intervals[0];
        QVERIFY(one.isSingleRequest());
        QCOMPARE(one.phases.size(), 2);
        QCOMPARE(one.phases[0].phase, QStringLiteral("queue")); // list order, not scrape order
        QCOMPARE(one.phase(QStringLiteral("e2e"))->meanSeconds, 1.5); // (4.5 - 3.0) / 1
        QCOMPARE(one.phase(QStringLiteral("e2e"))->bucketDeltas, (QVector<double>{0, 1, 0}));
        // p50 of one observation in (1, 2]: 1 + (2 - 1) * 0.5 / 1.
        QCOMPARE(one.phase(QStringLiteral("e2e"))->p50.value, 1.5);
        const MetricsInterval &idle = series.intervals[1];
        QCOMPARE(idle.requestsFinished, 0.0);
        QVERIFY(std::isnan(idle.phase(QStringLiteral("e2e"))->meanSeconds)); // missing is not zero
        QVERIFY(!idle.phase(QStringLiteral("e2e"))->p50.valid);
        QVERIFY(series.issues.isEmpty());
    }

    // SGLang's per-stage histogram: prefill_forward is the prefill phase, the other stages are phases
    // of their own ("stage:<name>", after the named ones); the stage label does not split the server
    // into several series. Scrape 1 -> 2 (by hand): prefill_forward 2 -> 5 observations, sum
    // 0.3 -> 1.2; request_process 2 -> 5, 0.01 -> 0.04; chunked_prefill 4 -> 10, 0.2 -> 0.8; e2e 2 -> 5, 4 -> 10.
    void sglangStages_data()
    {
        QTest::addColumn<QString>("phase");
        QTest::addColumn<QString>("metric");
        QTest::addColumn<double>("count");
        QTest::addColumn<double>("sum");
        QTest::newRow("prefill_forward") << QStringLiteral("prefill")
                                         << QStringLiteral("sglang:per_stage_req_latency_seconds{stage=\"prefill_forward\"}") << 3.0 << 0.9;
        QTest::newRow("request_process") << QStringLiteral("stage:request_process")
                                         << QStringLiteral("sglang:per_stage_req_latency_seconds{stage=\"request_process\"}") << 3.0 << 0.03;
        QTest::newRow("chunked_prefill") << QStringLiteral("stage:chunked_prefill")
                                         << QStringLiteral("sglang:per_stage_req_latency_seconds{stage=\"chunked_prefill\"}") << 6.0 << 0.6;
        QTest::newRow("e2e") << QStringLiteral("e2e") << QStringLiteral("sglang:e2e_request_latency_seconds") << 3.0 << 6.0;
    }

    void sglangStages()
    {
        QFETCH(QString, phase);
        QFETCH(QString, metric);
        QFETCH(double, count);
        QFETCH(double, sum);
        const QVector<MetricsScrape> scrapes{
            parsedScrape(1000, sglangStagesText({{2, 0, 0.3}, {2, 0, 0.01}, {4, 0, 0.2}, {0, 2, 4}})),
            parsedScrape(2000, sglangStagesText({{2, 3, 1.2}, {5, 0, 0.04}, {7, 3, 0.8}, {0, 5, 10}})),
        };
        const QVector<IntervalSeries> all = intervalSeriesBySeries(scrapes, QStringLiteral("sglang"));
        QCOMPARE(all.size(), 1);
        QCOMPARE(all[0].name, QStringLiteral("sglang {model_name=m}"));
        QCOMPARE(all[0].intervals.size(), 1);
        const MetricsInterval &interval = all[0].intervals[0];
        QStringList order;
        for (const IntervalPhase &each : interval.phases)
            order << each.phase;
        QCOMPARE(order, (QStringList{QStringLiteral("prefill"), QStringLiteral("e2e"), QStringLiteral("stage:request_process"),
                                     QStringLiteral("stage:chunked_prefill")}));
        const IntervalPhase *got = interval.phase(phase);
        QVERIFY(got);
        QCOMPARE(got->metric, metric);
        QCOMPARE(got->count, count);
        PHASELINE_COMPARE_NEAR(got->sumSeconds, sum, 1e-12);
        PHASELINE_COMPARE_NEAR(got->meanSeconds, sum / count, 1e-12);
        // Merged over the interval, the order holds too.
        const MetricsInterval merged = mergeIntervals(all[0], 0, 0);
        QCOMPARE(merged.phases.size(), order.size());
        QCOMPARE(merged.phases.last().phase, order.last());
    }

    // A counter that goes down is a restart: a new segment, counts since the restart, no negative delta.
    void resetNeverNegative()
    {
        QVector<MetricsScrape> scrapes = {
            {1000, {histogram("e2e_request_latency", 30.0, {5, 8, 10})}},
            {2000, {histogram("e2e_request_latency", 2.5, {1, 2, 2})}},
        };
        const IntervalSeries series = computeIntervals(scrapes, QStringLiteral("hand"));
        QCOMPARE(series.intervals.size(), 1);
        QCOMPARE(series.intervals[0].segment, 1);
        QCOMPARE(series.intervals[0].requestsFinished, 2.0);
        QCOMPARE(series.intervals[0].phase(QStringLiteral("e2e"))->sumSeconds, 2.5);
        QCOMPARE(series.issues.size(), 1);
        QVERIFY2(series.issues[0].message.contains(QLatin1String("count 10 -> 2")), qPrintable(series.issues[0].message));
    }
};

QTEST_GUILESS_MAIN(TestMetricsIntervals)
#include "tst_metricsintervals.moc"
