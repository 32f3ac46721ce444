// The command-line contract of docs/design.md §5: argument parsing, `--stats` in its three formats,
// exit codes and the stderr message for unreadable inputs, and the real executable once.

#include "commandline.h"
#include "formats/metricssession.h"
#include "statscommand.h"
#include "testutils.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace Phaseline;
using namespace PhaselineTest;

Q_DECLARE_METATYPE(Phaseline::CommandLine::Mode)
Q_DECLARE_METATYPE(Phaseline::StatisticsFormat)

namespace {

const QString kDisaggSample = QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json");
const QString kAiperfRun = QStringLiteral("aiperf/artifacts/llama-3.2-3b-instruct-gguf_q4_k_m-openai-chat-concurrency1");
const QString kSummariesHeading = QStringLiteral("summaries (as reported by the tool, not recomputed):");

// The docs/design.md §5 keys of every phase object in the JSON output.
const QStringList kPhaseKeys{QStringLiteral("name"),      QStringLiteral("count"),  QStringLiteral("mean_ms"),
                             QStringLiteral("median_ms"), QStringLiteral("p90_ms"), QStringLiteral("p99_ms"),
                             QStringLiteral("min_ms"),    QStringLiteral("max_ms")};

CommandLine parse(const QStringList &arguments)
{
    return parseCommandLine(QStringList{QStringLiteral("phaseline")} + arguments);
}

struct StatsRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

StatsRun runStats(const QStringList &arguments)
{
    StatsRun run;
    const CommandLine command = parse(arguments);
    if (command.mode != CommandLine::Stats) {
        run.err = QStringLiteral("not a --stats command line: ") + command.error;
        return run;
    }
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.exitCode = runStatsCommand(command, out, err);
    return run;
}

QString describe(const StatsRun &run)
{
    return QStringLiteral("exit %1\n--- stdout:\n%2\n--- stderr:\n%3").arg(run.exitCode).arg(run.out, run.err);
}

struct ProcessRun
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs the real executable without any display: --version and --stats are headless (docs/design.md §5).
ProcessRun runExecutable(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QString::fromLatin1(name));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(PHASELINE_EXECUTABLE), arguments);
    ProcessRun run;
    run.finished = process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseValid_data();
    void parseValid();
    void parseCsvUnits();
    void prometheusServer();
    void parseInvalid_data();
    void parseInvalid();
    void recordOptions_data();
    void recordOptions();
    void statsJson();
    void statsCsv();
    void statsText();
    void emptyArray_data();
    void emptyArray();
    void unreadableInput_data();
    void unreadableInput();
    void partialInput_data();
    void partialInput();
    void executableVersion();
    void executableStatsJson();
    void executableStatsClientFormats_data();
    void executableStatsClientFormats();
    void executableExitCodes_data();
    void executableExitCodes();
    void executableExport_data();
    void executableExport();
    void statsFilter_data();
    void statsFilter();
    void badFilter_data();
    void badFilter();
    void executableFilter();
    void executableExportIntervalsNeedsIntervals();
    void summaryInputs_data();
    void summaryInputs();
    void summaryJson();
};

void TestCli::parseValid_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<CommandLine::Mode>("mode");
    QTest::addColumn<StatisticsFormat>("format");
    QTest::addColumn<QStringList>("inputs");
    QTest::addColumn<QSize>("exportSize");
    QTest::addColumn<QString>("exportView");

    const QSize defaultSize(1600, 900);
    const QString breakdown = QStringLiteral("breakdown");
    const QStringList one{QStringLiteral("run.json")};
    const auto row = [&](const char *name, QStringList arguments, CommandLine::Mode mode, StatisticsFormat format,
                         QStringList inputs, QSize size, QString view) {
        QTest::newRow(name) << arguments << mode << format << inputs << size << view;
    };
    const StatisticsFormat text = StatisticsFormat::Text;

    row("no arguments opens the window", {}, CommandLine::Window, text, {}, defaultSize, breakdown);
    row("inputs open the window", {QStringLiteral("a.json"), QStringLiteral("dir")}, CommandLine::Window, text,
        {QStringLiteral("a.json"), QStringLiteral("dir")}, defaultSize, breakdown);
    row("--stats defaults to text", {QStringLiteral("--stats"), QStringLiteral("run.json")}, CommandLine::Stats, text,
        one, defaultSize, breakdown);
    row("--stats --format text", {QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("text"),
                                  QStringLiteral("run.json")},
        CommandLine::Stats, text, one, defaultSize, breakdown);
    row("--stats --format csv", {QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("csv"),
                                 QStringLiteral("run.json")},
        CommandLine::Stats, StatisticsFormat::Csv, one, defaultSize, breakdown);
    row("--stats --format json", {QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json"),
                                  QStringLiteral("run.json")},
        CommandLine::Stats, StatisticsFormat::Json, one, defaultSize, breakdown);
    row("--format=json before --stats, two inputs",
        {QStringLiteral("--format=json"), QStringLiteral("--stats"), QStringLiteral("a.jsonl"), QStringLiteral("dir")},
        CommandLine::Stats, StatisticsFormat::Json, {QStringLiteral("a.jsonl"), QStringLiteral("dir")}, defaultSize,
        breakdown);
    row("--export png, default size and view", {QStringLiteral("--export"), QStringLiteral("out.png"),
                                                QStringLiteral("run.json")},
        CommandLine::Export, text, one, defaultSize, breakdown);
    row("--export svg --size 800x600 --view timeline",
        {QStringLiteral("--export"), QStringLiteral("out.svg"), QStringLiteral("--size"), QStringLiteral("800x600"),
         QStringLiteral("--view"), QStringLiteral("timeline"), QStringLiteral("run.json")},
        CommandLine::Export, text, one, QSize(800, 600), QStringLiteral("timeline"));
    row("--export upper-case suffix, --view stats",
        {QStringLiteral("--export"), QStringLiteral("OUT.PNG"), QStringLiteral("--view"), QStringLiteral("stats"),
         QStringLiteral("run.json")},
        CommandLine::Export, text, one, defaultSize, QStringLiteral("stats"));
    row("--export --view intervals",
        {QStringLiteral("--export"), QStringLiteral("out.png"), QStringLiteral("--view"), QStringLiteral("intervals"),
         QStringLiteral("run.json")},
        CommandLine::Export, text, one, defaultSize, QStringLiteral("intervals"));
    row("--size smallest", {QStringLiteral("--export"), QStringLiteral("out.png"), QStringLiteral("--size"),
                            QStringLiteral("16x16"), QStringLiteral("run.json")},
        CommandLine::Export, text, one, QSize(16, 16), breakdown);
    row("--size largest", {QStringLiteral("--export"), QStringLiteral("out.png"), QStringLiteral("--size=16384x16384"),
                           QStringLiteral("run.json")},
        CommandLine::Export, text, one, QSize(16384, 16384), breakdown);
    row("--version", {QStringLiteral("--version")}, CommandLine::Version, text, {}, defaultSize, breakdown);
    row("-v", {QStringLiteral("-v")}, CommandLine::Version, text, {}, defaultSize, breakdown);
    row("--help", {QStringLiteral("--help")}, CommandLine::Help, text, {}, defaultSize, breakdown);
    row("-h", {QStringLiteral("-h")}, CommandLine::Help, text, {}, defaultSize, breakdown);
}

