// Tools' summary files (issue 13 points 8 and 10): AIPerf's profile_export_aiperf.json/.csv, the
// llmperf *_summary.json, bench_serving results saved without per-request data and trtllm-bench
// reports are read as summaries (RunSummary), never as requests; a tool's results folder loads its
// per-request file and notes its summary. Expected values are typed by hand from the files.

#include "formats/formatimporter.h"
#include "load/loader.h"
#include "testutils.h"

#include <QFile>
#include <QTemporaryDir>

#include <cmath>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

const QString kAiperfRun = QStringLiteral("aiperf/artifacts/llama-3.2-3b-instruct-gguf_q4_k_m-openai-chat-concurrency1");

QByteArray readData(const QString &relative)
{
    QFile file(dataPath(relative));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

LoadResult loadText(const QByteArray &content, const QString &name = QStringLiteral("input.json"))
{
    QTemporaryDir dir;
    return loadInputs({writeFile(dir.path(), name, content)});
}

QString importerOf(const QByteArray &content)
{
    for (const FormatImporter *importer : formatImporters()) {
        if (importer->sniff(std::string_view(content.constData(), size_t(content.size()))))
            return importer->formatName();
    }
    return QString();
}

QString describeSummaries(const LoadResult &loaded)
{
    QString text = describeIssues(loaded);
    for (const RunSummary &summary : loaded.summaries) {
        text += QStringLiteral("\n%1 %2 (%3):").arg(summary.tool, summary.source, summary.runLabel);
        for (const SummaryMetric &metric : summary.metrics)
            text += QStringLiteral(" %1[%2]").arg(metric.name, metric.unit);
    }
    return text;
}

} // namespace

class TestSummaries : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void summaryFiles_data();
    void summaryFiles();
    void statisticsInOrder();
    void metricsInFileOrder();
    void severalRunsSeveralSummaries();
    void mixedRunsGiveRequestsAndSummaries();
    void resultsFolders_data();
    void resultsFolders();
    void summaryWithoutStatistics();
    void csvSummaryBadCell();
};

