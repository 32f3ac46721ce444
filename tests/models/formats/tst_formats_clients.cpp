// Benchmark-client importers (docs/formats.md §1a vLLM bench, §3b GenAI-Perf, §3c llmperf, §3d
// GuideLLM) through the public loader.
//
// Expected values come from tests/data/clients/ground_truth.json, the scenario every sample was
// written from (shared/data/samples/_generator/gen_samples.py): per request the test compares
// against the ground truth's own stamps; the statistics were printed by
// tests/tools/client_reference_values.py (standard library, no Phaseline code). Where a format
// records a boundary a fixed time away from the ground truth's, the offset is the one
// gen_samples.py wrote and is stated in the sample table below.

#include "testutils.h"

#include "formats/formatimporter.h"
#include "formats/lenientjson.h"
#include "trtllm/trtllmimporter.h"

#include <QJsonArray>
#include <QTemporaryDir>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

const QString kVllm = QStringLiteral("vLLM bench serve result JSON");
const QString kGuideLlm = QStringLiteral("GuideLLM benchmarks.json");
const QString kGenAiPerf = QStringLiteral("GenAI-Perf profile_export.json");
const QString kLlmperf = QStringLiteral("llmperf individual responses JSON");

// How a table row finds its ground-truth request.
enum class Match {
    Index,       // row i is request i (vLLM keeps dispatch order, failed requests included)
    Send,        // absolute client_sent equals the request's send time (epoch formats)
    InputTokens, // input_tokens equals the request's prompt length (llmperf: completion order, no ids)
};

struct Sample
{
    const char *tag;
    const char *path;
    const QString &format;
    int requests;
    int failed;
    Match match;
    double toleranceMs;   // precision of the format's numbers (see each row)
    double decodeExtraMs; // where the format's last-token boundary lies after the true last chunk
    double e2eExtraMs;    // where the format's end lies after the true last chunk
    const char *clock;    // start of every row's clock label
};

const Sample kSamples[] = {
    // start_times on the client's perf_counter; ttfts/latencies are differences of the truth's
    // doubles, start + ttft rounds at ~1e-10 s.
    {"vllm", "vllm/openai-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.json", kVllm, 12, 1, Match::Index, 1e-5, 0, 0,
     "vLLM bench client monotonic clock"},
    // Durations only; the end is ttft + sum(itls) (exact differences, summed).
    {"vllm_legacy", "vllm/vllm-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.legacy_benchmark_serving.json", kVllm, 12,
     1, Match::Index, 1e-5, 0, 0, "no wall clock"},
    // Epoch seconds; request_end = last chunk + 0.19 ms (gen_samples.py guidellm()).
    {"guidellm", "guidellm/benchmarks.json", kGuideLlm, 12, 1, Match::Send, 1e-3, 0, 0.19, "epoch"},
    // 0.2/0.3 shape, two benchmarks, the truth's stamps verbatim (tests/tools/make_guidellm_v03_fixture.py).
    {"guidellm_v03", "guidellm/guidellm_v0.3_two_benchmarks.json", kGuideLlm, 12, 1, Match::Send, 1e-5, 0, 0, "epoch"},
    // Epoch ns written from float seconds (±256 ns); [DONE] arrives 0.08 ms after the last chunk;
    // failed requests are not in the file.
    {"genai_perf", "genai-perf/profile_export.json", kGenAiPerf, 11, 0, Match::Send, 1e-3, 0, 0.08, "epoch"},
    // Durations only; end_to_end_latency_s ends 0.21 ms after the last chunk (after [DONE]) and
    // is the last-token boundary too; failed requests are not in the file.
    {"llmperf", "llmperf/meta-llama-Llama-3-1-8B-Instruct_1024_64_individual_responses.json", kLlmperf, 11, 0,
     Match::InputTokens, 1e-3, 0.21, 0.21, "no wall clock"},
};

const Sample &sample(const QString &tag)
{
    for (const Sample &entry : kSamples) {
        if (tag == QLatin1String(entry.tag))
            return entry;
    }
    qFatal("unknown sample %s", qPrintable(tag));
}

const QJsonArray &groundTruth()
{
    static const QJsonArray truth = [] {
        QFile file(dataPath(QStringLiteral("clients/ground_truth.json")));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read ground_truth.json");
        return QJsonDocument::fromJson(file.readAll()).array();
    }();
    return truth;
}

double truthValue(const QJsonObject &request, const char *key)
{
    return request.value(QLatin1String(key)).toDouble();
}

