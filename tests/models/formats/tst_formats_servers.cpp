// Importers of docs/formats.md §1c, §2a, §2b and §3a: vLLM OpenTelemetry spans (OTLP JSON, Jaeger JSON),
// SGLang request-metrics exports (current and older keys), SGLang bench_serving output and AIPerf
// profile_export.jsonl.
//
// Expected phase durations and statistics come from tests/data/servers/expected.json, written by
// tests/tools/server_reference_values.py from the scenario's ground truth alone (its docstring
// states each format's mapping and tolerance). Stamps of the real files were read off the files
// by hand and are quoted beside each row.

#include "formats/formatimporter.h"
#include "testutils.h"
#include "trtllm/trtllmimporter.h"

#include <QJsonArray>
#include <QTemporaryDir>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

const QString kOtelFormat = QStringLiteral("vLLM OpenTelemetry spans (OTLP JSON, Jaeger JSON)");
const QString kAiperfFormat = QStringLiteral("AIPerf profile_export.jsonl");
const QString kSglangMetricsFormat = QStringLiteral("SGLang request metrics export (JSON lines)");
const QString kSglangBenchFormat = QStringLiteral("SGLang bench_serving output (JSON lines)");

const QJsonObject &expectations()
{
    static const QJsonObject expected = [] {
        QFile file(dataPath(QStringLiteral("servers/expected.json")));
        file.open(QIODevice::ReadOnly);
        return QJsonDocument::fromJson(file.readAll()).object();
    }();
    return expected;
}

QJsonObject expectationsFor(const QString &file)
{
    return expectations().value(file).toObject();
}

// Every sample with a ground truth, and the importer that must claim it.
const QList<QPair<QString, QString>> &groundTruthSamples()
{
    static const QList<QPair<QString, QString>> samples{
        {QStringLiteral("sglang/sglang-request-metrics-20251122_22.log"), kSglangMetricsFormat},
        {QStringLiteral("sglang/legacy_keys/sglang-request-metrics-20251122_22.log"), kSglangMetricsFormat},
        {QStringLiteral("sglang/sglang-oai-chat_1122_12_1024_64.jsonl"), kSglangBenchFormat},
        {QStringLiteral("aiperf/profile_export.jsonl"), kAiperfFormat},
        {QStringLiteral("vllm-otel/otlp_file_exporter_traces.jsonl"), kOtelFormat},
        {QStringLiteral("vllm-otel/jaeger_api_traces_service_vllm-server.json"), kOtelFormat},
    };
    return samples;
}

// The row whose request key (the id, or the prompt length where ids are random) is `key`.
int rowWithKey(const RequestTable &table, const QString &keyKind, const QString &key)
{
    for (int row = 0; row < table.size(); ++row) {
        const QString rowKey = keyKind == QLatin1String("id")
                                   ? table.id(row)
                                   : QString::number(table.attribute(QStringLiteral("input_tokens"), row));
        if (rowKey == key)
            return row;
    }
    return -1;
}

// A phase or total of the table's catalogue: its duration for `row`.
PhaseState durationOf(const RequestTable &table, const QString &name, int row, double *ms)
{
    const int phase = table.phases().indexOf(name);
    if (phase >= 0)
        return PhaseResolver(table).duration(phase, row, ms);
    const QVector<PhaseDefinition> &totals = table.phases().totals();
    for (int total = 0; total < totals.size(); ++total) {
        if (totals[total].name == name)
            return PhaseResolver(table, totals).duration(total, row, ms);
    }
    return PhaseState::Missing;
}

double toleranceFor(const QJsonObject &expected, const QString &phase)
{
    const QJsonObject tolerances = expected.value(QLatin1String("tolerance_ms")).toObject();
    return tolerances.value(phase).toDouble(tolerances.value(QLatin1String("*")).toDouble());
}

// Integer nanoseconds of a stamp: the table keeps an integral-second origin plus a small remainder.
qint64 stampNanoseconds(const RequestTable &table, const QString &stamp, int row)
{
    return qint64(table.timeOriginSeconds()) * 1000000000 + std::llround(table.stamp(stamp, row) * 1e9);
}

