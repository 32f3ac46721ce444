// TensorRT-LLM importers (docs/trtllm.md §2) through the public loader: every sample shape, the
// disaggregated join, and the issues a load reports.
//
// Every expected number was computed from the raw sample files by tests/tools/reference_values.py
// (decimal arithmetic, the phase pairs of docs/trtllm.md §4.2), never taken from Phaseline's output.

#include "testutils.h"

#include <QTemporaryDir>

#include <algorithm>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

// The samples under tests/data/trtllm, by the short tag used in row names.
struct Sample
{
    const char *tag;
    const char *path;
};
const Sample kSamples[] = {
    {"A", "trtllm/endpoint_A_agg_2025-09_no_server_stamps.json"},
    {"B_agg", "trtllm/endpoint_B_agg_server_stamps.json"},
    {"B_disagg", "trtllm/endpoint_B_disagg_wrapper.json"},
    {"C_agg", "trtllm/endpoint_C_agg_time_breakdown_metrics.json"},
    {"C_disagg", "trtllm/endpoint_C_disagg_time_breakdown_metrics_clock_offsets.json"},
    {"legacy_C", "trtllm/legacy_C_parser_tolerated_nestings.json"},
    {"readme_agg", "trtllm/verbatim_readme_aggregated_example.json"},
    {"readme_disagg", "trtllm/verbatim_readme_disaggregated_example.json"},
    {"D_agg", "trtllm/jsonl_D_agg"},
    {"D_disagg", "trtllm/jsonl_D_disagg"},
    {"sse_D", "trtllm/sse_D_trtllm.perf_metrics_event_payload.json"},
    // The same disaggregated run given as four files instead of a directory, and without the
    // disagg server's file (the context and generation workers pair up by disagg_request_id).
    {"D_disagg_files", "trtllm/jsonl_D_disagg/perf_metrics-disagg-router0-7731-20260901T101455Z.jsonl"
                       "+trtllm/jsonl_D_disagg/perf_metrics-server-ctx-node0-9102-20260901T101431Z.jsonl"
                       "+trtllm/jsonl_D_disagg/perf_metrics-server-gen-node0-9377-20260901T101433Z.jsonl"
                       "+trtllm/jsonl_D_disagg/perf_metrics-server-gen-node1-9380-20260901T101433Z.jsonl"},
    {"D_disagg_workers", "trtllm/jsonl_D_disagg/perf_metrics-server-ctx-node0-9102-20260901T101431Z.jsonl"
                         "+trtllm/jsonl_D_disagg/perf_metrics-server-gen-node0-9377-20260901T101433Z.jsonl"
                         "+trtllm/jsonl_D_disagg/perf_metrics-server-gen-node1-9380-20260901T101433Z.jsonl"},
    // The disagg server's records without their optional ctx/gen parts (TRTLLM.md: both are
    // optional in the JSONL era): recognised by disagg_server_arrival_time and joined to the
    // workers' records by disagg_request_id.
    {"D_disagg_bare_router", "trtllm/jsonl_D_disagg_router_without_parts.jsonl"
                             "+trtllm/jsonl_D_disagg/perf_metrics-server-ctx-node0-9102-20260901T101431Z.jsonl"
                             "+trtllm/jsonl_D_disagg/perf_metrics-server-gen-node0-9377-20260901T101433Z.jsonl"
                             "+trtllm/jsonl_D_disagg/perf_metrics-server-gen-node1-9380-20260901T101433Z.jsonl"},
    // Two runs on different hosts (different steady-clock origins) opened together.
    {"A+D_agg", "trtllm/endpoint_A_agg_2025-09_no_server_stamps.json+trtllm/jsonl_D_agg"},
};

const LoadResult &sample(const QString &tag)
{
    for (const Sample &entry : kSamples) {
        if (tag == QLatin1String(entry.tag))
            return loadOnce(QString::fromLatin1(entry.path)); // '+' joins inputs loaded together
    }
    qFatal("unknown sample tag %s", qPrintable(tag));
}

QStringList numberedIds(int first, int last, int step = 1)
{
    QStringList ids;
    for (int id = first; id <= last; id += step)
        ids << QString::number(id);
    return ids;
}

const QStringList kAggregatedPhases{
    QStringLiteral("ctx_preprocessing"), QStringLiteral("ctx_queue"), QStringLiteral("ctx_processing"),
    QStringLiteral("ctx_postprocessing"), QStringLiteral("decode")};

// The 12 segments that tile a disaggregated request's TTFT (docs/trtllm.md §4.2, without gen_queue).
const QStringList kTtftSegments{
    QStringLiteral("disagg_preprocessing"), QStringLiteral("ctx_preprocessing"), QStringLiteral("ctx_queue"),
    QStringLiteral("ctx_processing"), QStringLiteral("ctx_postprocessing"), QStringLiteral("disagg_relay"),
    QStringLiteral("gen_preprocessing"), QStringLiteral("gen_queue_wait"), QStringLiteral("gen_kv_transfer"),
    QStringLiteral("gen_post_transfer"), QStringLiteral("gen_postprocessing"), QStringLiteral("disagg_postprocessing")};

struct StepCounts
{
    int chunks = 0;
    int steps = 0;
};

StepCounts countSteps(const StepTable &steps, int row = -1)
{
    StepCounts counts;
    for (size_t i = 0; i < steps.size(); ++i) {
        if (row >= 0 && steps.request[i] != quint32(row))
            continue;
        (steps.kind[i] == StepTable::ContextChunk ? counts.chunks : counts.steps) += 1;
    }
    return counts;
}

// Index into the step table of the n-th entry of `kind` belonging to `row`, or -1.
int nthStep(const StepTable &steps, int row, StepTable::Kind kind, int n)
{
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps.request[i] == quint32(row) && steps.kind[i] == kind && n-- == 0)
            return int(i);
    }
    return -1;
}

QJsonObject timing(std::initializer_list<std::pair<const char *, double>> stamps)
{
    QJsonObject object;
    for (const auto &[name, seconds] : stamps)
        object.insert(QLatin1String(name), seconds);
    return object;
}

// A generation worker's record of a disaggregated request: arrival 1 ms before the KV transfer,
// a 4 ms transfer, first scheduled 1 ms after it.
QJsonObject generationRecord(int requestId, double arrival, const QJsonObject &keys)
{
    QJsonObject stamps = timing({{"server_arrival_time", arrival - 0.002},
                                 {"arrival_time", arrival},
                                 {"kv_cache_transfer_start", arrival + 0.001},
                                 {"kv_cache_transfer_end", arrival + 0.005},
                                 {"first_scheduled_time", arrival + 0.006},
                                 {"first_token_time", arrival + 0.016},
                                 {"server_first_token_time", arrival + 0.017},
                                 {"last_token_time", arrival + 1.0}});
    stamps.insert(QStringLiteral("kv_cache_size"), 1048576);
    return workerRecord(requestId, stamps, keys);
}