// The ground-truth request of `row`, or an empty object.
QJsonObject truthFor(const RequestTable &table, int row, Match match)
{
    for (const QJsonValue &value : groundTruth()) {
        const QJsonObject request = value.toObject();
        switch (match) {
        case Match::Index:
            if (request.value(QLatin1String("i")).toInt() == row)
                return request;
            break;
        case Match::Send:
            if (closeTo(table.timeOriginSeconds() + table.stamp(QStringLiteral("client_sent"), row),
                        truthValue(request, "send"), 1e-6))
                return request;
            break;
        case Match::InputTokens:
            if (table.attribute(QStringLiteral("input_tokens"), row) == truthValue(request, "prompt"))
                return request;
            break;
        }
    }
    return {};
}

// A phase of the catalogue (or a total) for one row: its state and duration.
PhaseState phaseOf(const RequestTable &table, const QString &name, int row, double *ms)
{
    const int phase = table.phases().indexOf(name);
    if (phase >= 0)
        return PhaseResolver(table).duration(phase, row, ms);
    const QVector<PhaseDefinition> &totals = table.phases().totals();
    for (int i = 0; i < totals.size(); ++i) {
        if (totals[i].name == name)
            return PhaseResolver(table, totals).duration(i, row, ms);
    }
    qFatal("no phase %s", qPrintable(name));
}

// Empty when phase `name` of `row` is recorded and lasts `expectedMs` within `tolerance` (or,
// for a NaN `expectedMs`, is missing); else what it is.
QString checkPhase(const RequestTable &table, const char *name, int row, double expectedMs, double tolerance)
{
    double ms = 0;
    const PhaseState state = phaseOf(table, QString::fromLatin1(name), row, &ms);
    const bool expectedMissing = isMissing(expectedMs);
    if (state == (expectedMissing ? PhaseState::Missing : PhaseState::Recorded)
        && (expectedMissing || closeTo(ms, expectedMs, tolerance)))
        return QString();
    return QStringLiteral("%1 of row %2: %3 (%4 ms), expected %5 ms")
        .arg(QLatin1String(name))
        .arg(row)
        .arg(state == PhaseState::Missing ? QStringLiteral("missing")
                                          : state == PhaseState::Anomaly ? QStringLiteral("anomaly")
                                                                         : QStringLiteral("recorded"))
        .arg(ms, 0, 'g', 17)
        .arg(expectedMs, 0, 'g', 17);
}

#define PHASELINE_EXPECT_PHASE(table, name, row, expectedMs, tolerance)                                              \
    do {                                                                                                              \
        const QString problem_ = checkPhase(table, name, row, expectedMs, tolerance);                                 \
        QVERIFY2(problem_.isEmpty(), qPrintable(problem_));                                                           \
    } while (false)

const PhaseStatistics *findStatistics(const StatisticsReport &report, const QString &name)
{
    if (const PhaseStatistics *phase = findPhase(report, name))
        return phase;
    for (const PhaseStatistics &total : report.totals) {
        if (total.name == name)
            return &total;
    }
    return nullptr;
}

// The importers of ours whose sniff() accepts `content`, by format name.
QStringList claimedBy(const QByteArray &content)
{
    QStringList names;
    for (const FormatImporter *importer : formatImporters()) {
        if (importer->sniff(std::string_view(content.constData(), size_t(content.size()))))
            names << importer->formatName();
    }
    return names;
}

QByteArray readData(const QString &relative)
{
    QFile file(dataPath(relative));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(relative));
    return file.readAll();
}

// Loads `contents` written to a temporary file.
LoadResult loadText(const QByteArray &contents, const char *name = "input.json")
{
    QTemporaryDir directory;
    const QString path = writeFile(directory.path(), QString::fromLatin1(name), contents);
    if (path.isEmpty())
        qFatal("cannot write a fixture");
    return loadInputs({path});
}

} // namespace

class TestFormatsClients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void samples_data();
    void groundTruthPerRequest_data() { samples_data(); }
    void groundTruthPerRequest();
    void statistics_data() { samples_data(); }
    void statistics();
    void labels_data() { samples_data(); }
    void labels();
    void sniffing_data() { samples_data(); }
    void sniffing();
    void realFiles_data();
    void realFiles();
    void othersNotClaimed_data();
    void othersNotClaimed();
    void unknownFileRejected();
    void aggregateOnly_data();
    void aggregateOnly();
    void guideLlmBenchmarks();
    void guideLlmSampledLists_data();
    void guideLlmSampledLists();
    void vllmTraps();
    void vllmAppendedRuns();
    void vllmLatenciesOnly();
    void genAiPerfNanosecondsAndFailures();
    void llmperfFailedRequest();
    void lenientJson();
};

void TestFormatsClients::samples_data()
{
    QTest::addColumn<QString>("tag");
    for (const Sample &entry : kSamples)
        QTest::newRow(entry.tag) << QString::fromLatin1(entry.tag);
}