std::vector<const FormatImporter *> claimants(const QByteArray &content)
{
    std::vector<const FormatImporter *> found;
    for (const FormatImporter *importer : formatImporters()) {
        if (importer->sniff(std::string_view(content.constData(), size_t(content.size()))))
            found.push_back(importer);
    }
    return found;
}

QByteArray readData(const QString &relative)
{
    QFile file(dataPath(relative));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestFormatsServers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void samplesLoad_data();
    void samplesLoad();
    void phaseStatistics_data();
    void phaseStatistics();
    void requestPhases_data();
    void requestPhases();
    void failedRequestsStayFailed_data();
    void failedRequestsStayFailed();
    void otelEngineStampsLandLate_data();
    void otelEngineStampsLandLate();
    void nanosecondStampsExact_data();
    void nanosecondStampsExact();
    void realFiles_data();
    void realFiles();
    void sniffing_data();
    void sniffing();
    void othersNotClaimed_data();
    void othersNotClaimed();
    void badInput_data();
    void badInput();
    void prefillSplitSurvivesMerging_data();
    void prefillSplitSurvivesMerging();
};

void TestFormatsServers::samplesLoad_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    for (const auto &[file, format] : groundTruthSamples())
        QTest::newRow(qPrintable(file)) << file << format;
}

void TestFormatsServers::samplesLoad()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    const LoadResult &result = loadOnce(file);
    QVERIFY2(issuesOf(result, LoadIssue::Error).isEmpty(), qPrintable(describeIssues(result)));
    QCOMPARE(result.formats, QStringList{format});
    QCOMPARE(result.table.size(), expectationsFor(file).value(QLatin1String("requests")).toInt());
}

void TestFormatsServers::phaseStatistics_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<bool>("total");
    for (const auto &sample : groundTruthSamples()) {
        const QJsonObject expected = expectationsFor(sample.first);
        for (const char *group : {"phases", "totals"}) {
            for (const QString &phase : expected.value(QLatin1String(group)).toObject().keys())
                QTest::addRow("%s %s", qPrintable(sample.first), qPrintable(phase))
                    << sample.first << phase << (qstrcmp(group, "totals") == 0);
        }
    }
}

void TestFormatsServers::phaseStatistics()
{
    QFETCH(QString, file);
    QFETCH(QString, phase);
    QFETCH(bool, total);
    const QJsonObject expectedFile = expectationsFor(file);
    const QJsonObject expected =
        expectedFile.value(QLatin1String(total ? "totals" : "phases")).toObject().value(phase).toObject();
    const StatisticsReport report = computeStatistics(loadOnce(file).table);
    const QVector<PhaseStatistics> &group = total ? report.totals : report.phases;
    const auto found = std::find_if(group.begin(), group.end(), [&](const PhaseStatistics &s) { return s.name == phase; });
    QVERIFY2(found != group.end(), qPrintable(phase + QStringLiteral(" not in the report")));
    QCOMPARE(found->count, qint64(expected.value(QLatin1String("count")).toInt()));
    QCOMPARE(found->anomalies, qint64(0));
    const double tolerance = toleranceFor(expectedFile, phase);
    const std::pair<const char *, double> measured[] = {{"mean", found->mean}, {"median", found->median},
                                                         {"p90", found->p90},   {"p99", found->p99},
                                                         {"min", found->min},   {"max", found->max}};
    for (const auto &[name, value] : measured) {
        const double want = expected.value(QLatin1String(name)).toDouble();
        QVERIFY2(closeTo(value, want, tolerance), qPrintable(mismatch(name, value, want)));
    }
}

