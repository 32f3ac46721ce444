#include "formats/summaryimporters.h"

#include "formats/loadcontrol.h"

#include "core/csvreader.h"
#include "formats/lenientjson.h"
#include "core/mappedfile.h"
#include "formats/requestrows.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <map>

namespace Phaseline {

namespace {

using LenientJson::containsName;
using LenientJson::number;

// A number, or a number written as a string (llmperf writes some minima as "550"); else NaN.
double numeric(const QJsonValue &value)
{
    if (value.isString()) {
        bool ok = false;
        const double parsed = value.toString().trimmed().toDouble(&ok);
        return ok ? parsed : std::nan("");
    }
    return number(value);
}

// Offset of `"key"` in the text: metrics are shown in the order the tool wrote them.
size_t positionOf(std::string_view text, const QString &key)
{
    const QByteArray quoted = '"' + key.toUtf8() + '"';
    const size_t at = text.find(std::string_view(quoted.constData(), size_t(quoted.size())));
    return at == std::string_view::npos ? text.size() : at;
}

// Collects statistics in any order; finish() orders metrics by where the tool wrote them first
// and each metric's statistics by statisticOrder().
class SummaryBuilder
{
public:
    void add(size_t position, const QString &metric, const QString &unit, const QString &statistic, double value)
    {
        if (!std::isnan(value))
            m_entries.push_back(Entry{position, statisticOrder(statistic), metric, unit, statistic, value});
    }