// Every request of every sample: client TTFT, decode (first -> last chunk) and end to end
// against the ground truth; failed requests are marked failed and have no end.
void TestFormatsClients::groundTruthPerRequest()
{
    QFETCH(QString, tag);
    const Sample &entry = sample(tag);
    const LoadResult &loaded = loadOnce(QString::fromLatin1(entry.path));
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), entry.requests);
    QCOMPARE(loaded.formats, QStringList{entry.format});

    int failed = 0;
    QSet<int> matched;
    for (int row = 0; row < table.size(); ++row) {
        QCOMPARE(table.role(row), Role::Client);
        const QJsonObject truth = truthFor(table, row, entry.match);
        QVERIFY2(!truth.isEmpty(), qPrintable(QStringLiteral("row %1 matches no ground-truth request").arg(row)));
        const int index = truth.value(QLatin1String("i")).toInt();
        QVERIFY2(!matched.contains(index), "two rows matched the same request");
        matched.insert(index);
        if (truth.value(QLatin1String("failed_http_503")).toBool()) {
            ++failed;
            QVERIFY(table.label(QStringLiteral("status"), row) != QLatin1String("ok"));
            PHASELINE_EXPECT_PHASE(table, "e2e", row, kMissing, 0);
            PHASELINE_EXPECT_PHASE(table, "decode", row, kMissing, 0);
            PHASELINE_EXPECT_PHASE(table, "client_ttft", row, kMissing, 0);
            continue;
        }
        QCOMPARE(table.label(QStringLiteral("status"), row), QStringLiteral("ok"));
        const double send = truthValue(truth, "send");
        const double firstToken = truthValue(truth, "client_first_token");
        const double end = truthValue(truth, "client_end");
        PHASELINE_EXPECT_PHASE(table, "client_ttft", row, 1000 * (firstToken - send), entry.toleranceMs);
        PHASELINE_EXPECT_PHASE(table, "decode", row, 1000 * (end - firstToken) + entry.decodeExtraMs, entry.toleranceMs);
        PHASELINE_EXPECT_PHASE(table, "e2e", row, 1000 * (end - send) + entry.e2eExtraMs, entry.toleranceMs);
    }
    QCOMPARE(failed, entry.failed);
}

// Per-phase statistics over the 11 successful requests (tests/tools/client_reference_values.py).
void TestFormatsClients::statistics()
{
    QFETCH(QString, tag);
    const Sample &entry = sample(tag);
    struct Expected
    {
        const char *phase;
        qint64 count;
        double mean, median, p90, p99, min, max;
        double extraMs;
    };
    const Expected expected[] = {
        {"client_ttft", 11, 55.874672803, 45.316219330, 82.977771759, 123.213696480, 22.888422012, 127.684354782, 0},
        {"ttft", 11, 55.874672803, 45.316219330, 82.977771759, 123.213696480, 22.888422012, 127.684354782, 0},
        {"decode", 11, 702.180450613, 752.243280411, 864.666700363, 898.250532150, 408.150911331, 901.982069016,
         entry.decodeExtraMs},
        {"e2e", 11, 758.055123416, 833.311796188, 935.719728470, 957.187914848, 431.039333344, 959.573268890,
         entry.e2eExtraMs},
    };
    const StatisticsReport report = computeStatistics(loadOnce(QString::fromLatin1(entry.path)).table);
    QCOMPARE(report.requests, qint64(entry.requests));
    // The reference values are printed to 1e-9 ms.
    const double tolerance = std::max(entry.toleranceMs, 1e-8);
    for (const Expected &phase : expected) {
        const PhaseStatistics *actual = findStatistics(report, QString::fromLatin1(phase.phase));
        QVERIFY2(actual, phase.phase);
        QCOMPARE(actual->count, phase.count);
        QCOMPARE(actual->missing, qint64(entry.failed));
        QCOMPARE(actual->anomalies, qint64(0));
        PHASELINE_COMPARE_NEAR(actual->mean, phase.mean + phase.extraMs, tolerance);
        PHASELINE_COMPARE_NEAR(actual->median, phase.median + phase.extraMs, tolerance);
        PHASELINE_COMPARE_NEAR(actual->p90, phase.p90 + phase.extraMs, tolerance);
        PHASELINE_COMPARE_NEAR(actual->p99, phase.p99 + phase.extraMs, tolerance);
        PHASELINE_COMPARE_NEAR(actual->min, phase.min + phase.extraMs, tolerance);
        PHASELINE_COMPARE_NEAR(actual->max, phase.max + phase.extraMs, tolerance);
    }
}

