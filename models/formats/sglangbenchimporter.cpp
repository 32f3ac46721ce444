#include "formats/sglangimporters.h"

#include "formats/lenientjson.h"
#include "core/mappedfile.h"
#include "formats/loadcontrol.h"
#include "formats/requestrows.h"
#include "formats/summaryimporters.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

using LenientJson::number;

// docs/formats.md "Content sniffing": keys only SGLang's bench_serving writes (vLLM's bench has
// ttfts/itls and mean_ttft_ms too, with keys of its own).
constexpr std::string_view kSglangKeys[] = {"total_output_tokens_retokenized", "input_throughput", "concurrency",
                                            "accept_length"};

double positive(double value)
{
    return value > 0 ? value : std::nan("");
}

// "sglang, 4 req/s, max concurrency 100" (a bare Infinity rate was read as null).
QString describeRun(const QJsonObject &run)
{
    const QJsonValue rate = run.value(QLatin1String("request_rate"));
    const QJsonValue concurrency = run.value(QLatin1String("max_concurrency"));
    return QStringLiteral("%1, %2 req/s, max concurrency %3")
        .arg(run.value(QLatin1String("backend")).toString(QStringLiteral("sglang")),
             rate.isDouble() ? QString::number(rate.toDouble()) : QStringLiteral("inf"),
             concurrency.isDouble() ? QString::number(concurrency.toDouble()) : QStringLiteral("none"));
}

// One run saved with --output-details: a request per ttfts entry, durations only. The
// client's TTFT and chunk gaps (itls: one per later chunk, however many tokens it carried)
// give first and last output chunk; there is no send time, so every request starts at 0.
void readRun(RequestRows &rows, const QJsonObject &run, const QString &idPrefix, const QString &clock)
{
    const QJsonArray ttfts = run.value(QLatin1String("ttfts")).toArray();
    const QJsonArray itls = run.value(QLatin1String("itls")).toArray();
    const QJsonArray errors = run.value(QLatin1String("errors")).toArray();
    const QJsonArray inputLens = run.value(QLatin1String("input_lens")).toArray();
    const QJsonArray outputLens = run.value(QLatin1String("output_lens")).toArray();
    const QString benchmark = describeRun(run);
    for (int i = 0; i < ttfts.size(); ++i) {
        const int row = rows.append(idPrefix + QString::number(i), clock);
        rows.setLabel(row, QStringLiteral("benchmark"), benchmark);
        rows.setAttribute(row, QStringLiteral("input_tokens"), positive(number(inputLens.at(i))));
        rows.setAttribute(row, QStringLiteral("output_tokens"), positive(number(outputLens.at(i))));
        rows.setRelative(row, QStringLiteral("client_sent"), 0);
        const QString error = errors.at(i).toString();
        if (!error.isEmpty()) {
            rows.setStatus(row, statusFromError(error)); // its 0 TTFT is "not measured", not fast
            continue;
        }
        const double ttft = positive(number(ttfts.at(i)));
        const QJsonArray gaps = itls.at(i).toArray();
        double lastChunk = ttft;
        for (const QJsonValue &gap : gaps)
            lastChunk += number(gap);
        rows.setRelative(row, QStringLiteral("client_first_token"), ttft);
        rows.setRelative(row, QStringLiteral("client_last_token"), lastChunk);
        if (!std::isnan(ttft))
            rows.setAttribute(row, QStringLiteral("output_chunks"), double(gaps.size() + 1));
    }
}

} // namespace

QString SglangBenchServingImporter::formatName() const
{
    return QStringLiteral("SGLang bench_serving output (JSON lines)");
}

bool SglangBenchServingImporter::sniff(std::string_view content) const
{
    const std::vector<std::string_view> names = LenientJson::topLevelNames(content);
    auto has = [&names](std::string_view name) { return LenientJson::containsName(names, name); };
    const bool servingResult = (has("ttfts") && has("itls")) || (has("mean_ttft_ms") && has("request_throughput"));
    // Late-2024 lines carry neither (only medians and output_throughput) but have SGLang's mark.
    return (servingResult && std::any_of(std::begin(kSglangKeys), std::end(kSglangKeys), has))
           || has("total_output_tokens_retokenized");
}

FileImport SglangBenchServingImporter::import(MappedFile &file, const QString &inputName,
                                              LoadControl *control) const
{
    QVector<LoadIssue> issues;
    const std::vector<JsonRecord> runs = readJsonRecords(std::string_view(file.data(), file.size()), inputName, issues);
    const qint64 detailedRuns = std::count_if(runs.begin(), runs.end(), [](const JsonRecord &run) {
        return run.value.toObject().value(QLatin1String("ttfts")).isArray();
    });
    RequestRows rows(inputName, Role::Client, PhaseCatalog::common());
    QVector<RunSummary> summaries;
    const QString clock = alignedClockName(QStringLiteral("SGLang bench_serving (%1)").arg(QFileInfo(inputName).fileName()));
    for (const JsonRecord &entry : runs) {
        if (LoadControl::isCanceled(control))
            break;
        const QJsonObject run = entry.value.toObject();
        if (!run.value(QLatin1String("ttfts")).isArray()) {
            // Saved without --output-details: the run's own statistics, shown as its summary.
            RunSummary summary = servingBenchSummary(run, std::string_view(file.data(), file.size()).substr(size_t(entry.byteOffset)));
            summary.source = inputName;
            summary.tool = QStringLiteral("SGLang bench_serving");
            summary.runLabel = QStringLiteral("line %1: %2").arg(entry.line).arg(describeRun(run));
            const QString dataset = run.value(QLatin1String("dataset_name")).toString();
            if (!dataset.isEmpty())
                summary.runLabel += QStringLiteral(", %1 data").arg(dataset);
            keepSummary(std::move(summary), summaries, issues, entry.line);
            continue;
        }
        readRun(rows, run, detailedRuns > 1 ? QStringLiteral("line %1/").arg(entry.line) : QString(), clock);
    }
    LoadControl::addProgress(control, qint64(file.size()));
    FileImport result = rows.finish(std::move(issues));
    result.summaries = std::move(summaries);
    return result;
}

} // namespace Phaseline
