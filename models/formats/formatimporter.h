#pragma once

#include "core/histogramdistribution.h"
#include "core/loadissue.h"
#include "analysis/metricsintervals.h"
#include "core/requesttable.h"
#include "core/runsummary.h"

#include <QString>
#include <QVector>

#include <memory>
#include <string_view>
#include <vector>

namespace Phaseline {

class MappedFile;
class LoadControl;

// What one importer made of one file: its requests (with the format's phase catalogue
// set on the table and a "clock" label per row), aggregate-only histograms (Prometheus),
// and what it could not take.
struct FileImport
{
    RequestTable table;
    QVector<LoadIssue> issues;
    QVector<HistogramDistribution> distributions; // aggregate-only data (server histograms)
    QVector<IntervalSeries> intervalSeries;       // per-interval phases (metrics session files)
    // A CSV whose columns were not recognised: a UI may ask the user for a column mapping.
    bool needsColumnMapping = false;
    QVector<RunSummary> summaries; // a tool's own aggregate statistics of a run, never requests
};

// The cross-file stage of a format whose requests are made of records in several files (a
// TensorRT-LLM disaggregated run: context and generation servers write a file each). One per
// load: the loader adds every file the format claims, then finishes once, after the last.
class FileJoin
{
public:
    virtual ~FileJoin() = default;

    // Reads one more file (the parser may patch the mapping while it reads, and restores it).
    virtual void add(MappedFile &file, const QString &inputName, LoadControl *control) = 0;
    // The rows and issues added so far, not yet joined: the loader labels the rows of the file
    // just added, and truncates back to before it when the file changed while it was read.
    virtual RequestTable &rows() = 0;
    virtual QVector<LoadIssue> &issues() = 0;
    virtual void truncate(int rowCount, qsizetype issueCount) = 0;
    // Joins what was added into requests; issues of the join name `inputName`.
    virtual FileImport finish(const QString &inputName) = 0;
};

// One input format. Importers are stateless and may run on any thread.
class FormatImporter
{
public:
    virtual ~FormatImporter() = default;

    // Shown to users, e.g. "vLLM bench result JSON".
    virtual QString formatName() const = 0;
    // Decides from content only (never the file name). `content` is a bounded prefix of the
    // file (without a UTF-8 byte order mark) that holds at least its first record or line whole
    // unless that record is longer than 16 MiB; a sniffer must not expect the file's end in it.
    virtual bool sniff(std::string_view content) const = 0;
    // Reads the file on its own. Issues name `inputName` and the place (line or byte offset).
    // The parser may patch the mapping while it reads, and restores it.
    virtual FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const = 0;
    // Formats whose records join across files give each load a FileJoin, which then reads their
    // files instead of import(). nullptr (the default): every file stands alone.
    virtual std::unique_ptr<FileJoin> newJoin() const { return nullptr; }
};

} // namespace Phaseline