    RunSummary finish() const
    {
        std::map<QString, size_t> firstAt;
        for (const Entry &entry : m_entries) {
            auto [it, inserted] = firstAt.emplace(entry.metric, entry.position);
            if (!inserted)
                it->second = std::min(it->second, entry.position);
        }
        std::vector<Entry> ordered = m_entries;
        std::stable_sort(ordered.begin(), ordered.end(), [&firstAt](const Entry &a, const Entry &b) {
            const size_t atA = firstAt.at(a.metric), atB = firstAt.at(b.metric);
            if (atA != atB)
                return atA < atB;
            if (a.metric != b.metric)
                return a.metric < b.metric;
            return a.rank < b.rank;
        });
        RunSummary summary;
        for (const Entry &entry : ordered)
            summary.add(entry.metric, entry.unit, entry.statistic, entry.value);
        return summary;
    }

private:
    struct Entry
    {
        size_t position;
        double rank;
        QString metric, unit, statistic;
        double value;
    };
    std::vector<Entry> m_entries;
};

// Run-wide numbers of vLLM's and SGLang's serving benchmarks and their units.
struct ServingScalar
{
    const char *key;
    const char *unit;
};
const ServingScalar kServingScalars[] = {
    {"duration", "s"},
    {"completed", "requests"},
    {"failed", "requests"},
    {"total_input_tokens", "tokens"},
    {"total_input_text_tokens", "tokens"},
    {"total_input_vision_tokens", "tokens"},
    {"total_output_tokens", "tokens"},
    {"total_output_tokens_retokenized", "tokens"},
    {"request_throughput", "req/s"},
    {"request_goodput", "req/s"},
    {"request_goodput:", "req/s"}, // old vLLM's typo
    {"input_throughput", "tok/s"},
    {"output_throughput", "tok/s"},
    {"output_throughput_retokenized", "tok/s"},
    {"total_throughput", "tok/s"},
    {"total_token_throughput", "tok/s"},
    {"max_output_tokens_per_s", "tok/s"},
    {"max_concurrent_requests", "requests"},
    {"concurrency", "requests"}, // SGLang: sum of latencies / duration
    {"accept_length", "tokens"},
};

// Tags whose aggregate form ({unit, avg, ...}) marks an AIPerf/GenAI-Perf summary export.
constexpr std::string_view kAiperfTags[] = {"request_latency",  "time_to_first_token", "request_throughput",
                                            "inter_token_latency", "request_count",   "benchmark_duration",
                                            "error_request_count", "records"};

bool isStatisticName(const QString &name)
{
    return statisticOrder(name) < 400;
}

} // namespace

RunSummary servingBenchSummary(const QJsonObject &run, std::string_view runText)
{
    static const QRegularExpression statisticKey(QStringLiteral("^(mean|median|std|p\\d+(?:\\.\\d+)?)_(.+)_ms$"));
    SummaryBuilder builder;
    for (auto it = run.begin(); it != run.end(); ++it) {
        const QRegularExpressionMatch match = statisticKey.match(it.key());
        if (match.hasMatch())
            builder.add(positionOf(runText, it.key()), match.captured(2), QStringLiteral("ms"), match.captured(1),
                        number(it.value()));
    }
    for (const ServingScalar &scalar : kServingScalars) {
        const QString key = QString::fromLatin1(scalar.key);
        builder.add(positionOf(runText, key), key, QString::fromLatin1(scalar.unit), QStringLiteral("value"),
                    number(run.value(key)));
    }
    return builder.finish();
}

RunSummary llmperfSummary(const QJsonObject &summary, std::string_view text)
{
    static const QRegularExpression quantileKey(QStringLiteral("^results_(.+)_quantiles_(p\\d+)$"));
    static const QRegularExpression statisticKey(QStringLiteral("^results_(.+)_(mean|min|max|stddev)$"));
    // "results_num_completed_requests_per_min" is a number, not the minimum of a metric: only
    // metrics that have quantiles have such statistics.
    QSet<QString> distributions;
    for (auto it = summary.begin(); it != summary.end(); ++it) {
        const QRegularExpressionMatch match = quantileKey.match(it.key());
        if (match.hasMatch())
            distributions.insert(match.captured(1));
    }
    // "ttft_s" is in seconds, "request_output_throughput_token_per_s" in tokens per second.
    auto nameAndUnit = [](const QString &metric) -> std::pair<QString, QString> {
        if (metric.endsWith(QLatin1String("_token_per_s")))
            return {metric, QStringLiteral("tokens/s")};
        if (metric.endsWith(QLatin1String("_per_min")))
            return {metric, QStringLiteral("per min")};
        if (metric.endsWith(QLatin1String("_s")))
            return {metric.chopped(2), QStringLiteral("s")};
        if (metric.endsWith(QLatin1String("_tokens")))
            return {metric, QStringLiteral("tokens")};
        return {metric, QString()};
    };
    SummaryBuilder builder;
    for (auto it = summary.begin(); it != summary.end(); ++it) {
        const QString &key = it.key();
        if (!key.startsWith(QLatin1String("results_")))
            continue;
        QString metric = key.mid(8);
        QString statistic = QStringLiteral("value");
        if (const QRegularExpressionMatch quantile = quantileKey.match(key); quantile.hasMatch()) {
            metric = quantile.captured(1);
            statistic = quantile.captured(2);
        } else if (const QRegularExpressionMatch other = statisticKey.match(key);
                   other.hasMatch() && distributions.contains(other.captured(1))) {
            metric = other.captured(1);
            statistic = other.captured(2);
        }
        const auto [name, unit] = nameAndUnit(metric);
        builder.add(positionOf(text, key), name, unit, statistic, numeric(it.value()));
    }
    return builder.finish();
}

bool isAiperfJsonSummary(std::string_view content)
{
    const std::vector<std::string_view> names = LenientJson::topLevelNames(content);
    if (!std::any_of(std::begin(kAiperfTags), std::end(kAiperfTags),
                     [&names](std::string_view tag) { return containsName(names, tag); }))
        return false;
    const std::string_view first = firstJsonValue(content);
    return LenientJson::containsQuoted(first, "unit") && LenientJson::containsQuoted(first, "avg");
}

RunSummary aiperfJsonSummary(const QJsonObject &root, std::string_view text)
{
    const QJsonValue records = root.value(QLatin1String("records"));
    const QJsonObject metrics = records.isObject() ? records.toObject() : root;
    SummaryBuilder builder;
    for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        const QJsonObject metric = it.value().toObject();
        const QJsonValue unit = metric.value(QLatin1String("unit"));
        if (!unit.isString())
            continue; // run facts (start_time, error_summary, input_config) and telemetry
        const size_t position = positionOf(text, it.key());
        for (auto statistic = metric.begin(); statistic != metric.end(); ++statistic) {
            if (isStatisticName(statistic.key()))
                builder.add(position, it.key(), unit.toString(), statistic.key(), number(statistic.value()));
        }
    }
    RunSummary summary = builder.finish();
    summary.tool = root.contains(QLatin1String("aiperf_version")) || records.isObject() ? QStringLiteral("AIPerf")
                                                                                         : QStringLiteral("AIPerf / GenAI-Perf");
    const QJsonObject config = root.value(QLatin1String("input_config")).toObject();
    QStringList label;
    const QJsonArray models = config.value(QLatin1String("endpoint")).toObject().value(QLatin1String("model_names")).toArray();
    if (!models.isEmpty())
        label << models.first().toString();
    const QJsonObject loadgen = config.value(QLatin1String("loadgen")).toObject();
    for (const char *setting : {"concurrency", "request_rate"}) {
        const double value = number(loadgen.value(QLatin1String(setting)));
        if (!std::isnan(value))
            label << QStringLiteral("%1 %2").arg(QString::fromLatin1(setting).replace(QLatin1Char('_'), QLatin1Char(' ')))
                         .arg(value);
    }
    summary.runLabel = label.join(QStringLiteral(", "));
    return summary;
}