void TestFormatsServers::requestPhases_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<double>("expectedMs");
    // Three requests per file: the first sent, one queued behind the burst (4-6) and the last.
    for (const auto &sample : groundTruthSamples()) {
        const QJsonArray perRequest = expectationsFor(sample.first).value(QLatin1String("per_request")).toArray();
        for (int index : {0, 5, int(perRequest.size()) - 1}) {
            const QJsonObject request = perRequest.at(index).toObject();
            const QString key = request.value(QLatin1String("key")).toString();
            const QJsonObject phases = request.value(QLatin1String("phases")).toObject();
            for (const QString &phase : phases.keys()) {
                if (phase != QLatin1String("engine_stamps_late_by"))
                    QTest::addRow("%s %s %s", qPrintable(sample.first), qPrintable(key), qPrintable(phase))
                        << sample.first << key << phase << phases.value(phase).toDouble();
            }
        }
    }
}

void TestFormatsServers::requestPhases()
{
    QFETCH(QString, file);
    QFETCH(QString, key);
    QFETCH(QString, phase);
    QFETCH(double, expectedMs);
    const QJsonObject expected = expectationsFor(file);
    const RequestTable &table = loadOnce(file).table;
    const int row = rowWithKey(table, expected.value(QLatin1String("key")).toString(), key);
    QVERIFY2(row >= 0, qPrintable(QStringLiteral("no request %1").arg(key)));
    QCOMPARE(table.label(QStringLiteral("status"), row), QStringLiteral("ok"));
    double ms = 0;
    QCOMPARE(durationOf(table, phase, row, &ms), PhaseState::Recorded);
    QVERIFY2(closeTo(ms, expectedMs, toleranceFor(expected, phase)), qPrintable(mismatch("duration ms", ms, expectedMs)));
}

void TestFormatsServers::failedRequestsStayFailed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("status"); // what the status label starts with
    // Request 9 got HTTP 503 from the client's point of view; the server files never saw it.
    QTest::newRow("sglang bench") << QStringLiteral("sglang/sglang-oai-chat_1122_12_1024_64.jsonl")
                                  << QStringLiteral("Service Unavailable");
    QTest::newRow("aiperf") << QStringLiteral("aiperf/profile_export.jsonl") << QStringLiteral("Service Unavailable (503)");
}

void TestFormatsServers::failedRequestsStayFailed()
{
    QFETCH(QString, file);
    QFETCH(QString, status);
    const QJsonObject expected = expectationsFor(file);
    const RequestTable &table = loadOnce(file).table;
    const int row = rowWithKey(table, expected.value(QLatin1String("key")).toString(),
                               expected.value(QLatin1String("failed_key")).toString());
    QVERIFY(row >= 0);
    QVERIFY2(table.label(QStringLiteral("status"), row).startsWith(status), qPrintable(table.label(QStringLiteral("status"), row)));
    // Not a fast request: neither its time to first token nor its end to end is there.
    double ms = 0;
    QCOMPARE(durationOf(table, QStringLiteral("e2e"), row, &ms), PhaseState::Missing);
    QCOMPARE(durationOf(table, QStringLiteral("ttft"), row, &ms), PhaseState::Missing);
    QVERIFY(!isMissing(table.stamp(QStringLiteral("client_sent"), row))); // still placed where it was sent
}

void TestFormatsServers::otelEngineStampsLandLate_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("otlp") << QStringLiteral("vllm-otel/otlp_file_exporter_traces.jsonl");
    QTest::newRow("jaeger") << QStringLiteral("vllm-otel/jaeger_api_traces_service_vllm-server.json");
}