void TestCli::parseValid()
{
    QFETCH(QStringList, arguments);
    QFETCH(CommandLine::Mode, mode);
    QFETCH(StatisticsFormat, format);
    QFETCH(QStringList, inputs);
    QFETCH(QSize, exportSize);
    QFETCH(QString, exportView);

    const CommandLine command = parse(arguments);
    QVERIFY2(command.error.isEmpty(), qPrintable(command.error));
    QCOMPARE(int(command.mode), int(mode));
    if (mode == CommandLine::Help || mode == CommandLine::Version) {
        QVERIFY(!command.helpText.isEmpty());
        return;
    }
    QCOMPARE(int(command.statsFormat), int(format));
    QCOMPARE(command.inputs, inputs);
    if (mode == CommandLine::Export) {
        QCOMPARE(command.exportSize, exportSize);
        QCOMPARE(command.exportView, exportView);
    }
}

void TestCli::parseInvalid_data()
{
    QTest::addColumn<QStringList>("arguments");

    const QString input = QStringLiteral("run.json");
    const auto exportWithSize = [&input](const char *size) {
        return QStringList{QStringLiteral("--export"), QStringLiteral("out.png"), QStringLiteral("--size"),
                           QString::fromLatin1(size), input};
    };
    QTest::newRow("bad --format") << QStringList{QStringLiteral("--stats"), QStringLiteral("--format"),
                                                 QStringLiteral("xml"), input};
    QTest::newRow("empty --format") << QStringList{QStringLiteral("--stats"), QStringLiteral("--format="), input};
    QTest::newRow("--format is case-sensitive")
        << QStringList{QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("JSON"), input};
    QTest::newRow("--stats without input") << QStringList{QStringLiteral("--stats")};
    QTest::newRow("--stats --format json without input")
        << QStringList{QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json")};
    QTest::newRow("--format without --stats") << QStringList{QStringLiteral("--format"), QStringLiteral("csv"), input};
    QTest::newRow("--stats with --export")
        << QStringList{QStringLiteral("--stats"), QStringLiteral("--export"), QStringLiteral("out.png"), input};
    QTest::newRow("--export without input") << QStringList{QStringLiteral("--export"), QStringLiteral("out.png")};
    QTest::newRow("--export to .jpg") << QStringList{QStringLiteral("--export"), QStringLiteral("out.jpg"), input};
    QTest::newRow("--export without suffix") << QStringList{QStringLiteral("--export"), QStringLiteral("out"), input};
    QTest::newRow("--view unknown")
        << QStringList{QStringLiteral("--export"), QStringLiteral("out.png"), QStringLiteral("--view"),
                       QStringLiteral("pie"), input};
    QTest::newRow("--size without --export") << QStringList{QStringLiteral("--size"), QStringLiteral("800x600"), input};
    QTest::newRow("--size one number") << exportWithSize("800");
    QTest::newRow("--size missing height") << exportWithSize("800x");
    QTest::newRow("--size three numbers") << exportWithSize("800x600x2");
    QTest::newRow("--size letters") << exportWithSize("wide x tall");
    QTest::newRow("--size upper-case X") << exportWithSize("800X600");
    QTest::newRow("--size too small") << exportWithSize("15x600");
    QTest::newRow("--size zero") << exportWithSize("0x0");
    QTest::newRow("--size too large") << exportWithSize("800x16385");
    QTest::newRow("--size negative") << exportWithSize("-800x600");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate"), input};
    for (const char *unit : {"ttft=minutes", "ttft", "=ms", "ttft=MS"})
        QTest::addRow("--csv-unit %s", unit) << QStringList{QStringLiteral("--stats"), QStringLiteral("--csv-unit"),
                                                            QString::fromLatin1(unit), input};
    QTest::newRow("--filter without --stats or --export") << QStringList{QStringLiteral("--filter"), QStringLiteral("e2e > 1"), input};
    QTest::newRow("--filter with --view window")
        << QStringList{QStringLiteral("--export"), QStringLiteral("out.png"), QStringLiteral("--view"),
                       QStringLiteral("window"), QStringLiteral("--filter"), QStringLiteral("e2e > 1"), input};
    QTest::newRow("--stats of a URL") << QStringList{QStringLiteral("--stats"), QStringLiteral("http://127.0.0.1:9/perf_metrics")};
    QTest::newRow("--record of a URL without a host")
        << QStringList{QStringLiteral("--record"), QStringLiteral("out.jsonl"), QStringLiteral("http:///perf_metrics")};
    const QString prometheus = QStringLiteral("prom+http://127.0.0.1:9090");
    QTest::newRow("--match of a file") << QStringList{QStringLiteral("--stats"), QStringLiteral("--match"), QStringLiteral("{job=\"a\"}"), input};
    QTest::newRow("--match not a matcher") << QStringList{QStringLiteral("--stats"), QStringLiteral("--match"), QStringLiteral("job"), prometheus};
    QTest::newRow("--match a second query")
        << QStringList{QStringLiteral("--stats"), QStringLiteral("--match"), QStringLiteral("{a=\"b\"} or up"), prometheus};
    QTest::newRow("--range too short") << QStringList{QStringLiteral("--stats"), QStringLiteral("--range"), QStringLiteral("5"), prometheus};
    QTest::newRow("--step zero") << QStringList{QStringLiteral("--stats"), QStringLiteral("--step"), QStringLiteral("0"), prometheus};
    QTest::newRow("--export of a Prometheus server") << QStringList{QStringLiteral("--export"), QStringLiteral("out.png"), prometheus};
    QTest::newRow("--record of a Prometheus server without a host")
        << QStringList{QStringLiteral("--record"), QStringLiteral("out.jsonl"), QStringLiteral("prom+http:///")};
}

void TestCli::prometheusServer()
{
    const CommandLine command = parse({QStringLiteral("--stats"), QStringLiteral("--match"),
                                       QStringLiteral("{job=\"vllm\", instance=~\"gpu-[0-9]+\"}"), QStringLiteral("--range"),
                                       QStringLiteral("600"), QStringLiteral("prom+https://prom.example:9090/base")});
    QCOMPARE(int(command.mode), int(CommandLine::Stats));
    const Live::PollSettings settings = pollSettings(command);
    QVERIFY(settings.prometheus.enabled);
    QCOMPARE(settings.url, QUrl(QStringLiteral("https://prom.example:9090/base")));
    QCOMPARE(settings.prometheus.rangeSeconds, 600);
    QCOMPARE(settings.prometheus.step(), 2); // 600 s / 300 steps
    QString problem;
    QCOMPARE(prometheusRangeQuery(settings.prometheus.match, &problem),
             QStringLiteral("{__name__=~\"(vllm|sglang):(request_queue_time|queue_time|request_prefill_time|"
                            "request_decode_time|request_inference_time|time_to_first_token|inter_token_latency|"
                            "time_per_output_token|e2e_request_latency|per_stage_req_latency)_(seconds|milliseconds)_(bucket|sum|count)\","
                            "job=\"vllm\", instance=~\"gpu-[0-9]+\"}"));
    QVERIFY(problem.isEmpty());
}

void TestCli::parseCsvUnits()
{
    const CommandLine command = parse({QStringLiteral("--stats"), QStringLiteral("--csv-unit"), QStringLiteral("ttft=ms"),
                                       QStringLiteral("--csv-unit"), QStringLiteral("queue time=us"), QStringLiteral("in.csv")});
    QCOMPARE(int(command.mode), int(CommandLine::Stats));
    QCOMPARE(command.csvUnits.size(), 2);
    QCOMPARE(command.csvUnits.value(QStringLiteral("ttft")), CsvColumnMapping::Unit::Milliseconds);
    QCOMPARE(command.csvUnits.value(QStringLiteral("queue time")), CsvColumnMapping::Unit::Microseconds);
}

void TestCli::parseInvalid()
{
    QFETCH(QStringList, arguments);
    const CommandLine command = parse(arguments);
    QCOMPARE(int(command.mode), int(CommandLine::Invalid));
    QVERIFY(!command.error.isEmpty());
}

void TestCli::recordOptions_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("error"); // a regular expression; empty: accepted

    QTest::newRow("interval of a day") << QStringList{QStringLiteral("--interval"), QStringLiteral("86400")} << QString();
    QTest::newRow("interval past a day, int milliseconds would wrap")
        << QStringList{QStringLiteral("--interval"), QStringLiteral("3000000")} << QStringLiteral("--interval.*0\\.01 to 86400");
    QTest::newRow("interval below 10 ms")
        << QStringList{QStringLiteral("--interval"), QStringLiteral("0.001")} << QStringLiteral("--interval.*0\\.01 to 86400");
    QTest::newRow("interval nan") << QStringList{QStringLiteral("--interval"), QStringLiteral("nan")}
                                  << QStringLiteral("--interval.*0\\.01 to 86400");
    QTest::newRow("duration at the limit") << QStringList{QStringLiteral("--duration"), QStringLiteral("2000000")} << QString();
    QTest::newRow("duration past the limit, never stopped")
        << QStringList{QStringLiteral("--duration"), QStringLiteral("3000000")} << QStringLiteral("--duration.*0\\.01 to 2000000");
    QTest::newRow("duration inf") << QStringList{QStringLiteral("--duration"), QStringLiteral("inf")}
                                  << QStringLiteral("--duration.*0\\.01 to 2000000");
    QTest::newRow("max-response 1 MiB") << QStringList{QStringLiteral("--max-response"), QStringLiteral("1")} << QString();
    QTest::newRow("max-response 0") << QStringList{QStringLiteral("--max-response"), QStringLiteral("0")}
                                    << QStringLiteral("--max-response.*1 to 4096");
    QTest::newRow("header with a tab") << QStringList{QStringLiteral("--header"), QStringLiteral("X-A: a\tb")} << QString();
    QTest::newRow("header value with CR LF, an injected header")
        << QStringList{QStringLiteral("--header"), QStringLiteral("X-A: a\r\nX-Injected: 1")}
        << QStringLiteral("--header 'X-A: a\\\\r\\\\nX-Injected: 1' is refused.*control character");
    QTest::newRow("header value with NUL") << QStringList{QStringLiteral("--header"), QString::fromUtf8("X-A: a\0b", 8)}
                                           << QStringLiteral("control character");
    QTest::newRow("header name with LF") << QStringList{QStringLiteral("--header"), QStringLiteral("X\nY: 1")}
                                         << QStringLiteral("not an HTTP header name");
    QTest::newRow("header name with a blank") << QStringList{QStringLiteral("--header"), QStringLiteral("X Y: 1")}
                                              << QStringLiteral("not an HTTP header name");
}