void keepSummary(RunSummary summary, QVector<RunSummary> &summaries, QVector<LoadIssue> &issues, qint64 line)
{
    if (summary.metrics.isEmpty()) {
        issues.append(LoadIssue{LoadIssue::Error, summary.source, line, -1,
                                QStringLiteral("this %1 summary holds only aggregate statistics and none of them could "
                                               "be read: nothing to load")
                                    .arg(summary.tool)});
        return;
    }
    summaries.append(std::move(summary));
}

// --- AIPerf CSV ----------------------------------------------------------------------------

QString AiperfCsvSummaryImporter::formatName() const
{
    return QStringLiteral("AIPerf profile_export_aiperf.csv summary");
}

bool AiperfCsvSummaryImporter::sniff(std::string_view content) const
{
    CsvReader reader(content);
    QStringList header;
    qint64 line = 0;
    QString error;
    if (!reader.next(&header, &line, &error) || header.size() < 2 || header.first() != QLatin1String("Metric"))
        return false;
    return header.at(1) == QLatin1String("Value") || header.contains(QLatin1String("avg"));
}

FileImport AiperfCsvSummaryImporter::import(MappedFile &file, const QString &inputName, LoadControl *control) const
{
    const std::string_view content(file.data(), file.size());
    CsvReader reader(content);
    FileImport result;
    SummaryBuilder builder;
    // The section being read: its header's columns, where "Metric" is, and the columns before it
    // (GPU telemetry rows name their endpoint and GPU there).
    QStringList columns;
    int metricColumn = -1;
    QStringList fields;
    qint64 line = 0;
    QString error;
    size_t row = 0;
    while (reader.next(&fields, &line, &error)) {
        if (!error.isEmpty()) {
            result.issues.append(LoadIssue{LoadIssue::Warning, inputName, line, reader.recordOffset(), error, true});
            break;
        }
        const int metricAt = int(fields.indexOf(QLatin1String("Metric")));
        if (metricAt >= 0) {
            columns = fields;
            metricColumn = metricAt;
            continue;
        }
        if (metricColumn < 0 || fields.size() <= metricColumn) {
            result.issues.append(LoadIssue{LoadIssue::Warning, inputName, line, reader.recordOffset(),
                                           QStringLiteral("a row outside a section headed by a Metric column: skipped"),
                                           true});
            continue;
        }
        // "Request Latency (ms)": the last parenthesised part is the unit ("HTTP Waiting (TTFB) (ms)").
        static const QRegularExpression withUnit(QStringLiteral("^(.*\\S)\\s*\\(([^()]*)\\)$"));
        QString name = fields.at(metricColumn).trimmed();
        QString unit;
        if (const QRegularExpressionMatch match = withUnit.match(name); match.hasMatch()) {
            name = match.captured(1);
            unit = match.captured(2);
        }
        const QStringList where = fields.mid(0, metricColumn);
        if (!where.isEmpty())
            name = where.join(QStringLiteral(" / ")) + QStringLiteral(": ") + name;
        ++row;
        for (int column = metricColumn + 1; column < columns.size() && column < fields.size(); ++column) {
            const QString text = fields.at(column).trimmed();
            if (text.isEmpty())
                continue;
            bool ok = false;
            const double value = text.toDouble(&ok);
            if (!ok) {
                result.issues.append(LoadIssue{LoadIssue::Warning, inputName, line, reader.recordOffset(),
                                               QStringLiteral("%1 of %2 is not a number (\"%3\"): left out")
                                                   .arg(columns.at(column), name, text.left(40)),
                                               true});
                continue;
            }
            const QString statistic = columns.at(column) == QLatin1String("Value") ? QStringLiteral("value")
                                                                                     : columns.at(column);
            builder.add(row, name, unit, statistic, value);
        }
    }
    RunSummary summary = builder.finish();
    summary.source = inputName;
    summary.tool = QStringLiteral("AIPerf / GenAI-Perf");
    keepSummary(std::move(summary), result.summaries, result.issues);
    LoadControl::addProgress(control, qint64(file.size()));
    return result;
}