void TestSummaries::summaryFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("importer");
    QTest::addColumn<QString>("tool");
    QTest::addColumn<int>("summaries");
    QTest::addColumn<int>("metrics"); // of the first summary
    QTest::addColumn<QString>("label"); // part of the first summary's run label
    QTest::addColumn<QString>("metric");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QString>("statistic");
    QTest::addColumn<double>("value");

    const QString aiperf = QStringLiteral("AIPerf profile_export.jsonl");
    QTest::newRow("aiperf json, p99") << kAiperfRun + QStringLiteral("/profile_export_aiperf.json") << aiperf
                                      << QStringLiteral("AIPerf") << 1 << 37
                                      << QStringLiteral("llama-3.2-3b-instruct-gguf:q4_k_m, concurrency 1")
                                      << QStringLiteral("request_latency") << QStringLiteral("ms")
                                      << QStringLiteral("p99") << 1700.2457214900003;
    QTest::newRow("aiperf json, avg only") << kAiperfRun + QStringLiteral("/profile_export_aiperf.json") << aiperf
                                           << QStringLiteral("AIPerf") << 1 << 37 << QString()
                                           << QStringLiteral("benchmark_duration") << QStringLiteral("sec")
                                           << QStringLiteral("avg") << 191.236231223;
    QTest::newRow("aiperf json, ratio") << kAiperfRun + QStringLiteral("/profile_export_aiperf.json") << aiperf
                                        << QStringLiteral("AIPerf") << 1 << 37 << QString()
                                        << QStringLiteral("http_req_connection_reused") << QStringLiteral("ratio")
                                        << QStringLiteral("std") << 0.30000000000000004;
    const QString csv = QStringLiteral("AIPerf profile_export_aiperf.csv summary");
    QTest::newRow("aiperf csv, unit in the last parentheses")
        << kAiperfRun + QStringLiteral("/profile_export_aiperf.csv") << csv << QStringLiteral("AIPerf / GenAI-Perf") << 1
        << 37 << QString() << QStringLiteral("HTTP Waiting (TTFB)") << QStringLiteral("ms") << QStringLiteral("p95")
        << 806.69;
    QTest::newRow("aiperf csv, sum") << kAiperfRun + QStringLiteral("/profile_export_aiperf.csv") << csv
                                     << QStringLiteral("AIPerf / GenAI-Perf") << 1 << 37 << QString()
                                     << QStringLiteral("Request Latency") << QStringLiteral("ms") << QStringLiteral("sum")
                                     << 6173.68;
    QTest::newRow("aiperf csv, no unit") << kAiperfRun + QStringLiteral("/profile_export_aiperf.csv") << csv
                                         << QStringLiteral("AIPerf / GenAI-Perf") << 1 << 37 << QString()
                                         << QStringLiteral("HTTP Chunks Received") << QString()
                                         << QStringLiteral("max") << 20.0;
    QTest::newRow("aiperf csv, Metric,Value section")
        << kAiperfRun + QStringLiteral("/profile_export_aiperf.csv") << csv << QStringLiteral("AIPerf / GenAI-Perf") << 1
        << 37 << QString() << QStringLiteral("Benchmark Duration") << QStringLiteral("sec") << QStringLiteral("value")
        << 191.24;
    QTest::newRow("aiperf records schema") << QStringLiteral("aiperf/profile_export_aiperf_records_schema.json") << aiperf
                                           << QStringLiteral("AIPerf") << 1 << 5
                                           << QStringLiteral("meta-llama/Llama-3.1-8B-Instruct, request rate 4")
                                           << QStringLiteral("ttft") << QStringLiteral("ms") << QStringLiteral("p99")
                                           << 137.7;
    const QString llmperf = QStringLiteral("llmperf individual responses JSON");
    const QString llmperfSummary = QStringLiteral("llmperf/llmperf-leaderboard_raw_data_summary_groq_70b.json");
    QTest::newRow("llmperf quantile") << llmperfSummary << llmperf << QStringLiteral("llmperf") << 1 << 12
                                      << QStringLiteral("llama2-70b-4096, 5 concurrent requests")
                                      << QStringLiteral("ttft") << QStringLiteral("s") << QStringLiteral("p99")
                                      << 0.3500269545800982;
    QTest::newRow("llmperf minimum written as a string")
        << llmperfSummary << llmperf << QStringLiteral("llmperf") << 1 << 12 << QString()
        << QStringLiteral("number_input_tokens") << QStringLiteral("tokens") << QStringLiteral("min") << 550.0;
    QTest::newRow("llmperf per-minute count is not a minimum")
        << llmperfSummary << llmperf << QStringLiteral("llmperf") << 1 << 12 << QString()
        << QStringLiteral("num_completed_requests_per_min") << QStringLiteral("per min") << QStringLiteral("value")
        << 176.73895115400083;
    const QString sglang = QStringLiteral("SGLang bench_serving output (JSON lines)");
    QTest::newRow("sglang late 2024, median") << QStringLiteral("sglang/datacrunch_llama_3_3_70b_online_output.jsonl")
                                              << sglang << QStringLiteral("SGLang bench_serving") << 7 << 9
                                              << QStringLiteral("line 1: sglang, 1 req/s, max concurrency none, random data")
                                              << QStringLiteral("ttft") << QStringLiteral("ms")
                                              << QStringLiteral("median") << 85.74514742940664;
    QTest::newRow("sglang late 2024, retokenized")
        << QStringLiteral("sglang/datacrunch_llama_3_3_70b_online_output.jsonl") << sglang
        << QStringLiteral("SGLang bench_serving") << 7 << 9 << QString()
        << QStringLiteral("total_output_tokens_retokenized") << QStringLiteral("tokens") << QStringLiteral("value")
        << 160192.0;
    const QString trtllm = QStringLiteral("trtllm-bench report JSON");
    const QString report = QStringLiteral("trtllm-bench/report_llama-3.1-8b_pytorch_streaming.json");
    QTest::newRow("trtllm-bench percentiles") << report << trtllm << QStringLiteral("trtllm-bench") << 1 << 18
                                              << QStringLiteral("meta-llama/Llama-3.1-8B-Instruct, Pytorch, "
                                                                "TensorRT-LLM 1.0.0, TP 1 PP 1")
                                              << QStringLiteral("ttft_percentiles") << QStringLiteral("ms")
                                              << QStringLiteral("minimum") << 61.7;
    QTest::newRow("trtllm-bench throughput") << report << trtllm << QStringLiteral("trtllm-bench") << 1 << 18 << QString()
                                             << QStringLiteral("request_throughput_req_s") << QStringLiteral("req/s")
                                             << QStringLiteral("value") << 77.68;
    QTest::newRow("trtllm-bench generation speed")
        << report << trtllm << QStringLiteral("trtllm-bench") << 1 << 18 << QString()
        << QStringLiteral("gen_tps_percentiles") << QStringLiteral("tok/s") << QStringLiteral("p99") << 33.4;
}

