// Prometheus exposition text (docs/formats.md §1b vLLM, §2c SGLang): histograms become aggregate
// distributions, never requests. Expected values are hand computations from the bucket lines
// of the files in tests/data/prometheus (see PROVENANCE.md); the arithmetic is written beside them.

#include "testutils.h"

#include "formats/prometheusimporter.h"
#include "output/statisticsformat.h"

#include <QJsonArray>

#include <limits>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

QStringList names(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *name : list)
        result << QString::fromLatin1(name);
    return result;
}

const HistogramDistribution *findDistribution(const QVector<HistogramDistribution> &list, const QString &metric)
{
    for (const HistogramDistribution &histogram : list) {
        if (histogram.metric == metric)
            return &histogram;
    }
    return nullptr;
}

// 12 observations: 2 in (0,1], 4 in (1,2], 4 in (2,4], 2 above 4; sum 30.
const char kSmallHistogram[] = "# HELP x_seconds A test histogram.\n"
                               "# TYPE x_seconds histogram\n"
                               "x_seconds_bucket{le=\"1\"} 2\n"
                               "x_seconds_bucket{le=\"2\"} 6\n"
                               "x_seconds_bucket{le=\"4\"} 10\n"
                               "x_seconds_bucket{le=\"+Inf\"} 12\n"
                               "x_seconds_sum 30\n"
                               "x_seconds_count 12\n";

} // namespace

