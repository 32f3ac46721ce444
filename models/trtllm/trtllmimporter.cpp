#include "trtllm/trtllmimporter.h"

#include "core/backgroundpool.h"
#include "formats/jsonrecordscanner.h"
#include "core/mappedfile.h"
#include "trtllm/trtllmlayout.h"
#include "formats/loadcontrol.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <simdjson.h>

#include <charconv>
#include <cstring>
#include <unordered_map>

namespace Phaseline::TrtLlm {

namespace od = simdjson::ondemand;

namespace {

const char *const kSideStampNames[SideStampCount] = {
    "server_arrival_time", "arrival_time", "first_scheduled_time", "first_token_time",
    "server_first_token_time", "last_token_time", "kv_cache_transfer_start", "kv_cache_transfer_end",
};
const char *const kSideAttributeNames[SideAttributeCount] = {
    "worker_request_id", "first_iter", "last_iter", "num_total_allocated_blocks", "num_new_allocated_blocks",
    "num_reused_blocks", "num_missed_blocks", "kv_cache_size", "acceptance_rate", "total_accepted_draft_tokens",
    "total_draft_tokens", "prefill_gpu_forward_ms", "prefill_gpu_sample_ms",
};
const char *const kSidePrefix[2] = {"ctx_", "gen_"};

} // namespace

Layout Layout::registerOn(RequestTable &table)
{
    Layout layout;
    layout.disaggStamp[DisaggArrival] = table.addStampColumn(QStringLiteral("disagg_server_arrival_time"));
    layout.disaggStamp[DisaggCtxDispatch] = table.addStampColumn(QStringLiteral("disagg_ctx_dispatch_time"));
    layout.disaggStamp[DisaggFirstToken] = table.addStampColumn(QStringLiteral("disagg_server_first_token_time"));
    for (int side = 0; side < 2; ++side) {
        for (int s = 0; s < SideStampCount; ++s) {
            layout.sideStamp[size_t(side)][size_t(s)] = table.addStampColumn(
                QString::fromLatin1(kSidePrefix[side]) + QString::fromLatin1(kSideStampNames[s]));
        }
    }
    layout.disaggRequestId = table.addAttributeColumn(QStringLiteral("disagg_request_id"));
    layout.ctxRequestId = table.addAttributeColumn(QStringLiteral("ctx_request_id"));
    for (int side = 0; side < 2; ++side) {
        for (int a = 0; a < SideAttributeCount; ++a) {
            layout.sideAttribute[size_t(side)][size_t(a)] = table.addAttributeColumn(
                QString::fromLatin1(kSidePrefix[side]) + QString::fromLatin1(kSideAttributeNames[a]));
        }
    }
    layout.serverLabel = table.addLabelColumn(QStringLiteral("server"));
    layout.ctxServerLabel = table.addLabelColumn(QStringLiteral("ctx_server"));
    layout.genServerLabel = table.addLabelColumn(QStringLiteral("gen_server"));
    layout.statusLabel = table.addLabelColumn(QStringLiteral("status"));
    layout.sourceLabel = table.addLabelColumn(QStringLiteral("source"));
    layout.clockLabel = table.addLabelColumn(QStringLiteral("clock"));
    return layout;
}

Fragments::Fragments()
{
    Layout::registerOn(table);
    table.setPhases(PhaseCatalog::trtllm());
}

void Fragments::append(Fragments &&other)
{
    table.appendTable(std::move(other.table));
    disaggKey.insert(disaggKey.end(), other.disaggKey.begin(), other.disaggKey.end());
    ctxKey.insert(ctxKey.end(), other.ctxKey.begin(), other.ctxKey.end());
    issues += other.issues;
    recordsRead += other.recordsRead;
}

void Fragments::compact(const std::vector<bool> &keep)
{
    table.compact(keep);
    auto compactKeys = [&keep](std::vector<qint64> &keys) {
        size_t out = 0;
        for (size_t i = 0; i < keys.size(); ++i) {
            if (keep[i])
                keys[out++] = keys[i];
        }
        keys.resize(out);
    };
    compactKeys(disaggKey);
    compactKeys(ctxKey);
}

bool sniff(const char *data, size_t size)
{
    const char *end = data + size;
    const char *p = JsonScan::skipSpace(data, end);
    if (p == end || (*p != '[' && *p != '{'))
        return false;
    if (*p == '[' && JsonScan::skipSpace(p + 1, end) < end && *JsonScan::skipSpace(p + 1, end) == ']')
        return true; // the endpoint's "nothing new" answer
    const std::string_view head(p, size_t(end - p));
    for (const char *marker : {"\"perf_metrics\"", "\"timing_metrics\"", "\"ctx_perf_metrics\"",
                               "\"gen_perf_metrics\"", "\"disagg_server_arrival_time\"", "\"request_timing_metrics\"",
                               "\"X-TRTLLM-"}) {
        if (head.find(marker) != std::string_view::npos)
            return true;
    }
    return false;
}

namespace {

struct PendingStep
{
    quint8 kind;
    double forwardStart, forwardEnd, sampleStart, sampleEnd, tokenTime;
    float gpuForwardMs, gpuSampleMs;
    qint32 iteration;
};

// One side (context or generation worker, or a plain aggregated worker) of a record.
struct SideRecord
{
    bool present = false;
    std::string requestId;
    qint64 ctxKey = kNoKey;
    qint64 disaggKey = kNoKey;
    double stamps[SideStampCount];
    double attributes[SideAttributeCount];
    bool hasChunks = false;
    bool hasSteps = false;
    std::string status;
    std::vector<PendingStep> steps;

    void reset()
    {
        present = false;
        requestId.clear();
        ctxKey = disaggKey = kNoKey;
        std::fill(std::begin(stamps), std::end(stamps), kMissing);
        std::fill(std::begin(attributes), std::end(attributes), kMissing);
        hasChunks = hasSteps = false;
        status.clear();
        steps.clear();
    }
};

struct Record
{
    bool combined = false;
    SideRecord worker; // top-level worker item, or unused for combined records
    SideRecord ctx, gen;
    double disagg[DisaggStampCount];
    std::string ctxServer, genServer;