// Each summary shape is claimed by its importer and read as a summary with the tool's own numbers.
void TestSummaries::summaryFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, importer);
    QFETCH(QString, tool);
    QFETCH(int, summaries);
    QFETCH(int, metrics);
    QFETCH(QString, label);
    QFETCH(QString, metric);
    QFETCH(QString, unit);
    QFETCH(QString, statistic);
    QFETCH(double, value);

    QCOMPARE(importerOf(readData(file)), importer);
    const LoadResult loaded = loadInputs({dataPath(file)});
    QCOMPARE(loaded.table.size(), 0);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeSummaries(loaded)));
    QVERIFY(loaded.loadedAnything());
    QVERIFY2(!loaded.isPartial(), qPrintable(describeSummaries(loaded)));
    QCOMPARE(loaded.summaries.size(), summaries);
    const RunSummary &first = loaded.summaries.first();
    QCOMPARE(first.tool, tool);
    QCOMPARE(first.source, dataPath(file));
    QCOMPARE(first.metrics.size(), metrics);
    if (!label.isEmpty())
        QCOMPARE(first.runLabel, label);
    const SummaryMetric *found = first.metric(metric);
    QVERIFY2(found, qPrintable(describeSummaries(loaded)));
    QCOMPARE(found->unit, unit);
    QCOMPARE(found->statistic(statistic), value);
}

// A metric's statistics come in one order whatever the tool's: averages, extremes, percentiles, spread.
void TestSummaries::statisticsInOrder()
{
    const LoadResult loaded = loadInputs({dataPath(kAiperfRun + QStringLiteral("/profile_export_aiperf.json"))});
    QCOMPARE(loaded.summaries.size(), 1);
    const SummaryMetric *latency = loaded.summaries.first().metric(QStringLiteral("request_latency"));
    QVERIFY(latency);
    QStringList names;
    for (const SummaryStatistic &statistic : latency->statistics)
        names << statistic.name;
    QCOMPARE(names, QStringLiteral("avg min max p1 p5 p10 p25 p50 p75 p90 p95 p99 std").split(QLatin1Char(' ')));
    QCOMPARE(latency->statistic(QStringLiteral("min")), 332.579072);
    QVERIFY(std::isnan(latency->statistic(QStringLiteral("sum")))); // not reported: missing, not 0
}

// Metrics are listed as the tool wrote them (QJsonObject alone would sort them by name).
void TestSummaries::metricsInFileOrder()
{
    const LoadResult loaded = loadInputs({dataPath(kAiperfRun + QStringLiteral("/profile_export_aiperf.json"))});
    QCOMPARE(loaded.summaries.size(), 1);
    const QVector<SummaryMetric> &metrics = loaded.summaries.first().metrics;
    QCOMPARE(metrics.at(0).name, QStringLiteral("request_throughput"));
    QCOMPARE(metrics.at(1).name, QStringLiteral("request_latency"));
    QCOMPARE(metrics.at(2).name, QStringLiteral("request_count"));
    QCOMPARE(metrics.last().name, QStringLiteral("total_token_throughput"));

    const LoadResult csv = loadInputs({dataPath(kAiperfRun + QStringLiteral("/profile_export_aiperf.csv"))});
    QCOMPARE(csv.summaries.size(), 1);
    QCOMPARE(csv.summaries.first().metrics.first().name, QStringLiteral("E2E Output Token Throughput"));
    QCOMPARE(csv.summaries.first().metrics.first().unit, QStringLiteral("tokens/sec/user"));
    QCOMPARE(csv.summaries.first().metrics.last().name, QStringLiteral("Total Token Throughput"));
}

