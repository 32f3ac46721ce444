#include "formats/clientimporters.h"
#include "formats/loadcontrol.h"

#include "formats/clientrows.h"
#include "formats/lenientjson.h"
#include "formats/summaryimporters.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

using LenientJson::field;
using LenientJson::number;

// docs/formats.md "Content sniffing": both serving benchmarks write ttfts/itls (or mean_ttft_ms +
// request_throughput); these keys are SGLang bench_serving's alone, these vLLM's.
const char *const kSglangKeys[] = {"total_output_tokens_retokenized", "input_throughput", "concurrency",
                                   "accept_length"};
const char *const kVllmKeys[] = {"total_token_throughput", "endpoint_type",   "request_goodput",
                                 "request_goodput:",       "start_times",     "max_concurrent_requests"};
// Arrays with one entry per request (failed requests keep their slots) ...
const char *const kPerRequestArrays[] = {"ttfts",       "itls",   "latencies",  "start_times",
                                         "queue_times", "errors", "input_lens", "output_lens"};
// ... of which a result needs one with timings to be more than aggregates.
const char *const kTimingArrays[] = {"ttfts", "latencies", "start_times"};

template <size_t N>
bool anyName(const std::vector<std::string_view> &names, const char *const (&keys)[N])
{
    return std::any_of(std::begin(keys), std::end(keys),
                       [&](const char *key) { return LenientJson::containsName(names, key); });
}

// "run 2: 4 req/s, max concurrency 8" for files holding several --append-result runs.
QString describeRun(const QString &runName, const QJsonObject &run)
{
    // vLLM writes an unlimited rate as the string "inf"; a bare Infinity token was read as null.
    const QJsonValue rate = field(run, "request_rate");
    const QJsonValue concurrency = field(run, "max_concurrency");
    return QStringLiteral("%1: %2 req/s, max concurrency %3")
        .arg(runName, rate.isDouble() ? QString::number(rate.toDouble()) : QStringLiteral("inf"),
             concurrency.isDouble() ? QString::number(concurrency.toDouble()) : QStringLiteral("none"));
}

// 0 is how vLLM writes "not measured" (failed requests): durations and stamps must be positive.
double positiveAt(const QJsonArray &values, int i)
{
    const double value = number(values.at(i));
    return value > 0 ? value : std::nan("");
}

double sumOfGaps(const QJsonArray &gaps)
{
    double sum = 0;
    for (const QJsonValue &gap : gaps) {
        if (number(gap) > 0)
            sum += number(gap);
    }
    return sum;
}

// One saved result object (a file holds several after --append-result).
class RunReader
{
public:
    explicit RunReader(const QJsonObject &run) : m_run(run) {}

    bool hasTimings() const
    {
        return std::any_of(std::begin(kTimingArrays), std::end(kTimingArrays),
                           [&](const char *name) { return field(m_run, name).isArray(); });
    }

    // The longest per-request array.
    int requestCount() const
    {
        int count = 0;
        for (const char *name : kPerRequestArrays)
            count = std::max(count, int(array(name).size()));
        return count;
    }

    // Per-request arrays shorter than the longest: their missing entries read as not recorded.
    QStringList shortArrays() const
    {
        QStringList shorter;
        const int count = requestCount();
        for (const char *name : kPerRequestArrays) {
            if (field(m_run, name).isArray() && array(name).size() < count)
                shorter << QStringLiteral("%1 (%2)").arg(QLatin1String(name)).arg(array(name).size());
        }
        return shorter;
    }