    void reset()
    {
        combined = false;
        worker.reset();
        ctx.reset();
        gen.reset();
        std::fill(std::begin(disagg), std::end(disagg), kMissing);
        ctxServer.clear();
        genServer.clear();
    }
};

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && JsonScan::isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

// Server label from the JSONL file name perf_metrics-{kind}-{host}-{pid}-{UTC}.jsonl.
QString serverLabelForFile(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    static const QRegularExpression pattern(
        QStringLiteral("^perf_metrics-[A-Za-z]+-(.+)-(\\d+)-\\d{8}T\\d{6}Z\\.jsonl$"));
    const QRegularExpressionMatch match = pattern.match(name);
    if (match.hasMatch())
        return match.captured(1) + QLatin1Char(':') + match.captured(2);
    return name;
}

class ChunkParser
{
public:
    ChunkParser(const QString &inputName, const QString &fileLabel, const char *fileBegin, const char *fileEnd,
                LoadControl *control)
        : m_inputName(inputName), m_fileLabel(fileLabel), m_fileBegin(fileBegin), m_fileEnd(fileEnd),
          m_control(control)
    {
        m_layout = Layout::registerOn(m_out.table);
        RequestTable &table = m_out.table;
        auto intern = [&table](int column, const QString &value) { return table.internLabel(column, value); };
        m_codes.source = intern(m_layout.sourceLabel, inputName);
        m_codes.fileAsServer = intern(m_layout.serverLabel, fileLabel);
        m_codes.fileAsContextServer = intern(m_layout.ctxServerLabel, fileLabel);
        m_codes.fileAsGenerationServer = intern(m_layout.genServerLabel, fileLabel);
        m_codes.fileClock = intern(m_layout.clockLabel, QStringLiteral("TensorRT-LLM steady clock (%1)").arg(fileLabel));
        m_codes.disaggClock = intern(m_layout.clockLabel, QStringLiteral("TensorRT-LLM steady clock (disagg server)"));
    }

    Fragments &result() { return m_out; }
    // Sizes the columns up front: growing ~45 columns record by record costs more than parsing.
    void reserve(size_t rows)
    {
        m_out.table.reserve(rows);
        m_out.disaggKey.reserve(rows);
        m_out.ctxKey.reserve(rows);
    }

    // The fast path: parses the JSON array in [open, bufferEnd) as one document. False
    // when it is not a clean array of records (the caller then takes the careful path).
    bool parseArrayDocument(const char *open, const char *bufferEnd);
    // The careful path: finds each record's extent first, parses records one by one. A damaged
    // record is skipped up to the next record, so both sides of it load.
    void parseArrayRecordByRecord(const char *open);
    // Parses the JSONL lines in [p, end); line numbers start at firstLine.
    void parseLines(const char *p, const char *end, qint64 firstLine);
    void parseSingleObject(const char *begin, const char *end);

    void finish()
    {
        if (m_nonFiniteRecords > 0) {
            issue(LoadIssue::Warning, m_firstNonFiniteAt,
                  QStringLiteral("%1 record(s) contain bare NaN/Infinity (not valid JSON); those values were read as "
                                 "not recorded")
                      .arg(m_nonFiniteRecords));
        }
        if (m_typeErrors > 0) {
            issue(LoadIssue::Warning, m_firstTypeErrorAt,
                  QStringLiteral("%1 value(s) of an unexpected type were treated as not recorded (first: %2)")
                      .arg(m_typeErrors)
                      .arg(m_firstTypeError));
        }
        if (m_iterationsOutOfRange > 0) {
            issue(LoadIssue::Warning, m_firstIterationOutOfRangeAt,
                  QStringLiteral("%1 step iteration number(s) (\"iter\") outside 0 to %2 were not recorded "
                                 "(first: %3)")
                      .arg(m_iterationsOutOfRange)
                      .arg(std::numeric_limits<qint32>::max())
                      .arg(m_firstIterationOutOfRange, 0, 'g', 17));
        }
        reportProgress(true);
    }

private:
    void parseRecord(const char *begin, const char *end, size_t capacity);
    // parseRecord, retried with bare NaN/Infinity read as null when the record has them.
    void parseRecordTolerant(const char *begin, const char *end);
    void parseTopLevel(od::object object, Record &record);
    void parseWorker(od::object object, SideRecord &side);
    void parseWorkerField(std::string_view key, od::value value, SideRecord &side);
    void parsePerfMetrics(od::object object, SideRecord &side);
    void parseTiming(od::object object, SideRecord &side);
    void parseBreakdown(od::object object, SideRecord &side);
    void parseSteps(od::array steps, quint8 kind, SideRecord &side);
    // The attributes kSideAttributeNames[first..last] of a nested object (kv_cache_metrics,
    // speculative_decoding).
    void parseAttributes(od::object object, int first, int last, SideRecord &side);
    void parseHeaderPayload(od::object object);
    void emitRecord(Record &record);
    // Reports the bytes [from, resume) as skipped (resume may be the end of the file).
    void skipDamaged(const char *from, const char *resume, const QString &reason);
    void emitSide(SideRecord &side, Side columns, int row);

    LabelCode labelCode(int column, const std::string &text);
    double number(od::value value, std::string_view key);
    // A step's "iter" as stored (0 to 2^31-1); anything else is counted and not recorded.
    qint32 iterationNumber(double value);
    std::string idText(od::value value);
    qint64 joinKey(od::value value, std::string_view key);
    std::string stringValue(od::value value);

    void issue(LoadIssue::Severity severity, const char *at, const QString &message)
    {
        LoadIssue item;
        item.severity = severity;
        item.input = m_inputName;
        if (at) {
            item.byteOffset = at - m_fileBegin;
            item.line = JsonScan::lineOf(m_fileBegin, at);
        }
        item.message = message;
        m_out.issues.append(item);
    }
    void reportProgress(bool force = false)
    {
        if (!m_control || (!force && (m_out.recordsRead & 1023) != 0))
            return;
        const qint64 done = m_position - m_chunkBegin;
        m_control->addProgress(done - m_reported);
        m_reported = done;
    }
    bool canceled() const { return LoadControl::isCanceled(m_control); }

