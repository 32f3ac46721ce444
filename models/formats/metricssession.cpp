#include "formats/metricssession.h"

#include "core/mappedfile.h"
#include "formats/prometheusimporter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace Phaseline {

namespace {

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QByteArray compactLine(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

// A label value as exposition text writes it.
QString escapedLabel(QString value)
{
    return value.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""))
        .replace(QLatin1Char('\n'), QLatin1String("\\n"));
}

// The histogram names of every phase (the names computeIntervals reads), as a PromQL regex.
const char kPhaseSeries[] = "(vllm|sglang):(request_queue_time|queue_time|request_prefill_time|request_decode_time|"
                            "request_inference_time|time_to_first_token|inter_token_latency|time_per_output_token|"
                            "e2e_request_latency|per_stage_req_latency)_(seconds|milliseconds)_(bucket|sum|count)";

} // namespace

QByteArray metricsScrapeLine(qint64 timeMs, const QString &source, const QByteArray &text)
{
    return compactLine({{QStringLiteral("scrape_time_ms"), double(timeMs)},
                        {QStringLiteral("source"), source},
                        {QStringLiteral("text"), QString::fromUtf8(text)}});
}

QByteArray prometheusQueryLine(qint64 timeMs, const QString &source, const QString &query, const QByteArray &response)
{
    return compactLine({{QStringLiteral("query_time_ms"), double(timeMs)},
                        {QStringLiteral("source"), source},
                        {QStringLiteral("query"), query},
                        {QStringLiteral("response"), QString::fromUtf8(response)}});
}

bool scrapeFromText(const QByteArray &text, qint64 timeMs, const QString &source, MetricsScrape *scrape,
                    QVector<LoadIssue> *issues, QString *problem)
{
    FileImport parsed = PrometheusImporter::parse(std::string_view(text.constData(), size_t(text.size())), source);
    const QString when = QStringLiteral("scrape at %1: ").arg(timeText(timeMs));
    for (LoadIssue &issue : parsed.issues) {
        if (issue.severity == LoadIssue::Warning && parsed.distributions.size() > 0 && issue.line < 0
            && issue.message.startsWith(QLatin1String("no requests observed")))
            continue; // an idle scrape is an ordinary interval with nothing finished, not a problem
        if (issue.severity == LoadIssue::Error) {
            *problem = when + issue.message;
            continue;
        }
        if (issue.line > 0)
            issue.message = QStringLiteral("line %1 of the text: %2").arg(issue.line).arg(issue.message);
        issue.message.prepend(when);
        issue.line = -1;
        *issues << issue;
    }
    if (parsed.distributions.isEmpty()) {
        if (problem->isEmpty())
            *problem = when + QStringLiteral("no histogram in the response");
        return false;
    }
    *scrape = MetricsScrape{timeMs, parsed.distributions};
    return true;
}

QString prometheusRangeQuery(const QString &match, QString *problem)
{
    QString matchers = match.trimmed();
    if (matchers.startsWith(QLatin1Char('{')) && matchers.endsWith(QLatin1Char('}')))
        matchers = matchers.mid(1, matchers.size() - 2).trimmed();
    // Only label matchers: name="v", name!="v", name=~"re", name!~"re", separated by commas.
    static const QRegularExpression matcherList(
        QStringLiteral(R"(^(\s*[A-Za-z_][A-Za-z0-9_]*\s*(=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*)(,(?1))*,?\s*$)"));
    if (!matchers.isEmpty() && !matcherList.match(matchers).hasMatch()) {
        *problem = QStringLiteral("--match '%1' is not a list of label matchers such as '{job=\"vllm\"}' or "
                                  "'{instance=~\"gpu-.*\",model_name=\"llama\"}'")
                       .arg(match);
        return QString();
    }
    QString query = QStringLiteral("{__name__=~\"%1\"").arg(QLatin1String(kPhaseSeries));
    if (!matchers.isEmpty())
        query += QLatin1Char(',') + matchers;
    return query + QLatin1Char('}');
}

bool scrapesFromQueryRange(const QByteArray &response, const QString &source, QMap<qint64, MetricsScrape> *steps,
                           QVector<LoadIssue> *issues, QString *problem)
{
    QJsonParseError error;
    const QJsonObject answer = QJsonDocument::fromJson(response, &error).object();
    if (error.error != QJsonParseError::NoError) {
        *problem = QStringLiteral("the Prometheus answer is not JSON (byte %1: %2)").arg(error.offset).arg(error.errorString());
        return false;
    }
    if (answer.value(QStringLiteral("status")).toString() != QLatin1String("success")) {
        *problem = QStringLiteral("Prometheus answered %1: %2 %3")
                       .arg(answer.value(QStringLiteral("status")).toString(QStringLiteral("no status")),
                            answer.value(QStringLiteral("errorType")).toString(),
                            answer.value(QStringLiteral("error")).toString());
        return false;
    }
    const QJsonObject data = answer.value(QStringLiteral("data")).toObject();
    if (data.value(QStringLiteral("resultType")).toString() != QLatin1String("matrix")) {
        *problem = QStringLiteral("the Prometheus answer is not a range (matrix) result");
        return false;
    }
    // Step time -> base metric -> exposition lines of that step; rendered as text and parsed as a
    // scrape, so a step is validated exactly like a /metrics body.
    QMap<qint64, QMap<QString, QString>> text;
    static const char *const kSuffixes[] = {"_bucket", "_sum", "_count"};
    for (const QJsonValue &value : data.value(QStringLiteral("result")).toArray()) {
        const QJsonObject series = value.toObject();
        const QJsonObject metric = series.value(QStringLiteral("metric")).toObject();
        const QString name = metric.value(QStringLiteral("__name__")).toString();
        QString base;
        for (const char *suffix : kSuffixes) {
            if (name.endsWith(QLatin1String(suffix)))
                base = name.chopped(int(qstrlen(suffix)));
        }
        if (base.isEmpty())
            continue;
        QStringList labels;
        for (auto label = metric.begin(); label != metric.end(); ++label) {
            if (label.key() != QLatin1String("__name__"))
                labels << QStringLiteral("%1=\"%2\"").arg(label.key(), escapedLabel(label.value().toString()));
        }
        const QString sample = name + QLatin1Char('{') + labels.join(QLatin1Char(',')) + QStringLiteral("} ");
        for (const QJsonValue &point : series.value(QStringLiteral("values")).toArray()) {
            const QJsonArray pair = point.toArray();
            const qint64 timeMs = qRound64(pair.at(0).toDouble() * 1000);
            QString &lines = text[timeMs][base];
            lines += sample + pair.at(1).toString() + QLatin1Char('\n');
        }
    }
    for (auto step = text.cbegin(); step != text.cend(); ++step) {
        QString body;
        for (auto metric = step->cbegin(); metric != step->cend(); ++metric)
            body += QStringLiteral("# TYPE %1 histogram\n").arg(metric.key()) + metric.value();
        MetricsScrape scrape;
        QString stepProblem;
        if (scrapeFromText(body.toUtf8(), step.key(), source, &scrape, issues, &stepProblem))
            steps->insert(step.key(), scrape); // a later answer for the same step replaces an earlier one
        else
            *issues << LoadIssue{LoadIssue::Warning, source, -1, -1, stepProblem};
    }
    return true;
}