// --- trtllm-bench report ----------------------------------------------------------------------

QString TrtllmBenchReportImporter::formatName() const
{
    return QStringLiteral("trtllm-bench report JSON");
}

bool TrtllmBenchReportImporter::sniff(std::string_view content) const
{
    const std::vector<std::string_view> names = LenientJson::topLevelNames(content);
    return containsName(names, "request_info") && containsName(names, "performance")
           && (containsName(names, "engine") || containsName(names, "world_info"));
}

FileImport TrtllmBenchReportImporter::import(MappedFile &file, const QString &inputName, LoadControl *control) const
{
    const std::string_view content(file.data(), file.size());
    FileImport result;
    const std::vector<JsonRecord> records = readJsonRecords(content, inputName, result.issues);
    if (records.empty())
        return result;
    const QJsonObject report = records.front().value.toObject();
    // Units by key: the report converts to ms, req/s and tok/s and says so in most names.
    auto unitOf = [](const QString &key) -> QString {
        if (key.endsWith(QLatin1String("_ms")) || key == QLatin1String("ttft_percentiles")
            || key == QLatin1String("tpot_percentiles"))
            return QStringLiteral("ms");
        if (key.endsWith(QLatin1String("_req_s")))
            return QStringLiteral("req/s");
        if (key.endsWith(QLatin1String("_tok_s")) || key == QLatin1String("gen_tps_percentiles"))
            return QStringLiteral("tok/s");
        if (key.endsWith(QLatin1String("_length")))
            return QStringLiteral("tokens");
        if (key.endsWith(QLatin1String("_requests")))
            return QStringLiteral("requests");
        return QString();
    };
    SummaryBuilder builder;
    for (const char *section : {"request_info", "performance", "streaming_metrics", "decoding_stats"}) {
        const QJsonObject values = report.value(QLatin1String(section)).toObject();
        for (auto it = values.begin(); it != values.end(); ++it) {
            const size_t position = positionOf(content, it.key());
            if (!it.value().isObject()) {
                builder.add(position, it.key(), unitOf(it.key()), QStringLiteral("value"), number(it.value()));
                continue;
            }
            const QJsonObject statistics = it.value().toObject();
            for (auto statistic = statistics.begin(); statistic != statistics.end(); ++statistic) {
                if (isStatisticName(statistic.key()))
                    builder.add(position, it.key(), unitOf(it.key()), statistic.key(), number(statistic.value()));
            }
        }
    }
    RunSummary summary = builder.finish();
    summary.source = inputName;
    summary.tool = QStringLiteral("trtllm-bench");
    const QJsonObject engine = report.value(QLatin1String("engine")).toObject();
    const QJsonObject world = report.value(QLatin1String("world_info")).toObject();
    QStringList label;
    for (const char *key : {"model", "backend"}) {
        const QString value = engine.value(QLatin1String(key)).toString();
        if (!value.isEmpty())
            label << value;
    }
    if (!engine.value(QLatin1String("version")).toString().isEmpty())
        label << QStringLiteral("TensorRT-LLM %1").arg(engine.value(QLatin1String("version")).toString());
    if (world.contains(QLatin1String("tp_size")))
        label << QStringLiteral("TP %1 PP %2")
                     .arg(world.value(QLatin1String("tp_size")).toVariant().toString(),
                          world.value(QLatin1String("pp_size")).toVariant().toString());
    summary.runLabel = label.join(QStringLiteral(", "));
    keepSummary(std::move(summary), result.summaries, result.issues, records.front().line);
    LoadControl::addProgress(control, qint64(file.size()));
    return result;
}

} // namespace Phaseline
