#include "formats/clientimporters.h"
#include "formats/loadcontrol.h"

#include "formats/clientrows.h"
#include "formats/lenientjson.h"

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
    QString text =
        QStringLiteral("%1: %2").arg(index + 1).arg(field(strategy, "type_").toString(QStringLiteral("benchmark")));
    if (field(strategy, "rate").isDouble())
        text += QStringLiteral(" %1 req/s").arg(field(strategy, "rate").toDouble());
    if (field(strategy, "streams").isDouble())
        text += QStringLiteral(" %1 streams").arg(field(strategy, "streams").toDouble());
    return text;
}

// How many requests of each status the run made, to tell a down-sampled file apart: report v2
// counts them in scheduler_metrics; 0.3.x in the benchmark's request_totals (set before
// set_sample_size() cut the lists; run_stats.requests_made of 0.2 counts warm-up too).
QJsonObject requestsMade(const QJsonObject &benchmark)
{
    for (const QJsonObject &counts :
         {field(field(benchmark, "scheduler_metrics").toObject(), "requests_made").toObject(),
          field(benchmark, "request_totals").toObject(), field(field(benchmark, "run_stats").toObject(), "requests_made").toObject()}) {
        if (!counts.isEmpty())
            return counts;
    }
    return QJsonObject();
}

struct Outcome
{
    const char *list; // key under benchmark.requests
    bool ok;
};
constexpr Outcome kOutcomes[] = {{"successful", true}, {"incomplete", false}, {"errored", false}};

// Epoch-second keys of each client boundary after the send (docs/formats.md §3d mapping).
struct StampKeys
{
    ClientStamp stamp;
    const char *reportV2; // under info.timings
    const char *report03; // on the request itself (nullptr: not recorded by 0.2/0.3)
};
constexpr StampKeys kStampKeys[] = {
    {ClientStamp::Sent, "request_start", "start_time"},
    {ClientStamp::ResponseStart, "first_request_iteration", nullptr},
    {ClientStamp::FirstToken, "first_token_iteration", "first_token_time"},
    {ClientStamp::LastToken, "last_token_iteration", "last_token_time"},
    {ClientStamp::End, "request_end", "end_time"},
};

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

    // Report v2 keeps the stamps under info.timings, 0.2/0.3 on the request and in scheduler_info.
    const QJsonObject timings = field(info, "timings").toObject();
    const bool reportV2 = !timings.isEmpty();
    const QJsonObject &stampsObject = reportV2 ? timings : request;
    const QJsonObject scheduler = reportV2 ? timings : field(request, "scheduler_info").toObject();
    double enqueued = number(field(scheduler, reportV2 ? "targeted_start" : "targeted_start_time"));
    if (!(enqueued > 0)) // 0.3 writes -1 for "not targeted"
        enqueued = number(field(scheduler, reportV2 ? "scheduled_at" : "scheduled_time"));
    rows.setSeconds(row, ClientStamp::Enqueued, enqueued);
    for (const StampKeys &keys : kStampKeys) {
        // An unfinished request's end is not a response's end: it would pass for a fast one.
        const bool ending = keys.stamp == ClientStamp::LastToken || keys.stamp == ClientStamp::End;
        const char *key = reportV2 ? keys.reportV2 : keys.report03;
        if (key && (outcome.ok || !ending))
            rows.setSeconds(row, keys.stamp, number(field(stampsObject, key)));
    }

    double inputTokens = number(field(request, "prompt_tokens"));
    if (std::isnan(inputTokens))
        inputTokens = number(field(field(request, "input_metrics").toObject(), "text_tokens"));
    double outputTokens = number(field(request, "output_tokens"));
    if (std::isnan(outputTokens))
        outputTokens = number(field(field(request, "output_metrics").toObject(), "text_tokens"));
    rows.setAttribute(row, QStringLiteral("input_tokens"), inputTokens);
    rows.setAttribute(row, QStringLiteral("output_tokens"), outputTokens);
    rows.setAttribute(row, QStringLiteral("cached_tokens"),
                      number(field(field(request, "input_metrics").toObject(), "cached_tokens")));
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
    for (int index = 0; index < benchmarks.size() && !LoadControl::isCanceled(context.control); ++index) {
        const QJsonObject benchmark = benchmarks.at(index).toObject();
        const QString label = describeBenchmark(index, benchmark);
        const QJsonObject requests = field(benchmark, "requests").toObject();
        const QJsonObject made = requestsMade(benchmark);
        for (const Outcome &outcome : kOutcomes) {
            const QJsonArray list = field(requests, outcome.list).toArray();
            for (int i = 0; i < list.size(); ++i) {
                const QString fallbackId = QStringLiteral("%1/%2/%3").arg(index + 1).arg(QLatin1String(outcome.list)).arg(i);
                readRequest(context.rows, list.at(i).toObject(), fallbackId, label, outcome, clock);
            }
            const double madeCount = number(field(made, outcome.list));
            if (madeCount > list.size())
                context.issues << LoadIssue{LoadIssue::Warning, context.inputName, -1, -1,
                                            QStringLiteral("benchmark %1 holds %2 of its %3 %4 requests (GuideLLM "
                                                           "kept a sample); statistics describe the sample")
                                                .arg(label)
                                                .arg(list.size())
                                                .arg(madeCount)
                                                .arg(QLatin1String(outcome.list))};
        }
    }
}

} // namespace

ClientFormat guideLlmFormat()
{
    return ClientFormat{QStringLiteral("GuideLLM benchmarks.json"), &sniffGuideLlm, &readGuideLlm};
}

} // namespace Phaseline