// Clock domain, source and token counts on every row.
void TestFormatsClients::labels()
{
    QFETCH(QString, tag);
    const Sample &entry = sample(tag);
    const RequestTable &table = loadOnce(QString::fromLatin1(entry.path)).table;
    for (int row = 0; row < table.size(); ++row) {
        const QString clock = table.label(QStringLiteral("clock"), row);
        QVERIFY2(clock.startsWith(QLatin1String(entry.clock)), qPrintable(clock));
        QCOMPARE(isAlignedClock(clock), QByteArray(entry.clock) == "no wall clock");
        QVERIFY(table.label(QStringLiteral("source"), row).endsWith(QLatin1String(entry.path)));
        const bool durationsOnly = isAlignedClock(clock);
        // Durations-only requests start at 0 (their client queue wait first, when recorded).
        if (durationsOnly) {
            const double sent = table.stamp(QStringLiteral("client_sent"), row);
            const double enqueued = table.stampIndex(QStringLiteral("client_enqueued")) >= 0
                                        ? table.stamp(QStringLiteral("client_enqueued"), row)
                                        : kMissing;
            QCOMPARE(isMissing(enqueued) ? sent : enqueued, 0.0);
        }
        if (entry.format != kGenAiPerf) // its payload names no token count
            QVERIFY(!isMissing(table.attribute(QStringLiteral("input_tokens"), row)));
    }
}

// Each sample is claimed by exactly one registered importer, ours, and not by TensorRT-LLM's.
void TestFormatsClients::sniffing()
{
    QFETCH(QString, tag);
    const Sample &entry = sample(tag);
    const QByteArray content = readData(QString::fromLatin1(entry.path));
    QVERIFY(!TrtLlm::sniff(content.constData(), size_t(content.size())));
    QCOMPARE(claimedBy(content), QStringList{entry.format});
}

void TestFormatsClients::realFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("withDecode");
    // Counts from each file's PROVENANCE.md entry.
    QTest::newRow("vllm_benchmark_serving")
        << "vllm/serving_meta-llama-Llama-3.3-70B-Instruct_tp4_pp2_sharegpt_qps_04.json" << kVllm << 200 << 200;
    QTest::newRow("guidellm_0.5") << "guidellm/openai_gpt-oss-20b_tp4_quant-none_benchmarks.json" << kGuideLlm << 30
                                  << 30;
    QTest::newRow("llmperf_leaderboard") << "llmperf/llmperf-leaderboard_groq_70b_individual_responses.json" << kLlmperf
                                         << 150 << 150;
}

// Real files load completely, every request ok, with sane durations (positive, under an hour).
void TestFormatsClients::realFiles()
{
    QFETCH(QString, path);
    QFETCH(QString, format);
    QFETCH(int, requests);
    QFETCH(int, withDecode);
    const LoadResult &loaded = loadOnce(path);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    QCOMPARE(loaded.formats, QStringList{format});
    QCOMPARE(claimedBy(readData(path)), QStringList{format});
    QCOMPARE(loaded.table.size(), requests);
    const StatisticsReport report = computeStatistics(loaded.table);
    for (const char *name : {"client_ttft", "e2e"}) {
        const PhaseStatistics *phase = findStatistics(report, QString::fromLatin1(name));
        QVERIFY2(phase, name);
        QCOMPARE(phase->count, qint64(requests));
        QVERIFY(phase->min > 0 && phase->max < 3.6e6);
    }
    QCOMPARE(findStatistics(report, QStringLiteral("decode"))->count, qint64(withDecode));
    for (int row = 0; row < loaded.table.size(); ++row)
        QCOMPARE(loaded.table.label(QStringLiteral("status"), row), QStringLiteral("ok"));
}

void TestFormatsClients::othersNotClaimed_data()
{
    QTest::addColumn<QByteArray>("content");
    // SGLang bench_serving results (docs/formats.md §2b) share ttfts/itls and even vLLM's
    // max_concurrent_requests; their own keys decide (shape of shared/data/real/sglang-bench-serving).
    QTest::newRow("sglang_bench_detailed")
        << QByteArray("{\"backend\": \"sglang\", \"request_rate\": Infinity, \"completed\": 2, "
                      "\"total_output_tokens_retokenized\": 9, \"input_throughput\": 1.0, \"concurrency\": 1.5, "
                      "\"max_concurrent_requests\": 2, \"mean_ttft_ms\": 1.0, \"request_throughput\": 1.0, "
                      "\"ttfts\": [0.1, 0.2], \"itls\": [[0.01], []], \"errors\": [\"\", \"\"]}\n");
    QTest::newRow("sglang_bench_summary")
        << QByteArray("{\"backend\": \"sglang-oai-chat\", \"total_output_tokens_retokenized\": 429, "
                      "\"request_throughput\": 1.5, \"input_throughput\": 1415.9, \"mean_ttft_ms\": 38.9, "
                      "\"accept_length\": null}\n");
    // AIPerf per-record line and the aggregate export (other importers' formats).
    QTest::newRow("aiperf_record") << QByteArray(
        "{\"metadata\": {\"request_start_ns\": 1763851215250000000}, "
        "\"metrics\": {\"time_to_first_token\": {\"value\": 22.9, \"unit\": \"ms\"}}, \"error\": null}\n");
    QTest::newRow("aiperf_aggregate") << QByteArray(
        "{\"request_latency\": {\"unit\": \"ms\", \"avg\": 758.1, \"p50\": 833.3}, "
        "\"time_to_first_token\": {\"unit\": \"ms\", \"avg\": 55.9, \"p50\": 45.3}}");
    QTest::newRow("trtllm_array") << readData(QStringLiteral("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json"));
    QTest::newRow("array_of_numbers") << QByteArray("[1, 2, 3]");
    QTest::newRow("empty_object") << QByteArray("{}");
    QTest::newRow("truncated") << QByteArray("{\"experiments\": [");
}