QJsonObject contextRecord(int requestId, double arrival, const QJsonObject &keys)
{
    return workerRecord(requestId,
                        timing({{"server_arrival_time", arrival - 0.002},
                                {"arrival_time", arrival},
                                {"first_scheduled_time", arrival + 0.003},
                                {"first_token_time", arrival + 0.050},
                                {"server_first_token_time", arrival + 0.052},
                                {"last_token_time", arrival + 0.050}}),
                        keys);
}

// A generated input large enough (~10 MB) to be split and parsed on all cores: `count` aggregated
// records, one a line, ctx_queue of record i = (i % 10 + 1) ms, and one record with a syntax
// error placed before the last three. `trickyStrings` ends every record with a string containing
// "}, {", which looks like a record boundary to a byte scan.
struct LargeInput
{
    QByteArray bytes;
    qint64 brokenLine = 0;
};

LargeInput largeInput(bool jsonl, bool trickyStrings, int count)
{
    // Plain string literals here: moc's tokenizer trips over escaped quotes in raw strings.
    const QByteArray note = trickyStrings ? QByteArray(", \"note\": \"a}, {\\\"request_id\\\": 0, b\"")
                                          : QByteArray(", \"note\": \"plain padding of similar length.\"");
    LargeInput input;
    input.bytes.reserve(count * 300);
    qint64 line = 1;
    if (!jsonl) {
        input.bytes += "[\n";
        ++line;
    }
    const auto append = [&](const QByteArray &record, bool last) {
        input.bytes += record;
        input.bytes += jsonl || last ? "\n" : ",\n";
        ++line;
    };
    const auto seconds = [](double value) { return QByteArray::number(value, 'f', 6); };
    for (int i = 0; i < count; ++i) {
        if (i == count - 3) {
            input.brokenLine = line;
            append(R"({"request_id": -1, "perf_metrics": {"timing_metrics": {"arrival_time" 5.0}}})", false);
        }
        const double arrival = 1000.0 + i * 0.001;
        append(R"({"request_id": )" + QByteArray::number(i)
                   + R"(, "perf_metrics": {"timing_metrics": {"arrival_time": )" + seconds(arrival)
                   + R"(, "first_scheduled_time": )" + seconds(arrival + (i % 10 + 1) / 1000.0)
                   + R"(, "first_token_time": )" + seconds(arrival + 0.05)
                   + R"(, "last_token_time": )" + seconds(arrival + 1.0) + R"(}}, "status": "complete")" + note + "}",
               i == count - 1);
    }
    if (!jsonl)
        input.bytes += "]\n";
    return input;
}

} // namespace

class TestTrtllmImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shapes_data();
    void shapes();
    void reportedPhases_data();
    void reportedPhases();
    void durations_data();
    void durations();
    void statistics_data();
    void statistics();
    void disaggregatedSegmentsTileTtft_data();
    void disaggregatedSegmentsTileTtft();
    void stamps_data();
    void stamps();
    void stepsPerRequest_data();
    void stepsPerRequest();
    void stepStampsStayOnWorkerClock_data();
    void stepStampsStayOnWorkerClock();
    void workerFilesAddDetailToTheJoin();
    void lostContextRecordIsReported();
    void partialLastLineIsSkippedWithWarning();
    void unmatchedRecordStaysSeparate();
    void repeatedIdsFromTwoWorkersStaySeparate();
    void ambiguousJoinIsRefused();
    void extraFileInRunDirectory_data();
    void extraFileInRunDirectory();
    void requestIdsAreKeptAsText();
    void largeInputSplitAcrossCores_data();
    void largeInputSplitAcrossCores();
    void smallParallelChunksChangeNothing_data();
    void smallParallelChunksChangeNothing();
};

void TestTrtllmImport::shapes_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QStringList>("ids"); // in any order
    QTest::addColumn<Role>("role");       // of every request
    QTest::addColumn<int>("contextChunks");
    QTest::addColumn<int>("generationSteps");

    QTest::newRow("A") << "A" << numberedIds(2, 11) << Role::Aggregated << 0 << 0;
    QTest::newRow("B_agg") << "B_agg" << numberedIds(2, 15) << Role::Aggregated << 0 << 0;
    QTest::newRow("B_disagg") << "B_disagg" << numberedIds(1001, 1019, 2) << Role::Disaggregated << 0 << 0;
    QTest::newRow("C_agg") << "C_agg" << numberedIds(2, 7) << Role::Aggregated << 6 << 25;
    QTest::newRow("C_disagg") << "C_disagg" << numberedIds(1001, 1007, 2) << Role::Disaggregated << 4 << 16;
    QTest::newRow("legacy_C") << "legacy_C" << numberedIds(41, 42) << Role::Aggregated << 0 << 3;
    QTest::newRow("readme_agg") << "readme_agg" << QStringList{QStringLiteral("0")} << Role::Aggregated << 0 << 0;
    QTest::newRow("readme_disagg") << "readme_disagg" << QStringList{QStringLiteral("3")} << Role::Disaggregated << 0
                                   << 0;
    QTest::newRow("D_agg") << "D_agg" << numberedIds(2, 9) << Role::Aggregated << 0 << 0;
    QTest::newRow("D_disagg") << "D_disagg" << numberedIds(500, 504) << Role::Disaggregated << 7 << 20;
    // The SSE payload carries no request id: only the count is checked.
    QTest::newRow("sse_D") << "sse_D" << QStringList() << Role::Aggregated << 0 << 0;
    QTest::newRow("D_disagg_files") << "D_disagg_files" << numberedIds(500, 504) << Role::Disaggregated << 7 << 20;
    QTest::newRow("D_disagg_workers") << "D_disagg_workers" << numberedIds(500, 504) << Role::Disaggregated << 7
                                      << 20;
    QTest::newRow("A+D_agg: ids repeat across hosts")
        << "A+D_agg" << numberedIds(2, 11) + numberedIds(2, 9) << Role::Aggregated << 0 << 0;
}

void TestTrtllmImport::shapes()
{
    QFETCH(QString, tag);
    QFETCH(QStringList, ids);
    QFETCH(Role, role);
    QFETCH(int, contextChunks);
    QFETCH(int, generationSteps);

    const LoadResult &loaded = sample(tag);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    QVERIFY(!loaded.formats.isEmpty());
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), ids.isEmpty() ? 1 : int(ids.size()));
    QStringList actualIds;
    for (int row = 0; row < table.size(); ++row) {
        QCOMPARE(table.role(row), role);
        actualIds << table.id(row);
    }
    if (!ids.isEmpty()) {
        actualIds.sort();
        ids.sort();
        QCOMPARE(actualIds, ids);
    }
    const StepCounts counts = countSteps(table.steps());
    QCOMPARE(counts.chunks, contextChunks);
    QCOMPARE(counts.steps, generationSteps);
}