    // Appends the run's requests. `runName` (empty for a one-run file) prefixes ids and names the
    // clock domain: every invocation of the benchmark has its own perf_counter() origin.
    void read(ClientRows &rows, const QString &inputName, const QString &runName, const QString &benchmark) const
    {
        const QJsonArray starts = array("start_times");
        const QJsonArray ttfts = array("ttfts");
        const QJsonArray itls = array("itls");
        const QJsonArray latencies = array("latencies");
        const QJsonArray queueTimes = array("queue_times");
        const QJsonArray errors = array("errors");
        const QJsonArray inputLens = array("input_lens");
        const QJsonArray outputLens = array("output_lens");
        const QString monotonicClock =
            QStringLiteral("vLLM bench client monotonic clock (%1%2)")
                .arg(QFileInfo(inputName).fileName(), runName.isEmpty() ? QString() : QStringLiteral(", ") + runName);
        const QString alignedClock = alignedClockFor(QStringLiteral("vLLM bench"), inputName);
        const bool hasErrors = field(m_run, "errors").isArray();

        const int count = requestCount();
        for (int i = 0; i < count; ++i) {
            const double start = positiveAt(starts, i);
            const int row = rows.append(runName.isEmpty() ? QString::number(i) : QStringLiteral("%1/%2").arg(runName).arg(i),
                                        std::isnan(start) ? alignedClock : monotonicClock);
            if (!benchmark.isEmpty())
                rows.setLabel(row, QStringLiteral("benchmark"), benchmark);

            const double ttft = positiveAt(ttfts, i);
            const bool hasGaps = itls.at(i).isArray();
            double latency = positiveAt(latencies, i);
            if (std::isnan(latency) && !std::isnan(ttft) && hasGaps)
                latency = ttft + sumOfGaps(itls.at(i).toArray()); // older files: the last chunk ends it
            const QString error = errors.at(i).toString();
            const bool failed = !error.isEmpty() || (!hasErrors && std::isnan(ttft) && std::isnan(latency));
            if (failed)
                rows.setStatus(row, error.isEmpty() ? QStringLiteral("failed (no timings recorded)") : statusFromError(error));

            // Offsets from client_sent. On the monotonic clock they are placed at start_times[i];
            // without it the request starts at 0 (with its client-side queue wait, when recorded).
            const double queue = number(queueTimes.at(i));
            const bool queued = queue >= 0;
            auto place = [&](ClientStamp stamp, double sinceSent) {
                if (std::isnan(sinceSent))
                    return;
                if (std::isnan(start))
                    rows.setRelative(row, stamp, sinceSent + (queued ? queue : 0.0));
                else
                    rows.setSeconds(row, stamp, start + sinceSent);
            };
            if (queued)
                place(ClientStamp::Enqueued, -queue);
            place(ClientStamp::Sent, 0.0);
            place(ClientStamp::FirstToken, ttft);
            if (!failed) { // a failed request's end is not a response's end
                // The client stops its latency clock at the last token chunk: no end of the response
                // apart from it, so client_end stays not recorded (a Client Tail of 0 would be invented).
                place(ClientStamp::LastToken, latency);
                rows.setAttribute(row, QStringLiteral("output_tokens"), number(outputLens.at(i)));
            }
            // Chunks, not tokens: servers may bundle several tokens per chunk.
            if (!std::isnan(ttft) && hasGaps)
                rows.setAttribute(row, QStringLiteral("output_chunks"), double(itls.at(i).toArray().size() + 1));
            rows.setAttribute(row, QStringLiteral("input_tokens"), number(inputLens.at(i)));
        }
    }

private:
    QJsonArray array(const char *name) const { return field(m_run, name).toArray(); }

    const QJsonObject &m_run;
};

bool sniffVllmBench(std::string_view content)
{
    using LenientJson::containsName;
    const std::vector<std::string_view> names = LenientJson::topLevelNames(content);
    const bool servingResult = (containsName(names, "ttfts") && containsName(names, "itls"))
                               || (containsName(names, "mean_ttft_ms") && containsName(names, "request_throughput"));
    return servingResult && !anyName(names, kSglangKeys) && anyName(names, kVllmKeys);
}

void readVllmBench(ClientImportContext &context)
{
    const std::vector<LenientJson::TopLevelValue> &runs = context.document.values;
    const bool severalRuns = runs.size() > 1;
    for (size_t index = 0; index < runs.size() && !LoadControl::isCanceled(context.control); ++index) {
        const QJsonObject run = runs[index].value.toObject();
        const QString runName = severalRuns ? QStringLiteral("run %1").arg(index + 1) : QString();
        auto issueAt = [&](LoadIssue::Severity severity, const QString &message) {
            return LoadIssue{severity, context.inputName, runs[index].line, runs[index].byteOffset,
                             runName.isEmpty() ? message : runName + QStringLiteral(": ") + message};
        };
        const RunReader reader(run);
        if (!reader.hasTimings()) {
            // Saved without per-request data: the run's own statistics, shown as its summary.
            RunSummary summary = servingBenchSummary(run, context.text.substr(size_t(runs[index].byteOffset)));
            summary.source = context.inputName;
            summary.tool = QStringLiteral("vLLM bench serve");
            summary.runLabel = describeRun(runName.isEmpty() ? QStringLiteral("run 1") : runName, run);
            const QString model = field(run, "model_id").toString();
            if (!model.isEmpty())
                summary.runLabel += QStringLiteral(", ") + model;
            keepSummary(std::move(summary), context.summaries, context.issues, runs[index].line);
            continue;
        }
        reader.read(context.rows, context.inputName, runName, severalRuns ? describeRun(runName, run) : QString());
        if (!field(run, "ttfts").isArray())
            context.issues << issueAt(LoadIssue::Warning, QStringLiteral("no per-request TTFTs (saved without "
                                                                         "--save-detailed): only end-to-end latencies "
                                                                         "were loaded"));
        const QStringList shorter = reader.shortArrays();
        if (!shorter.isEmpty())
            context.issues << issueAt(LoadIssue::Warning, QStringLiteral("per-request arrays shorter than the %1 "
                                                                         "requests: %2; their missing entries are "
                                                                         "not recorded")
                                                              .arg(reader.requestCount())
                                                              .arg(shorter.join(QStringLiteral(", "))));
    }
}

} // namespace

ClientFormat vllmBenchFormat()
{
    return ClientFormat{QStringLiteral("vLLM bench serve result JSON"), &sniffVllmBench, &readVllmBench};
}

} // namespace Phaseline