void TestCli::recordOptions()
{
    QFETCH(QStringList, options);
    QFETCH(QString, error);
    const CommandLine command = parse(QStringList{QStringLiteral("--record"), QStringLiteral("out.jsonl")} + options
                                      + QStringList{QStringLiteral("http://127.0.0.1:8000/perf_metrics")});
    if (error.isEmpty()) {
        QVERIFY2(command.mode == CommandLine::Record, qPrintable(command.error));
        return;
    }
    QCOMPARE(int(command.mode), int(CommandLine::Invalid));
    QVERIFY2(command.error.contains(QRegularExpression(error)), qPrintable(command.error));
}

void TestCli::statsJson()
{
    const StatsRun run = runStats({QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json"),
                                   dataPath(kDisaggSample)});
    QVERIFY2(run.exitCode == ExitOk, qPrintable(describe(run)));

    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(document.isObject());
    const QJsonObject root = document.object();
    QCOMPARE(root.value(QStringLiteral("requests")).toInt(-1), 10);
    const QJsonArray phases = root.value(QStringLiteral("phases")).toArray();
    QStringList names;
    for (const QJsonValue &value : phases) {
        const QJsonObject phase = value.toObject();
        for (const QString &key : kPhaseKeys)
            QVERIFY2(phase.contains(key), qPrintable(QStringLiteral("phase without '%1'").arg(key)));
        names << phase.value(QStringLiteral("name")).toString();
    }
    QCOMPARE(names, trtllmPhaseNames());

    // disagg_preprocessing: 8 recorded, the NTP-skew anomaly excluded (reference_values.py).
    const QJsonObject first = phases.first().toObject();
    QCOMPARE(first.value(QStringLiteral("count")).toInt(-1), 8);
    PHASELINE_COMPARE_MS(first.value(QStringLiteral("mean_ms")).toDouble(), 1.260625);
    PHASELINE_COMPARE_MS(first.value(QStringLiteral("median_ms")).toDouble(), 1.342);
    PHASELINE_COMPARE_MS(first.value(QStringLiteral("p90_ms")).toDouble(), 1.5172);
    PHASELINE_COMPARE_MS(first.value(QStringLiteral("p99_ms")).toDouble(), 1.57012);
    PHASELINE_COMPARE_MS(first.value(QStringLiteral("min_ms")).toDouble(), 0.808);
    PHASELINE_COMPARE_MS(first.value(QStringLiteral("max_ms")).toDouble(), 1.576);

    // The lost context record is a warning on stderr, not a failure.
    QVERIFY2(run.err.contains(QStringLiteral("1013")), qPrintable(run.err));
}