void TestTrtllmImport::reportedPhases_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QStringList>("phases"); // catalogue order; every other phase is never recorded

    const QStringList engineOnly{QStringLiteral("ctx_queue"), QStringLiteral("ctx_processing"),
                                 QStringLiteral("decode")};
    QTest::newRow("A: no server stamps") << "A" << engineOnly;
    QTest::newRow("B_agg") << "B_agg" << kAggregatedPhases;
    QTest::newRow("B_disagg") << "B_disagg" << trtllmPhaseNames();
    QTest::newRow("C_agg") << "C_agg" << kAggregatedPhases;
    QTest::newRow("C_disagg") << "C_disagg" << trtllmPhaseNames();
    QTest::newRow("legacy_C") << "legacy_C" << kAggregatedPhases;
    QTest::newRow("readme_agg: no last token")
        << "readme_agg" << kAggregatedPhases.mid(0, 4);
    QTest::newRow("readme_disagg: no KV stamps, no last token")
        << "readme_disagg"
        << QStringList{QStringLiteral("disagg_preprocessing"), QStringLiteral("ctx_preprocessing"),
                       QStringLiteral("ctx_queue"),           QStringLiteral("ctx_processing"),
                       QStringLiteral("ctx_postprocessing"),  QStringLiteral("disagg_relay"),
                       QStringLiteral("gen_preprocessing"),   QStringLiteral("gen_queue"),
                       QStringLiteral("gen_postprocessing"),  QStringLiteral("disagg_postprocessing")};
    QTest::newRow("D_agg") << "D_agg" << kAggregatedPhases;
    QTest::newRow("D_disagg") << "D_disagg" << trtllmPhaseNames();
    QTest::newRow("sse_D") << "sse_D" << engineOnly;
    QTest::newRow("D_disagg_files") << "D_disagg_files" << trtllmPhaseNames();
    QStringList workerPhases = trtllmPhaseNames();
    workerPhases.removeAll(QStringLiteral("disagg_preprocessing"));
    workerPhases.removeAll(QStringLiteral("disagg_postprocessing"));
    QTest::newRow("D_disagg_workers: no disagg-server stamps") << "D_disagg_workers" << workerPhases;
    QTest::newRow("A+D_agg") << "A+D_agg" << kAggregatedPhases;
}

void TestTrtllmImport::reportedPhases()
{
    QFETCH(QString, tag);
    QFETCH(QStringList, phases);
    QCOMPARE(phaseNames(computeStatistics(sample(tag).table)), phases);
}

void TestTrtllmImport::durations_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<PhaseState>("state");
    QTest::addColumn<double>("ms"); // ignored when Missing

    using PhaseValues = std::initializer_list<std::pair<const char *, double>>;
    const auto recorded = [](const char *tag, const char *id, PhaseValues phases) {
        for (const auto &[phase, ms] : phases) {
            QTest::addRow("%s %s %s", tag, id, phase) << QString::fromLatin1(tag) << QString::fromLatin1(id)
                                                      << QString::fromLatin1(phase) << PhaseState::Recorded << ms;
        }
    };
    const auto missing = [](const char *tag, const char *id, std::initializer_list<const char *> phases) {
        for (const char *phase : phases) {
            QTest::addRow("%s %s %s missing", tag, id, phase) << QString::fromLatin1(tag) << QString::fromLatin1(id)
                                                              << QString::fromLatin1(phase) << PhaseState::Missing
                                                              << 0.0;
        }
    };

    // Shape A: engine stamps only.
    recorded("A", "7", {{"ctx_queue", 33.434}, {"ctx_processing", 57.396}, {"decode", 1315.665}});
    missing("A", "7", {"ctx_preprocessing", "ctx_postprocessing", "disagg_preprocessing", "gen_queue"});

    // Shape B aggregated: null server_first_token_time (5), first_scheduled_time absent (14).
    recorded("B_agg", "2", {{"ctx_preprocessing", 2.276}, {"ctx_queue", 0.91}, {"ctx_processing", 65.219},
                            {"ctx_postprocessing", 1.609}, {"decode", 1315.974}});
    recorded("B_agg", "5", {{"ctx_processing", 66.351}, {"decode", 1678.207}});
    missing("B_agg", "5", {"ctx_postprocessing"});
    recorded("B_agg", "14", {{"ctx_preprocessing", 3.865}, {"ctx_postprocessing", 1.866}, {"decode", 961.805}});
    missing("B_agg", "14", {"ctx_queue", "ctx_processing"});

    // Shape B disaggregated wrapper: all 14 phases, the NTP-skew record, the lost context record.
    recorded("B_disagg", "1001",
             {{"disagg_preprocessing", 1.443}, {"ctx_preprocessing", 3.082}, {"ctx_queue", 1.277},
              {"ctx_processing", 58.447}, {"ctx_postprocessing", 2.266}, {"disagg_relay", 1.783},
              {"gen_preprocessing", 2.148}, {"gen_queue", 7.282}, {"gen_queue_wait", 0.88},
              {"gen_kv_transfer", 4.96}, {"gen_post_transfer", 1.442}, {"gen_postprocessing", 11.065},
              {"disagg_postprocessing", 0.519}, {"decode", 1170.661}});
    QTest::newRow("B_disagg 1007 disagg_preprocessing anomaly")
        << QStringLiteral("B_disagg") << QStringLiteral("1007") << QStringLiteral("disagg_preprocessing")
        << PhaseState::Anomaly << -0.41;
    recorded("B_disagg", "1007", {{"ctx_preprocessing", 3.265}, {"disagg_relay", 0.979}});
    missing("B_disagg", "1013",
            {"disagg_preprocessing", "ctx_preprocessing", "ctx_queue", "ctx_processing", "ctx_postprocessing",
             "disagg_relay"});
    recorded("B_disagg", "1013",
             {{"gen_preprocessing", 2.621}, {"gen_queue", 5.053}, {"gen_kv_transfer", 3.829},
              {"gen_postprocessing", 11.149}, {"disagg_postprocessing", 0.493}, {"decode", 1226.588}});

    // Shape C: time_breakdown_metrics do not change the request's phases.
    recorded("C_agg", "4", {{"ctx_preprocessing", 2.175}, {"ctx_queue", 2.315}, {"ctx_processing", 54.948},
                            {"ctx_postprocessing", 1.349}, {"decode", 49.863}});
    recorded("C_agg", "6", {{"ctx_processing", 61.339}, {"decode", 50.084}});
    recorded("C_disagg", "1003",
             {{"disagg_preprocessing", 1.289}, {"ctx_preprocessing", 2.577}, {"ctx_queue", 0.979},
              {"ctx_processing", 64.206}, {"ctx_postprocessing", 2.395}, {"disagg_relay", 1.908},
              {"gen_preprocessing", 2.62}, {"gen_queue", 5.374}, {"gen_queue_wait", 0.421},
              {"gen_kv_transfer", 4.12}, {"gen_post_transfer", 0.833}, {"gen_postprocessing", 10.247},
              {"disagg_postprocessing", 0.68}, {"decode", 1263.936}});
    recorded("legacy_C", "41", {{"ctx_preprocessing", 2.519}, {"ctx_queue", 0.387}, {"ctx_processing", 48.787},
                                {"ctx_postprocessing", 1.104}, {"decode", 24.533}});
    recorded("legacy_C", "42", {{"ctx_queue", 13.49}, {"decode", 22.842}});

    // The README's toy values (seconds from 1.0).
    recorded("readme_agg", "0",
             {{"ctx_preprocessing", 2.0}, {"ctx_queue", 3.0}, {"ctx_processing", 20.0}, {"ctx_postprocessing", 2.0}});
    missing("readme_agg", "0", {"decode"});
    recorded("readme_disagg", "3",
             {{"disagg_preprocessing", 5.0}, {"ctx_preprocessing", 3.0}, {"ctx_queue", 5.0},
              {"ctx_processing", 27.0}, {"ctx_postprocessing", 3.0}, {"disagg_relay", 12.0},
              {"gen_preprocessing", 2.0}, {"gen_queue", 3.0}, {"gen_postprocessing", 28.0},
              {"disagg_postprocessing", 7.0}});
    missing("readme_disagg", "3", {"gen_queue_wait", "gen_kv_transfer", "gen_post_transfer", "decode"});

    // Shape D: JSONL, aggregated (first_scheduled_time null for 8) and a joined disaggregated run.
    recorded("D_agg", "7", {{"ctx_queue", 32.237}, {"ctx_processing", 59.443}});
    recorded("D_agg", "8", {{"ctx_preprocessing", 2.328}, {"ctx_postprocessing", 0.982}, {"decode", 1680.636}});
    missing("D_agg", "8", {"ctx_queue", "ctx_processing"});
    recorded("D_disagg", "500",
             {{"disagg_preprocessing", 1.012}, {"ctx_preprocessing", 2.097}, {"ctx_queue", 2.174},
              {"ctx_processing", 61.472}, {"ctx_postprocessing", 1.461}, {"disagg_relay", 2.001},
              {"gen_preprocessing", 2.024}, {"gen_queue", 7.093}, {"gen_queue_wait", 0.771},
              {"gen_kv_transfer", 4.632}, {"gen_post_transfer", 1.69}, {"gen_postprocessing", 11.537},
              {"disagg_postprocessing", 0.879}, {"decode", 1246.984}});
    recorded("D_disagg", "502", {{"ctx_queue", 2.285}, {"gen_kv_transfer", 5.431}});

    recorded("D_disagg_files", "500", {{"disagg_preprocessing", 1.012}, {"ctx_queue", 2.174}, {"disagg_relay", 2.001},
                                       {"gen_kv_transfer", 4.632}, {"decode", 1246.984}});
    recorded("D_disagg_workers", "500",
             {{"ctx_preprocessing", 2.097}, {"ctx_queue", 2.174}, {"ctx_processing", 61.472},
              {"ctx_postprocessing", 1.461}, {"disagg_relay", 2.001}, {"gen_preprocessing", 2.024},
              {"gen_queue", 7.093}, {"gen_kv_transfer", 4.632}, {"gen_postprocessing", 11.537}, {"decode", 1246.984}});
    missing("D_disagg_workers", "500", {"disagg_preprocessing", "disagg_postprocessing"});

    // Shape D per-request payload: Server-Timing durations on the X-TRTLLM-Start-End-Time stamps.
    recorded("sse_D", "", {{"ctx_queue", 3.428}, {"ctx_processing", 56.904}, {"decode", 961.665}});
    missing("sse_D", "", {"ctx_preprocessing"});
}

