#include "formats/sglangimporters.h"

#include "formats/lenientjson.h"
#include "core/mappedfile.h"
#include "formats/loadcontrol.h"
#include "formats/requestrows.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <initializer_list>

namespace Phaseline {

namespace {

const QString kReceived = QStringLiteral("server_received");
const QString kEnqueued = QStringLiteral("engine_enqueued");
const QString kScheduled = QStringLiteral("scheduled");
const QString kPrefillStart = QStringLiteral("prefill_start");
const QString kFirstToken = QStringLiteral("first_token");
const QString kFirstTokenSent = QStringLiteral("first_token_sent");
const QString kLastToken = QStringLiteral("last_token");
const QString kFinished = QStringLiteral("server_finished");

// The first of several keys the record has as a finite number: SGLang renamed its timing keys
// three times (docs/formats.md §2a), NaN when none is there.
double firstNumber(const QJsonObject &record, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const double value = LenientJson::number(record.value(QLatin1String(key)));
        if (!std::isnan(value))
            return value;
    }
    return std::nan("");
}

QString finishStatus(const QJsonObject &finishReason)
{
    if (finishReason.value(QLatin1String("type")).toString() != QLatin1String("abort"))
        return QString();
    const QString message = finishReason.value(QLatin1String("message")).toString();
    return message.isEmpty() ? QStringLiteral("aborted") : QStringLiteral("aborted: ") + statusFromError(message);
}

// Current (epoch seconds) and late-2025 key names: stamps on the server's wall clock. An aborted
// request keeps what happened before the abort, never an end that would count as a fast finish.
void readEpochStamps(RequestRows &rows, int row, const QJsonObject &record, bool completed)
{
    const double finished = firstNumber(record, {"request_finished_ts", "response_sent_ts"});
    const double e2e = firstNumber(record, {"e2e_latency"});
    double received = firstNumber(record, {"request_received_ts"});
    if (std::isnan(received))
        received = finished - e2e; // e2e_latency runs from the API server's receipt to the finish
    const double scheduled = firstNumber(record, {"forward_entry_time", "request_scheduled_ts"});
    const double prefillStart = scheduled + firstNumber(record, {"prefill_waiting_latency", "prefill_delay"});
    rows.setSeconds(row, kReceived, received);
    rows.setSeconds(row, kEnqueued, scheduled - firstNumber(record, {"queue_time"}));
    rows.setSeconds(row, kScheduled, scheduled);
    rows.setSeconds(row, kPrefillStart, prefillStart);
    rows.setSeconds(row, kFirstToken, firstNumber(record, {"prefill_finished_time", "prefill_finished_ts"}));
    if (!completed)
        return;
    rows.setSeconds(row, kLastToken, firstNumber(record, {"decode_finished_ts"}));
    rows.setSeconds(row, kFinished, finished);
    // decode_throughput = completion tokens / (finish - first token seen by the API server).
    const double throughput = firstNumber(record, {"decode_throughput"});
    const double tokens = firstNumber(record, {"completion_tokens"});
    const double requestFinished = firstNumber(record, {"request_finished_ts"});
    if (throughput > 0 && tokens > 0)
        rows.setSeconds(row, kFirstTokenSent, requestFinished - tokens / throughput);
    if (std::isnan(firstNumber(record, {"decode_finished_ts"})))
        rows.setLabel(row, QStringLiteral("approximations"),
                      QStringLiteral("decode ends at request_finished_ts (no last-token stamp)"));
}

// Older key names (durations only, srtlog's arithmetic): every request starts at 0 on receipt.
void readDurations(RequestRows &rows, int row, const QJsonObject &record, bool completed)
{
    const double e2e = firstNumber(record, {"e2e_latency"});
    const double scheduled = e2e - firstNumber(record, {"inference_time"});
    const double prefillStart = scheduled + firstNumber(record, {"prefill_launch_delay", "prefill_waiting_latency"});
    const double prefillEnd = prefillStart + firstNumber(record, {"prefill_launch_latency"});
    rows.setRelative(row, kReceived, 0);
    rows.setRelative(row, kEnqueued, scheduled - firstNumber(record, {"queue_time"}));
    rows.setRelative(row, kScheduled, scheduled);
    rows.setRelative(row, kPrefillStart, prefillStart);
    rows.setRelative(row, kFirstToken, prefillEnd);
    if (completed)
        rows.setRelative(row, kFinished, e2e);
    if (!std::isnan(prefillEnd))
        rows.setLabel(row, QStringLiteral("approximations"),
                      QStringLiteral("first token = end of the prefill batch; decode ends at the finish "
                                     "(durations only, no stamps)"));
}

bool hasEpochStamps(const QJsonObject &record)
{
    return !std::isnan(firstNumber(record, {"request_received_ts", "forward_entry_time", "request_scheduled_ts",
                                            "request_finished_ts", "response_sent_ts"}));
}

QString requestId(const QJsonObject &record, qint64 line)
{
    const QString id = record.value(QLatin1String("id")).toString();
    if (!id.isEmpty())
        return id;
    const QJsonObject parameters =
        QJsonDocument::fromJson(record.value(QLatin1String("request_parameters")).toString().toUtf8()).object();
    const QString rid = parameters.value(QLatin1String("rid")).toString();
    return rid.isEmpty() ? QStringLiteral("line %1").arg(line) : rid;
}

} // namespace