// Files of other kinds are not claimed by any of the benchmark-client importers.
void TestFormatsClients::othersNotClaimed()
{
    QFETCH(QByteArray, content);
    for (const QString &name : claimedBy(content))
        QVERIFY2(name != kVllm && name != kGuideLlm && name != kGenAiPerf && name != kLlmperf, qPrintable(name));
}

// A JSON file of no known kind is an Error that lists the formats tried.
void TestFormatsClients::unknownFileRejected()
{
    const LoadResult loaded = loadText("{\"hello\": [1, 2, 3]}");
    QCOMPARE(loaded.table.size(), 0);
    const LoadIssue *issue = findIssue(loaded, LoadIssue::Error, QStringLiteral("not a recognised format"));
    QVERIFY2(issue, qPrintable(describeIssues(loaded)));
    for (const QString &format : {kVllm, kGuideLlm, kGenAiPerf, kLlmperf})
        QVERIFY2(issue->message.contains(format), qPrintable(issue->message));
}

void TestFormatsClients::aggregateOnly_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("format");
    QTest::newRow("vllm_aggregates") << QByteArray("{\"endpoint_type\": \"openai\", \"request_rate\": \"inf\", "
                                                   "\"completed\": 5, \"request_throughput\": 2.5, "
                                                   "\"mean_ttft_ms\": 41.0, \"p99_ttft_ms\": NaN}")
                                     << kVllm;
    QTest::newRow("llmperf_summary") << readData(QStringLiteral("llmperf/llmperf-leaderboard_raw_data_summary_groq_70b.json"))
                                     << kLlmperf;
}

// Aggregate-only result files load no fake requests: they are the tool's summary of the run
// (tst_summaries checks the values).
void TestFormatsClients::aggregateOnly()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, format);
    QCOMPARE(claimedBy(content), QStringList{format});
    const LoadResult loaded = loadText(content);
    QCOMPARE(loaded.table.size(), 0);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    QCOMPARE(loaded.summaries.size(), 1);
    QVERIFY(!loaded.summaries.first().metrics.isEmpty());
}

// Several benchmarks in one GuideLLM report: every request kept, each labelled with its benchmark.
void TestFormatsClients::guideLlmBenchmarks()
{
    const RequestTable &table = loadOnce(QStringLiteral("guidellm/guidellm_v0.3_two_benchmarks.json")).table;
    QMap<QString, int> perBenchmark;
    for (int row = 0; row < table.size(); ++row)
        ++perBenchmark[table.label(QStringLiteral("benchmark"), row)];
    const QMap<QString, int> expected{{QStringLiteral("1: synchronous"), 6}, {QStringLiteral("2: constant 4 req/s"), 6}};
    QCOMPARE(perBenchmark, expected);
    const int failed = rowOf(table, QStringLiteral("gt-9"));
    QVERIFY(failed >= 0);
    QCOMPARE(table.label(QStringLiteral("status"), failed),
             QStringLiteral("HTTPStatusError: Server error '503 Service Unavailable'"));
    // The scheduler's target time is 1 ms before the send in the fixture (epoch doubles: ±2.4e-4 ms).
    PHASELINE_EXPECT_PHASE(table, "client_wait", 0, 1.0, 1e-3);
}

// GuideLLM 0.3 could down-sample the per-status lists: a list shorter than the count the run
// made is reported. 0.2 counts in run_stats.requests_made; 0.3.1's set_sample_size() keeps the
// counts in the benchmark's request_totals and the sample sizes in request_samples.
void TestFormatsClients::guideLlmSampledLists_data()
{
    QTest::addColumn<QString>("countsAt");
    QTest::addColumn<int>("keep");
    QTest::addColumn<QString>("expected");
    QTest::newRow("0.2 run_stats.requests_made") << QStringLiteral("run_stats") << 6
                                                 << QStringLiteral("holds 6 of its 60 successful requests");
    QTest::newRow("0.3.1 request_totals + request_samples")
        << QStringLiteral("request_totals") << 4 << QStringLiteral("holds 4 of its 60 successful requests");
}