class TestPrometheus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recognisesEngine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QStringList>("metrics");
        QTest::newRow("vLLM sample") << "prometheus/vllm_metrics_after_run.prom" << "vLLM"
                                     << names({"vllm:time_to_first_token_seconds",
                                                    "vllm:time_per_output_token_seconds",
                                                    "vllm:e2e_request_latency_seconds",
                                                    "vllm:request_queue_time_seconds",
                                                    "vllm:request_inference_time_seconds",
                                                    "vllm:request_prefill_time_seconds",
                                                    "vllm:request_decode_time_seconds"});
        QTest::newRow("SGLang sample") << "prometheus/sglang_metrics_after_run.prom" << "SGLang"
                                       << names({"sglang:time_to_first_token_seconds",
                                                      "sglang:inter_token_latency_seconds",
                                                      "sglang:e2e_request_latency_seconds",
                                                      "sglang:queue_time_seconds"});
        QTest::newRow("SGLang docs (real)") << "prometheus/sglang_docs_production_metrics_example.prom" << "SGLang"
                                            << names({"sglang:time_to_first_token_seconds",
                                                           "sglang:e2e_request_latency_seconds",
                                                           "sglang:time_per_output_token_seconds",
                                                           "sglang:func_latency_seconds"});
    }
    void recognisesEngine()
    {
        QFETCH(QString, file);
        QFETCH(QString, engine);
        QFETCH(QStringList, metrics);
        const LoadResult &loaded = loadOnce(file);
        QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
        QCOMPARE(loaded.table.size(), 0); // aggregate only: no request is made up
        QStringList seen;
        for (const HistogramDistribution &histogram : loaded.distributions) {
            seen << histogram.metric;
            QCOMPARE(histogram.engine, engine);
            QCOMPARE(histogram.unit, QStringLiteral("s"));
        }
        QCOMPARE(seen, metrics);
        QVERIFY(loaded.formats.contains(PrometheusImporter().formatName()));
    }

    void sniff_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("histogram") << QByteArray(kSmallHistogram) << true;
        QTest::newRow("OpenMetrics with EOF") << QByteArray(kSmallHistogram) + "# EOF\n" << true;
        QTest::newRow("counters only") << QByteArray("# TYPE a_total counter\na_total 3\n") << false;
        QTest::newRow("JSON") << QByteArray("{\"a\": \"# TYPE x histogram\"}") << false;
        QTest::newRow("CSV") << QByteArray("id,ttft\n1,2\n") << false;
    }
    void sniff()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, accepted);
        QCOMPARE(PrometheusImporter().sniff(std::string_view(content.constData(), size_t(content.size()))), accepted);
    }

    // Bounds are parsed to the double the text names (correct rounding), kept as written.
    void boundsExact()
    {
        const LoadResult &loaded = loadOnce(QStringLiteral("prometheus/sglang_docs_production_metrics_example.prom"));
        const HistogramDistribution *func = findDistribution(loaded.distributions, QStringLiteral("sglang:func_latency_seconds"));
        QVERIFY(func);
        QCOMPARE(func->boundTexts.at(1), QStringLiteral("0.07500000000000001"));
        QCOMPARE(func->upperBounds.at(1), 0.07500000000000001); // the compiler's correctly rounded literal
        QVERIFY(func->upperBounds.at(1) != 0.075);               // a different double from 0.075
        QCOMPARE(func->upperBounds.at(7), 0.8542968750000001);
        QCOMPARE(func->boundTexts.last(), QStringLiteral("+Inf"));
        QVERIFY(std::isinf(func->upperBounds.last()));
        QCOMPARE(func->labels, (QVector<QPair<QString, QString>>{{QStringLiteral("name"), QStringLiteral("generate_request")}}));
        // Exponent notation: "7.400757e+06" observations.
        const HistogramDistribution *tpot =
            findDistribution(loaded.distributions, QStringLiteral("sglang:time_per_output_token_seconds"));
        QVERIFY(tpot);
        QCOMPARE(tpot->count, 7400757.0);
        QCOMPARE(tpot->cumulativeCounts.at(tpot->boundTexts.indexOf(QStringLiteral("0.1"))), 4950195.0);
        const HistogramDistribution *ttft =
            findDistribution(loaded.distributions, QStringLiteral("sglang:time_to_first_token_seconds"));
        QCOMPARE(ttft->sum, 2.3518979474117756e+06);
    }

    void countsSumsQuantiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("metric");
        QTest::addColumn<double>("count");
        QTest::addColumn<double>("mean");
        QTest::addColumn<double>("q");
        QTest::addColumn<double>("estimate");
        QTest::addColumn<double>("lower");
        QTest::addColumn<double>("upper");
        const QString vllm = QStringLiteral("prometheus/vllm_metrics_after_run.prom");
        const QString ttft = QStringLiteral("vllm:time_to_first_token_seconds");
        // Cumulative 3 @0.04, 8 @0.06, 9 @0.08, 10 @0.1, 11 @0.25; sum 0.5947320461273193.
        // mean = 0.5947320461273193 / 11 = 0.05406654964793812
        // p50: rank 5.5 in (0.04, 0.06]: 0.04 + 0.02 * (5.5 - 3) / 5 = 0.05
        QTest::newRow("vLLM ttft p50") << vllm << ttft << 11.0 << 0.05406654964793812 << 0.5 << 0.05 << 0.04 << 0.06;
        // p90: rank 9.9 in (0.08, 0.1]: 0.08 + 0.02 * 0.9 / 1 = 0.098
        QTest::newRow("vLLM ttft p90") << vllm << ttft << 11.0 << 0.05406654964793812 << 0.9 << 0.098 << 0.08 << 0.1;
        // p99: rank 10.89 in (0.1, 0.25]: 0.1 + 0.15 * 0.89 = 0.2335
        QTest::newRow("vLLM ttft p99") << vllm << ttft << 11.0 << 0.05406654964793812 << 0.99 << 0.2335 << 0.1 << 0.25;
        const QString docs = QStringLiteral("prometheus/sglang_docs_production_metrics_example.prom");
        // TPOT p50: rank 3700378.5 in (0.075, 0.1] (cumulative 433413 and 4950195):
        // 0.075 + 0.025 * (3700378.5 - 433413) / (4950195 - 433413) = 0.09308237313644979
        // mean = 866964.5791549598 / 7400757
        QTest::newRow("SGLang tpot p50") << docs << QStringLiteral("sglang:time_per_output_token_seconds") << 7400757.0
                                         << 866964.5791549598 / 7400757 << 0.5 << 0.09308237313644979 << 0.075 << 0.1;
        // TTFT: only 2513 of 11008 under 30 s; p50 rank 5504 lies in +Inf: at least 30.
        // mean = 2351897.9474117756 / 11008 = 213.65351993202904
        QTest::newRow("SGLang ttft above last bound")
            << docs << QStringLiteral("sglang:time_to_first_token_seconds") << 11008.0 << 213.65351993202904 << 0.5
            << 30.0 << 30.0 << std::numeric_limits<double>::infinity();
    }
    void countsSumsQuantiles()
    {
        QFETCH(QString, file);
        QFETCH(QString, metric);
        QFETCH(double, count);
        QFETCH(double, mean);
        QFETCH(double, q);
        QFETCH(double, estimate);
        QFETCH(double, lower);
        QFETCH(double, upper);
        const LoadResult &loaded = loadOnce(file);
        const HistogramDistribution *histogram = findDistribution(loaded.distributions, metric);
        QVERIFY(histogram);
        QCOMPARE(histogram->count, count);
        QVERIFY2(closeTo(histogram->mean(), mean, 1e-12), qPrintable(mismatch("mean", histogram->mean(), mean)));
        const QuantileEstimate found = estimateQuantile(*histogram, q);
        QVERIFY(found.valid);
        QVERIFY2(closeTo(found.value, estimate, 1e-12), qPrintable(mismatch("estimate", found.value, estimate)));
        QCOMPARE(found.lower, lower);
        QCOMPARE(found.upper, upper);
    }

    void quantileHandComputed_data()
    {
        QTest::addColumn<double>("q");
        QTest::addColumn<double>("estimate");
        QTest::addColumn<bool>("aboveLastBound");
        // kSmallHistogram: cumulative 2 @1, 6 @2, 10 @4, 12 @+Inf.
        QTest::newRow("p10") << 0.10 << 0.6 << false;  // rank 1.2 in (0,1]: 1.2 / 2 = 0.6
        QTest::newRow("p25") << 0.25 << 1.25 << false; // rank 3 in (1,2]: 1 + (3 - 2) / 4
        QTest::newRow("p50") << 0.50 << 2.0 << false;  // rank 6 in (1,2]: 1 + (6 - 2) / 4
        QTest::newRow("p80") << 0.80 << 3.8 << false;  // rank 9.6 in (2,4]: 2 + 2 * (9.6 - 6) / 4
        QTest::newRow("p90") << 0.90 << 4.0 << true;   // rank 10.8 above 4: at least 4
    }
    void quantileHandComputed()
    {
        QFETCH(double, q);
        QFETCH(double, estimate);
        QFETCH(bool, aboveLastBound);
        const FileImport imported = PrometheusImporter::parse(kSmallHistogram, QStringLiteral("inline.prom"));
        QCOMPARE(imported.distributions.size(), 1);
        const HistogramDistribution &histogram = imported.distributions.first();
        QCOMPARE(histogram.mean(), 2.5); // 30 / 12
        QCOMPARE(histogram.help, QStringLiteral("A test histogram."));
        QCOMPARE(histogram.bucketCounts(), (QVector<double>{2, 4, 4, 2}));
        const QuantileEstimate found = estimateQuantile(histogram, q);
        QVERIFY2(closeTo(found.value, estimate, 1e-12), qPrintable(mismatch("estimate", found.value, estimate)));
        QCOMPARE(found.aboveLastBound(), aboveLastBound);
    }

    void idleScrape()
    {
        const LoadResult &loaded = loadOnce(QStringLiteral("prometheus/metrics_vllm_0_25_1_idle.txt"));
        QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
        QCOMPARE(loaded.table.size(), 0);
        QVERIFY(findIssue(loaded, LoadIssue::Warning, QStringLiteral("no requests observed")));
        const HistogramDistribution *ttft =
            findDistribution(loaded.distributions, QStringLiteral("vllm:time_to_first_token_seconds"));
        QVERIFY(ttft);
        QVERIFY(ttft->isEmpty());
        QVERIFY(std::isnan(ttft->mean())); // never 0/0 reported as a number
        QVERIFY(!estimateQuantile(*ttft, 0.5).valid);
        QCOMPARE(ttft->labels.size(), 2); // engine, model_name
        // The scrape's own HTTP request is observed; the engine saw none.
        const HistogramDistribution *http =
            findDistribution(loaded.distributions, QStringLiteral("http_request_duration_highr_seconds"));
        QVERIFY(http);
        QCOMPARE(http->engine, QStringLiteral("Prometheus"));
        QCOMPARE(http->count, 1.0);
    }

    void malformedLinesSkipped()
    {
        const QByteArray text = QByteArray(kSmallHistogram) + "x_seconds_bucket{le=\"8\" 3\nx_seconds_bucket{le=\"9\"} abc\n";
        const FileImport imported = PrometheusImporter::parse(text.constData(), QStringLiteral("bad.prom"));
        QCOMPARE(imported.distributions.size(), 1);
        QCOMPARE(imported.distributions.first().upperBounds.size(), 4);
        QCOMPARE(imported.issues.size(), 2);
        QCOMPARE(imported.issues[0].line, 9);
        QCOMPARE(imported.issues[1].line, 10);
    }

    // Buckets that make no histogram of a duration are reported with their line and left out,
    // never turned into percentiles (issue 12.18: TTFT p50 = -1 s). A valid series beside stays.
    void invalidBucketsReported_data()
    {
        QTest::addColumn<QByteArray>("buckets");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<int>("line");
        QTest::newRow("not cumulative") << QByteArray("y_seconds_bucket{le=\"1\"} 5\ny_seconds_bucket{le=\"2\"} 3\n"
                                                      "y_seconds_bucket{le=\"+Inf\"} 6\n")
                                        << QStringLiteral("not cumulative") << 4;
        QTest::newRow("duplicated bucket") << QByteArray("y_seconds_bucket{le=\"1\"} 2\ny_seconds_bucket{le=\"1\"} 2\n"
                                                         "y_seconds_bucket{le=\"+Inf\"} 6\n")
                                           << QStringLiteral("appears twice") << 4;
        QTest::newRow("negative le") << QByteArray("y_seconds_bucket{le=\"-1\"} 4\ny_seconds_bucket{le=\"1\"} 5\n"
                                                   "y_seconds_bucket{le=\"+Inf\"} 6\n")
                                     << QStringLiteral("negative bucket bound") << 3;
    }
    void invalidBucketsReported()
    {
        QFETCH(QByteArray, buckets);
        QFETCH(QString, problem);
        QFETCH(int, line);
        const QByteArray text = "# TYPE y_seconds histogram\n# another comment\n" + buckets + "y_seconds_count 6\n"
            + QByteArray(kSmallHistogram);
        const FileImport imported = PrometheusImporter::parse(text.constData(), QStringLiteral("bad.prom"));
        QVERIFY(!findDistribution(imported.distributions, QStringLiteral("y_seconds")));
        QVERIFY(findDistribution(imported.distributions, QStringLiteral("x_seconds")));
        QCOMPARE(imported.issues.size(), 1);
        const LoadIssue &issue = imported.issues.first();
        QCOMPARE(issue.severity, LoadIssue::Warning);
        QVERIFY2(issue.message.contains(problem) && issue.message.contains(QLatin1String("y_seconds")),
                 qPrintable(issue.toString()));
        QCOMPARE(issue.line, qint64(line));
    }

    // --stats: a separate "distributions" part; the request fields stay as they were.
    void statsJson()
    {
        const LoadResult &loaded = loadOnce(QStringLiteral("prometheus/vllm_metrics_after_run.prom"));
        const QJsonObject root =
            QJsonDocument::fromJson(formatStatistics(computeStatistics(loaded.table), StatisticsFormat::Json, {},
                                                     loaded.distributions))
                .object();
        QCOMPARE(root.value(QLatin1String("requests")).toInt(-1), 0);
        QVERIFY(root.value(QLatin1String("phases")).isArray());
        const QJsonArray distributions = root.value(QLatin1String("distributions")).toArray();
        QCOMPARE(distributions.size(), 7);
        const QJsonObject ttft = distributions.first().toObject();
        QCOMPARE(ttft.value(QLatin1String("metric")).toString(), QStringLiteral("vllm:time_to_first_token_seconds"));
        QCOMPARE(ttft.value(QLatin1String("count")).toDouble(), 11.0);
        QCOMPARE(ttft.value(QLatin1String("p50")).toObject().value(QLatin1String("estimate")).toDouble(), 0.05);
        QCOMPARE(ttft.value(QLatin1String("labels")).toObject().value(QLatin1String("model_name")).toString(),
                 QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        // Without distributions the output has no such key.
        const QJsonObject plain =
            QJsonDocument::fromJson(formatStatistics(computeStatistics(loaded.table), StatisticsFormat::Json)).object();
        QVERIFY(!plain.contains(QLatin1String("distributions")));
    }
};

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
