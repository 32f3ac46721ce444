#include "clientimporters.h"

#include "clientrows.h"
#include "lenientjson.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Phaseline {

namespace {

using LenientJson::field;
using LenientJson::number;

// "2: poisson 4 req/s": the benchmark's index in the file and its scheduling strategy
// (report v2: config.strategy; 0.2/0.3: args.strategy).
QString describeBenchmark(int index, const QJsonObject &benchmark)
{
    QJsonObject strategy = field(field(benchmark, "config").toObject(), "strategy").toObject();
    if (strategy.isEmpty())
        strategy = field(field(benchmark, "args").toObject(), "strategy").toObject();
    QString text = QStringLiteral("%1: %2").arg(index + 1).arg(field(strategy, "type_").toString(QStringLiteral("benchmark")));
    if (field(strategy, "rate").isDouble())
        text += QStringLiteral(" %1 req/s").arg(field(strategy, "rate").toDouble());
    if (field(strategy, "streams").isDouble())
        text += QStringLiteral(" %1 streams").arg(field(strategy, "streams").toDouble());
    return text;
}

// How many requests of each status the run made, to tell a down-sampled file (0.3.x) apart.
QJsonObject requestsMade(const QJsonObject &benchmark)
{
    const QJsonObject fromScheduler = field(field(benchmark, "scheduler_metrics").toObject(), "requests_made").toObject();
    return fromScheduler.isEmpty() ? field(field(benchmark, "run_stats").toObject(), "requests_made").toObject()
                                   : fromScheduler;
}

struct Outcome
{
    const char *list; // key under benchmark.requests
    bool ok;
};
constexpr Outcome kOutcomes[] = {{"successful", true}, {"incomplete", false}, {"errored", false}};

void readRequest(ClientRows &rows, const QJsonObject &request, const QString &fallbackId, const QString &benchmark,
                 const Outcome &outcome, const QString &clock)
{
    const QJsonObject info = field(request, "info").toObject();
    QString id = field(request, "request_id").toString();
    if (id.isEmpty())
        id = field(info, "request_id").toString(fallbackId);
    const int row = rows.append(id, clock);
    rows.setLabel(row, QStringLiteral("benchmark"), benchmark);

    QString error = field(info, "error").toString();
    if (error.isEmpty())
        error = field(request, "error").toString();
    if (!outcome.ok)
        rows.setStatus(row, error.isEmpty() ? QStringLiteral("cancelled") : statusFromError(error));

    const QJsonObject timings = field(info, "timings").toObject();
    struct Mapping
    {
        ClientStamp stamp;
        double seconds;
    };
    const bool reportV2 = !timings.isEmpty();
    const QJsonObject scheduler = field(request, "scheduler_info").toObject();
    double enqueued = reportV2 ? number(field(timings, "targeted_start")) : number(field(scheduler, "targeted_start_time"));
    if (!(enqueued > 0))
        enqueued = reportV2 ? number(field(timings, "scheduled_at")) : number(field(scheduler, "scheduled_time"));
    const Mapping mappings[] = {
        {ClientStamp::Enqueued, enqueued},
        {ClientStamp::Sent, number(reportV2 ? field(timings, "request_start") : field(request, "start_time"))},
        {ClientStamp::ResponseStart, reportV2 ? number(field(timings, "first_request_iteration")) : std::nan("")},
        {ClientStamp::FirstToken, number(reportV2 ? field(timings, "first_token_iteration") : field(request, "first_token_time"))},
        {ClientStamp::LastToken, number(reportV2 ? field(timings, "last_token_iteration") : field(request, "last_token_time"))},
        {ClientStamp::End, number(reportV2 ? field(timings, "request_end") : field(request, "end_time"))},
    };
    for (const Mapping &mapping : mappings) {
        // An unfinished request's end is not a response's end: it would pass for a fast one.
        const bool ending = mapping.stamp == ClientStamp::LastToken || mapping.stamp == ClientStamp::End;
        if (outcome.ok || !ending)
            rows.setSeconds(row, mapping.stamp, mapping.seconds);
    }

    double inputTokens = number(field(request, "prompt_tokens"));
    if (std::isnan(inputTokens))
        inputTokens = number(field(field(request, "input_metrics").toObject(), "text_tokens"));
    double outputTokens = number(field(request, "output_tokens"));
    if (std::isnan(outputTokens))
        outputTokens = number(field(field(request, "output_metrics").toObject(), "text_tokens"));
    rows.setAttribute(row, QStringLiteral("input_tokens"), inputTokens);
    rows.setAttribute(row, QStringLiteral("output_tokens"), outputTokens);
    rows.setAttribute(row, QStringLiteral("cached_tokens"), number(field(field(request, "input_metrics").toObject(), "cached_tokens")));
}

bool sniffGuideLlm(std::string_view content)
{
    return LenientJson::containsName(LenientJson::topLevelNames(content), "benchmarks")
           && LenientJson::containsQuoted(content, "successful");
}

void readGuideLlm(ClientImportContext &context)
{
    const QString clock = QStringLiteral("epoch (client wall clock)");
    const QJsonArray benchmarks = field(context.document.values.front().value.toObject(), "benchmarks").toArray();
    for (int index = 0; index < benchmarks.size() && !context.canceled(); ++index) {
        const QJsonObject benchmark = benchmarks.at(index).toObject();
        const QString label = describeBenchmark(index, benchmark);
        const QJsonObject requests = field(benchmark, "requests").toObject();
        const QJsonObject made = requestsMade(benchmark);
        for (const Outcome &outcome : kOutcomes) {
            const QJsonArray list = field(requests, outcome.list).toArray();
            for (int i = 0; i < list.size(); ++i) {
                readRequest(context.rows, list.at(i).toObject(), QStringLiteral("%1/%2/%3").arg(index + 1).arg(QLatin1String(outcome.list)).arg(i),
                            label, outcome, clock);
            }
            const double madeCount = number(field(made, outcome.list));
            if (madeCount > list.size())
                context.issues.append(LoadIssue{LoadIssue::Warning, context.inputName, -1, -1,
                                        QStringLiteral("benchmark %1 holds %2 of its %3 %4 requests (GuideLLM kept a "
                                                       "sample); statistics describe the sample")
                                            .arg(label)
                                            .arg(list.size())
                                            .arg(madeCount)
                                            .arg(QLatin1String(outcome.list))});
        }
    }
}

} // namespace

ClientFormat guideLlmFormat()
{
    return ClientFormat{QStringLiteral("GuideLLM benchmarks.json"), &sniffGuideLlm, &readGuideLlm};
}

} // namespace Phaseline
