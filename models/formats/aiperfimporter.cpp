#include "formats/clientexportimporters.h"

#include "formats/lenientjson.h"
#include "core/mappedfile.h"
#include "formats/loadcontrol.h"
#include "formats/requestrows.h"
#include "formats/summaryimporters.h"

#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

using LenientJson::containsName;
using LenientJson::containsQuoted;

// Looks at the member names first: finding the end of the first value may scan a whole
// (large) file of another format.
bool isPerRequestExport(std::string_view content, const std::vector<std::string_view> &names)
{
    if (!containsName(names, "metadata") || !containsName(names, "metrics"))
        return false;
    const std::string_view first = firstJsonValue(content);
    return containsQuoted(first, "request_start_ns") || containsQuoted(first, "timestamp_ns");
}

// Nanoseconds per unit of a time metric, as the record states it; NaN for units we do not know.
double nanosecondsPer(const QString &unit)
{
    static const QHash<QString, double> kUnits{{QStringLiteral("ns"), 1.0},  {QStringLiteral("us"), 1e3},
                                               {QStringLiteral("µs"), 1e3}, {QStringLiteral("ms"), 1e6},
                                               {QStringLiteral("s"), 1e9},   {QStringLiteral("sec"), 1e9}};
    return kUnits.value(unit, std::nan(""));
}

class RecordReader
{
public:
    RecordReader(RequestRows &rows, QVector<LoadIssue> &issues, const QString &inputName)
        : m_rows(rows), m_issues(issues), m_inputName(inputName)
    {
    }

    void read(const JsonRecord &entry)
    {
        const QJsonObject record = entry.value.toObject();
        const QJsonObject metadata = record.value(QLatin1String("metadata")).toObject();
        m_metrics = record.value(QLatin1String("metrics")).toObject();
        m_entry = &entry;
        qint64 start = LenientJson::integer(metadata.value(QLatin1String("request_start_ns")));
        if (start <= 0)
            start = LenientJson::integer(metadata.value(QLatin1String("timestamp_ns"))); // first export schema
        if (start <= 0) {
            m_issues.append(LoadIssue{LoadIssue::Warning, m_inputName, entry.line, entry.byteOffset,
                                      QStringLiteral("record without metadata.request_start_ns: skipped")});
            return;
        }

        QString id = metadata.value(QLatin1String("x_request_id")).toString();
        if (id.isEmpty())
            id = QStringLiteral("line %1").arg(entry.line);
        const int row = m_rows.append(id, QStringLiteral("epoch (AIPerf client wall clock)"));
        auto stampAt = [&](const char *stamp, qint64 nanoseconds) {
            m_rows.setNanoseconds(row, QString::fromLatin1(stamp), nanoseconds);
        };
        stampAt("client_enqueued", LenientJson::integer(metadata.value(QLatin1String("credit_issued_ns"))));
        stampAt("client_sent", start);
        stampAt("client_response_start", LenientJson::integer(metadata.value(QLatin1String("request_ack_ns"))));
        stampAt("client_first_token", after(start, durationNs("time_to_first_token", "ttft")));

        const QString status = statusOf(record, metadata);
        if (status.isEmpty()) {
            stampAt("client_last_token", after(start, durationNs("request_latency")));
            stampAt("client_end", LenientJson::integer(metadata.value(QLatin1String("request_end_ns"))));
        } else {
            // A failed or cancelled request keeps what it reached; its end would read as a fast finish.
            m_rows.setStatus(row, status);
            const qint64 cancelled = LenientJson::integer(metadata.value(QLatin1String("cancellation_time_ns")));
            if (cancelled > start)
                m_rows.setAttribute(row, QStringLiteral("cancelled_after_ms"), double(cancelled - start) / 1e6);
        }

        m_rows.setAttribute(row, QStringLiteral("input_tokens"), count("input_sequence_length", "error_isl"));
        m_rows.setAttribute(row, QStringLiteral("output_tokens"), count("output_sequence_length", "output_token_count"));
        m_rows.setAttribute(row, QStringLiteral("reasoning_tokens"), count("reasoning_token_count"));
        m_rows.setLabel(row, QStringLiteral("worker"), metadata.value(QLatin1String("worker_id")).toString());
    }

private:
    // `start` plus a duration; 0 (= not recorded) when the duration is missing.
    static qint64 after(qint64 start, qint64 durationNs) { return durationNs < 0 ? 0 : saturatingAdd(start, durationNs); }