void TestCli::statsCsv()
{
    const StatsRun run = runStats({QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("csv"),
                                   dataPath(kDisaggSample)});
    QVERIFY2(run.exitCode == ExitOk, qPrintable(describe(run)));
    // One row per phase in catalogue order; rows added after them (extensions) are allowed.
    const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList phases = trtllmPhaseNames();
    QVERIFY2(lines.size() > phases.size(), qPrintable(run.out));
    QVERIFY2(lines.front().startsWith(QStringLiteral("phase,count,mean_ms,median_ms,p90_ms,p99_ms,min_ms,max_ms")),
             qPrintable(lines.front()));
    const int columns = int(lines.front().split(QLatin1Char(',')).size());
    for (int i = 1; i < lines.size(); ++i) {
        const QStringList fields = lines[i].split(QLatin1Char(','));
        QCOMPARE(int(fields.size()), columns);
        if (i <= phases.size())
            QCOMPARE(fields[0], phases[i - 1]);
    }
    // ctx_queue: 9 recorded, mean 1.559 ms, median 1.288 ms.
    const QStringList queue = lines[3].split(QLatin1Char(','));
    QCOMPARE(queue[0], QStringLiteral("ctx_queue"));
    QCOMPARE(queue[1], QStringLiteral("9"));
    PHASELINE_COMPARE_MS(queue[2].toDouble(), 1.559);
    PHASELINE_COMPARE_MS(queue[3].toDouble(), 1.288);
}

void TestCli::statsText()
{
    const StatsRun run = runStats({QStringLiteral("--stats"), dataPath(kDisaggSample)});
    QVERIFY2(run.exitCode == ExitOk, qPrintable(describe(run)));
    QVERIFY2(run.out.contains(QStringLiteral("requests: 10")), qPrintable(run.out));
    // One row a phase, its name the row's first field ("gen_queue" is not found in "gen_queue_wait"),
    // in catalogue order, after the header line.
    QStringList rowNames;
    const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines.mid(2))
        rowNames << line.section(QLatin1Char(' '), 0, 0, QString::SectionSkipEmpty);
    QCOMPARE(rowNames.mid(0, trtllmPhaseNames().size()), trtllmPhaseNames());
}

void TestCli::emptyArray_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::newRow("[]") << QByteArray("[]");
    QTest::newRow("[ ] with newline") << QByteArray("[ ]\n");
    QTest::newRow("spread over lines") << QByteArray("\n[\n]\n");
}