// docs/formats.md §1c and the generator's README: placing the engine intervals back from start + e2e
// puts every engine boundary 0.3-0.9 ms late (the output processing after the last token). The
// scheduled stamp minus the span start is then the true (scheduled - frontend arrival) plus that.
void TestFormatsServers::otelEngineStampsLandLate()
{
    QFETCH(QString, file);
    const QJsonObject expected = expectationsFor(file);
    const RequestTable &table = loadOnce(file).table;
    for (const QJsonValue &value : expected.value(QLatin1String("per_request")).toArray()) {
        const QJsonObject request = value.toObject();
        const int row = rowWithKey(table, QStringLiteral("input_tokens"), request.value(QLatin1String("key")).toString());
        QVERIFY(row >= 0);
        const QJsonObject phases = request.value(QLatin1String("phases")).toObject();
        const double lateMs = phases.value(QLatin1String("engine_stamps_late_by")).toDouble();
        QVERIFY2(lateMs >= 0.3 && lateMs <= 0.9, qPrintable(mismatch("late by", lateMs, 0.6)));
        const double placedMs =
            1000 * (table.stamp(QStringLiteral("last_token"), row) - table.stamp(QStringLiteral("server_received"), row));
        QVERIFY2(closeTo(placedMs, phases.value(QLatin1String("e2e")).toDouble(), toleranceFor(expected, QStringLiteral("e2e"))),
                 qPrintable(mismatch("start to last_token", placedMs, phases.value(QLatin1String("e2e")).toDouble())));
        QCOMPARE(table.label(QStringLiteral("approximations"), row).isEmpty(), false);
    }
}

void TestFormatsServers::nanosecondStampsExact_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("stamp");
    QTest::addColumn<qint64>("nanoseconds");
    // First record of the real AIPerf file (line 1), values as written there.
    const QString aiperf = QStringLiteral("aiperf/databloom_llama-3.2-3b-gguf_concurrency1_profile_export.jsonl");
    const QString request = QStringLiteral("d39017fa-b47f-47e7-88c1-f283df6274ca");
    QTest::newRow("aiperf credit_issued_ns") << aiperf << request << QStringLiteral("client_enqueued")
                                             << Q_INT64_C(1777310411637921696);
    QTest::newRow("aiperf request_start_ns") << aiperf << request << QStringLiteral("client_sent")
                                             << Q_INT64_C(1777310411639417152);
    QTest::newRow("aiperf request_ack_ns") << aiperf << request << QStringLiteral("client_response_start")
                                           << Q_INT64_C(1777310413124233013);
    QTest::newRow("aiperf request_end_ns") << aiperf << request << QStringLiteral("client_end")
                                           << Q_INT64_C(1777310413467628486);
    // request_start_ns + time_to_first_token 1701.6899509999998 ms (= 1701689951 ns).
    QTest::newRow("aiperf start + ttft") << aiperf << request << QStringLiteral("client_first_token")
                                         << Q_INT64_C(1777310413341107103);
    // First span of the real OTLP file: startTimeUnixNano "1782160417254223360" (a JSON string).
    QTest::newRow("otlp startTimeUnixNano") << QStringLiteral("vllm-otel/anud18_sample_vllm_spans.jsonl")
                                            << QStringLiteral("chatcmpl-a6242eaa46e8c33c")
                                            << QStringLiteral("server_received") << Q_INT64_C(1782160417254223360);
}

void TestFormatsServers::nanosecondStampsExact()
{
    QFETCH(QString, file);
    QFETCH(QString, id);
    QFETCH(QString, stamp);
    QFETCH(qint64, nanoseconds);
    const RequestTable &table = loadOnce(file).table;
    const int row = rowOf(table, id);
    QVERIFY(row >= 0);
    QCOMPARE(stampNanoseconds(table, stamp, row), nanoseconds);
}

void TestFormatsServers::realFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("failed");
    QTest::addColumn<int>("withEndToEnd");
    // Counts from the files' PROVENANCE.md: 100 requests, none failed, all with TTFT and chunks.
    QTest::newRow("sglang bench_serving, H100 70B")
        << QStringLiteral("sglang/tp4_dp2_Llama3.1-70B_in4096_out128_p100_c100_3168fa.jsonl") << kSglangBenchFormat
        << 100 << 0 << 100;
    // 20 requests, alternately ok and TimeoutError.
    QTest::newRow("aiperf, llama 3b gguf")
        << QStringLiteral("aiperf/databloom_llama-3.2-3b-gguf_concurrency1_profile_export.jsonl") << kAiperfFormat << 20
        << 10 << 10;
    QTest::newRow("otlp vLLM spans") << QStringLiteral("vllm-otel/anud18_sample_vllm_spans.jsonl") << kOtelFormat << 2
                                     << 0 << 2;
}