    QString m_inputName;
    QString m_fileLabel;
    const char *m_fileBegin;
    const char *m_fileEnd;
    LoadControl *m_control;
    Fragments m_out;
    Layout m_layout;
    struct
    {
        LabelCode source, fileAsServer, fileAsContextServer, fileAsGenerationServer, fileClock, disaggClock;
    } m_codes{};
    // Distinct label texts seen so far per column: servers and statuses repeat on every record,
    // yet a status may also be an error text per request, so the lookup is hashed.
    std::vector<std::unordered_map<std::string, LabelCode>> m_labelCache;
    od::parser m_parser;
    Record m_record;
    const char *m_position = nullptr;
    const char *m_chunkBegin = nullptr;
    qint64 m_reported = 0;
    qint64 m_typeErrors = 0;
    QString m_firstTypeError;
    const char *m_firstTypeErrorAt = nullptr;
    qint64 m_recordIndex = 0;
    std::string m_scratch;
    qint64 m_nonFiniteRecords = 0;
    const char *m_firstNonFiniteAt = nullptr;
    qint64 m_iterationsOutOfRange = 0;
    double m_firstIterationOutOfRange = 0;
    const char *m_firstIterationOutOfRangeAt = nullptr;
};

double ChunkParser::number(od::value value, std::string_view key)
{
    double result = kMissing;
    switch (value.type()) {
    case od::json_type::number:
        if (value.get_double().get(result) == simdjson::SUCCESS)
            return result;
        break; // out of range (1e400): not recorded, and counted below
    case od::json_type::null: {
        bool isNull = false;
        if (value.is_null().get(isNull) == simdjson::SUCCESS && isNull)
            return kMissing;
        break; // a word starting with 'n' that is not null
    }
    default:
        break;
    }
    if (m_typeErrors++ == 0) {
        m_firstTypeError = QString::fromUtf8(key.data(), qsizetype(key.size()));
        m_firstTypeErrorAt = m_position;
    }
    return kMissing;
}

qint32 ChunkParser::iterationNumber(double value)
{
    if (isMissing(value))
        return -1;
    // Compared as doubles first: converting 1e10 to qint32 is undefined behaviour.
    if (value >= 0 && value <= double(std::numeric_limits<qint32>::max()))
        return qint32(value);
    if (m_iterationsOutOfRange++ == 0) {
        m_firstIterationOutOfRange = value;
        m_firstIterationOutOfRangeAt = m_position;
    }
    return -1;
}

LabelCode ChunkParser::labelCode(int column, const std::string &text)
{
    if (m_labelCache.size() <= size_t(column))
        m_labelCache.resize(size_t(column) + 1);
    auto &cache = m_labelCache[size_t(column)];
    const auto seen = cache.find(text);
    if (seen != cache.end())
        return seen->second;
    const LabelCode code = m_out.table.internLabel(column, QString::fromStdString(text));
    cache.emplace(text, code);
    return code;
}

std::string ChunkParser::idText(od::value value)
{
    switch (value.type()) {
    case od::json_type::number:
        return std::string(trimmed(value.raw_json_token()));
    case od::json_type::string:
        return std::string(std::string_view(value.get_string()));
    default:
        return std::string();
    }
}

qint64 ChunkParser::joinKey(od::value value, std::string_view key)
{
    std::string text = idText(value);
    qint64 result = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        if (!text.empty() || value.type() != od::json_type::null)
            number(value, key); // counts the unexpected type
        return kNoKey;
    }
    return result;
}

std::string ChunkParser::stringValue(od::value value)
{
    if (value.type() == od::json_type::string)
        return std::string(std::string_view(value.get_string()));
    return std::string();
}

void ChunkParser::parseTiming(od::object object, SideRecord &side)
{
    for (od::field field : object) {
        const std::string_view key = field.unescaped_key();
        if (key == "kv_cache_size") {
            side.attributes[KvCacheSize] = number(field.value(), key);
            continue;
        }
        for (int s = 0; s < SideStampCount; ++s) {
            if (key == kSideStampNames[s]) {
                side.stamps[s] = number(field.value(), key);
                break;
            }
        }
    }
}

void ChunkParser::parseAttributes(od::object object, int first, int last, SideRecord &side)
{
    for (od::field field : object) {
        const std::string_view key = field.unescaped_key();
        for (int a = first; a <= last; ++a) {
            if (key == kSideAttributeNames[a]) {
                side.attributes[a] = number(field.value(), key);
                break;
            }
        }
    }
}

void ChunkParser::parseSteps(od::array steps, quint8 kind, SideRecord &side)
{
    for (od::value entry : steps) {
        if (entry.type() != od::json_type::object)
            continue;
        PendingStep step{kind, kMissing, kMissing, kMissing, kMissing, kMissing, NAN, NAN, -1};
        for (od::field field : entry.get_object()) {
            const std::string_view key = field.unescaped_key();
            if (key == "forward_start_time" || key == "scheduled_time")
                step.forwardStart = number(field.value(), key);
            else if (key == "forward_end_time")
                step.forwardEnd = number(field.value(), key);
            else if (key == "sample_start_time")
                step.sampleStart = number(field.value(), key);
            else if (key == "sample_end_time")
                step.sampleEnd = number(field.value(), key);
            else if (key == "token_time")
                step.tokenTime = number(field.value(), key);
            else if (key == "gpu_forward_time")
                step.gpuForwardMs = float(number(field.value(), key));
            else if (key == "gpu_sample_time")
                step.gpuSampleMs = float(number(field.value(), key));
            else if (key == "iter")
                step.iteration = iterationNumber(number(field.value(), key));
        }
        side.steps.push_back(step);
        (kind == StepTable::ContextChunk ? side.hasChunks : side.hasSteps) = true;
    }
}

void ChunkParser::parseBreakdown(od::object object, SideRecord &side)
{
    for (od::field field : object) {
        const std::string_view key = field.unescaped_key();
        od::value value = field.value();
        if (key == "step_metrics" && value.type() == od::json_type::array)
            parseSteps(value.get_array(), StepTable::GenerationStep, side);
        else if (key == "ctx_chunk_metrics" && value.type() == od::json_type::array)
            parseSteps(value.get_array(), StepTable::ContextChunk, side);
        else if (key == "ctx_gpu_forward_time")
            side.attributes[PrefillGpuForwardMs] = number(value, key);
        else if (key == "ctx_gpu_sample_time")
            side.attributes[PrefillGpuSampleMs] = number(value, key);
    }
}

void ChunkParser::parsePerfMetrics(od::object object, SideRecord &side)
{
    for (od::field field : object) {
        const std::string_view key = field.unescaped_key();
        od::value value = field.value();
        const bool isObject = value.type() == od::json_type::object;
        if (key == "timing_metrics" && isObject)
            parseTiming(value.get_object(), side);
        else if (key == "first_iter")
            side.attributes[FirstIter] = number(value, key);
        else if (key == "last_iter")
            side.attributes[LastIter] = number(value, key);
        else if (key == "kv_cache_metrics" && isObject)
            parseAttributes(value.get_object(), TotalBlocks, MissedBlocks, side);
        else if (key == "speculative_decoding" && isObject)
            parseAttributes(value.get_object(), AcceptanceRate, DraftTokens, side);
        else if (key == "time_breakdown_metrics" && isObject) // legacy nesting
            parseBreakdown(value.get_object(), side);
        else if (key == "step_metrics" && value.type() == od::json_type::array) // legacy nesting
            parseSteps(value.get_array(), StepTable::GenerationStep, side);
        else if (key == "ctx_chunk_metrics" && value.type() == od::json_type::array)
            parseSteps(value.get_array(), StepTable::ContextChunk, side);
        else if (key == "ctx_gpu_forward_time")
            side.attributes[PrefillGpuForwardMs] = number(value, key);
        else if (key == "ctx_gpu_sample_time")
            side.attributes[PrefillGpuSampleMs] = number(value, key);
    }
}

void ChunkParser::parseWorkerField(std::string_view key, od::value value, SideRecord &side)
{
    const bool isObject = value.type() == od::json_type::object;
    if (key == "request_id") {
        side.requestId = idText(value);
        side.present = true;
    } else if (key == "ctx_request_id") {
        side.ctxKey = joinKey(value, key);
    } else if (key == "disagg_request_id") {
        side.disaggKey = joinKey(value, key);
    } else if (key == "perf_metrics" && isObject) {
        parsePerfMetrics(value.get_object(), side);
        side.present = true;
    } else if (key == "time_breakdown_metrics" && isObject) {
        parseBreakdown(value.get_object(), side);
    } else if (key == "request_timing_metrics" && isObject) { // perf_time_events records
        parseTiming(value.get_object(), side);
        side.present = true;
    } else if (key == "status") {
        side.status = stringValue(value);
    }
}

void ChunkParser::parseWorker(od::object object, SideRecord &side)
{
    side.present = true;
    for (od::field field : object) {
        const std::string_view key = field.unescaped_key();
        parseWorkerField(key, field.value(), side);
    }
}

void ChunkParser::parseTopLevel(od::object object, Record &record)
{
    for (od::field field : object) {
        const std::string_view key = field.unescaped_key();
        od::value value = field.value();
        if (key == "ctx_perf_metrics" || key == "gen_perf_metrics") {
            record.combined = true;
            SideRecord &side = key[0] == 'c' ? record.ctx : record.gen;
            if (value.type() == od::json_type::object)
                parseWorker(value.get_object(), side); // null: that side's record was lost
        } else if (key == "ctx_server") {
            record.combined = true;
            record.ctxServer = stringValue(value);
        } else if (key == "gen_server") {
            record.combined = true;
            record.genServer = stringValue(value);
        } else if (key == "disagg_server_arrival_time") {
            record.combined = true;
            record.disagg[DisaggArrival] = number(value, key);
        } else if (key == "disagg_ctx_dispatch_time") {
            record.combined = true;
            record.disagg[DisaggCtxDispatch] = number(value, key);
        } else if (key == "disagg_server_first_token_time") {
            record.combined = true;
            record.disagg[DisaggFirstToken] = number(value, key);
        } else {
            parseWorkerField(key, value, record.worker);
        }
    }
}

void ChunkParser::emitSide(SideRecord &side, Side columns, int row)
{
    RequestTable &table = m_out.table;
    for (int s = 0; s < SideStampCount; ++s)
        table.setStampSeconds(m_layout.sideStamp[columns][size_t(s)], row, side.stamps[s]);
    for (int a = 0; a < SideAttributeCount; ++a) {
        if (!isMissing(side.attributes[a]))
            table.setAttribute(m_layout.sideAttribute[columns][size_t(a)], row, side.attributes[a]);
    }
    double workerId = 0;
    const auto parsed = std::from_chars(side.requestId.data(), side.requestId.data() + side.requestId.size(), workerId);
    if (!side.requestId.empty() && parsed.ec == std::errc())
        table.setAttribute(m_layout.sideAttribute[columns][WorkerRequestId], row, workerId);

    StepTable &steps = table.mutableSteps();
    for (const PendingStep &step : side.steps) {
        auto relative = [&table](double seconds) { return seconds > 0 ? table.toRelative(seconds) : kMissing; };
        steps.request.push_back(quint32(row));
        steps.kind.push_back(step.kind);
        steps.forwardStart.push_back(relative(step.forwardStart));
        steps.forwardEnd.push_back(relative(step.forwardEnd));
        steps.sampleStart.push_back(relative(step.sampleStart));
        steps.sampleEnd.push_back(relative(step.sampleEnd));
        steps.tokenTime.push_back(relative(step.tokenTime));
        steps.gpuForwardMs.push_back(step.gpuForwardMs);
        steps.gpuSampleMs.push_back(step.gpuSampleMs);
        steps.iteration.push_back(step.iteration);
    }
    if (!side.status.empty())
        table.setLabelCode(m_layout.statusLabel, row, labelCode(m_layout.statusLabel, side.status));
}

Role classifyWorker(const SideRecord &side)
{
    if (side.ctxKey == kNoKey && side.disaggKey == kNoKey)
        return Role::Aggregated;
    if (side.hasChunks && !side.hasSteps)
        return Role::Context;
    if (side.hasSteps || !isMissing(side.stamps[KvTransferStart]) || !isMissing(side.stamps[KvTransferEnd])
        || side.attributes[KvCacheSize] > 0)
        return Role::Generation;
    // A context-only request produces exactly one token (docs/trtllm.md §2 invariants).
    if (!isMissing(side.stamps[FirstToken]) && side.stamps[FirstToken] == side.stamps[LastToken])
        return Role::Context;
    return Role::Generation;
}

void ChunkParser::emitRecord(Record &record)
{
    RequestTable &table = m_out.table;
    qint64 disaggKey = kNoKey;
    qint64 ctxKey = kNoKey;
    int row = -1;
    auto pickId = [&](std::initializer_list<const SideRecord *> sides) {
        if (disaggKey != kNoKey)
            return std::to_string(disaggKey);
        if (ctxKey != kNoKey)
            return std::to_string(ctxKey);
        for (const SideRecord *side : sides) {
            if (!side->requestId.empty())
                return side->requestId;
        }
        return QStringLiteral("#%1").arg(m_recordIndex).toStdString();
    };

    if (record.combined) {
        disaggKey = record.worker.disaggKey;
        for (const SideRecord *side : {&record.ctx, &record.gen}) {
            if (ctxKey == kNoKey)
                ctxKey = side->ctxKey;
            if (disaggKey == kNoKey)
                disaggKey = side->disaggKey;
        }
        row = table.appendRow(pickId({&record.ctx, &record.gen}), Role::Disaggregated);
        for (int d = 0; d < DisaggStampCount; ++d)
            table.setStampSeconds(m_layout.disaggStamp[size_t(d)], row, record.disagg[d]);
        if (record.ctx.present)
            emitSide(record.ctx, ContextSide, row);
        if (record.gen.present)
            emitSide(record.gen, GenerationSide, row);
        if (!record.worker.status.empty())
            table.setLabelCode(m_layout.statusLabel, row, labelCode(m_layout.statusLabel, record.worker.status));
        if (!record.ctxServer.empty())
            table.setLabelCode(m_layout.ctxServerLabel, row, labelCode(m_layout.ctxServerLabel, record.ctxServer));
        if (!record.genServer.empty())
            table.setLabelCode(m_layout.genServerLabel, row, labelCode(m_layout.genServerLabel, record.genServer));
        table.setLabelCode(m_layout.serverLabel, row, m_codes.fileAsServer);
        table.setLabelCode(m_layout.clockLabel, row, m_codes.disaggClock);
    } else {
        SideRecord &worker = record.worker;
        disaggKey = worker.disaggKey;
        ctxKey = worker.ctxKey;
        const Role role = classifyWorker(worker);
        row = table.appendRow(pickId({&worker}), role);
        const Side side = role == Role::Generation ? GenerationSide : ContextSide;
        emitSide(worker, side, row);
        if (role == Role::Aggregated) {
            table.setLabelCode(m_layout.serverLabel, row, m_codes.fileAsServer);
            table.setLabelCode(m_layout.clockLabel, row, m_codes.fileClock);
        } else if (side == ContextSide) {
            table.setLabelCode(m_layout.ctxServerLabel, row, m_codes.fileAsContextServer);
            table.setLabelCode(m_layout.clockLabel, row, m_codes.disaggClock);
        } else {
            table.setLabelCode(m_layout.genServerLabel, row, m_codes.fileAsGenerationServer);
            table.setLabelCode(m_layout.clockLabel, row, m_codes.disaggClock);
        }
    }
    if (disaggKey != kNoKey)
        table.setAttribute(m_layout.disaggRequestId, row, double(disaggKey));
    if (ctxKey != kNoKey)
        table.setAttribute(m_layout.ctxRequestId, row, double(ctxKey));
    table.setLabelCode(m_layout.sourceLabel, row, m_codes.source);
    m_out.disaggKey.push_back(disaggKey);
    m_out.ctxKey.push_back(ctxKey);
}

void ChunkParser::parseRecord(const char *begin, const char *end, size_t capacity)
{
    ++m_recordIndex;
    m_record.reset();
    od::document doc = m_parser.iterate(begin, size_t(end - begin), capacity);
    od::object object = doc.get_object();
    parseTopLevel(object, m_record);
    emitRecord(m_record);
    ++m_out.recordsRead;
    reportProgress();
}

void ChunkParser::parseRecordTolerant(const char *begin, const char *end)
{
    m_position = begin;
    try {
        parseRecord(begin, end, size_t(m_fileEnd - begin) + MappedFile::kPadding);
        return;
    } catch (const simdjson::simdjson_error &) {
        if (JsonScan::rewriteNonFinite(std::string_view(begin, size_t(end - begin)), m_scratch) == 0)
            throw;
        m_scratch.append(MappedFile::kPadding, ' ');
    }
    parseRecord(m_scratch.data(), m_scratch.data() + m_scratch.size() - MappedFile::kPadding, m_scratch.size());
    if (m_nonFiniteRecords++ == 0)
        m_firstNonFiniteAt = begin;
}

bool ChunkParser::parseArrayDocument(const char *open, const char *bufferEnd)
{
    if (!m_chunkBegin)
        m_chunkBegin = open;
    m_position = open;
    try {
        const size_t capacity = size_t(m_fileEnd - open) + MappedFile::kPadding;
        od::document doc = m_parser.iterate(open, size_t(bufferEnd - open), capacity);
        od::array records = doc.get_array();
        od::array_iterator it = records.begin();
        const od::array_iterator endIt = records.end();
        while (it != endIt) {
            const char *location = nullptr;
            if (doc.current_location().get(location) == simdjson::SUCCESS)
                m_position = location;
            od::value element = *it;
            if (element.type() != od::json_type::object)
                return false;
            ++m_recordIndex;
            m_record.reset();
            parseTopLevel(element.get_object(), m_record);
            emitRecord(m_record);
            ++m_out.recordsRead;
            reportProgress();
            if (canceled())
                return false;
            ++it;
        }
        // Trailing data after the last ']': let the careful pass explain it.
        const char *rest = nullptr;
        return !(doc.current_location().get(rest) == simdjson::SUCCESS && rest < m_fileEnd);
    } catch (const simdjson::simdjson_error &) {
        // Broken or truncated somewhere: the record-by-record pass keeps what is valid and says where.
        return false;
    }
}

namespace {

// The next record of a top-level array at or after `from`, for resuming after damage: a '{'
// after a ',' whose object is complete, is followed by ',' or ']' and has a key only records have
// (a nested step list has "}, {" boundaries too).
const char *nextRecordStart(const char *from, const char *end)
{
    for (const char *candidate = from; candidate < end; ++candidate) {
        candidate = static_cast<const char *>(std::memchr(candidate, '{', size_t(end - candidate)));
        if (!candidate)
            return nullptr;
        const char *before = candidate;
        while (before > from && JsonScan::isSpace(before[-1]))
            --before;
        if (before == from || before[-1] != ',')
            continue;
        const char *objectEnd = JsonScan::findValueEnd(candidate, end);
        if (!objectEnd)
            continue;
        const char *after = JsonScan::skipSpace(objectEnd, end);
        if (after < end && (*after == ',' || *after == ']')
            && JsonScan::hasOwnKey(candidate, objectEnd,
                                   {"request_id", "perf_metrics", "ctx_perf_metrics", "gen_perf_metrics",
                                    "disagg_request_id", "ctx_request_id", "request_timing_metrics"}))
            return candidate;
    }
    return nullptr;
}

} // namespace

void ChunkParser::skipDamaged(const char *from, const char *resume, const QString &reason)
{
    LoadIssue item;
    item.severity = LoadIssue::Warning;
    item.input = m_inputName;
    item.byteOffset = from - m_fileBegin;
    item.line = JsonScan::lineOf(m_fileBegin, from);
    item.skippedBytes = resume - from;
    item.dataSkipped = true;
    item.message = resume < m_fileEnd
                       ? QStringLiteral("damaged record skipped (%1); reading went on with the next record").arg(reason)
                       : QStringLiteral("damaged or incomplete data skipped to the end of the file (%1)").arg(reason);
    m_out.issues.append(item);
}

void ChunkParser::parseArrayRecordByRecord(const char *open)
{
    const char *end = m_fileEnd;
    const char *p = open + 1;
    m_chunkBegin = open;
    while (!canceled()) {
        p = JsonScan::skipSpace(p, end);
        m_position = p;
        if (p >= end) {
            issue(LoadIssue::Warning, p, QStringLiteral("the JSON array has no closing ']' (the file ends after %1 "
                                                        "complete record(s); was it still being written?)")
                                             .arg(m_out.recordsRead));
            return;
        }
        if (*p == ']') {
            const char *rest = JsonScan::skipSpace(p + 1, end);
            if (rest < end)
                issue(LoadIssue::Warning, rest, QStringLiteral("unexpected data after the end of the JSON array ignored"));
            return;
        }
        QString reason;
        if (*p == '{') {
            const char *recordEnd = JsonScan::findValueEnd(p, end);
            // A long "record" that holds the start of another lost a closing brace: skipping it
            // at once keeps many damaged records from each being parsed to the end of the file.
            constexpr ptrdiff_t kLongRecord = 1 << 20;
            if (recordEnd && recordEnd - p > kLongRecord && nextRecordStart(p + 1, recordEnd)) {
                recordEnd = nullptr;
                reason = QStringLiteral("a record is not closed before the next one starts");
            } else if (recordEnd) {
                try {
                    parseRecordTolerant(p, recordEnd);
                    const char *after = JsonScan::skipSpace(recordEnd, end);
                    if (after < end && (*after == ',' || *after == ']')) {
                        p = after + (*after == ',');
                        continue;
                    }
                    p = after;
                    reason = after < end ? QStringLiteral("expected ',' or ']' after a record")
                                         : QStringLiteral("the file ends before the closing ']'");
                } catch (const simdjson::simdjson_error &error) {
                    reason = QStringLiteral("not valid JSON: %1").arg(QString::fromLatin1(error.what()));
                }
            } else {
                reason = QStringLiteral("truncated: the record starting here is incomplete, the file ends at byte %1")
                             .arg(end - m_fileBegin);
            }
        } else {
            reason = QStringLiteral("expected a record object, found '%1'").arg(QLatin1Char(*p));
        }
        if (p >= end) {
            issue(LoadIssue::Warning, p, QStringLiteral("the JSON array has no closing ']'"));
            return;
        }
        const char *resume = nextRecordStart(p + 1, end);
        skipDamaged(p, resume ? resume : end, reason);
        if (!resume)
            return;
        p = resume;
    }
}

void ChunkParser::parseLines(const char *p, const char *end, qint64 firstLine)
{
    m_chunkBegin = p;
    qint64 line = firstLine;
    while (p < end && !canceled()) {
        const char *newline = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        const char *lineEnd = newline ? newline : end;
        const char *content = JsonScan::skipSpace(p, lineEnd);
        if (content < lineEnd) {
            m_position = content;
            try {
                parseRecordTolerant(content, lineEnd);
            } catch (const simdjson::simdjson_error &error) {
                LoadIssue item;
                item.input = m_inputName;
                item.line = line;
                item.byteOffset = content - m_fileBegin;
                if (!newline && lineEnd == m_fileEnd) {
                    item.message = QStringLiteral("partial last line skipped (%1 bytes without a newline; "
                                                  "the writer was probably still running)")
                                       .arg(lineEnd - content);
                } else {
                    item.message = QStringLiteral("line skipped, not a valid JSON record: %1")
                                       .arg(QString::fromLatin1(error.what()));
                    item.dataSkipped = true;
                    item.skippedBytes = lineEnd - content;
                }
                m_out.issues.append(item);
            }
        }
        p = newline ? newline + 1 : end;
        ++line;
    }
}

// The per-request transport of the JSONL era: Server-Timing durations (ms) and
// X-TRTLLM-Start-End-Time stamps (s), as response headers or the SSE perf event.
void ChunkParser::parseHeaderPayload(od::object object)
{
    std::string timing, startEnd;
    for (od::field field : object) {
        const std::string_view key = field.unescaped_key();
        if (key == "Server-Timing")
            timing = stringValue(field.value());
        else if (key == "X-TRTLLM-Start-End-Time")
            startEnd = stringValue(field.value());
    }
    struct PhaseTimes { double start = kMissing, end = kMissing, queue = kMissing, ttft = kMissing; };
    std::map<std::string, PhaseTimes> phases;
    auto forEachEntry = [](const std::string &header, auto &&callback) {
        size_t pos = 0;
        while (pos < header.size()) {
            size_t comma = header.find(',', pos);
            if (comma == std::string::npos)
                comma = header.size();
            std::string entry = header.substr(pos, comma - pos);
            const size_t first = entry.find_first_not_of(' ');
            entry = first == std::string::npos ? std::string() : entry.substr(first);
            const size_t semicolon = entry.find(';');
            const size_t equals = entry.find('=');
            if (semicolon != std::string::npos && equals != std::string::npos && equals > semicolon)
                callback(entry.substr(0, semicolon), std::strtod(entry.c_str() + equals + 1, nullptr));
            pos = comma + 1;
        }
    };
    forEachEntry(startEnd, [&](const std::string &name, double value) {
        const size_t dash = name.rfind('-');
        if (dash == std::string::npos)
            return;
        PhaseTimes &times = phases[name.substr(0, dash)];
        (name.compare(dash + 1, std::string::npos, "start") == 0 ? times.start : times.end) = value;
    });
    forEachEntry(timing, [&](const std::string &name, double value) {
        const size_t underscore = name.find('_');
        if (underscore == std::string::npos)
            return;
        const std::string metric = name.substr(underscore + 1);
        PhaseTimes &times = phases[name.substr(0, underscore)];
        if (metric == "queue")
            times.queue = value;
        else if (metric == "ttft")
            times.ttft = value;
    });

    m_record.reset();
    auto fillSide = [](SideRecord &side, const PhaseTimes &times) {
        side.present = true;
        side.stamps[Arrival] = times.start;
        side.stamps[FirstScheduled] = times.start + times.queue / 1000.0;
        side.stamps[FirstToken] = times.start + times.ttft / 1000.0;
        side.stamps[LastToken] = times.end;
    };
    const bool disaggregated = phases.count("ctx") || phases.count("gen") || phases.count("disagg");
    if (disaggregated) {
        m_record.combined = true;
        if (phases.count("ctx"))
            fillSide(m_record.ctx, phases["ctx"]);
        if (phases.count("gen"))
            fillSide(m_record.gen, phases["gen"]);
        if (phases.count("disagg")) {
            const PhaseTimes &times = phases["disagg"];
            m_record.disagg[DisaggArrival] = times.start;
            m_record.disagg[DisaggCtxDispatch] = times.start + times.queue / 1000.0;
            m_record.disagg[DisaggFirstToken] = times.start + times.ttft / 1000.0;
        }
    } else if (phases.count("server")) {
        fillSide(m_record.worker, phases["server"]);
    }
    ++m_recordIndex;
    ++m_out.recordsRead;
    emitRecord(m_record);
    issue(LoadIssue::Warning, nullptr,
          QStringLiteral("per-request header payload: only the start/end stamps and the queue and TTFT durations "
                         "are placed; per-step durations have no start stamps and are not shown"));
}

void ChunkParser::parseSingleObject(const char *begin, const char *end)
{
    m_chunkBegin = begin;
    m_position = begin;
    try {
        const size_t capacity = size_t(m_fileEnd - begin) + MappedFile::kPadding;
        od::document doc = m_parser.iterate(begin, size_t(end - begin), capacity);
        od::object object = doc.get_object();
        // Peek at the keys: a perf_time_events aggregate holds its records in "records".
        std::string_view raw = std::string_view(begin, size_t(end - begin));
        if (raw.find("\"records\"") != std::string_view::npos && raw.find("\"match_stats\"") != std::string_view::npos) {
            od::array records = object["records"].get_array();
            std::vector<std::string_view> texts;
            for (od::value record : records) {
                if (record.type() == od::json_type::object) {
                    od::object recordObject = record.get_object();
                    texts.push_back(recordObject.raw_json());
                }
            }
            for (std::string_view text : texts) {
                const char *recordBegin = text.data();
                const char *recordEnd = JsonScan::findValueEnd(recordBegin, m_fileEnd);
                parseRecordTolerant(recordBegin, recordEnd ? recordEnd : recordBegin + text.size());
            }
            return;
        }
        if (raw.find("\"X-TRTLLM-") != std::string_view::npos || raw.find("\"Server-Timing\"") != std::string_view::npos) {
            parseHeaderPayload(object);
            return;
        }
    } catch (const simdjson::simdjson_error &error) {
        issue(LoadIssue::Error, m_position, QStringLiteral("not valid JSON: %1").arg(QString::fromLatin1(error.what())));
        return;
    }
    try {
        parseRecordTolerant(begin, end);
    } catch (const simdjson::simdjson_error &error) {
        issue(LoadIssue::Error, begin, QStringLiteral("not a valid record: %1").arg(QString::fromLatin1(error.what())));
    }
}

size_t minChunkBytes(const LoadControl *control)
{
    constexpr size_t kDefaultChunkBytes = 4 * 1024 * 1024;
    return control && control->parallelChunkBytes > 1 ? control->parallelChunkBytes : kDefaultChunkBytes;
}

int chunkCountFor(size_t bytes, const LoadControl *control)
{
    const int cores = std::max(1, QThread::idealThreadCount());
    return int(std::clamp<size_t>(bytes / minChunkBytes(control), 1, size_t(cores)));
}

void importArray(char *begin, size_t size, const char *open, const QString &inputName, const QString &label,
                 Fragments &out, LoadControl *control)
{
    const char *end = begin + size;

    // Cut the array into windows of a few MB at candidate record boundaries "}, {" that
    // have a blank to spare: the comma becomes the ']' closing one window and the blank
    // the '[' opening the next, so each window is a complete array that the parser handles
    // with small, cache-warm buffers. A candidate inside a string leaves its window with
    // an unclosed string; the window fails and the careful sequential pass takes over.
    const size_t windowBytes = minChunkBytes(control) / 2;
    std::vector<const char *> opens{open};
    std::vector<const char *> ends;
    std::vector<std::pair<char *, char>> overwritten;
    for (const char *from = open + windowBytes; from < end; from = std::max(from + windowBytes, opens.back() + 1)) {
        const char *searchEnd = std::min(end, from + windowBytes);
        for (const char *candidate = JsonScan::findRecordStartCandidate(from, searchEnd); candidate;
             candidate = JsonScan::findRecordStartCandidate(candidate, searchEnd)) {
            char *comma = begin + (candidate - begin) - 1;
            while (*comma != ',')
                --comma;
            char *closeAt = nullptr;
            char *openAt = nullptr;
            if (comma + 1 < candidate) { // "}, {": comma closes, blank opens
                closeAt = comma;
                openAt = comma + 1;
            } else if (JsonScan::isSpace(comma[-1])) { // "} ,{": blank closes, comma opens
                closeAt = comma - 1;
                openAt = comma;
            } else {
                continue; // "},{" has no byte to spare
            }
            if (closeAt <= opens.back())
                break;
            overwritten.emplace_back(closeAt, *closeAt);
            overwritten.emplace_back(openAt, *openAt);
            *closeAt = ']';
            *openAt = '[';
            ends.push_back(closeAt + 1);
            opens.push_back(openAt);
            break;
        }
    }
    ends.push_back(end);

    // Contiguous runs of windows per core keep the records in file order.
    const size_t windows = opens.size();
    const size_t threads = std::min(windows, size_t(chunkCountFor(size, control)));
    const char *firstRecord = JsonScan::skipSpace(open + 1, end);
    const char *firstRecordEnd = JsonScan::findValueEnd(firstRecord, end);
    const size_t recordBytes = firstRecordEnd ? size_t(firstRecordEnd - firstRecord) + 2 : 0;
    std::vector<size_t> firstWindow(threads + 1);
    std::vector<std::unique_ptr<ChunkParser>> parsers;
    for (size_t t = 0; t <= threads; ++t)
        firstWindow[t] = windows * t / threads;
    for (size_t t = 0; t < threads; ++t) {
        parsers.push_back(std::make_unique<ChunkParser>(inputName, label, begin, end, control));
        const size_t bytes = size_t(ends[firstWindow[t + 1] - 1] - opens[firstWindow[t]]);
        if (recordBytes > 0)
            parsers.back()->reserve(size_t(double(bytes) / double(recordBytes) * 1.05) + 16);
    }
    std::vector<char> clean(threads, 0);
    auto runThread = [&](size_t t) {
        bool ok = true;
        for (size_t w = firstWindow[t]; w < firstWindow[t + 1] && ok; ++w)
            ok = parsers[t]->parseArrayDocument(opens[w], ends[w]);
        clean[t] = ok;
        parsers[t]->finish();
    };
    std::vector<QFuture<void>> futures;
    for (size_t t = 1; t < threads; ++t)
        futures.push_back(QtConcurrent::run(backgroundPool(), runThread, t));
    runThread(0);
    for (QFuture<void> &future : futures)
        future.waitForFinished();
    for (const auto &[at, original] : overwritten)
        *at = original;

    const bool allClean = std::all_of(clean.begin(), clean.end(), [](char ok) { return ok != 0; });
    if (!allClean && !LoadControl::isCanceled(control)) {
        // A split fell inside a string, or the file is broken: a careful sequential pass,
        // record by record, keeps every valid record and names the place of each problem.
        ChunkParser whole(inputName, label, begin, end, nullptr);
        whole.parseArrayRecordByRecord(open);
        whole.finish();
        out.append(std::move(whole.result()));
        return;
    }
    for (auto &parser : parsers)
        out.append(std::move(parser->result()));
}

void importLines(const char *begin, size_t size, const char *firstRecord, const QString &inputName,
                 const QString &label, Fragments &out, LoadControl *control)
{
    const char *end = begin + size;
    const int chunks = chunkCountFor(size, control);
    std::vector<const char *> starts{firstRecord};
    for (int i = 1; i < chunks; ++i) {
        const char *from = begin + size * size_t(i) / size_t(chunks);
        const char *newline = from > starts.back() ? static_cast<const char *>(std::memchr(from, '\n', size_t(end - from)))
                                                   : nullptr;
        if (newline && newline + 1 < end)
            starts.push_back(newline + 1);
    }
    starts.push_back(end);
    const size_t count = starts.size() - 1;
    std::vector<std::unique_ptr<ChunkParser>> parsers;
    std::vector<qint64> lines(count);
    for (size_t i = 0; i < count; ++i)
        lines[i] = JsonScan::countNewlines(starts[i], starts[i + 1]);
    std::vector<qint64> firstLines(count, 1);
    firstLines[0] = JsonScan::lineOf(begin, firstRecord);
    for (size_t i = 1; i < count; ++i)
        firstLines[i] = firstLines[i - 1] + lines[i - 1];
    for (size_t i = 0; i < count; ++i) {
        parsers.push_back(std::make_unique<ChunkParser>(inputName, label, begin, end, control));
        parsers.back()->reserve(size_t(lines[i]) + 1);
    }
    auto runChunk = [&](size_t i) {
        parsers[i]->parseLines(starts[i], starts[i + 1], firstLines[i]);
        parsers[i]->finish();
    };
    std::vector<QFuture<void>> futures;
    for (size_t i = 1; i < count; ++i)
        futures.push_back(QtConcurrent::run(backgroundPool(), runChunk, i));
    runChunk(0);
    for (QFuture<void> &future : futures)
        future.waitForFinished();
    for (auto &parser : parsers)
        out.append(std::move(parser->result()));
}

} // namespace

