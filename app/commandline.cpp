#include "commandline.h"

#include "formats/metricssession.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

namespace Phaseline {

namespace {

// Control characters of an argument made visible (\r, \n, \x00...), so a message shows them.
QString printable(const QString &text)
{
    QString result;
    for (const QChar c : text) {
        if (c == QLatin1Char('\r'))
            result += QStringLiteral("\\r");
        else if (c == QLatin1Char('\n'))
            result += QStringLiteral("\\n");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            result += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            result += c;
    }
    return result;
}

} // namespace

Live::PollSettings pollSettings(const CommandLine &command)
{
    Live::PollSettings settings;
    const QString input = command.inputs.value(0);
    settings.prometheus.enabled = isPrometheusServerInput(input);
    settings.url = QUrl(settings.prometheus.enabled ? input.mid(5) : input);
    settings.prometheus.match = command.prometheusMatch;
    settings.prometheus.rangeSeconds = command.rangeSeconds;
    settings.prometheus.stepSeconds = command.stepSeconds;
    settings.intervalMs = int(command.intervalSeconds * 1000);
    settings.headers = command.headers;
    settings.maxResponseBytes = command.maxResponseBytes;
    settings.followCrossOriginRedirects = command.followRedirects;
    return settings;
}

CommandLine parseCommandLine(const QStringList &arguments)
{
    CommandLine result;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Phaseline: where the time of every request to an LLM inference server went.\n"
                       "Opens TensorRT-LLM perf metrics (JSON, JSONL, directories), vLLM and SGLang result,\n"
                       "metrics and trace files, AIPerf, GenAI-Perf, GuideLLM and llmperf exports, and CSV;\n"
                       "the format is detected from the content."));
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")},
                                        QStringLiteral("Show this help and exit."));
    const QCommandLineOption versionOption({QStringLiteral("v"), QStringLiteral("version")},
                                           QStringLiteral("Show the version and exit."));
    const QCommandLineOption statsOption(QStringLiteral("stats"),
                                         QStringLiteral("Print per-phase statistics of the inputs, then the summaries tools "
                                                        "wrote (as they wrote them), and exit."));
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          QStringLiteral("Statistics output format: text (default), csv or json."),
                                          QStringLiteral("text|csv|json"), QStringLiteral("text"));
    const QCommandLineOption exportOption(QStringLiteral("export"),
                                          QStringLiteral("Render a view to OUT.png or OUT.svg without showing a window and exit."),
                                          QStringLiteral("OUT"));
    const QCommandLineOption viewOption(QStringLiteral("view"),
                                        QStringLiteral("View to export: breakdown (default), timeline, stats, intervals "
                                                       "(per-interval phases of /metrics scrapes), or the whole window."),
                                        QStringLiteral("breakdown|timeline|stats|intervals|window"), QStringLiteral("breakdown"));
    const QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("Export size in pixels (default 1600x900)."),
                                        QStringLiteral("WxH"));
    const QCommandLineOption recordOption(
        QStringLiteral("record"),
        QStringLiteral("Poll the /perf_metrics URL, or follow a directory of *.jsonl files, without a window and "
                       "append every new record to OUT.jsonl."),
        QStringLiteral("OUT.jsonl"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"),
                                            QStringLiteral("Seconds between polls, 0.01 to 86400 (default 1)."),
                                            QStringLiteral("S"));
    const QCommandLineOption durationOption(
        QStringLiteral("duration"),
        QStringLiteral("Stop recording after S seconds, 0.01 to 2000000 (default: until interrupted)."),
        QStringLiteral("S"));
    const QCommandLineOption maxResponseOption(
        QStringLiteral("max-response"),
        QStringLiteral("Cut a URL's response longer than MiB mebibytes, 1 to 4096 (default 64)."), QStringLiteral("MiB"));
    const QCommandLineOption followRedirectsOption(
        QStringLiteral("follow-redirects"),
        QStringLiteral("Follow a URL's redirect to another host or port (extra headers are never sent there)."));
    const QCommandLineOption headerOption(QStringLiteral("header"),
                                          QStringLiteral("Extra HTTP request header for a URL, e.g. "
                                                         "'Authorization: Bearer TOKEN' (repeatable)."),
                                          QStringLiteral("'Name: value'"));
    const QCommandLineOption matchOption(
        QStringLiteral("match"),
        QStringLiteral("With a prom+http:// Prometheus server: only the series these label matchers select, e.g. "
                       "'{job=\"vllm\"}'."),
        QStringLiteral("SELECTOR"));
    const QCommandLineOption rangeOption(
        QStringLiteral("range"),
        QStringLiteral("With a prom+http:// Prometheus server: read the last S seconds, 10 to 2000000 (default 3600)."),
        QStringLiteral("S"));
    const QCommandLineOption stepOption(
        QStringLiteral("step"),
        QStringLiteral("With a prom+http:// Prometheus server: seconds per interval, 1 to 86400 (default: the range / "
                       "300, at least 1)."),
        QStringLiteral("S"));
    const QCommandLineOption csvUnitOption(QStringLiteral("csv-unit"),
                                           QStringLiteral("Unit of a CSV time column, over what its name or its values "
                                                          "suggest, e.g. ttft=ms (repeatable)."),
                                           QStringLiteral("COLUMN=s|ms|us|ns"));
    const QCommandLineOption filterOption(
        QStringLiteral("filter"),
        QStringLiteral("With --stats or --export: keep only the requests the expression accepts, in the request "
                       "table's filter language, e.g. 'ctx_queue > 50 and decode<=1200 node0'."),
        QStringLiteral("EXPR"));
    parser.addOptions({helpOption, versionOption, statsOption, formatOption, exportOption, viewOption, sizeOption,
                       filterOption, recordOption, intervalOption, durationOption, headerOption, maxResponseOption,
                       followRedirectsOption, matchOption, rangeOption, stepOption, csvUnitOption});
    parser.addPositionalArgument(QStringLiteral("inputs"),
                                 QStringLiteral("Files or directories to open; a /perf_metrics or vLLM/SGLang /metrics URL, "
                                                "a Prometheus server as prom+http://HOST:9090, or a directory of "
                                                "perf_metrics-*.jsonl files opens live."),
                                 QStringLiteral("[FILE|DIR|URL...]"));
    // Parsed before the application object exists, so Qt cannot name the executable itself.
    result.helpText = parser.helpText().replace(QLatin1String("<executable_name>"), QLatin1String("phaseline"));

    auto invalid = [&result](const QString &message) {
        result.mode = CommandLine::Invalid;
        result.error = message;
        return result;
    };
    if (!parser.parse(arguments))
        return invalid(parser.errorText());
    if (parser.isSet(helpOption)) {
        result.mode = CommandLine::Help;
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.mode = CommandLine::Version;
        return result;
    }
    result.inputs = parser.positionalArguments();
    if (int(parser.isSet(statsOption)) + int(parser.isSet(exportOption)) + int(parser.isSet(recordOption)) > 1)
        return invalid(QStringLiteral("--stats, --export and --record cannot be combined"));
    for (const QString &text : parser.values(headerOption)) {
        QPair<QByteArray, QByteArray> header;
        QString problem;
        if (!Live::parseHeader(text, &header, &problem))
            return invalid(QStringLiteral("--header '%1' is refused: %2").arg(printable(text), problem));
        result.headers << header;
    }
    for (const QString &given : parser.values(csvUnitOption)) {
        const int equals = given.lastIndexOf(QLatin1Char('='));
        CsvColumnMapping::Unit unit{};
        if (equals <= 0 || !CsvColumnMapping::parseUnit(given.mid(equals + 1), &unit))
            return invalid(QStringLiteral("--csv-unit '%1' is not COLUMN=s|ms|us|ns").arg(given));
        result.csvUnits.insert(given.left(equals), unit);
    }
    auto inRange = [&parser](const QCommandLineOption &option, double low, double high, double *value) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const double given = parser.value(option).toDouble(&ok);
        if (!ok || !(given >= low && given <= high))
            return false;
        *value = given;
        return true;
    };
    if (!inRange(intervalOption, CommandLine::kMinSeconds, CommandLine::kMaxIntervalSeconds, &result.intervalSeconds))
        return invalid(QStringLiteral("--interval must be a number of seconds from 0.01 to 86400 (one day)"));
    if (!inRange(durationOption, CommandLine::kMinSeconds, CommandLine::kMaxDurationSeconds, &result.durationSeconds))
        return invalid(QStringLiteral("--duration must be a number of seconds from 0.01 to 2000000 (about 23 days); "
                                      "leave it out to record until interrupted"));
    double maxResponseMiB = double(Live::PollSettings::kDefaultMaxResponseBytes >> 20);
    if (!inRange(maxResponseOption, 1, 4096, &maxResponseMiB))
        return invalid(QStringLiteral("--max-response must be a number of mebibytes from 1 to 4096"));
    result.maxResponseBytes = qint64(maxResponseMiB * (1 << 20));
    result.followRedirects = parser.isSet(followRedirectsOption);
    double rangeSeconds = result.rangeSeconds, stepSeconds = 0;
    if (!inRange(rangeOption, 10, CommandLine::kMaxDurationSeconds, &rangeSeconds))
        return invalid(QStringLiteral("--range must be a number of seconds from 10 to 2000000"));
    if (!inRange(stepOption, 1, CommandLine::kMaxIntervalSeconds, &stepSeconds))
        return invalid(QStringLiteral("--step must be a number of seconds from 1 to 86400"));
    result.rangeSeconds = int(rangeSeconds);
    result.stepSeconds = int(stepSeconds);
    result.prometheusMatch = parser.value(matchOption);
    const bool prometheusServer = result.inputs.size() == 1 && isPrometheusServerInput(result.inputs.first());
    if ((parser.isSet(matchOption) || parser.isSet(rangeOption) || parser.isSet(stepOption)) && !prometheusServer)
        return invalid(QStringLiteral("--match, --range and --step only apply to one prom+http:// or prom+https:// "
                                      "Prometheus server"));
    if (parser.isSet(matchOption)) {
        QString problem;
        if (prometheusRangeQuery(result.prometheusMatch, &problem).isEmpty())
            return invalid(problem);
    }
    if ((parser.isSet(intervalOption) || parser.isSet(durationOption)) && !parser.isSet(recordOption))
        return invalid(QStringLiteral("--interval and --duration only apply to --record"));
    if (!parseStatisticsFormat(parser.value(formatOption), &result.statsFormat))
        return invalid(QStringLiteral("unknown --format '%1' (expected text, csv or json)").arg(parser.value(formatOption)));
    if (parser.isSet(formatOption) && !parser.isSet(statsOption))
        return invalid(QStringLiteral("--format only applies to --stats"));

    if (parser.isSet(recordOption)) {
        result.mode = CommandLine::Record;
        result.recordPath = parser.value(recordOption);
        if (result.inputs.size() != 1 || !(isUrlInput(result.inputs.first()) || QFileInfo(result.inputs.first()).isDir()))
            return invalid(QStringLiteral("--record needs exactly one http:// or https:// URL, one prom+http:// "
                                          "Prometheus server or one directory"));
        if (isUrlInput(result.inputs.first()) && pollSettings(result).url.host().isEmpty())
            return invalid(QStringLiteral("the URL '%1' names no host").arg(printable(result.inputs.first())));
    } else if (parser.isSet(statsOption)) {
        result.mode = CommandLine::Stats;
    } else if (parser.isSet(exportOption)) {
        result.mode = CommandLine::Export;
        result.exportPath = parser.value(exportOption);
        const QString suffix = result.exportPath.section(QLatin1Char('.'), -1).toLower();
        if (suffix != QLatin1String("png") && suffix != QLatin1String("svg"))
            return invalid(QStringLiteral("--export needs a file name ending in .png or .svg"));
        result.exportView = parser.value(viewOption);
        if (!QStringList{QStringLiteral("breakdown"), QStringLiteral("timeline"), QStringLiteral("stats"),
                         QStringLiteral("intervals"), QStringLiteral("window")}
                 .contains(result.exportView))
            return invalid(QStringLiteral("unknown --view '%1' (expected breakdown, timeline, stats, intervals or window)")
                               .arg(result.exportView));
        if (parser.isSet(sizeOption)) {
            static const QRegularExpression sizePattern(QStringLiteral("^(\\d{1,5})x(\\d{1,5})$"));
            const QRegularExpressionMatch match = sizePattern.match(parser.value(sizeOption));
            const int width = match.captured(1).toInt();
            const int height = match.captured(2).toInt();
            if (!match.hasMatch() || width < 16 || height < 16 || width > 16384 || height > 16384)
                return invalid(QStringLiteral("--size must be WxH with each side between 16 and 16384 pixels"));
            result.exportSize = QSize(width, height);
        }
    } else if (parser.isSet(viewOption) || parser.isSet(sizeOption)) {
        return invalid(QStringLiteral("--view and --size only apply to --export"));
    }
    if (parser.isSet(filterOption)) {
        if (result.mode != CommandLine::Stats && result.mode != CommandLine::Export)
            return invalid(QStringLiteral("--filter only applies to --stats and --export"));
        // The window loads and filters on its own; its request table has a filter field.
        if (result.exportView == QLatin1String("window") && result.mode == CommandLine::Export)
            return invalid(QStringLiteral("--filter applies to the breakdown, timeline and stats views, not to --view window"));
        result.filter = parser.value(filterOption);
    }
    if ((result.mode == CommandLine::Stats || result.mode == CommandLine::Export) && result.inputs.isEmpty())
        return invalid(QStringLiteral("no input given"));
    if (result.mode == CommandLine::Stats || result.mode == CommandLine::Export) {
        for (const QString &input : std::as_const(result.inputs)) {
            if (isUrlInput(input) && !(prometheusServer && result.mode == CommandLine::Stats))
                return invalid(QStringLiteral("%1 is a URL: --stats and --export read files and directories; record it "
                                              "first with --record OUT.jsonl URL, or open it live in the window")
                                   .arg(printable(input)));
        }
    }
    return result;
}

bool isUrlInput(const QString &input)
{
    return input.startsWith(QLatin1String("http://"), Qt::CaseInsensitive)
           || input.startsWith(QLatin1String("https://"), Qt::CaseInsensitive) || isPrometheusServerInput(input);
}

bool isPrometheusServerInput(const QString &input)
{
    return input.startsWith(QLatin1String("prom+http://"), Qt::CaseInsensitive)
           || input.startsWith(QLatin1String("prom+https://"), Qt::CaseInsensitive);
}

} // namespace Phaseline