// The endpoint's "nothing new" answer (docs/trtllm.md §3): a valid, empty run.
void TestCli::emptyArray()
{
    QFETCH(QByteArray, contents);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeFile(dir.path(), QStringLiteral("perf_metrics.json"), contents);
    QVERIFY(!path.isEmpty());

    const StatsRun run =
        runStats({QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json"), path});
    QVERIFY2(run.exitCode == ExitOk, qPrintable(describe(run)));
    const QJsonObject root = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(root.value(QStringLiteral("requests")).toInt(-1), 0);
    QVERIFY(root.value(QStringLiteral("phases")).isArray());
    QVERIFY(root.value(QStringLiteral("phases")).toArray().isEmpty());
}

void TestCli::unreadableInput_data()
{
    QTest::addColumn<QByteArray>("contents"); // written to the input file; null: no file at all
    QTest::addColumn<int>("line");            // where the message must point; 0: no place
    QTest::addColumn<int>("firstByte");       // the byte it names lies in [firstByte, file size]

    const QByteArray complete =
        R"({"request_id": 1, "perf_metrics": {"timing_metrics": {"arrival_time": 5.0, "first_token_time": 5.1}}})";
    const QByteArray truncatedFirst = "[" + complete.left(60);
    QTest::newRow("truncated first record") << truncatedFirst << 1 << 1;
    QTest::newRow("plain text") << QByteArray("hello, this is not JSON\nsecond line\n") << 1 << 0;
    QTest::newRow("binary garbage") << QByteArray("\x00\x01\x02\xff garbage", 12) << 1 << 0;
    QTest::newRow("missing file") << QByteArray() << 0 << 0;
}

// Exit 3 and a stderr message naming the input, the place and the reason (docs/design.md §5).
void TestCli::unreadableInput()
{
    QFETCH(QByteArray, contents);
    QFETCH(int, line);
    QFETCH(int, firstByte);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString path = QDir(dir.path()).filePath(QStringLiteral("input.json"));
    if (!contents.isNull())
        QCOMPARE(writeFile(dir.path(), QStringLiteral("input.json"), contents), path);

    const StatsRun run = runStats({QStringLiteral("--stats"), path});
    QVERIFY2(run.exitCode == ExitInputError, qPrintable(describe(run)));
    QVERIFY2(run.err.contains(path), qPrintable(run.err));
    if (line == 0)
        return;
    const QRegularExpression place(QRegularExpression::escape(path)
                                   + QStringLiteral(":(\\d+) \\(bytes? (\\d+)[^)]*\\): (.+)"));
    const QRegularExpressionMatch match = place.match(run.err);
    QVERIFY2(match.hasMatch(), qPrintable(run.err));
    QCOMPARE(match.captured(1).toInt(), line);
    const int byte = match.captured(2).toInt();
    QVERIFY2(byte >= firstByte && byte <= contents.size(), qPrintable(run.err));
    QVERIFY2(match.captured(3).size() > 10, "the message gives the reason");
}

void TestCli::partialInput_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<int>("requests");       // loaded and counted in the statistics
    QTest::addColumn<QString>("skippedFrom"); // the skipped byte range starts with it

    auto record = [](int id, bool closed = true) {
        return QStringLiteral(R"({"request_id": %1, "perf_metrics": {"timing_metrics": {"arrival_time": %1.0, )"
                              R"("first_token_time": %1.1}}%2)")
            .arg(id)
            .arg(closed ? QStringLiteral("}") : QString())
            .toUtf8();
    };
    QTest::newRow("truncated JSON array")
        << "[\n  " + record(1) + ",\n  " + R"({"request_id": 2, "perf_metrics": {"timing_)" << 1
        << R"({"request_id": 2)";
    QTest::newRow("record missing its '}' in the middle")
        << "[\n  " + record(1) + ",\n  " + record(2, false) + ",\n  " + record(3) + "\n]\n" << 2
        << R"({"request_id": 2)";
    QTest::newRow("invalid JSONL line") << record(1) + "\n{oops}\n" + record(3) + "\n" << 2 << "{oops}";
}

