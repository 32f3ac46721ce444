#pragma once

#include "formats/formatimporter.h"
#include "core/loadissue.h"
#include "core/requesttable.h"

#include <QVector>

#include <limits>
#include <vector>

namespace Phaseline {

class MappedFile;
class LoadControl;

namespace TrtLlm {

constexpr qint64 kNoKey = std::numeric_limits<qint64>::min();

// Records as parsed, one row each, before the disaggregated join. A row's role says
// what it is: Aggregated (a worker without join keys), Context / Generation (a worker
// of a disaggregated deployment), Disaggregated (a disagg-server record).
struct Fragments
{
    Fragments();

    RequestTable table;
    std::vector<qint64> disaggKey; // disagg_request_id per row
    std::vector<qint64> ctxKey;    // ctx_request_id per row
    QVector<LoadIssue> issues;
    qint64 recordsRead = 0;

    void append(Fragments &&other);
    // Keeps the rows (and their join keys) whose mask entry is true.
    void compact(const std::vector<bool> &keep);
};

// True when the first bytes look like TensorRT-LLM perf metrics (any shape of docs/trtllm.md §2).
// Give it a bounded prefix (the loader's sniffing prefix): it searches all of it.
bool sniff(const char *data, size_t size);

// Parses one file: a JSON array of records, JSONL (one record a line), or one JSON object
// (a single record, a perf_time_events aggregate, or the per-request SSE/header payload).
// Large files are split at record boundaries and parsed on all cores.
void importFile(MappedFile &file, const QString &inputName, Fragments &out, LoadControl *control);
// The same for bytes already in memory (live sources). `data` must be followed by
// MappedFile::kPadding readable bytes; the parser may patch bytes in place and restores them.
void importBuffer(char *data, size_t size, const QString &inputName, Fragments &out, LoadControl *control);

// Joins disagg-server, context and generation records (by disagg_request_id, else
// ctx_request_id) into one request each, preferring full worker records for detail.
// Unmatched and ambiguous records stay separate requests and are reported.
void join(Fragments &fragments, const QString &inputName);

} // namespace TrtLlm

// TensorRT-LLM perf metrics as a registered format: its files are read into one set of
// fragments per load and joined at its end (FileJoin), since a disaggregated request's
// records are spread over the context and generation servers' files.
class TrtLlmImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;
    std::unique_ptr<FileJoin> newJoin() const override;
};
} // namespace Phaseline