void TestTrtllmImport::durations()
{
    QFETCH(QString, tag);
    QFETCH(QString, id);
    QFETCH(QString, phase);
    QFETCH(PhaseState, state);
    QFETCH(double, ms);

    const RequestTable &table = sample(tag).table;
    const int row = rowOf(table, id);
    QVERIFY2(row >= 0, qPrintable(QStringLiteral("no single request with id '%1'").arg(id)));
    const int phaseIndex = table.phases().indexOf(phase);
    QVERIFY2(phaseIndex >= 0, qPrintable(QStringLiteral("no phase '%1' in the catalogue").arg(phase)));

    double actual = -12345.0;
    QCOMPARE(PhaseResolver(table).duration(phaseIndex, row, &actual), state);
    if (state != PhaseState::Missing)
        PHASELINE_COMPARE_MS(actual, ms);
}

void TestTrtllmImport::statistics_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<qint64>("count");
    QTest::addColumn<qint64>("missing");
    QTest::addColumn<qint64>("anomalies");
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("median");
    QTest::addColumn<double>("p90");
    QTest::addColumn<double>("p99");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");

    struct Row
    {
        const char *tag, *phase;
        qint64 count, missing, anomalies;
        double mean, median, p90, p99, min, max;
    };
    // Repeating decimals are given to 12 places (well inside the 1e-6 ms tolerance).
    const Row rows[] = {
        {"A", "ctx_queue", 10, 0, 0, 8.5546, 3.2395, 33.0677, 33.39737, 0.487, 33.434},
        {"A", "decode", 10, 0, 0, 1319.6378, 1315.121, 1569.022, 1650.6214, 970.675, 1659.688},
        {"B_agg", "ctx_queue", 13, 1, 0, 7.135923076923, 2.794, 27.2664, 33.77696, 0.861, 33.866},
        {"B_agg", "ctx_postprocessing", 12, 2, 0, 1.380833333333, 1.5315, 1.7166, 1.85038, 0.851, 1.866},
        {"B_agg", "decode", 14, 0, 0, 1312.718928571429, 1302.624, 1642.2266, 1674.38825, 938.884, 1678.207},
        {"B_disagg", "disagg_preprocessing", 8, 1, 1, 1.260625, 1.342, 1.5172, 1.57012, 0.808, 1.576},
        {"B_disagg", "ctx_queue", 9, 1, 0, 1.559, 1.288, 2.7842, 2.81012, 0.21, 2.813},
        {"B_disagg", "gen_kv_transfer", 10, 0, 0, 4.9731, 5.0, 5.7988, 6.14548, 3.606, 6.184},
        {"B_disagg", "decode", 10, 0, 0, 1182.2223, 1174.4395, 1227.5962, 1235.76262, 1151.527, 1236.67},
        {"C_agg", "ctx_queue", 6, 0, 0, 7.053166666667, 2.3045, 17.7015, 30.64395, 0.914, 32.082},
        {"C_agg", "decode", 6, 0, 0, 49.686666666667, 49.8435, 49.9735, 50.07295, 48.958, 50.084},
        {"C_disagg", "ctx_processing", 4, 0, 0, 59.86875, 59.3155, 63.0, 64.0854, 56.638, 64.206},
        {"C_disagg", "gen_queue", 4, 0, 0, 6.46, 6.3665, 7.5383, 7.71353, 5.374, 7.733},
        {"C_disagg", "disagg_postprocessing", 4, 0, 0, 0.68, 0.674, 0.7955, 0.84005, 0.527, 0.845},
        {"legacy_C", "ctx_queue", 2, 0, 0, 6.9385, 6.9385, 12.1797, 13.35897, 0.387, 13.49},
        {"readme_agg", "ctx_processing", 1, 0, 0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0},
        {"readme_disagg", "disagg_relay", 1, 0, 0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0},
        {"D_agg", "ctx_queue", 7, 1, 0, 7.064, 3.217, 14.9528, 30.50858, 1.515, 32.237},
        {"D_agg", "decode", 8, 0, 0, 1208.582875, 1116.48, 1686.2292, 1697.97492, 783.992, 1699.28},
        {"D_disagg", "ctx_processing", 5, 0, 0, 59.4414, 59.229, 60.9392, 61.41872, 57.668, 61.472},
        {"D_disagg", "gen_kv_transfer", 5, 0, 0, 5.1524, 4.937, 5.827, 6.0646, 4.632, 6.091},
        {"D_disagg", "decode", 5, 0, 0, 1235.1652, 1223.774, 1265.1076, 1275.98176, 1213.806, 1277.19},
        {"sse_D", "decode", 1, 0, 0, 961.665, 961.665, 961.665, 961.665, 961.665, 961.665},
        {"D_disagg_files", "ctx_queue", 5, 0, 0, 2.4354, 2.285, 2.851, 2.896, 2.041, 2.901},
        {"D_disagg_workers", "ctx_queue", 5, 0, 0, 2.4354, 2.285, 2.851, 2.896, 2.041, 2.901},
        {"D_disagg_workers", "disagg_relay", 5, 0, 0, 1.2416, 1.106, 1.6554, 1.96644, 0.962, 2.001},
        // disagg_server_arrival_time (router file) -> ctx server_arrival_time (ctx worker file).
        {"D_disagg_bare_router", "disagg_preprocessing", 5, 0, 0, 1.2958, 1.268, 1.514, 1.6058, 1.012, 1.616},
        {"D_disagg_bare_router", "ctx_processing", 5, 0, 0, 59.4414, 59.229, 60.9392, 61.41872, 57.668, 61.472},
        {"D_disagg_bare_router", "decode", 5, 0, 0, 1235.1652, 1223.774, 1265.1076, 1275.98176, 1213.806, 1277.19},
        {"A+D_agg", "ctx_preprocessing", 8, 10, 0, 2.888875, 3.0115, 3.5862, 3.77772, 1.821, 3.799},
        {"A+D_agg", "ctx_queue", 17, 1, 0, 7.940823529412, 3.217, 32.553, 33.36888, 0.487, 33.434},
        {"A+D_agg", "decode", 18, 0, 0, 1270.280055555556, 1307.911, 1665.9724, 1696.11052, 783.992, 1699.28},
    };
    for (const Row &r : rows) {
        QTest::addRow("%s %s", r.tag, r.phase) << QString::fromLatin1(r.tag) << QString::fromLatin1(r.phase)
                                               << r.count << r.missing << r.anomalies << r.mean << r.median << r.p90
                                               << r.p99 << r.min << r.max;
    }
}