// Exit 4 (partial): what is valid is loaded and its statistics printed; stderr names the input
// and the skipped byte range.
void TestCli::partialInput()
{
    QFETCH(QByteArray, contents);
    QFETCH(int, requests);
    QFETCH(QString, skippedFrom);
    QTemporaryDir dir;
    const QString path = writeFile(dir.path(), QStringLiteral("input.json"), contents);
    QVERIFY(!path.isEmpty());

    const StatsRun run =
        runStats({QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json"), path});
    QVERIFY2(run.exitCode == ExitPartial, qPrintable(describe(run)));
    QCOMPARE(QJsonDocument::fromJson(run.out.toUtf8()).object().value(QStringLiteral("requests")).toInt(-1), requests);
    const QRegularExpression range(QRegularExpression::escape(path) + QStringLiteral(":\\d+ \\(bytes (\\d+)-(\\d+)\\)"));
    const QRegularExpressionMatch match = range.match(run.err);
    QVERIFY2(match.hasMatch(), qPrintable(run.err));
    QVERIFY2(contents.mid(match.captured(1).toInt()).startsWith(skippedFrom.toUtf8()), qPrintable(run.err));
    QVERIFY(match.captured(2).toInt() < contents.size());
}

void TestCli::executableVersion()
{
    const ProcessRun run = runExecutable({QStringLiteral("--version")});
    QVERIFY(run.finished);
    QCOMPARE(run.exitCode, int(ExitOk));
    QVERIFY2(run.out.startsWith("phaseline "), run.out.constData());
}

void TestCli::executableStatsJson()
{
    const ProcessRun run = runExecutable(
        {QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json"), dataPath(kDisaggSample)});
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == ExitOk, run.err.constData());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(run.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(document.object().value(QStringLiteral("requests")).toInt(-1), 10);
    QCOMPARE(document.object().value(QStringLiteral("phases")).toArray().size(), trtllmPhaseNames().size());
}

void TestCli::executableStatsClientFormats_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("requests");
    QTest::addColumn<double>("ttftMedianMs"); // tests/tools/client_reference_values.py (ground truth)
    const double median = 45.316219330;
    QTest::newRow("vllm") << "vllm/openai-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.json" << 12 << median;
    QTest::newRow("guidellm") << "guidellm/benchmarks.json" << 12 << median;
    QTest::newRow("genai-perf") << "genai-perf/profile_export.json" << 11 << median;
    QTest::newRow("llmperf") << "llmperf/meta-llama-Llama-3-1-8B-Instruct_1024_64_individual_responses.json" << 11
                             << median;
}

// Benchmark-client result files end to end through --stats --format json.
void TestCli::executableStatsClientFormats()
{
    QFETCH(QString, input);
    QFETCH(int, requests);
    QFETCH(double, ttftMedianMs);
    const ProcessRun run = runExecutable(
        {QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json"), dataPath(input)});
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == ExitOk, run.err.constData());
    const QJsonObject document = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(document.value(QStringLiteral("requests")).toInt(-1), requests);
    bool found = false;
    for (const QJsonValue &phase : document.value(QStringLiteral("phases")).toArray()) {
        if (phase.toObject().value(QStringLiteral("name")).toString() == QLatin1String("client_ttft")) {
            found = true;
            QVERIFY(std::abs(phase.toObject().value(QStringLiteral("median_ms")).toDouble() - ttftMedianMs) < 1e-3);
        }
    }
    QVERIFY2(found, run.out.constData());
}

void TestCli::executableExitCodes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");

    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << int(ExitOk);
    QTest::newRow("bad --format") << QStringList{QStringLiteral("--stats"), QStringLiteral("--format"),
                                                 QStringLiteral("xml"), dataPath(kDisaggSample)}
                                  << int(ExitUsage);
    QTest::newRow("--stats without input") << QStringList{QStringLiteral("--stats")} << int(ExitUsage);
    const QString missing = dataPath(QStringLiteral("no-such-file.json"));
    QTest::newRow("missing input") << QStringList{QStringLiteral("--stats"), missing} << int(ExitInputError);
    QTest::newRow("one good and one missing input")
        << QStringList{QStringLiteral("--stats"), dataPath(kDisaggSample), missing} << int(ExitPartial);
    // A tool's results folder with a summary next to the requests used to end with exit 3 (#13.10).
    QTest::newRow("AIPerf artifacts folder")
        << QStringList{QStringLiteral("--stats"), dataPath(kAiperfRun)} << int(ExitOk);
    QTest::newRow("summary file alone")
        << QStringList{QStringLiteral("--stats"), dataPath(QStringLiteral("aiperf/profile_export_aiperf_records_schema.json"))}
        << int(ExitOk);
}

void TestCli::executableExitCodes()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    const ProcessRun run = runExecutable(arguments);
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == exitCode, run.err.constData());
}

void TestCli::executableExport_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QString>("suffix");
    for (const char *view : {"breakdown", "timeline", "stats"}) {
        for (const char *suffix : {"png", "svg"})
            QTest::addRow("%s %s", view, suffix) << QString::fromLatin1(view) << QString::fromLatin1(suffix);
    }
}

void TestCli::executableExport()
{
    // Headless (no display needed): the file has the requested size and shows the data.
    QFETCH(QString, view);
    QFETCH(QString, suffix);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.") + suffix);
    const ProcessRun run = runExecutable({QStringLiteral("--export"), out, QStringLiteral("--view"), view,
                                          QStringLiteral("--size"), QStringLiteral("900x500"), dataPath(kDisaggSample)});
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == ExitOk, run.err.constData());
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    if (suffix == QLatin1String("png")) {
        QVERIFY(bytes.startsWith("\x89PNG"));
        // IHDR: width and height, big-endian, at bytes 16..23.
        const auto be32 = [&bytes](int at) {
            return (quint32(quint8(bytes[at])) << 24) | (quint32(quint8(bytes[at + 1])) << 16)
                   | (quint32(quint8(bytes[at + 2])) << 8) | quint32(quint8(bytes[at + 3]));
        };
        QCOMPARE(be32(16), 900u);
        QCOMPARE(be32(20), 500u);
    } else {
        QVERIFY(bytes.contains("<svg"));
        QVERIFY(bytes.contains("width=\"900"));
    }
}

// Which requests each expression keeps and their ctx_queue statistics: tests/tools/filter_reference.py.
void TestCli::statsFilter_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("queueCount");
    QTest::addColumn<double>("queueMedian");
    QTest::addColumn<double>("queueMin");
    QTest::addColumn<double>("queueMax");
    QTest::newRow("condition") << QStringLiteral("ctx_queue > 2") << 3 << 3 << 2.777 << 2.092 << 2.813;
    QTest::newRow("condition without spaces") << QStringLiteral("ctx_queue<1") << 2 << 2 << 0.361 << 0.210 << 0.512;
    QTest::newRow("free text in the id") << QStringLiteral("100") << 5 << 5 << 1.277 << 0.512 << 2.813;
    QTest::newRow("condition and word") << QStringLiteral("ctx_queue > 2 and 1007") << 1 << 1 << 2.813 << 2.813 << 2.813;
    // The request whose context record was lost has no ctx_queue: missing never matches.
    QTest::newRow("missing never matches") << QStringLiteral("ctx_queue >= 0") << 9 << 9 << 1.288 << 0.210 << 2.813;
}