void TestFormatsClients::guideLlmSampledLists()
{
    QFETCH(QString, countsAt);
    QFETCH(int, keep);
    QFETCH(QString, expected);
    QJsonObject report = QJsonDocument::fromJson(readData(QStringLiteral("guidellm/guidellm_v0.3_two_benchmarks.json"))).object();
    QJsonArray benchmarks = report.value(QLatin1String("benchmarks")).toArray();
    QJsonObject first = benchmarks.at(0).toObject();
    const QJsonObject counts{{QStringLiteral("successful"), 60}, {QStringLiteral("incomplete"), 0},
                             {QStringLiteral("errored"), 0}, {QStringLiteral("total"), 60}};
    if (countsAt == QLatin1String("run_stats")) {
        first[QStringLiteral("run_stats")] = QJsonObject{{QStringLiteral("requests_made"), counts}};
    } else {
        first.remove(QStringLiteral("run_stats"));
        first[QStringLiteral("request_totals")] = counts;
        first[QStringLiteral("request_samples")] = QJsonObject{{QStringLiteral("successful"), keep}};
    }
    QJsonObject requests = first.value(QLatin1String("requests")).toObject();
    QJsonArray successful = requests.value(QLatin1String("successful")).toArray();
    while (successful.size() > keep)
        successful.removeLast();
    requests[QStringLiteral("successful")] = successful;
    first[QStringLiteral("requests")] = requests;
    benchmarks[0] = first;
    report[QStringLiteral("benchmarks")] = benchmarks;
    const LoadResult loaded = loadText(QJsonDocument(report).toJson());
    QCOMPARE(loaded.table.size(), keep + 6);
    QVERIFY2(findIssue(loaded, LoadIssue::Warning, expected), qPrintable(describeIssues(loaded)));
}

// The traps of docs/formats.md §1a: "inf" request rate, bare Infinity/NaN tokens, the
// "request_goodput:" key, fewer ITLs than tokens, failed requests with zeros and tracebacks.
void TestFormatsClients::vllmTraps()
{
    const QByteArray content(
        "{\"date\": \"20250101-000000\", \"backend\": \"vllm\", \"request_rate\": \"inf\", \"burstiness\": Infinity,\n"
        " \"request_goodput:\": null, \"mean_ttft_ms\": NaN, \"request_throughput\": 1.0,\n"
        " \"input_lens\": [10, 20, 30, 40], \"output_lens\": [5, 4, 0, 3],\n"
        " \"ttfts\": [0.1, 0.2, 0.0, NaN], \"itls\": [[0.01, 0.02], [0.03], [], [0.01, -Infinity]],\n"
        " \"generated_texts\": [\"NaN \\\"Infinity\\\"\", \"b\", \"\", \"c\"],\n"
        " \"errors\": [\"\", \"\", \"Traceback (most recent call last):\\n  File \\\"x.py\\\"\\n"
        "aiohttp.ClientConnectorError: refused\\n\", \"\"]}\n");
    QCOMPARE(claimedBy(content), QStringList{kVllm});
    const LoadResult loaded = loadText(content);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), 4);
    // Request 0: 5 tokens in 3 chunks; the end is the last chunk (ttft + sum of the ITLs).
    PHASELINE_EXPECT_PHASE(table, "client_ttft", 0, 100.0, 1e-9);
    PHASELINE_EXPECT_PHASE(table, "decode", 0, 30.0, 1e-9);
    QCOMPARE(table.attribute(QStringLiteral("output_chunks"), 0), 3.0);
    QCOMPARE(table.attribute(QStringLiteral("output_tokens"), 0), 5.0);
    PHASELINE_EXPECT_PHASE(table, "e2e", 1, 230.0, 1e-9);
    // Request 2 failed: the traceback's last line is its status, its zeros are not timings.
    QCOMPARE(table.label(QStringLiteral("status"), 2), QStringLiteral("aiohttp.ClientConnectorError: refused"));
    PHASELINE_EXPECT_PHASE(table, "client_ttft", 2, kMissing, 0);
    PHASELINE_EXPECT_PHASE(table, "e2e", 2, kMissing, 0);
    // Request 3: a NaN TTFT is not recorded, so neither is anything after it.
    PHASELINE_EXPECT_PHASE(table, "client_ttft", 3, kMissing, 0);
    PHASELINE_EXPECT_PHASE(table, "e2e", 3, kMissing, 0);
    QVERIFY(isAlignedClock(table.label(QStringLiteral("clock"), 0)));
}