void importFile(MappedFile &file, const QString &inputName, Fragments &out, LoadControl *control)
{
    importBuffer(file.mutableData(), file.size(), inputName, out, control);
}

void importBuffer(char *begin, size_t size, const QString &inputName, Fragments &out, LoadControl *control)
{
    const char *end = begin + size;
    const QString label = serverLabelForFile(inputName);
    const char *p = begin;
    if (size >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; // UTF-8 byte order mark
    p = JsonScan::skipSpace(p, end);
    if (p == end)
        return; // empty or blank: the loader decides whether that is an error
    if (*p == '[') {
        importArray(begin, size, p, inputName, label, out, control);
        return;
    }
    // '{': one pretty-printed object, or JSONL (several top-level objects, one a line).
    const char *firstEnd = JsonScan::findValueEnd(p, end);
    if (!firstEnd) {
        const char *newline = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (newline && JsonScan::skipSpace(newline, end) < end) {
            out.issues.append(LoadIssue{LoadIssue::Error, inputName, JsonScan::lineOf(begin, p), p - begin,
                                        QStringLiteral("truncated JSON object: the file ends before its closing '}'")});
            return;
        }
    }
    const char *after = firstEnd ? JsonScan::skipSpace(firstEnd, end) : end;
    const bool singleLine = firstEnd && std::memchr(p, '\n', size_t(firstEnd - p)) == nullptr;
    if (firstEnd && after == end && !singleLine) {
        ChunkParser parser(inputName, label, begin, end, control);
        parser.parseSingleObject(p, firstEnd);
        parser.finish();
        out.append(std::move(parser.result()));
        return;
    }
    importLines(begin, size, p, inputName, label, out, control);
}

} // namespace Phaseline::TrtLlm
