#include "formats/otelspanimporter.h"

#include "formats/lenientjson.h"
#include "core/mappedfile.h"
#include "formats/loadcontrol.h"
#include "formats/requestrows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

// One span reduced to what the mapping needs; attribute values as JSON (numbers, strings).
struct Span
{
    QString name;
    qint64 startNs = 0;
    QHash<QString, QJsonValue> attributes;
    QString spanId;
    QString service;
    QString error; // empty unless the span's status is an error
};

// OTLP/JSON writes 64-bit integers as strings (proto3 JSON mapping), the official example as bare numbers.
qint64 integerOf(const QJsonValue &value)
{
    if (value.isString()) {
        bool ok = false;
        const qint64 parsed = value.toString().toLongLong(&ok);
        return ok ? parsed : -1;
    }
    return LenientJson::integer(value);
}

double numberOf(const QJsonValue &value)
{
    return value.isString() ? double(integerOf(value)) : LenientJson::number(value);
}

QJsonValue otlpValue(const QJsonObject &anyValue)
{
    for (const char *kind : {"doubleValue", "intValue", "stringValue", "boolValue"}) {
        const QJsonValue value = anyValue.value(QLatin1String(kind));
        if (!value.isUndefined())
            return value;
    }
    return QJsonValue();
}

QHash<QString, QJsonValue> otlpAttributes(const QJsonArray &attributes)
{
    QHash<QString, QJsonValue> result;
    for (const QJsonValue &attribute : attributes) {
        const QJsonObject keyValue = attribute.toObject();
        result.insert(keyValue.value(QLatin1String("key")).toString(),
                      otlpValue(keyValue.value(QLatin1String("value")).toObject()));
    }
    return result;
}

// resourceSpans[] -> scopeSpans[] (instrumentationLibrarySpans[] before OTLP 0.15) -> spans[].
void collectOtlpSpans(const QJsonObject &tracesData, std::vector<Span> &spans)
{
    for (const QJsonValue &resourceSpans : tracesData.value(QLatin1String("resourceSpans")).toArray()) {
        const QJsonObject resource = resourceSpans.toObject();
        const QString service = otlpAttributes(resource.value(QLatin1String("resource"))
                                                   .toObject()
                                                   .value(QLatin1String("attributes"))
                                                   .toArray())
                                    .value(QStringLiteral("service.name"))
                                    .toString();
        QJsonArray scopes = resource.value(QLatin1String("scopeSpans")).toArray();
        if (scopes.isEmpty())
            scopes = resource.value(QLatin1String("instrumentationLibrarySpans")).toArray();
        for (const QJsonValue &scope : scopes) {
            for (const QJsonValue &value : scope.toObject().value(QLatin1String("spans")).toArray()) {
                const QJsonObject span = value.toObject();
                Span reduced{span.value(QLatin1String("name")).toString(),
                             integerOf(span.value(QLatin1String("startTimeUnixNano"))),
                             otlpAttributes(span.value(QLatin1String("attributes")).toArray()),
                             span.value(QLatin1String("spanId")).toString(), service, QString()};
                const QJsonObject status = span.value(QLatin1String("status")).toObject();
                const QJsonValue code = status.value(QLatin1String("code"));
                if (code.toInt() == 2 || code.toString() == QLatin1String("STATUS_CODE_ERROR"))
                    reduced.error = status.value(QLatin1String("message")).toString(QStringLiteral("error"));
                spans.push_back(std::move(reduced));
            }
        }
    }
}

// Jaeger /api/traces: {data: [{spans: [{operationName, startTime (µs), tags[]}], processes}]}.
void collectJaegerSpans(const QJsonObject &response, std::vector<Span> &spans)
{
    for (const QJsonValue &traceValue : response.value(QLatin1String("data")).toArray()) {
        const QJsonObject trace = traceValue.toObject();
        const QJsonObject processes = trace.value(QLatin1String("processes")).toObject();
        for (const QJsonValue &value : trace.value(QLatin1String("spans")).toArray()) {
            const QJsonObject span = value.toObject();
            QHash<QString, QJsonValue> tags;
            for (const QJsonValue &tag : span.value(QLatin1String("tags")).toArray())
                tags.insert(tag.toObject().value(QLatin1String("key")).toString(),
                            tag.toObject().value(QLatin1String("value")));
            const qint64 startUs = integerOf(span.value(QLatin1String("startTime")));
            const QString process = span.value(QLatin1String("processID")).toString();
            Span reduced{span.value(QLatin1String("operationName")).toString(),
                         startUs > 0 ? startUs * 1000 : 0,
                         tags,
                         span.value(QLatin1String("spanID")).toString(),
                         processes.value(process).toObject().value(QLatin1String("serviceName")).toString(),
                         QString()};
            if (tags.value(QStringLiteral("error")).toBool()
                || tags.value(QStringLiteral("otel.status_code")).toString() == QLatin1String("ERROR"))
                reduced.error = tags.value(QStringLiteral("otel.status_description")).toString(QStringLiteral("error"));
            spans.push_back(std::move(reduced));
        }
    }
}

// "length" from the JSON-encoded list string '["length"]'.
QString finishReasons(const QJsonValue &value)
{
    const QJsonArray list = QJsonDocument::fromJson(value.toString().toUtf8()).array();
    QStringList reasons;
    for (const QJsonValue &reason : list)
        reasons << reason.toString();
    return list.isEmpty() ? value.toString() : reasons.join(QStringLiteral(", "));
}