void TestCli::statsFilter()
{
    QFETCH(QString, expression);
    QFETCH(int, requests);
    QFETCH(int, queueCount);
    QFETCH(double, queueMedian);
    QFETCH(double, queueMin);
    QFETCH(double, queueMax);
    const StatsRun run = runStats({QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json"),
                                   QStringLiteral("--filter"), expression, dataPath(kDisaggSample)});
    QVERIFY2(run.exitCode == ExitOk, qPrintable(describe(run)));
    const QJsonObject root = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(root.value(QStringLiteral("requests")).toInt(-1), requests);
    QJsonObject queue;
    for (const QJsonValue &phase : root.value(QStringLiteral("phases")).toArray()) {
        if (phase.toObject().value(QStringLiteral("name")).toString() == QLatin1String("ctx_queue"))
            queue = phase.toObject();
    }
    QCOMPARE(queue.value(QStringLiteral("count")).toInt(-1), queueCount);
    PHASELINE_COMPARE_MS(queue.value(QStringLiteral("median_ms")).toDouble(), queueMedian);
    PHASELINE_COMPARE_MS(queue.value(QStringLiteral("min_ms")).toDouble(), queueMin);
    PHASELINE_COMPARE_MS(queue.value(QStringLiteral("max_ms")).toDouble(), queueMax);
}

void TestCli::badFilter_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown column") << QStringLiteral("ctx_wait > 2") << QStringLiteral("Unknown column \"ctx_wait\"");
    QTest::newRow("no number") << QStringLiteral("ctx_queue >") << QStringLiteral("needs a number after \">\"");
    QTest::newRow("not a number") << QStringLiteral("ctx_queue > fast") << QStringLiteral("\"fast\" is not a number");
    QTest::newRow("text column") << QStringLiteral("id > 1003") << QStringLiteral("\"id\" is a text column");
    QTest::newRow("unknown operator") << QStringLiteral("ctx_queue => 2") << QStringLiteral("Unknown operator \"=\"");
    QTest::newRow("operator first") << QStringLiteral("> 2") << QStringLiteral("needs a column name before it");
}

// A bad expression is a usage error (exit 2) that quotes it, says what is wrong and lists the
// columns there are; nothing is printed on stdout.
void TestCli::badFilter()
{
    QFETCH(QString, expression);
    QFETCH(QString, message);
    const StatsRun run = runStats({QStringLiteral("--stats"), QStringLiteral("--filter"), expression, dataPath(kDisaggSample)});
    QVERIFY2(run.exitCode == ExitUsage, qPrintable(describe(run)));
    QVERIFY2(run.err.contains(QStringLiteral("--filter '%1'").arg(expression)), qPrintable(run.err));
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("columns of these inputs: id, role, server, status, disagg_preprocessing")),
             qPrintable(run.err));
    QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
}

// The executable: the filter reaches --stats and --export, a bad one exits 2 writing nothing.
void TestCli::executableFilter()
{
    const ProcessRun stats = runExecutable({QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json"),
                                            QStringLiteral("--filter"), QStringLiteral("ctx_queue > 2"),
                                            dataPath(kDisaggSample)});
    QVERIFY(stats.finished);
    QVERIFY2(stats.exitCode == ExitOk, stats.err.constData());
    QCOMPARE(QJsonDocument::fromJson(stats.out).object().value(QStringLiteral("requests")).toInt(-1), 3);

    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("filtered.svg"));
    const ProcessRun exported = runExecutable({QStringLiteral("--export"), out, QStringLiteral("--filter"),
                                               QStringLiteral("ctx_queue > 2"), dataPath(kDisaggSample)});
    QVERIFY(exported.finished);
    QVERIFY2(exported.exitCode == ExitOk, exported.err.constData());
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    // The breakdown's header counts the requests it draws.
    const QByteArray svg = file.readAll();
    QVERIFY2(svg.contains("3 of 3 requests"), svg.left(4000).constData());

    const QString refused = dir.filePath(QStringLiteral("refused.png"));
    const ProcessRun bad = runExecutable({QStringLiteral("--export"), refused, QStringLiteral("--filter"),
                                          QStringLiteral("queue_time > 2"), dataPath(kDisaggSample)});
    QVERIFY(bad.finished);
    QCOMPARE(bad.exitCode, int(ExitUsage));
    QVERIFY2(bad.err.contains("Unknown column \"queue_time\""), bad.err.constData());
    QVERIFY(!QFile::exists(refused));
}

void TestCli::executableExportIntervalsNeedsIntervals()
{
    // Requests but no /metrics scrapes: a clear message, no picture of nothing.
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.png"));
    const ProcessRun run = runExecutable(
        {QStringLiteral("--export"), out, QStringLiteral("--view"), QStringLiteral("intervals"), dataPath(kDisaggSample)});
    QVERIFY(run.finished);
    QCOMPARE(run.exitCode, int(ExitInputError));
    QVERIFY2(run.err.contains("no per-interval data in ") && run.err.contains("endpoint_B_disagg_wrapper.json"),
             run.err.constData());
    QVERIFY(!QFile::exists(out));
}