// --append-result: several runs in one file, each its own benchmark and clock domain; a run
// saved without per-request arrays is reported, the others load.
void TestFormatsClients::vllmAppendedRuns()
{
    const QByteArray content(
        "{\"endpoint_type\": \"openai\", \"request_rate\": 4.0, \"max_concurrency\": null, \"mean_ttft_ms\": 1,"
        " \"request_throughput\": 1, \"start_times\": [100.0, 100.5], \"ttfts\": [0.05, 0.06],"
        " \"itls\": [[0.01], [0.01]], \"latencies\": [0.06, 0.07], \"queue_times\": [0.0, 0.0],"
        " \"errors\": [\"\", \"\"]}\n"
        "{\"endpoint_type\": \"openai\", \"request_rate\": \"inf\", \"max_concurrency\": 2, \"mean_ttft_ms\": 1,"
        " \"request_throughput\": 1, \"start_times\": [7.0, 7.0], \"ttfts\": [0.05, 0.06],"
        " \"itls\": [[0.01], [0.01]], \"latencies\": [0.06, 0.07], \"queue_times\": [0.0, 0.5],"
        " \"errors\": [\"\", \"\"]}\n"
        "{\"endpoint_type\": \"openai\", \"request_rate\": 8.0, \"mean_ttft_ms\": 1, \"request_throughput\": 1}\n");
    const LoadResult loaded = loadText(content);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), 4);
    QCOMPARE(table.id(2), QStringLiteral("run 2/0"));
    QCOMPARE(table.label(QStringLiteral("benchmark"), 0), QStringLiteral("run 1: 4 req/s, max concurrency none"));
    QCOMPARE(table.label(QStringLiteral("benchmark"), 3), QStringLiteral("run 2: inf req/s, max concurrency 2"));
    QVERIFY(table.label(QStringLiteral("clock"), 0) == table.label(QStringLiteral("clock"), 1));
    QVERIFY(table.label(QStringLiteral("clock"), 1) != table.label(QStringLiteral("clock"), 2));
    // Request 1 of run 2 waited 0.5 s for the client's concurrency limit before it was sent at 7.0 s.
    PHASELINE_EXPECT_PHASE(table, "client_wait", 3, 500.0, 1e-6);
    // Run 3 was saved without per-request data: its statistics are its summary.
    QCOMPARE(loaded.summaries.size(), 1);
    QCOMPARE(loaded.summaries.first().runLabel, QStringLiteral("run 3: 8 req/s, max concurrency none"));
}

// Newer vLLM without --save-detailed keeps latencies and queue_times only: end-to-end
// durations load on the aligned clock, and the user is told that TTFT is absent.
void TestFormatsClients::vllmLatenciesOnly()
{
    const LoadResult loaded = loadText("{\"endpoint_type\": \"openai\", \"mean_ttft_ms\": 40.0, "
                                       "\"request_throughput\": 2.0, \"failed\": 1, \"latencies\": [0.5, 0.0], "
                                       "\"queue_times\": [0.1, 0.0]}");
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    QVERIFY(findIssue(loaded, LoadIssue::Warning, QStringLiteral("no per-request TTFTs")));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), 2);
    PHASELINE_EXPECT_PHASE(table, "e2e", 0, 500.0, 1e-9);
    PHASELINE_EXPECT_PHASE(table, "client_wait", 0, 100.0, 1e-9);
    QCOMPARE(table.stamp(QStringLiteral("client_enqueued"), 0), 0.0);
    QCOMPARE(table.label(QStringLiteral("status"), 1), QStringLiteral("failed (no timings recorded)"));
    PHASELINE_EXPECT_PHASE(table, "e2e", 1, kMissing, 0);
}

// Epoch nanoseconds beyond 2^53 stay exact; completions-style SSE (choices[0].text) is read;
// a request without responses is failed, not fast.
void TestFormatsClients::genAiPerfNanosecondsAndFailures()
{
    auto sse = [](const char *text) {
        return QJsonObject{{QStringLiteral("response"),
                            QStringLiteral("data: {\"choices\":[{\"index\":0,\"text\":\"%1\"}]}\n\n").arg(QLatin1String(text))}};
    };
    QJsonArray requests;
    requests.append(QJsonObject{
        {QStringLiteral("timestamp"), qint64(1763851215250000001)},
        {QStringLiteral("response_timestamps"),
         QJsonArray{qint64(1763851215260000001), qint64(1763851215270000003), qint64(1763851215280000001),
                    qint64(1763851215280000501)}},
        {QStringLiteral("response_outputs"),
         QJsonArray{sse(""), sse("Hello"), sse(" world"), QJsonObject{{QStringLiteral("response"), QStringLiteral("data: [DONE]\n\n")}}}}});
    requests.append(QJsonObject{{QStringLiteral("timestamp"), qint64(1763851215300000000)},
                                {QStringLiteral("response_timestamps"), QJsonArray{}},
                                {QStringLiteral("response_outputs"), QJsonArray{}}});
    const QJsonObject document{
        {QStringLiteral("experiments"),
         QJsonArray{QJsonObject{{QStringLiteral("experiment"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("concurrency")},
                                                                          {QStringLiteral("value"), 1}}},
                                {QStringLiteral("requests"), requests}}}},
        {QStringLiteral("version"), QString()},
        {QStringLiteral("service_kind"), QStringLiteral("openai")},
        {QStringLiteral("endpoint"), QStringLiteral("v1/completions")}};
    const QByteArray content = QJsonDocument(document).toJson();
    QCOMPARE(claimedBy(content), QStringList{kGenAiPerf});
    const LoadResult loaded = loadText(content);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), 2);
    QCOMPARE(table.timeOriginSeconds(), 1763851215.0);
    PHASELINE_COMPARE_NEAR(table.stamp(QStringLiteral("client_sent"), 0), 0.250000001, 1e-15);
    PHASELINE_EXPECT_PHASE(table, "client_response_wait", 0, 10.0, 1e-9);
    PHASELINE_EXPECT_PHASE(table, "client_ttft", 0, 20.000002, 1e-9);
    PHASELINE_EXPECT_PHASE(table, "decode", 0, 9.999998, 1e-9);
    PHASELINE_EXPECT_PHASE(table, "client_tail", 0, 0.0005, 1e-9);
    QCOMPARE(table.attribute(QStringLiteral("output_chunks"), 0), 2.0);
    QCOMPARE(table.label(QStringLiteral("status"), 1), QStringLiteral("failed (no response)"));
    PHASELINE_EXPECT_PHASE(table, "e2e", 1, kMissing, 0);
}

