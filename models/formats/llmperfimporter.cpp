#include "formats/clientimporters.h"

#include "formats/clientrows.h"
#include "formats/lenientjson.h"
#include "formats/summaryimporters.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Phaseline {

namespace {

using LenientJson::field;

bool sniffLlmperf(std::string_view content)
{
    const std::vector<std::string_view> element = LenientJson::firstElementNames(content);
    return (LenientJson::containsName(element, "ttft_s") && LenientJson::containsName(element, "end_to_end_latency_s"))
           || LenientJson::containsName(LenientJson::topLevelNames(content), "results_ttft_s_mean");
}

void readLlmperf(ClientImportContext &context)
{
    const QJsonValue root = context.document.values.front().value;
    if (root.toObject().contains(QLatin1String("results_ttft_s_mean"))) {
        // The summary of a run whose requests are in the sibling *_individual_responses.json.
        const QJsonObject summary = root.toObject();
        RunSummary read = llmperfSummary(summary, context.text);
        read.source = context.inputName;
        read.tool = QStringLiteral("llmperf");
        QStringList label{field(summary, "model").toString()};
        const double concurrent = LenientJson::number(field(summary, "num_concurrent_requests"));
        if (!std::isnan(concurrent))
            label << QStringLiteral("%1 concurrent requests").arg(concurrent);
        read.runLabel = label.join(QStringLiteral(", "));
        keepSummary(std::move(read), context.summaries, context.issues, context.document.values.front().line);
        return;
    }
    ClientRows &rows = context.rows;
    const QString clock = alignedClockFor(QStringLiteral("llmperf"), context.inputName);
    const QJsonArray responses = root.toArray();
    for (int i = 0; i < responses.size(); ++i) {
        const QJsonObject response = responses.at(i).toObject();
        // The list is in completion order and has no ids: the position is the only name.
        const int row = rows.append(QString::number(i), clock);
        rows.setRelative(row, ClientStamp::Sent, 0.0);
        const QJsonValue errorCode = field(response, "error_code");
        rows.setAttribute(row, QStringLiteral("input_tokens"), LenientJson::number(field(response, "number_input_tokens")));
        if (!errorCode.isNull() && !errorCode.isUndefined()) {
            rows.setStatus(row, QStringLiteral("HTTP %1: %2")
                                    .arg(errorCode.toVariant().toString(),
                                         statusFromError(field(response, "error_msg").toString())));
            continue; // its durations are zeros, not measurements
        }
        const double ttft = LenientJson::number(field(response, "ttft_s"));
        const double endToEnd = LenientJson::number(field(response, "end_to_end_latency_s"));
        rows.setRelative(row, ClientStamp::FirstToken, ttft > 0 ? ttft : std::nan(""));
        // llmperf stops its clock once the stream is done: the response's end. It keeps no last-token
        // time, so that stays not recorded (decode then runs to the end; no Client Tail of 0).
        if (endToEnd > 0)
            rows.setRelative(row, ClientStamp::End, endToEnd);
        rows.setAttribute(row, QStringLiteral("output_tokens"), LenientJson::number(field(response, "number_output_tokens")));
    }
}

} // namespace

ClientFormat llmperfFormat()
{
    return ClientFormat{QStringLiteral("llmperf individual responses JSON"), &sniffLlmperf, &readLlmperf};
}

} // namespace Phaseline