void TestTrtllmImport::statistics()
{
    QFETCH(QString, tag);
    QFETCH(QString, phase);
    QFETCH(qint64, count);
    QFETCH(qint64, missing);
    QFETCH(qint64, anomalies);
    QFETCH(double, mean);
    QFETCH(double, median);
    QFETCH(double, p90);
    QFETCH(double, p99);
    QFETCH(double, min);
    QFETCH(double, max);

    const RequestTable &table = sample(tag).table;
    const StatisticsReport report = computeStatistics(table);
    QCOMPARE(report.requests, qint64(table.size()));
    const PhaseStatistics *stats = findPhase(report, phase);
    QVERIFY2(stats, qPrintable(QStringLiteral("phase '%1' not in the report").arg(phase)));
    QCOMPARE(stats->count, count);
    QCOMPARE(stats->missing, missing);
    QCOMPARE(stats->anomalies, anomalies);
    PHASELINE_COMPARE_MS(stats->mean, mean);
    PHASELINE_COMPARE_MS(stats->median, median);
    PHASELINE_COMPARE_MS(stats->p90, p90);
    PHASELINE_COMPARE_MS(stats->p99, p99);
    PHASELINE_COMPARE_MS(stats->min, min);
    PHASELINE_COMPARE_MS(stats->max, max);
}

void TestTrtllmImport::disaggregatedSegmentsTileTtft_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("id");
    QTest::addColumn<double>("ttftMs"); // disagg_server_first_token_time - disagg_server_arrival_time

    QTest::newRow("B_disagg 1001") << "B_disagg" << "1001" << 89.312;
    QTest::newRow("B_disagg 1007 (negative disagg_preprocessing)") << "B_disagg" << "1007" << 94.081;
    QTest::newRow("C_disagg 1005") << "C_disagg" << "1005" << 87.111;
    QTest::newRow("D_disagg 503") << "D_disagg" << "503" << 87.504;
}

// docs/design.md §3.1 / docs/trtllm.md §2 invariants: the 12 segments tile the disaggregated TTFT exactly,
// anomalies included (their negative width is what the NTP skew took from the next segment).
void TestTrtllmImport::disaggregatedSegmentsTileTtft()
{
    QFETCH(QString, tag);
    QFETCH(QString, id);
    QFETCH(double, ttftMs);

    const RequestTable &table = sample(tag).table;
    const int row = rowOf(table, id);
    QVERIFY(row >= 0);
    const PhaseResolver resolver(table);
    double sum = 0;
    for (const QString &segment : kTtftSegments) {
        double ms = 0;
        QVERIFY2(resolver.duration(table.phases().indexOf(segment), row, &ms) != PhaseState::Missing,
                 qPrintable(segment));
        sum += ms;
    }
    PHASELINE_COMPARE_MS(sum, ttftMs);
}