void TestFormatsServers::realFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    QFETCH(int, requests);
    QFETCH(int, failed);
    QFETCH(int, withEndToEnd);
    const LoadResult &result = loadOnce(file);
    QVERIFY2(result.issues.isEmpty(), qPrintable(describeIssues(result)));
    QCOMPARE(result.formats, QStringList{format});
    QCOMPARE(result.table.size(), requests);
    int failedRows = 0;
    int endToEnd = 0;
    for (int row = 0; row < result.table.size(); ++row) {
        failedRows += result.table.label(QStringLiteral("status"), row) != QLatin1String("ok");
        double ms = 0;
        if (durationOf(result.table, QStringLiteral("e2e"), row, &ms) == PhaseState::Recorded) {
            ++endToEnd;
            QVERIFY2(ms > 0 && ms < 600000, qPrintable(mismatch("e2e ms", ms, 0)));
        }
    }
    QCOMPARE(failedRows, failed);
    QCOMPARE(endToEnd, withEndToEnd);
}

void TestFormatsServers::sniffing_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    for (const auto &[file, format] : groundTruthSamples())
        QTest::newRow(qPrintable(file)) << file << format;
    QTest::newRow("real sglang bench") << QStringLiteral("sglang/tp4_dp2_Llama3.1-70B_in4096_out128_p100_c100_3168fa.jsonl")
                                       << kSglangBenchFormat;
    QTest::newRow("real aiperf") << QStringLiteral("aiperf/databloom_llama-3.2-3b-gguf_concurrency1_profile_export.jsonl")
                                 << kAiperfFormat;
    QTest::newRow("real otlp") << QStringLiteral("vllm-otel/anud18_sample_vllm_spans.jsonl") << kOtelFormat;
    QTest::newRow("otlp example, not vLLM") << QStringLiteral("vllm-otel/opentelemetry-proto_examples_trace.json")
                                            << kOtelFormat;
}

// The loader asks TensorRT-LLM first, then every registered importer in order: exactly one
// importer may claim each file.
void TestFormatsServers::sniffing()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    const QByteArray content = readData(file);
    QVERIFY(!content.isEmpty());
    QVERIFY(!TrtLlm::sniff(content.constData(), size_t(content.size())));
    const std::vector<const FormatImporter *> found = claimants(content);
    QCOMPARE(int(found.size()), 1);
    QCOMPARE(found.front()->formatName(), format);
}

void TestFormatsServers::othersNotClaimed_data()
{
    QTest::addColumn<QByteArray>("content");
    for (const char *file : {"trtllm/endpoint_B_agg_server_stamps.json", "trtllm/endpoint_B_disagg_wrapper.json",
                             "trtllm/sse_D_trtllm.perf_metrics_event_payload.json"})
        QTest::newRow(file) << readData(QString::fromLatin1(file));
    // Shapes of the other tools' files (docs/formats.md "Content sniffing"), reduced to their keys.
    QTest::newRow("vLLM bench result") << QByteArray(R"({"date": "20251122-224021", "endpoint_type": "openai",
        "total_token_throughput": 1.0, "mean_ttft_ms": 40.0, "request_throughput": 2.0, "ttfts": [0.04],
        "itls": [[0.01]], "start_times": [512034.1]})");
    QTest::newRow("vLLM bench legacy") << QByteArray(R"({"backend": "vllm", "request_goodput:": null,
        "total_token_throughput": 1.0, "ttfts": [0.04], "itls": [[0.01]], "mean_ttft_ms": 40.0})");
    QTest::newRow("GenAI-Perf export") << QByteArray(R"({"service_kind": "openai", "experiments": [{"experiment":
        {"mode": "request_rate", "value": 4}, "requests": [{"timestamp": 1, "response_timestamps": [2]}]}]})");
    QTest::newRow("GuideLLM report") << QByteArray(R"({"metadata": {"version": 2}, "benchmarks": [{"requests":
        {"successful": [], "errored": []}}]})");
    QTest::newRow("llmperf responses") << QByteArray(R"([{"ttft_s": 0.1, "end_to_end_latency_s": 1.0}])");
    QTest::newRow("Prometheus") << QByteArray("# HELP sglang:e2e_request_latency_seconds x\n"
                                              "# TYPE sglang:e2e_request_latency_seconds histogram\n");
}