void TestFormatsClients::llmperfFailedRequest()
{
    const LoadResult loaded = loadText(
        "[{\"error_code\": 503, \"error_msg\": \"Service Unavailable\", \"inter_token_latency_s\": 0, \"ttft_s\": 0,"
        " \"end_to_end_latency_s\": 0, \"request_output_throughput_token_per_s\": 0, \"number_total_tokens\": 765,"
        " \"number_output_tokens\": 0, \"number_input_tokens\": 765},\n"
        " {\"error_code\": null, \"error_msg\": \"\", \"inter_token_latency_s\": 0.01, \"ttft_s\": 0.05,"
        " \"end_to_end_latency_s\": 0.25, \"request_output_throughput_token_per_s\": 80, \"number_total_tokens\": 120,"
        " \"number_output_tokens\": 20, \"number_input_tokens\": 100}]");
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), 2);
    QCOMPARE(table.label(QStringLiteral("status"), 0), QStringLiteral("HTTP 503: Service Unavailable"));
    PHASELINE_EXPECT_PHASE(table, "e2e", 0, kMissing, 0);
    PHASELINE_EXPECT_PHASE(table, "client_ttft", 0, kMissing, 0);
    PHASELINE_EXPECT_PHASE(table, "decode", 1, 200.0, 1e-9);
    QCOMPARE(table.attribute(QStringLiteral("output_tokens"), 1), 20.0);
}

// The shared tolerant reader: bare non-finite tokens become null outside strings only,
// integers stay exact, concatenated values are all read, errors point into the original text.
void TestFormatsClients::lenientJson()
{
    const LenientJson::Document document = LenientJson::parse(
        "{\"a\": \"NaN \\\"Infinity\\\"\", \"b\": NaN, \"c\": [-Infinity, 1, Infinity], \"d\": 9007199254740993}\n"
        "[1]\n");
    QVERIFY2(document.error.isEmpty(), qPrintable(document.error));
    QCOMPARE(document.nonFiniteTokens, 3);
    QCOMPARE(int(document.values.size()), 2);
    const QJsonObject first = document.values[0].value.toObject();
    QCOMPARE(first.value(QLatin1String("a")).toString(), QStringLiteral("NaN \"Infinity\""));
    QVERIFY(first.value(QLatin1String("b")).isNull());
    QVERIFY(first.value(QLatin1String("c")).toArray().at(0).isNull());
    QCOMPARE(LenientJson::integer(first.value(QLatin1String("d"))), qint64(9007199254740993));
    QCOMPARE(document.values[1].line, qint64(2));

    // The 'x' is at offset 21 of the original text; QJsonDocument reports the offset just past
    // it (24 in the copy, where each NaN became the one byte longer null).
    const LenientJson::Document broken = LenientJson::parse("{\"a\": NaN, \"b\": NaN, x}");
    QCOMPARE(broken.errorOffset, qint64(22));
    QCOMPARE(broken.errorLine, qint64(1));
    QVERIFY(broken.values.empty());

    const std::string_view text = "{\"x\": {\"y\": 1}, \"s\": \"}\\\"\", \"n\": -1.5e3, \"z\": [1, {\"k\": 2}]}";
    const std::vector<std::string_view> names = LenientJson::topLevelNames(text);
    QCOMPARE(int(names.size()), 4);
    QVERIFY(names[3] == "z");
}

QTEST_GUILESS_MAIN(TestFormatsClients)
#include "tst_formats_clients.moc"
