#include "formats/prometheusimporter.h"

#include "core/mappedfile.h"

#include <QFileInfo>
#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Phaseline {

namespace {

using Labels = QVector<QPair<QString, QString>>;

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// Exposition values: decimal or exponent notation, "+Inf", "-Inf", "NaN". QByteArray::toDouble
// rounds correctly and ignores the process locale (strtod would not).
bool parseValue(std::string_view text, double *value)
{
    if (text == "+Inf" || text == "Inf") {
        *value = std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == "-Inf") {
        *value = -std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == "NaN") {
        *value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    bool ok = false;
    *value = QByteArray::fromRawData(text.data(), qsizetype(text.size())).toDouble(&ok);
    return ok;
}

struct Sample
{
    std::string_view name;
    Labels labels;
    std::string_view value;
};

// `name{a="x",b="y\"z"} value [timestamp]`; false when the line is not a sample.
bool parseSample(std::string_view line, Sample *sample)
{
    size_t pos = 0;
    while (pos < line.size() && line[pos] != '{' && line[pos] != ' ' && line[pos] != '\t')
        ++pos;
    sample->name = line.substr(0, pos);
    sample->labels.clear();
    if (sample->name.empty())
        return false;
    if (pos < line.size() && line[pos] == '{') {
        ++pos;
        while (true) {
            while (pos < line.size() && (line[pos] == ' ' || line[pos] == ','))
                ++pos;
            if (pos >= line.size())
                return false;
            if (line[pos] == '}') {
                ++pos;
                break;
            }
            const size_t equals = line.find('=', pos);
            if (equals == std::string_view::npos || equals + 1 >= line.size() || line[equals + 1] != '"')
                return false;
            const QString key = toQString(trimmed(line.substr(pos, equals - pos)));
            QByteArray value;
            pos = equals + 2;
            while (pos < line.size() && line[pos] != '"') {
                if (line[pos] == '\\' && pos + 1 < line.size()) {
                    ++pos;
                    value += line[pos] == 'n' ? '\n' : line[pos];
                } else {
                    value += line[pos];
                }
                ++pos;
            }
            if (pos >= line.size())
                return false;
            ++pos; // closing quote
            sample->labels.append({key, QString::fromUtf8(value)});
        }
    }
    const std::string_view rest = trimmed(line.substr(pos));
    sample->value = rest.substr(0, rest.find_first_of(" \t"));
    return !sample->value.empty();
}

QString unitOf(const QString &metric)
{
    if (metric.endsWith(QLatin1String("_seconds")))
        return QStringLiteral("s");
    if (metric.endsWith(QLatin1String("_milliseconds")))
        return QStringLiteral("ms");
    return QString();
}

// "vllm:time_to_first_token_seconds" -> "vLLM", "time_to_first_token".
void splitMetric(const QString &metric, QString *engine, QString *name)
{
    const int colon = metric.indexOf(QLatin1Char(':'));
    const QString prefix = colon > 0 ? metric.left(colon) : QString();
    if (prefix == QLatin1String("vllm"))
        *engine = QStringLiteral("vLLM");
    else if (prefix == QLatin1String("sglang"))
        *engine = QStringLiteral("SGLang");
    else
        *engine = QStringLiteral("Prometheus");
    *name = colon > 0 ? metric.mid(colon + 1) : metric;
    for (const char *suffix : {"_seconds", "_milliseconds"}) {
        if (name->endsWith(QLatin1String(suffix))) {
            name->chop(int(qstrlen(suffix)));
            break;
        }
    }
}

struct Bucket
{
    double bound;
    QString text;
    double cumulative;
    qint64 line;
};

struct Series
{
    HistogramDistribution histogram;
    std::vector<Bucket> buckets;
    bool hasCount = false;
};

// What makes buckets (sorted by bound) no histogram of a duration or a token count: its
// percentiles would be invented (a negative TTFT). Empty when they are valid; `line` is where.
QString bucketProblem(const std::vector<Bucket> &buckets, qint64 *line)
{
    for (size_t i = 0; i < buckets.size(); ++i) {
        const Bucket &bucket = buckets[i];
        *line = bucket.line;
        if (bucket.bound < 0)
            return QStringLiteral("negative bucket bound le=\"%1\" (durations and token counts are never negative)")
                .arg(bucket.text);
        if (i == 0)
            continue;
        const Bucket &before = buckets[i - 1];
        if (bucket.bound == before.bound)
            return QStringLiteral("bucket le=\"%1\" appears twice (lines %2 and %3)")
                .arg(bucket.text)
                .arg(std::min(before.line, bucket.line))
                .arg(std::max(before.line, bucket.line));
        if (bucket.cumulative < before.cumulative)
            return QStringLiteral("bucket counts are not cumulative: le=\"%1\" counts %2, fewer than the %3 of "
                                  "le=\"%4\"")
                .arg(bucket.text)
                .arg(bucket.cumulative, 0, 'g', 15)
                .arg(before.cumulative, 0, 'g', 15)
                .arg(before.text);
    }
    return QString();
}

} // namespace

QString PrometheusImporter::formatName() const
{
    return QStringLiteral("Prometheus metrics (vLLM / SGLang histograms)");
}

bool PrometheusImporter::sniff(std::string_view content) const
{
    // Text with a histogram TYPE line; JSON never starts with '#' or a metric name.
    const size_t first = content.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || content[first] == '{' || content[first] == '[')
        return false;
    size_t pos = 0;
    while ((pos = content.find("# TYPE ", pos)) != std::string_view::npos) {
        const size_t end = content.find('\n', pos);
        const std::string_view line = trimmed(content.substr(pos, end == std::string_view::npos ? end : end - pos));
        if (line.size() > 10 && line.substr(line.size() - 10) == " histogram" && (pos == 0 || content[pos - 1] == '\n'))
            return true;
        pos += 7;
    }
    return false;
}