void TestFormatsServers::othersNotClaimed()
{
    QFETCH(QByteArray, content);
    QVERIFY(!content.isEmpty());
    // The server-side importers tested here claim none of these (the other tools' own
    // importers may, and are tested with them).
    const QStringList serverFormats{QStringLiteral("AIPerf profile_export.jsonl"),
                                    QStringLiteral("vLLM OpenTelemetry spans (OTLP JSON, Jaeger JSON)"),
                                    QStringLiteral("SGLang bench_serving output (JSON lines)"),
                                    QStringLiteral("SGLang request metrics export (JSON lines)")};
    const std::vector<const FormatImporter *> found = claimants(content);
    QVERIFY(found.size() <= 1);
    for (const FormatImporter *importer : found)
        QVERIFY2(!serverFormats.contains(importer->formatName()), qPrintable(importer->formatName()));
}

void TestFormatsServers::badInput_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("severity"); // of the issue that must be there
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line"); // of that issue, -1 = not checked

    const QList<QByteArray> metrics = readData(QStringLiteral("sglang/sglang-request-metrics-20251122_22.log")).split('\n');
    const QByteArray threeLines = metrics[0] + '\n' + metrics[1] + '\n' + metrics[2] + '\n';
    QTest::newRow("sglang export, last line cut") << threeLines + metrics[3].left(200) << 3 << int(LoadIssue::Warning)
                                                  << QStringLiteral("the last line is incomplete") << 4;
    QTest::newRow("sglang export, broken line 2")
        << metrics[0] + "\n{\"e2e_latency\": 0.5, oops\n" + metrics[2] + '\n' + metrics[3] + '\n' << 3
        << int(LoadIssue::Warning) << QStringLiteral("not valid JSON") << 2;

    const QList<QByteArray> bench = readData(QStringLiteral("sglang/sglang-oai-chat_1122_12_1024_64.jsonl")).split('\n');
    // A summary-only run is the run's summary (tst_summaries): no request, no Error.
    QTest::newRow("sglang bench, summary only") << bench[0] + '\n' << 0 << -1 << QString() << -1;
    // Python's json.dump writes bare Infinity/NaN; the same words inside generated text are text.
    QTest::newRow("sglang bench, bare Infinity and NaN")
        << QByteArray(R"({"backend": "sglang", "request_rate": Infinity, "concurrency": NaN, "accept_length": null,
            "completed": 2, "mean_ttft_ms": NaN, "request_throughput": 1.0, "input_lens": [10, 20],
            "output_lens": [3, 2], "ttfts": [0.05, NaN], "itls": [[0.01, 0.02], [0.01]],
            "generated_texts": [" Infinity NaN \"ttfts\": [", " -Infinity"], "errors": ["", ""]})")
               + '\n'
        << 2 << -1 << QString() << -1;

    QTest::newRow("aiperf aggregate export")
        << QByteArray(R"({"request_throughput": {"unit": "requests/sec", "avg": 13.1},
            "request_latency": {"unit": "ms", "avg": 6550.3, "p50": 5799.8, "min": 4996.2, "max": 9383.3},
            "time_to_first_token": {"unit": "ms", "avg": 1588.7}, "input_config": {"endpoint": {"streaming": true}}})")
        << 0 << -1 << QString() << -1;
    QTest::newRow("aiperf, unknown time unit")
        << QByteArray(R"({"metadata": {"x_request_id": "a", "request_start_ns": 1763851215250000000,
            "request_end_ns": 1763851215750000000}, "metrics": {"time_to_first_token": {"value": 5, "unit": "fortnights"},
            "request_latency": {"value": 500.0, "unit": "ms"}}, "error": null})")
               + '\n'
        << 1 << int(LoadIssue::Warning) << QStringLiteral("unknown time unit") << 1;

    QTest::newRow("otlp, no llm_request span")
        << readData(QStringLiteral("vllm-otel/opentelemetry-proto_examples_trace.json")) << 0 << int(LoadIssue::Error)
        << QStringLiteral("not vLLM llm_request spans") << -1;
    QTest::newRow("otlp, error status")
        << QByteArray(R"({"resourceSpans": [{"resource": {"attributes": []}, "scopeSpans": [{"spans": [{"name": "llm_request",
            "spanId": "01", "startTimeUnixNano": 1763851215250000000, "attributes": [
            {"key": "gen_ai.latency.e2e", "value": {"doubleValue": 0.5}},
            {"key": "gen_ai.latency.time_in_model_inference", "value": {"doubleValue": 0.4}}],
            "status": {"code": 2, "message": "engine dead"}}]}]}]})")
               + '\n'
        << 1 << -1 << QString() << -1;
}