void TestTrtllmImport::stamps_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("stamp");
    QTest::addColumn<double>("seconds"); // absolute, as in the file; NaN = not recorded

    const double missing = qQNaN();
    QTest::newRow("A 2 ctx_last_token_time") << "A" << "2" << "ctx_last_token_time" << 1946967.77694;
    QTest::newRow("B_agg 5 null server_first_token_time")
        << "B_agg" << "5" << "ctx_server_first_token_time" << missing;
    QTest::newRow("B_agg 14 absent first_scheduled_time") << "B_agg" << "14" << "ctx_first_scheduled_time" << missing;
    QTest::newRow("B_disagg 1001 ctx_arrival_time") << "B_disagg" << "1001" << "ctx_arrival_time" << 352817.038641;
    QTest::newRow("B_disagg 1001 gen_kv_cache_transfer_start")
        << "B_disagg" << "1001" << "gen_kv_cache_transfer_start" << 352817.105442;
    QTest::newRow("B_disagg 1013 ctx_perf_metrics null") << "B_disagg" << "1013" << "ctx_arrival_time" << missing;
    QTest::newRow("readme_disagg 3 disagg_server_arrival_time")
        << "readme_disagg" << "3" << "disagg_server_arrival_time" << 1.995;
    QTest::newRow("D_disagg 500 disagg_ctx_dispatch_time")
        << "D_disagg" << "500" << "disagg_ctx_dispatch_time" << 4410022.122904;
    QTest::newRow("D_disagg 500 gen_first_scheduled_time")
        << "D_disagg" << "500" << "gen_first_scheduled_time" << 4410022.201882;
}

void TestTrtllmImport::stamps()
{
    QFETCH(QString, tag);
    QFETCH(QString, id);
    QFETCH(QString, stamp);
    QFETCH(double, seconds);

    const RequestTable &table = sample(tag).table;
    const int row = rowOf(table, id);
    QVERIFY(row >= 0);
    const double relative = table.stamp(stamp, row);
    if (qIsNaN(seconds)) {
        QVERIFY2(isMissing(relative), qPrintable(QString::number(relative, 'g', 17)));
        return;
    }
    QVERIFY(table.hasTimeOrigin());
    PHASELINE_COMPARE_NEAR(relative + table.timeOriginSeconds(), seconds, kToleranceSeconds);
}

void TestTrtllmImport::stepsPerRequest_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("contextChunks");
    QTest::addColumn<int>("generationSteps");

    QTest::newRow("C_agg 4: two chunks") << "C_agg" << "4" << 2 << 5;
    QTest::newRow("C_agg 6: no time_breakdown_metrics") << "C_agg" << "6" << 0 << 0;
    QTest::newRow("C_disagg 1001: both sides") << "C_disagg" << "1001" << 1 << 4;
    QTest::newRow("legacy_C 41: perf_metrics.step_metrics") << "legacy_C" << "41" << 0 << 2;
    QTest::newRow("legacy_C 42: perf_metrics.time_breakdown_metrics") << "legacy_C" << "42" << 0 << 1;
    QTest::newRow("D_disagg 500: from the worker files") << "D_disagg" << "500" << 2 << 4;
    QTest::newRow("D_disagg 502") << "D_disagg" << "502" << 1 << 4;
    QTest::newRow("D_disagg_workers 500: paired without the disagg server")
        << "D_disagg_workers" << "500" << 2 << 4;
}

void TestTrtllmImport::stepsPerRequest()
{
    QFETCH(QString, tag);
    QFETCH(QString, id);
    QFETCH(int, contextChunks);
    QFETCH(int, generationSteps);

    const RequestTable &table = sample(tag).table;
    const int row = rowOf(table, id);
    QVERIFY(row >= 0);
    const StepCounts counts = countSteps(table.steps(), row);
    QCOMPARE(counts.chunks, contextChunks);
    QCOMPARE(counts.steps, generationSteps);
}

void TestTrtllmImport::stepStampsStayOnWorkerClock_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("kind"); // StepTable::Kind
    QTest::addColumn<int>("index"); // n-th entry of that kind for the request
    QTest::addColumn<double>("forwardStart"); // seconds, as in the file (never offset-corrected)
    QTest::addColumn<double>("gpuForwardMs");
    QTest::addColumn<int>("iteration"); // checked for generation steps only

    const int chunk = StepTable::ContextChunk;
    const int step = StepTable::GenerationStep;
    QTest::newRow("C_agg 2 chunk 0") << "C_agg" << "2" << chunk << 0 << 2204518.889509 << 50.6857 << 0;
    QTest::newRow("C_agg 2 step 4") << "C_agg" << "2" << step << 4 << 2204518.986361 << 6.5512 << 5;
    QTest::newRow("C_disagg 1001 chunk 0 (+294065.985 s)")
        << "C_disagg" << "1001" << chunk << 0 << 646967.448586 << 51.7076 << 0;
    QTest::newRow("C_disagg 1001 step 0 (+9.971 s)")
        << "C_disagg" << "1001" << step << 0 << 352911.504831 << 6.6363 << 1;
    QTest::newRow("legacy_C 41 step 1 (scheduled_time)")
        << "legacy_C" << "41" << step << 1 << 1946970.16445 << 10.4417 << 2;
    QTest::newRow("D_disagg 500 chunk 0") << "D_disagg" << "500" << chunk << 0 << 4410022.128493 << 26.5793 << 0;
    QTest::newRow("D_disagg 500 step 0 (+0.993 s)") << "D_disagg" << "500" << step << 0 << 4410023.1953 << 6.0636 << 1;
}

void TestTrtllmImport::stepStampsStayOnWorkerClock()
{
    QFETCH(QString, tag);
    QFETCH(QString, id);
    QFETCH(int, kind);
    QFETCH(int, index);
    QFETCH(double, forwardStart);
    QFETCH(double, gpuForwardMs);
    QFETCH(int, iteration);

    const RequestTable &table = sample(tag).table;
    const int row = rowOf(table, id);
    QVERIFY(row >= 0);
    const StepTable &steps = table.steps();
    const int i = nthStep(steps, row, StepTable::Kind(kind), index);
    QVERIFY2(i >= 0, "no such step");
    PHASELINE_COMPARE_NEAR(steps.forwardStart[size_t(i)] + table.timeOriginSeconds(), forwardStart, kToleranceSeconds);
    PHASELINE_COMPARE_NEAR(double(steps.gpuForwardMs[size_t(i)]), gpuForwardMs, 1e-4); // stored as float
    if (kind == StepTable::GenerationStep)
        QCOMPARE(steps.iteration[size_t(i)], qint32(iteration));
}

// docs/trtllm.md §2 D: the disagg server's header-derived parts carry only timing; the worker files
// add iterations and the KV size, and the request keeps the servers it was routed to.
void TestTrtllmImport::workerFilesAddDetailToTheJoin()
{
    const RequestTable &table = sample(QStringLiteral("D_disagg")).table;
    const int row = rowOf(table, QStringLiteral("501"));
    QVERIFY(row >= 0);
    QCOMPARE(table.attribute(QStringLiteral("gen_kv_cache_size"), row), 139067392.0);
    QCOMPARE(table.attribute(QStringLiteral("ctx_first_iter"), row), 18227.0);
    QCOMPARE(table.attribute(QStringLiteral("gen_last_iter"), row), 40645.0);
    QCOMPARE(table.label(QStringLiteral("ctx_server"), row), QStringLiteral("http://ctx-node0:8001"));
    QCOMPARE(table.label(QStringLiteral("gen_server"), row), QStringLiteral("http://gen-node1:8002"));
    QCOMPARE(table.label(QStringLiteral("status"), row), QStringLiteral("complete"));
}