// Summary files and results folders (#13.8, #13.10): what is printed and the exit status.
void TestCli::summaryInputs_data()
{
    // "folder:" + files copied into one folder (data path=name); "written:" + a file's content.
    QTest::addColumn<QStringList>("inputs");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("printed"); // every one is in stdout, in this order

    QTest::newRow("AIPerf artifacts folder, text")
        << QStringList{dataPath(kAiperfRun)} << QStringLiteral("text") << int(ExitOk)
        << QStringList{QStringLiteral("requests: 20"), kSummariesHeading,
                       QStringLiteral("AIPerf / GenAI-Perf summary of ") + dataPath(kAiperfRun)
                           + QStringLiteral("/profile_export_aiperf.csv"),
                       QStringLiteral("    Request Latency [ms]: avg 617.37  min 332.58  max 1806.86  p1 332.63  "
                                      "p5 332.83"),
                       QStringLiteral("AIPerf summary of ") + dataPath(kAiperfRun)
                           + QStringLiteral("/profile_export_aiperf.json (llama-3.2-3b-instruct-gguf:q4_k_m, concurrency 1)"),
                       QStringLiteral("    request_throughput [requests/sec]: avg 0.05229134634189182\n")};
    QTest::newRow("llmperf results folder, text")
        << QStringList{QStringLiteral("folder:llmperf/llmperf-leaderboard_groq_70b_individual_responses.json="
                                      "llama2-70b-4096_550_150_individual_responses.json"),
                       QStringLiteral("llmperf/llmperf-leaderboard_raw_data_summary_groq_70b.json="
                                      "llama2-70b-4096_550_150_summary.json")}
        << QStringLiteral("text") << int(ExitOk)
        << QStringList{QStringLiteral("requests: 150"), kSummariesHeading, QStringLiteral("llmperf summary of "),
                       QStringLiteral("(llama2-70b-4096, 5 concurrent requests)"),
                       QStringLiteral("    ttft [s]: mean 0.22786034579078357  min 0.17202026024460793")};
    QTest::newRow("SGLang runs, csv")
        << QStringList{dataPath(QStringLiteral("sglang/datacrunch_llama_3_3_70b_online_output.jsonl"))}
        << QStringLiteral("csv") << int(ExitOk)
        << QStringList{QStringLiteral("phase,count,"), QStringLiteral("\n\nsummary_source,tool,run,metric,unit,statistic,value\n"),
                       QStringLiteral(",SGLang bench_serving,\"line 1: sglang, 1 req/s, max concurrency none, random data\","
                                      "ttft,ms,median,85.74514742940664\n"),
                       QStringLiteral("\"line 7: sglang, 8 req/s, max concurrency none, sharegpt data\",completed,requests,"
                                      "value,2400\n")};
    QTest::newRow("summary and a missing file: partial")
        << QStringList{dataPath(QStringLiteral("trtllm-bench/report_llama-3.1-8b_pytorch_streaming.json")),
                       dataPath(QStringLiteral("no-such-file.json"))}
        << QStringLiteral("text") << int(ExitPartial)
        << QStringList{kSummariesHeading, QStringLiteral("trtllm-bench summary of ")};
    QTest::newRow("summary without a readable statistic")
        << QStringList{QStringLiteral("written:{\"records\": {\"ttft\": {\"unit\": \"ms\", \"avg\": null}}}")}
        << QStringLiteral("text") << int(ExitInputError) << QStringList{};
}

void TestCli::summaryInputs()
{
    QFETCH(QStringList, inputs);
    QFETCH(QString, format);
    QFETCH(int, exitCode);
    QFETCH(QStringList, printed);
    QTemporaryDir dir;
    if (inputs.first().startsWith(QLatin1String("folder:"))) {
        inputs.first().remove(0, 7);
        for (const QString &file : inputs) {
            const QStringList parts = file.split(QLatin1Char('='));
            QVERIFY(QFile::copy(dataPath(parts[0]), dir.filePath(parts[1])));
        }
        inputs = QStringList{dir.path()};
    } else if (inputs.first().startsWith(QLatin1String("written:"))) {
        inputs = QStringList{writeFile(dir.path(), QStringLiteral("summary.json"), inputs.first().mid(8).toUtf8())};
    }
    const StatsRun run = runStats(QStringList{QStringLiteral("--stats"), QStringLiteral("--format"), format} + inputs);
    QVERIFY2(run.exitCode == exitCode, qPrintable(describe(run)));
    qsizetype from = 0;
    for (const QString &text : printed) {
        const qsizetype at = run.out.indexOf(text, from);
        QVERIFY2(at >= 0, qPrintable(QStringLiteral("missing \"%1\"\n").arg(text) + describe(run)));
        from = at + text.size();
    }
    if (exitCode == ExitInputError)
        QVERIFY2(run.err.contains(QStringLiteral("none of them could be read")), qPrintable(describe(run)));
}

// JSON: the statistics' keys stay as they are; the summaries are one more key.
void TestCli::summaryJson()
{
    const StatsRun run = runStats({QStringLiteral("--stats"), QStringLiteral("--format"), QStringLiteral("json"),
                                   dataPath(QStringLiteral("trtllm-bench/report_llama-3.1-8b_pytorch_streaming.json"))});
    QVERIFY2(run.exitCode == ExitOk, qPrintable(describe(run)));
    const QJsonObject root = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(root.value(QStringLiteral("requests")).toInt(-1), 0);
    const QJsonArray summaries = root.value(QStringLiteral("summaries")).toArray();
    QCOMPARE(summaries.size(), 1);
    const QJsonObject summary = summaries.first().toObject();
    QCOMPARE(summary.value(QStringLiteral("tool")).toString(), QStringLiteral("trtllm-bench"));
    QCOMPARE(summary.value(QStringLiteral("run")).toString(),
             QStringLiteral("meta-llama/Llama-3.1-8B-Instruct, Pytorch, TensorRT-LLM 1.0.0, TP 1 PP 1"));
    QJsonObject ttft;
    for (const QJsonValue &metric : summary.value(QStringLiteral("metrics")).toArray()) {
        if (metric.toObject().value(QStringLiteral("name")).toString() == QLatin1String("ttft_percentiles"))
            ttft = metric.toObject();
    }
    QCOMPARE(ttft.value(QStringLiteral("unit")).toString(), QStringLiteral("ms"));
    const QJsonObject statistics = ttft.value(QStringLiteral("statistics")).toObject();
    QCOMPARE(statistics.value(QStringLiteral("p99")).toDouble(), 1580.3);
    QCOMPARE(statistics.value(QStringLiteral("average")).toDouble(), 733.52);
    QCOMPARE(statistics.size(), 7);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