    // A duration metric in integer nanoseconds (converted with the unit the record states), -1 when absent.
    qint64 durationNs(const char *tag, const char *olderTag = nullptr)
    {
        QJsonObject metric = m_metrics.value(QLatin1String(tag)).toObject();
        if (metric.isEmpty() && olderTag)
            metric = m_metrics.value(QLatin1String(olderTag)).toObject();
        const double value = LenientJson::number(metric.value(QLatin1String("value")));
        if (std::isnan(value))
            return -1;
        const QString unit = metric.value(QLatin1String("unit")).toString();
        const double factor = nanosecondsPer(unit);
        if (std::isnan(factor)) {
            if (!m_unknownUnits.contains(unit)) {
                m_unknownUnits.insert(unit);
                m_issues.append(LoadIssue{LoadIssue::Warning, m_inputName, m_entry->line, m_entry->byteOffset,
                                          QStringLiteral("metric %1 has the unknown time unit \"%2\": not used")
                                              .arg(QLatin1String(tag), unit)});
            }
            return -1;
        }
        return saturatingNanoseconds(value * factor);
    }

    double count(const char *tag, const char *fallbackTag = nullptr) const
    {
        double value = LenientJson::number(m_metrics.value(QLatin1String(tag)).toObject().value(QLatin1String("value")));
        if (std::isnan(value) && fallbackTag)
            value = count(fallbackTag);
        return value;
    }

    // Empty for a request that completed; else "cancelled" or the error as the record states it.
    static QString statusOf(const QJsonObject &record, const QJsonObject &metadata)
    {
        if (metadata.value(QLatin1String("was_cancelled")).toBool())
            return QStringLiteral("cancelled");
        const QJsonValue error = record.value(QLatin1String("error"));
        if (!error.isObject())
            return QString();
        const QJsonObject details = error.toObject();
        QString text = details.value(QLatin1String("type")).toString();
        const QJsonValue code = details.value(QLatin1String("code"));
        if (code.isDouble())
            text += QStringLiteral(" (%1)").arg(code.toInteger());
        const QString message = details.value(QLatin1String("message")).toString();
        if (!message.isEmpty())
            text += (text.isEmpty() ? QString() : QStringLiteral(": ")) + message;
        return statusFromError(text);
    }

    RequestRows &m_rows;
    QVector<LoadIssue> &m_issues;
    const QString &m_inputName;
    const JsonRecord *m_entry = nullptr;
    QJsonObject m_metrics;
    QSet<QString> m_unknownUnits;
};

} // namespace

QString AiperfImporter::formatName() const
{
    return QStringLiteral("AIPerf profile_export.jsonl");
}

bool AiperfImporter::sniff(std::string_view content) const
{
    const std::vector<std::string_view> names = LenientJson::topLevelNames(content);
    return isPerRequestExport(content, names) || isAiperfJsonSummary(content);
}

FileImport AiperfImporter::import(MappedFile &file, const QString &inputName, LoadControl *control) const
{
    const std::string_view content(file.data(), file.size());
    RequestRows rows(inputName, Role::Client, PhaseCatalog::common());
    QVector<LoadIssue> issues;
    if (!isPerRequestExport(content, LenientJson::topLevelNames(content))) {
        // profile_export_aiperf.json: the run's statistics (its requests are in profile_export.jsonl).
        const std::vector<JsonRecord> records = readJsonRecords(content, inputName, issues);
        FileImport result = rows.finish(std::move(issues));
        if (!records.empty()) {
            RunSummary summary = aiperfJsonSummary(records.front().value.toObject(), content);
            summary.source = inputName;
            keepSummary(std::move(summary), result.summaries, result.issues, records.front().line);
        }
        LoadControl::addProgress(control, qint64(file.size()));
        return result;
    }
    const std::vector<JsonRecord> records = readJsonRecords(content, inputName, issues);
    RecordReader reader(rows, issues, inputName);
    for (const JsonRecord &entry : records) {
        if (LoadControl::isCanceled(control))
            break;
        reader.read(entry);
    }
    LoadControl::addProgress(control, qint64(file.size()));
    return rows.finish(std::move(issues));
}

} // namespace Phaseline