void TestTrtllmImport::lostContextRecordIsReported()
{
    const LoadResult &loaded = sample(QStringLiteral("B_disagg"));
    QVERIFY2(findIssue(loaded, LoadIssue::Warning, QStringLiteral("1013")), qPrintable(describeIssues(loaded)));
    QCOMPARE(loaded.table.label(QStringLiteral("ctx_server"), rowOf(loaded.table, QStringLiteral("1013"))),
             QStringLiteral("http://ctx-node0:8001"));
}

void TestTrtllmImport::partialLastLineIsSkippedWithWarning()
{
    const LoadResult &loaded = sample(QStringLiteral("D_agg"));
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const QVector<LoadIssue> warnings = issuesOf(loaded, LoadIssue::Warning);
    QCOMPARE(int(warnings.size()), 1);
    // 8 complete lines; the 9th is 76 bytes without a newline, starting at byte 3674.
    QVERIFY2(warnings.front().input.endsWith(QStringLiteral("perf_metrics-server-node17-48213-20260901T101502Z.jsonl")),
             qPrintable(warnings.front().input));
    QCOMPARE(warnings.front().line, qint64(9));
    QCOMPARE(warnings.front().byteOffset, qint64(3674));
    QCOMPARE(loaded.table.size(), 8);
    QVERIFY(rowsWithId(loaded.table, QStringLiteral("10")).empty());
}

// A generation record whose keys nobody else has: kept as a generation-only request and reported.
void TestTrtllmImport::unmatchedRecordStaysSeparate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(copyFiles(dataPath(QStringLiteral("trtllm/jsonl_D_disagg")), dir.path()));
    const QJsonObject keys{{QStringLiteral("ctx_request_id"), 1999}, {QStringLiteral("disagg_request_id"), 999},
                           {QStringLiteral("status"), QStringLiteral("complete")}};
    QVERIFY(!writeFile(dir.path(), QStringLiteral("perf_metrics-server-gen-node2-9999-20260901T101433Z.jsonl"),
                       jsonLine(generationRecord(77, 4410024.1, keys)))
                 .isEmpty());

    const LoadResult loaded = loadInputs({dir.path()});
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), 6);
    std::vector<int> generationRows;
    for (int row = 0; row < table.size(); ++row) {
        if (table.role(row) == Role::Generation)
            generationRows.push_back(row);
        else
            QCOMPARE(table.role(row), Role::Disaggregated);
    }
    QCOMPARE(int(generationRows.size()), 1);
    const int extra = generationRows.front();
    QCOMPARE(table.id(extra), QStringLiteral("999"));
    double ms = 0;
    QCOMPARE(PhaseResolver(table).duration(table.phases().indexOf(QStringLiteral("gen_kv_transfer")), extra, &ms),
             PhaseState::Recorded);
    PHASELINE_COMPARE_MS(ms, 4.0);
    const LoadIssue *warning = findIssue(loaded, LoadIssue::Warning, QStringLiteral("999"));
    QVERIFY2(warning, qPrintable(describeIssues(loaded)));
    // The five joined requests are untouched.
    QCOMPARE(rowsWithId(table, QStringLiteral("500")).size(), size_t(1));
    QCOMPARE(computeStatistics(table).requests, qint64(6));
}

// Request ids are per worker (docs/trtllm.md §2 A): equal ids from two aggregated workers are two requests.
void TestTrtllmImport::repeatedIdsFromTwoWorkersStaySeparate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QJsonObject status{{QStringLiteral("status"), QStringLiteral("complete")}};
    const auto worker = [&status](double arrival, double queueSeconds) {
        return workerRecord(1,
                            timing({{"arrival_time", arrival},
                                    {"first_scheduled_time", arrival + queueSeconds},
                                    {"first_token_time", arrival + 0.060},
                                    {"last_token_time", arrival + 1.0}}),
                            status);
    };
    QVERIFY(!writeFile(dir.path(), QStringLiteral("perf_metrics-server-nodeA-100-20260901T101502Z.jsonl"),
                       jsonLine(worker(5000.25, 0.002)))
                 .isEmpty());
    QVERIFY(!writeFile(dir.path(), QStringLiteral("perf_metrics-server-nodeB-200-20260901T101502Z.jsonl"),
                       jsonLine(worker(5000.5, 0.007)))
                 .isEmpty());

    const LoadResult loaded = loadInputs({dir.path()});
    QVERIFY2(loaded.issues.isEmpty(), qPrintable(describeIssues(loaded)));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), 2);
    const PhaseResolver resolver(table);
    const int queue = table.phases().indexOf(QStringLiteral("ctx_queue"));
    QList<double> queues;
    QStringList servers;
    for (int row = 0; row < table.size(); ++row) {
        QCOMPARE(table.id(row), QStringLiteral("1"));
        QCOMPARE(table.role(row), Role::Aggregated);
        double ms = 0;
        QCOMPARE(resolver.duration(queue, row, &ms), PhaseState::Recorded);
        queues << ms;
        servers << table.label(QStringLiteral("server"), row);
    }
    std::sort(queues.begin(), queues.end());
    PHASELINE_COMPARE_MS(queues[0], 2.0);
    PHASELINE_COMPARE_MS(queues[1], 7.0);
    QCOMPARE(int(servers.size()), 2);
    QVERIFY2(servers[0] != servers[1], qPrintable(servers.join(QStringLiteral(" / "))));
}

// Two generation records and one context record with the same ctx_request_id and no disagg-server
// record (e.g. a gen-only benchmark): the join must not guess, and says so.
void TestTrtllmImport::ambiguousJoinIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QJsonObject keys{{QStringLiteral("ctx_request_id"), 4242}};
    const QByteArray lines = jsonLine(contextRecord(10, 7000.0, keys)) + jsonLine(generationRecord(20, 7000.1, keys))
                             + jsonLine(generationRecord(21, 7000.2, keys));
    const QString path = writeFile(dir.path(), QStringLiteral("mixed.jsonl"), lines);
    QVERIFY(!path.isEmpty());

    const LoadResult loaded = loadInputs({path});
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const RequestTable &table = loaded.table;
    QCOMPARE(table.size(), 3);
    int contexts = 0, generations = 0;
    for (int row = 0; row < table.size(); ++row) {
        contexts += table.role(row) == Role::Context;
        generations += table.role(row) == Role::Generation;
    }
    QCOMPARE(contexts, 1);
    QCOMPARE(generations, 2);
    const LoadIssue *warning = findIssue(loaded, LoadIssue::Warning, QStringLiteral("4242"));
    QVERIFY2(warning, qPrintable(describeIssues(loaded)));
}