// docs/formats.md §1c: the span starts at the frontend's arrival (exact); the engine intervals are
// placed back from start + e2e, which is when the frontend finished the request, so every engine
// boundary lands late by the output-processing time and "frontend" holds input and output processing.
void addRequest(RequestRows &rows, const Span &span)
{
    auto seconds = [&span](const char *key) { return numberOf(span.attributes.value(QLatin1String(key))); };
    QString id = span.attributes.value(QStringLiteral("gen_ai.request.id")).toString();
    if (id.isEmpty())
        id = span.spanId;
    const int row = rows.append(id, QStringLiteral("epoch (vLLM server wall clock)"));
    rows.setLabel(row, QStringLiteral("server"), span.service);
    rows.setNanoseconds(row, QStringLiteral("server_received"), span.startNs);
    QJsonValue reasons = span.attributes.value(QStringLiteral("gen_ai.response.finish_reasons"));
    if (reasons.isUndefined())
        reasons = span.attributes.value(QStringLiteral("gen_ai.response.finish_reason"));
    rows.setLabel(row, QStringLiteral("finish_reason"), finishReasons(reasons));
    rows.setAttribute(row, QStringLiteral("input_tokens"), seconds("gen_ai.usage.prompt_tokens"));
    rows.setAttribute(row, QStringLiteral("output_tokens"), seconds("gen_ai.usage.completion_tokens"));
    if (!span.error.isEmpty()) {
        rows.setStatus(row, statusFromError(span.error)); // no finish: its e2e is not a fast request
        return;
    }

    const double prefill = seconds("gen_ai.latency.time_in_model_prefill");
    double inference = seconds("gen_ai.latency.time_in_model_inference");
    if (std::isnan(inference))
        inference = prefill + seconds("gen_ai.latency.time_in_model_decode");
    auto nanoseconds = [](double s) { return saturatingNanoseconds(s * 1e9); };
    const qint64 lastToken = saturatingAdd(span.startNs, nanoseconds(seconds("gen_ai.latency.e2e")));
    rows.setNanoseconds(row, QStringLiteral("last_token"), lastToken);
    if (std::isnan(inference))
        return;
    const qint64 scheduled = saturatingAdd(lastToken, -nanoseconds(inference));
    rows.setNanoseconds(row, QStringLiteral("scheduled"), scheduled);
    const double queue = seconds("gen_ai.latency.time_in_queue");
    if (!std::isnan(queue))
        rows.setNanoseconds(row, QStringLiteral("engine_enqueued"), saturatingAdd(scheduled, -nanoseconds(queue)));
    if (!std::isnan(prefill))
        rows.setNanoseconds(row, QStringLiteral("first_token"), saturatingAdd(scheduled, nanoseconds(prefill)));
    rows.setLabel(row, QStringLiteral("approximations"),
                  QStringLiteral("engine stamps placed back from span start + e2e (late by the output "
                                 "processing); frontend = input + output processing"));
}

bool isJaegerResponse(std::string_view content)
{
    if (!LenientJson::containsName(LenientJson::topLevelNames(content), "data"))
        return false;
    const std::string_view first = firstJsonValue(content);
    return LenientJson::containsQuoted(first, "spans") && LenientJson::containsQuoted(first, "processes");
}

} // namespace

QString OtelSpanImporter::formatName() const
{
    return QStringLiteral("vLLM OpenTelemetry spans (OTLP JSON, Jaeger JSON)");
}

bool OtelSpanImporter::sniff(std::string_view content) const
{
    return LenientJson::containsName(LenientJson::topLevelNames(content), "resourceSpans") || isJaegerResponse(content);
}

FileImport OtelSpanImporter::import(MappedFile &file, const QString &inputName, LoadControl *control) const
{
    QVector<LoadIssue> issues;
    const std::string_view content(file.data(), file.size());
    const bool jaeger = isJaegerResponse(content);
    std::vector<Span> spans;
    for (const JsonRecord &entry : readJsonRecords(content, inputName, issues)) {
        if (LoadControl::isCanceled(control))
            break;
        if (jaeger)
            collectJaegerSpans(entry.value.toObject(), spans);
        else
            collectOtlpSpans(entry.value.toObject(), spans);
    }

    RequestRows rows(inputName, Role::Aggregated, PhaseCatalog::common());
    QMap<QString, int> otherSpans; // name -> count, sorted for the message
    for (const Span &span : spans) {
        if (span.name == QLatin1String("llm_request") && span.attributes.contains(QStringLiteral("gen_ai.latency.e2e")))
            addRequest(rows, span);
        else
            ++otherSpans[span.name];
    }
    if (!otherSpans.isEmpty()) {
        QStringList names;
        int count = 0;
        for (auto it = otherSpans.cbegin(); it != otherSpans.cend(); ++it) {
            names << QStringLiteral("%1 (%2)").arg(it.key().isEmpty() ? QStringLiteral("unnamed") : it.key()).arg(it.value());
            count += it.value();
        }
        issues.append(LoadIssue{rows.size() == 0 ? LoadIssue::Error : LoadIssue::Warning, inputName, -1, -1,
                                QStringLiteral("%1 spans are not vLLM llm_request spans with gen_ai.latency.e2e and "
                                               "were not loaded: %2")
                                    .arg(count)
                                    .arg(names.join(QStringLiteral(", ")))});
    }
    if (spans.empty() && std::none_of(issues.cbegin(), issues.cend(), [](const LoadIssue &issue) { return issue.severity == LoadIssue::Error; }))
        issues.append(LoadIssue{LoadIssue::Error, inputName, -1, -1, QStringLiteral("the file holds no spans")});
    LoadControl::addProgress(control, qint64(file.size()));
    return rows.finish(std::move(issues));
}

} // namespace Phaseline