FileImport PrometheusImporter::import(MappedFile &file, const QString &inputName, LoadControl *) const
{
    return parse(std::string_view(file.data(), file.size()), inputName);
}

FileImport PrometheusImporter::parse(std::string_view text, const QString &inputName)
{
    FileImport result;
    QHash<QString, QString> helpOf;
    QStringList histogramNames;
    std::vector<Series> series;
    QHash<QString, size_t> seriesIndex; // metric + labels -> series
    const QString source = QFileInfo(inputName).fileName();

    auto warn = [&](qint64 line, const QString &message) {
        result.issues.append(LoadIssue{LoadIssue::Warning, inputName, line, -1, message});
    };

    qint64 lineNumber = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = trimmed(text.substr(pos, end - pos));
        pos = end + 1;
        ++lineNumber;
        if (line.empty())
            continue;
        if (line.front() == '#') {
            const QString comment = toQString(line);
            const QStringList words = comment.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (words.size() >= 4 && words[1] == QLatin1String("TYPE") && words[3] == QLatin1String("histogram"))
                histogramNames << words[2];
            else if (words.size() >= 3 && words[1] == QLatin1String("HELP"))
                helpOf.insert(words[2], comment.section(QLatin1Char(' '), 3).trimmed());
            continue;
        }
        Sample sample;
        if (!parseSample(line, &sample)) {
            warn(lineNumber, QStringLiteral("not a metric sample; line skipped"));
            continue;
        }
        const QString name = toQString(sample.name);
        enum Kind { BucketLine, SumLine, CountLine };
        static const QPair<QLatin1String, Kind> suffixes[] = {{QLatin1String("_bucket"), BucketLine},
                                                              {QLatin1String("_sum"), SumLine},
                                                              {QLatin1String("_count"), CountLine}};
        const auto suffix = std::find_if(std::begin(suffixes), std::end(suffixes),
                                         [&name](const auto &entry) { return name.endsWith(entry.first); });
        if (suffix == std::end(suffixes))
            continue;
        const Kind kind = suffix->second;
        const QString metric = name.chopped(suffix->first.size());
        if (!histogramNames.contains(metric))
            continue; // a counter or summary that happens to end in _count/_sum
        double value = 0;
        if (!parseValue(sample.value, &value) || (kind != SumLine && !(value >= 0))) {
            warn(lineNumber, QStringLiteral("unreadable %1 \"%2\"; line skipped")
                                 .arg(kind == SumLine ? QStringLiteral("sum") : QStringLiteral("count"),
                                      toQString(sample.value)));
            continue;
        }
        QString bound;
        Labels labels;
        for (const auto &label : sample.labels) {
            if (label.first == QLatin1String("le"))
                bound = label.second;
            else
                labels.append(label);
        }
        QString key = metric;
        for (const auto &label : labels)
            key += QLatin1Char('\x1f') + label.first + QLatin1Char('=') + label.second;
        auto found = seriesIndex.constFind(key);
        if (found == seriesIndex.constEnd()) {
            Series fresh;
            HistogramDistribution &histogram = fresh.histogram;
            histogram.metric = metric;
            splitMetric(metric, &histogram.engine, &histogram.name);
            histogram.unit = unitOf(metric);
            histogram.help = helpOf.value(metric);
            histogram.source = source;
            histogram.labels = labels;
            found = seriesIndex.insert(key, series.size());
            series.push_back(std::move(fresh));
        }
        Series &target = series[*found];
        if (kind == SumLine) {
            target.histogram.sum = value;
        } else if (kind == CountLine) {
            target.histogram.count = value;
            target.hasCount = true;
        } else {
            double upper = 0;
            if (!parseValue(bound.toStdString(), &upper) || std::isnan(upper)) {
                warn(lineNumber, QStringLiteral("bucket without a readable le label; line skipped"));
                continue;
            }
            target.buckets.push_back(Bucket{upper, bound, value, lineNumber});
        }
    }

    // An idle engine still answers the scrape itself (http_request_duration_seconds): whether
    // requests were observed is judged on the engine's own histograms when there are any.
    const bool engineSeries = std::any_of(series.begin(), series.end(), [](const Series &one) {
        return one.histogram.engine != QLatin1String("Prometheus");
    });
    bool observedAny = false;
    qint64 line = -1;
    for (Series &one : series) {
        HistogramDistribution &histogram = one.histogram;
        std::stable_sort(one.buckets.begin(), one.buckets.end(),
                         [](const Bucket &a, const Bucket &b) { return a.bound < b.bound; });
        for (const Bucket &bucket : one.buckets) {
            histogram.upperBounds << bucket.bound;
            histogram.boundTexts << bucket.text;
            histogram.cumulativeCounts << bucket.cumulative;
        }
        // Without a count line the last (normally +Inf) bucket is the same number.
        if (!one.hasCount && !one.buckets.empty())
            histogram.count = one.buckets.back().cumulative;
        if (one.buckets.empty()) {
            warn(-1, QStringLiteral("histogram %1 has no buckets; left out").arg(histogram.metric));
            continue;
        }
        if (const QString invalid = bucketProblem(one.buckets, &line); !invalid.isEmpty()) {
            warn(line, QStringLiteral("histogram %1%2: %3; left out")
                           .arg(histogram.metric,
                                histogram.labels.isEmpty() ? QString() : QStringLiteral(" {%1}").arg(histogram.labelText()),
                                invalid));
            continue;
        }
        if (!engineSeries || histogram.engine != QLatin1String("Prometheus"))
            observedAny = observedAny || histogram.count > 0;
        result.distributions.append(std::move(histogram));
    }
    if (result.distributions.isEmpty())
        result.issues.append(LoadIssue{LoadIssue::Error, inputName, -1, -1,
                                       QStringLiteral("Prometheus text without any histogram samples")});
    else if (!observedAny)
        warn(-1, QStringLiteral("no requests observed: every %1 histogram count is 0 (an idle scrape)")
                        .arg(result.distributions.first().engine));
    return result;
}

} // namespace Phaseline