void TestFormatsServers::badInput()
{
    QFETCH(QByteArray, content);
    QFETCH(int, requests);
    QFETCH(int, severity);
    QFETCH(QString, message);
    QFETCH(int, line);
    QTemporaryDir directory;
    const QString path = writeFile(directory.path(), QStringLiteral("input.jsonl"), content);
    QVERIFY(!path.isEmpty());
    const LoadResult result = loadInputs({path});
    QCOMPARE(result.table.size(), requests);
    if (severity >= 0) {
        const LoadIssue *issue = findIssue(result, LoadIssue::Severity(severity), message);
        QVERIFY2(issue, qPrintable(describeIssues(result)));
        QCOMPARE(issue->input, path);
        if (line > 0)
            QCOMPARE(issue->line, qint64(line));
    } else {
        QVERIFY2(issuesOf(result, LoadIssue::Error).isEmpty(), qPrintable(describeIssues(result)));
    }
    for (int row = 0; row < result.table.size(); ++row) {
        double ms = 0;
        const bool ok = result.table.label(QStringLiteral("status"), row) == QLatin1String("ok");
        const PhaseState ttft = durationOf(result.table, QStringLiteral("ttft"), row, &ms);
        // NaN TTFT is "not recorded"; a failed span keeps no duration that would read as fast.
        if (!ok || result.table.id(row) == QLatin1String("1"))
            QCOMPARE(ttft, PhaseState::Missing);
    }
}

void TestFormatsServers::prefillSplitSurvivesMerging_data()
{
    QTest::addColumn<QString>("inputs");
    const QString sglang = QStringLiteral("sglang/sglang-request-metrics-20251122_22.log");
    const QString aiperf = QStringLiteral("aiperf/profile_export.jsonl");
    QTest::newRow("sglang first") << sglang + QLatin1Char('+') + aiperf;
    QTest::newRow("sglang second") << aiperf + QLatin1Char('+') + sglang;
}

// SGLang splits the common prefill phase in two; loaded beside a file on the plain common
// catalogue, the split must stay a split (drawn instead of prefill, not on top of it).
void TestFormatsServers::prefillSplitSurvivesMerging()
{
    QFETCH(QString, inputs);
    const LoadResult &result = loadOnce(inputs);
    QCOMPARE(result.table.size(), 11 + 12);
    const PhaseCatalog &phases = result.table.phases();
    const int prefill = phases.indexOf(QStringLiteral("prefill"));
    QVERIFY(prefill >= 0);
    const QStringList children{QStringLiteral("prefill_launch_delay"), QStringLiteral("prefill_forward")};
    QCOMPARE(phases.at(prefill).children, children);
    QCOMPARE(phases.indexOf(children[0]), prefill + 1);
    QCOMPARE(phases.indexOf(children[1]), prefill + 2);
}

QTEST_GUILESS_MAIN(TestFormatsServers)
#include "tst_formats_servers.moc"