// Seven runs appended to one bench_serving file: seven summaries, each named by its line and rate.
void TestSummaries::severalRunsSeveralSummaries()
{
    const LoadResult loaded = loadInputs({dataPath(QStringLiteral("sglang/datacrunch_llama_3_3_70b_online_output.jsonl"))});
    QCOMPARE(loaded.summaries.size(), 7);
    const double rates[] = {1, 2, 4, 8, 16, 4, 8};
    const double completed[] = {300, 600, 1200, 2400, 3200, 1200, 2400};
    for (int i = 0; i < 7; ++i) {
        const RunSummary &run = loaded.summaries[i];
        QVERIFY2(run.runLabel.startsWith(QStringLiteral("line %1: sglang, %2 req/s").arg(i + 1).arg(rates[i])),
                 qPrintable(run.runLabel));
        QVERIFY2(run.runLabel.endsWith(i < 5 ? QStringLiteral("random data") : QStringLiteral("sharegpt data")),
                 qPrintable(run.runLabel));
        QCOMPARE(run.metric(QStringLiteral("completed"))->statistic(QStringLiteral("value")), completed[i]);
    }
    QCOMPARE(loaded.summaries[3].metric(QStringLiteral("e2e_latency"))->statistic(QStringLiteral("mean")),
             52064.764045071985);
    QCOMPARE(loaded.summaries[6].metric(QStringLiteral("itl"))->statistic(QStringLiteral("median")), 17.667690059170127);
}

// A bench_serving file with a summary-only run and a detailed run: requests of one, summary of the other.
void TestSummaries::mixedRunsGiveRequestsAndSummaries()
{
    const LoadResult loaded = loadInputs({dataPath(QStringLiteral("sglang/sglang-oai-chat_1122_12_1024_64.jsonl"))});
    QCOMPARE(loaded.table.size(), 12);
    QCOMPARE(loaded.summaries.size(), 1);
    QVERIFY2(loaded.summaries.first().runLabel.startsWith(QStringLiteral("line 1: sglang-oai-chat, 2 req/s")),
             qPrintable(loaded.summaries.first().runLabel));
    QCOMPARE(loaded.summaries.first().metric(QStringLiteral("ttft"))->statistic(QStringLiteral("mean")), 38.9);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));

    // vLLM --append-result: a run saved without per-request data next to one with it.
    const QByteArray detailed = readData(QStringLiteral("vllm/openai-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.json"));
    const QByteArray aggregates("{\"endpoint_type\": \"openai\", \"request_rate\": \"inf\", \"max_concurrency\": 8, "
                                "\"model_id\": \"m\", \"completed\": 5, \"request_throughput\": 2.5, \"mean_ttft_ms\": 41.0, "
                                "\"p99_ttft_ms\": NaN, \"p99.9_itl_ms\": 12.5}");
    const LoadResult both = loadText(detailed.trimmed() + '\n' + aggregates + '\n');
    QVERIFY(both.table.size() > 0);
    QCOMPARE(both.summaries.size(), 1);
    const RunSummary &run = both.summaries.first();
    QCOMPARE(run.tool, QStringLiteral("vLLM bench serve"));
    QCOMPARE(run.runLabel, QStringLiteral("run 2: inf req/s, max concurrency 8, m"));
    QCOMPARE(run.metric(QStringLiteral("ttft"))->statistic(QStringLiteral("mean")), 41.0);
    QVERIFY(std::isnan(run.metric(QStringLiteral("ttft"))->statistic(QStringLiteral("p99")))); // NaN: not reported
    QCOMPARE(run.metric(QStringLiteral("itl"))->statistic(QStringLiteral("p99.9")), 12.5);
    QCOMPARE(run.metric(QStringLiteral("request_throughput"))->unit, QStringLiteral("req/s"));
}

