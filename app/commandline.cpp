#include "commandline.h"

#include <QCommandLineParser>
#include <QRegularExpression>

namespace Phaseline {

CommandLine parseCommandLine(const QStringList &arguments)
{
    CommandLine result;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Phaseline: where the time of every request to an LLM inference server went.\n"
                       "Opens TensorRT-LLM perf-metrics files (JSON arrays, JSONL files and directories)."));
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")},
                                        QStringLiteral("Show this help and exit."));
    const QCommandLineOption versionOption({QStringLiteral("v"), QStringLiteral("version")},
                                           QStringLiteral("Show the version and exit."));
    const QCommandLineOption statsOption(QStringLiteral("stats"),
                                         QStringLiteral("Print per-phase statistics of the inputs and exit."));
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          QStringLiteral("Statistics output format: text (default), csv or json."),
                                          QStringLiteral("text|csv|json"), QStringLiteral("text"));
    const QCommandLineOption exportOption(QStringLiteral("export"),
                                          QStringLiteral("Render a view to OUT.png or OUT.svg without a window and exit."),
                                          QStringLiteral("OUT"));
    const QCommandLineOption viewOption(QStringLiteral("view"),
                                        QStringLiteral("View to export: breakdown (default), timeline or stats."),
                                        QStringLiteral("breakdown|timeline|stats"), QStringLiteral("breakdown"));
    const QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("Export size in pixels (default 1600x900)."),
                                        QStringLiteral("WxH"));
    parser.addOptions({helpOption, versionOption, statsOption, formatOption, exportOption, viewOption, sizeOption});
    parser.addPositionalArgument(QStringLiteral("inputs"), QStringLiteral("Files or directories to open."),
                                 QStringLiteral("[FILE|DIR...]"));
    result.helpText = parser.helpText();

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
    if (parser.isSet(statsOption) && parser.isSet(exportOption))
        return invalid(QStringLiteral("--stats and --export cannot be combined"));
    if (!parseStatisticsFormat(parser.value(formatOption), &result.statsFormat))
        return invalid(QStringLiteral("unknown --format '%1' (expected text, csv or json)").arg(parser.value(formatOption)));
    if (parser.isSet(formatOption) && !parser.isSet(statsOption))
        return invalid(QStringLiteral("--format only applies to --stats"));

    if (parser.isSet(statsOption)) {
        result.mode = CommandLine::Stats;
    } else if (parser.isSet(exportOption)) {
        result.mode = CommandLine::Export;
        result.exportPath = parser.value(exportOption);
        const QString suffix = result.exportPath.section(QLatin1Char('.'), -1).toLower();
        if (suffix != QLatin1String("png") && suffix != QLatin1String("svg"))
            return invalid(QStringLiteral("--export needs a file name ending in .png or .svg"));
        result.exportView = parser.value(viewOption);
        if (!QStringList{QStringLiteral("breakdown"), QStringLiteral("timeline"), QStringLiteral("stats")}.contains(
                result.exportView))
            return invalid(QStringLiteral("unknown --view '%1' (expected breakdown, timeline or stats)").arg(result.exportView));
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
    if ((result.mode == CommandLine::Stats || result.mode == CommandLine::Export) && result.inputs.isEmpty())
        return invalid(QStringLiteral("no input given"));
    return result;
}

} // namespace Phaseline