void TestTrtllmImport::extraFileInRunDirectory_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<bool>("warned"); // a warning must name the file

    QTest::newRow("README next to the JSONL") << "README.txt" << QByteArray("notes about this run\n") << true;
    QTest::newRow("binary log") << "gpu.log" << QByteArray("\x7f\x45\x4c\x46\x00\x01", 6) << true;
    // A worker that has not flushed its first batch yet: the same race as a partial last line.
    QTest::newRow("empty JSONL of a worker that has written nothing yet")
        << "perf_metrics-server-node18-48300-20260901T101503Z.jsonl" << QByteArray() << false;
}

// A run directory holds more than perf-metrics files; what is not a perf-metrics record is noted,
// never a reason to refuse the run.
void TestTrtllmImport::extraFileInRunDirectory()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, contents);
    QFETCH(bool, warned);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(copyFiles(dataPath(QStringLiteral("trtllm/jsonl_D_agg")), dir.path()));
    QVERIFY(!writeFile(dir.path(), name, contents).isEmpty());

    const LoadResult loaded = loadInputs({dir.path()});
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    QCOMPARE(loaded.table.size(), 8);
    if (warned) {
        const bool named = std::any_of(loaded.issues.begin(), loaded.issues.end(), [&name](const LoadIssue &issue) {
            return issue.severity == LoadIssue::Warning && issue.input.endsWith(name);
        });
        QVERIFY2(named, qPrintable(describeIssues(loaded)));
    }
}

// docs/phase-model.md §1: ids are strings; numeric ids are kept as their text, whatever their size.
void TestTrtllmImport::requestIdsAreKeptAsText()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray timingJson = R"({"timing_metrics": {"arrival_time": 5.0, "first_scheduled_time": 5.003}})";
    const QByteArray lines = R"({"request_id": 123456789012345678901234567890, "perf_metrics": )" + timingJson + "}\n"
                             + R"({"request_id": "req-7f3a", "perf_metrics": )" + timingJson + "}\n"
                             + R"({"request_id": 0, "perf_metrics": )" + timingJson + "}\n";
    const QString path = writeFile(dir.path(), QStringLiteral("ids.jsonl"), lines);
    QVERIFY(!path.isEmpty());

    const LoadResult loaded = loadInputs({path});
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    QCOMPARE(loaded.table.size(), 3);
    QCOMPARE(loaded.table.id(0), QStringLiteral("123456789012345678901234567890"));
    QCOMPARE(loaded.table.id(1), QStringLiteral("req-7f3a"));
    QCOMPARE(loaded.table.id(2), QStringLiteral("0"));
}

void TestTrtllmImport::largeInputSplitAcrossCores_data()
{
    QTest::addColumn<bool>("jsonl");
    QTest::addColumn<bool>("trickyStrings");

    QTest::newRow("JSON array") << false << false;
    QTest::newRow("JSON array, record boundaries inside strings") << false << true;
    QTest::newRow("JSONL") << true << false;
    QTest::newRow("JSONL, record boundaries inside strings") << true << true;
}

// docs/design.md §6: big inputs are split at record boundaries and parsed on both cores; the result
// (requests, statistics, the place of a broken record) must not depend on the split.
void TestTrtllmImport::largeInputSplitAcrossCores()
{
    QFETCH(bool, jsonl);
    QFETCH(bool, trickyStrings);

    const int count = 40000; // about 10 MB: more than two 4 MB chunks
    const LargeInput input = largeInput(jsonl, trickyStrings, count);
    QVERIFY(input.bytes.size() > 9 * 1024 * 1024);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeFile(dir.path(), jsonl ? QStringLiteral("big.jsonl") : QStringLiteral("big.json"),
                                   input.bytes);
    QVERIFY(!path.isEmpty());

    const LoadResult loaded = loadInputs({path});
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    const QVector<LoadIssue> warnings = issuesOf(loaded, LoadIssue::Warning);
    QVERIFY2(warnings.size() == 1, qPrintable(describeIssues(loaded)));
    QCOMPARE(warnings.front().line, input.brokenLine);
    QCOMPARE(loaded.table.size(), count);

    // 4000 each of 1..10 ms: p90 sits between the last 9 (rank 35999) and the first 10.
    const StatisticsReport report = computeStatistics(loaded.table);
    const PhaseStatistics *queue = findPhase(report, QStringLiteral("ctx_queue"));
    QVERIFY(queue);
    QCOMPARE(queue->count, qint64(count));
    PHASELINE_COMPARE_MS(queue->mean, 5.5);
    PHASELINE_COMPARE_MS(queue->median, 5.5);
    PHASELINE_COMPARE_MS(queue->p90, 9.1);
    PHASELINE_COMPARE_MS(queue->p99, 10.0);
    PHASELINE_COMPARE_MS(queue->min, 1.0);
    PHASELINE_COMPARE_MS(queue->max, 10.0);
    QCOMPARE(rowsWithId(loaded.table, QStringLiteral("39999")).size(), size_t(1));
}

void TestTrtllmImport::smallParallelChunksChangeNothing_data()
{
    largeInputSplitAcrossCores_data();
}

// LoadControl::parallelChunkBytes (the fuzzers' knob) cuts a small input as a big one is cut:
// the windows and chunks must give what one piece gives, in the same order.
void TestTrtllmImport::smallParallelChunksChangeNothing()
{
    QFETCH(bool, jsonl);
    QFETCH(bool, trickyStrings);

    const LargeInput input = largeInput(jsonl, trickyStrings, 300);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeFile(dir.path(), jsonl ? QStringLiteral("small.jsonl") : QStringLiteral("small.json"),
                                   input.bytes);
    QVERIFY(!path.isEmpty());
    const LoadResult whole = loadInputs({path});
    LoadControl control;
    control.parallelChunkBytes = 512;
    const LoadResult cut = loadInputs({path}, &control);

    QCOMPARE(cut.table.size(), whole.table.size());
    for (int row = 0; row < whole.table.size(); ++row)
        QCOMPARE(cut.table.id(row), whole.table.id(row));
    QCOMPARE(describeIssues(cut), describeIssues(whole));
    const StatisticsReport cutReport = computeStatistics(cut.table);
    const StatisticsReport wholeReport = computeStatistics(whole.table);
    const PhaseStatistics *queue = findPhase(cutReport, QStringLiteral("ctx_queue"));
    const PhaseStatistics *expected = findPhase(wholeReport, QStringLiteral("ctx_queue"));
    QVERIFY(queue && expected);
    QCOMPARE(queue->count, expected->count);
    PHASELINE_COMPARE_MS(queue->mean, expected->mean);
    PHASELINE_COMPARE_MS(queue->p99, expected->p99);
}

QTEST_GUILESS_MAIN(TestTrtllmImport)
#include "tst_trtllmimport.moc"