QString SglangRequestMetricsImporter::formatName() const
{
    return QStringLiteral("SGLang request metrics export (JSON lines)");
}

bool SglangRequestMetricsImporter::sniff(std::string_view content) const
{
    const std::vector<std::string_view> names = LenientJson::topLevelNames(content);
    return LenientJson::containsName(names, "e2e_latency") && LenientJson::containsName(names, "request_parameters");
}

FileImport SglangRequestMetricsImporter::import(MappedFile &file, const QString &inputName,
                                                LoadControl *control) const
{
    QVector<LoadIssue> issues;
    const std::vector<JsonRecord> records = readJsonRecords(std::string_view(file.data(), file.size()), inputName, issues);
    RequestRows rows(inputName, Role::Aggregated, PhaseCatalog::sglang());
    const QString epochClock = QStringLiteral("epoch (SGLang server wall clock)");
    const QString alignedClock =
        alignedClockName(QStringLiteral("SGLang request metrics (%1)").arg(QFileInfo(inputName).fileName()));
    for (const JsonRecord &entry : records) {
        if (LoadControl::isCanceled(control))
            break;
        const QJsonObject record = entry.value.toObject();
        if (!record.contains(QLatin1String("e2e_latency"))) {
            issues.append(LoadIssue{LoadIssue::Warning, inputName, entry.line, entry.byteOffset,
                                    QStringLiteral("not an SGLang request record (no e2e_latency): skipped")});
            continue;
        }
        const bool epoch = hasEpochStamps(record);
        const int row = rows.append(requestId(record, entry.line), epoch ? epochClock : alignedClock);
        const QJsonObject finishReason = record.value(QLatin1String("finish_reason")).toObject();
        rows.setLabel(row, QStringLiteral("finish_reason"), finishReason.value(QLatin1String("type")).toString());
        const QString status = finishStatus(finishReason);
        if (!status.isEmpty())
            rows.setStatus(row, status);
        if (epoch)
            readEpochStamps(rows, row, record, status.isEmpty());
        else
            readDurations(rows, row, record, status.isEmpty());
        rows.setAttribute(row, QStringLiteral("input_tokens"), firstNumber(record, {"prompt_tokens"}));
        rows.setAttribute(row, QStringLiteral("output_tokens"), firstNumber(record, {"completion_tokens"}));
        rows.setAttribute(row, QStringLiteral("cached_tokens"), firstNumber(record, {"cached_tokens"}));
    }
    LoadControl::addProgress(control, qint64(file.size()));
    return rows.finish(std::move(issues));
}

} // namespace Phaseline