QVector<IntervalSeries> MetricsSessionData::intervalSeries() const
{
    QVector<IntervalSeries> all;
    for (auto source = scrapes.cbegin(); source != scrapes.cend(); ++source)
        all += intervalSeriesBySeries(source.value(), source.key());
    for (auto source = steps.cbegin(); source != steps.cend(); ++source)
        all += intervalSeriesBySeries(source.value().values().toVector(), source.key());
    return all;
}

QString MetricsSessionImporter::formatName() const
{
    return QStringLiteral("Phaseline metrics session (vLLM / SGLang /metrics scrapes, Prometheus queries)");
}

bool MetricsSessionImporter::sniff(std::string_view content) const
{
    const size_t first = content.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || content[first] != '{')
        return false;
    const std::string_view line = content.substr(first, content.find('\n', first) - first);
    return line.find("\"scrape_time_ms\"") != std::string_view::npos || line.find("\"query_time_ms\"") != std::string_view::npos;
}

FileImport MetricsSessionImporter::import(MappedFile &file, const QString &inputName, LoadControl *) const
{
    FileImport result;
    MetricsSessionData session;
    const std::string_view all(file.data(), file.size());
    qint64 lineNumber = 0;
    size_t pos = 0;
    while (pos < all.size()) {
        const size_t end = std::min(all.find('\n', pos), all.size());
        const QByteArray line = QByteArray::fromRawData(all.data() + pos, qsizetype(end - pos)).trimmed();
        const qint64 offset = qint64(pos);
        pos = end + 1;
        ++lineNumber;
        if (line.isEmpty())
            continue;
        auto skip = [&](const QString &why) {
            LoadIssue issue{LoadIssue::Warning, inputName, lineNumber, offset, why + QStringLiteral("; line skipped")};
            issue.dataSkipped = true;
            result.issues << issue;
        };
        QJsonParseError error;
        const QJsonObject record = QJsonDocument::fromJson(line, &error).object();
        if (error.error != QJsonParseError::NoError) {
            skip(QStringLiteral("not a JSON line (byte %1 of the line: %2)").arg(error.offset).arg(error.errorString()));
            continue;
        }
        const QString source = record.value(QStringLiteral("source")).toString();
        QVector<LoadIssue> issues;
        QString problem;
        if (record.contains(QStringLiteral("scrape_time_ms"))) {
            const double time = record.value(QStringLiteral("scrape_time_ms")).toDouble(std::nan(""));
            MetricsScrape scrape;
            if (!std::isfinite(time) || !record.value(QStringLiteral("text")).isString())
                skip(QStringLiteral("a scrape needs a numeric scrape_time_ms and a text"));
            else if (scrapeFromText(record.value(QStringLiteral("text")).toString().toUtf8(), qint64(time), source, &scrape,
                                    &issues, &problem))
                session.scrapes[source] << scrape;
            else
                skip(problem);
        } else if (record.contains(QStringLiteral("query_time_ms"))) {
            if (!record.value(QStringLiteral("response")).isString()
                || !scrapesFromQueryRange(record.value(QStringLiteral("response")).toString().toUtf8(), source,
                                          &session.steps[source], &issues, &problem))
                skip(problem.isEmpty() ? QStringLiteral("a Prometheus query line needs a response text") : problem);
        } else {
            skip(QStringLiteral("neither a scrape (scrape_time_ms) nor a Prometheus query (query_time_ms)"));
        }
        for (LoadIssue &issue : issues) {
            issue.input = inputName;
            issue.line = lineNumber;
            result.issues << issue;
        }
    }
    result.intervalSeries = session.intervalSeries();
    for (const IntervalSeries &series : std::as_const(result.intervalSeries)) {
        for (LoadIssue issue : series.issues) {
            issue.input = inputName;
            issue.message = QStringLiteral("%1: %2").arg(series.name, issue.message);
            result.issues << issue;
        }
    }
    if (session.isEmpty())
        result.issues << LoadIssue{LoadIssue::Error, inputName, -1, -1, QStringLiteral("no scrape in the metrics session")};
    return result;
}

} // namespace Phaseline