void TestSummaries::resultsFolders_data()
{
    QTest::addColumn<QStringList>("files"); // copied into one folder (data path -> name)
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("summaries");

    QTest::newRow("AIPerf artifacts folder")
        << QStringList{kAiperfRun + QStringLiteral("/profile_export.jsonl"),
                       kAiperfRun + QStringLiteral("/profile_export_aiperf.json"),
                       kAiperfRun + QStringLiteral("/profile_export_aiperf.csv")}
        << 20 << 2;
    // token_benchmark_ray.py --results-dir: {model}_{in}_{out}_individual_responses.json + _summary.json.
    QTest::newRow("llmperf results folder")
        << QStringList{QStringLiteral("llmperf/llmperf-leaderboard_groq_70b_individual_responses.json=llama2-70b-4096_550_150_individual_responses.json"),
                       QStringLiteral("llmperf/llmperf-leaderboard_raw_data_summary_groq_70b.json=llama2-70b-4096_550_150_summary.json")}
        << 150 << 1;
}

// A tool's results folder opens: its per-request file loads, its summaries are kept as summaries.
void TestSummaries::resultsFolders()
{
    QFETCH(QStringList, files);
    QFETCH(int, requests);
    QFETCH(int, summaries);
    QTemporaryDir dir;
    for (const QString &file : files) {
        const QStringList parts = file.split(QLatin1Char('='));
        const QString name = parts.size() > 1 ? parts[1] : QFileInfo(parts[0]).fileName();
        QVERIFY(QFile::copy(dataPath(parts[0]), dir.filePath(name)));
    }
    const LoadResult loaded = loadInputs({dir.path()});
    QCOMPARE(loaded.table.size(), requests);
    QCOMPARE(loaded.summaries.size(), summaries);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeSummaries(loaded)));
    for (const RunSummary &summary : loaded.summaries)
        QVERIFY2(summary.source.startsWith(dir.path()), qPrintable(summary.source));
}

// A summary in which no statistic can be read is not a summary: an Error, nothing loaded.
void TestSummaries::summaryWithoutStatistics()
{
    // AIPerf's shape for a run whose every request failed, without even the error tally's numbers.
    const LoadResult loaded =
        loadText("{\"schema_version\": \"1.0\", \"aiperf_version\": \"0.8.0\", \"error_request_count\": "
                 "{\"unit\": \"requests\", \"avg\": null}, \"input_config\": {}}");
    QCOMPARE(loaded.summaries.size(), 0);
    QVERIFY(!loaded.loadedAnything());
    QVERIFY2(findIssue(loaded, LoadIssue::Error, QStringLiteral("none of them could be read")),
             qPrintable(describeIssues(loaded)));

    // The same shape with its numbers (a real all-errors run) is a summary of one metric.
    const LoadResult errorsOnly =
        loadText("{\"schema_version\": \"1.0\", \"aiperf_version\": \"0.8.0\", \"error_request_count\": "
                 "{\"unit\": \"requests\", \"avg\": 20.0}, \"total_error_isl\": {\"unit\": \"tokens\", \"avg\": 190.0}}");
    QCOMPARE(errorsOnly.summaries.size(), 1);
    QCOMPARE(errorsOnly.summaries.first().metric(QStringLiteral("error_request_count"))->statistic(QStringLiteral("avg")),
             20.0);
}

// A damaged cell of a summary CSV is left out with its line named; the rest is read.
void TestSummaries::csvSummaryBadCell()
{
    const LoadResult loaded = loadText("Metric,avg,p99\nRequest Latency (ms),617.37,n/a\nTime to First Token (ms),389.57,1572.33\n",
                                       QStringLiteral("profile_export_aiperf.csv"));
    QCOMPARE(loaded.summaries.size(), 1);
    const LoadIssue *issue = findIssue(loaded, LoadIssue::Warning, QStringLiteral("p99 of Request Latency is not a number"));
    QVERIFY2(issue, qPrintable(describeIssues(loaded)));
    QCOMPARE(issue->line, 2);
    QVERIFY(loaded.isPartial());
    QCOMPARE(loaded.summaries.first().metric(QStringLiteral("Request Latency"))->statistic(QStringLiteral("avg")), 617.37);
    QCOMPARE(loaded.summaries.first().metric(QStringLiteral("Time to First Token"))->statistic(QStringLiteral("p99")),
             1572.33);
}

QTEST_GUILESS_MAIN(TestSummaries)
#include "tst_summaries.moc"
