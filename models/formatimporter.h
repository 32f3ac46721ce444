#pragma once

#include "histogramdistribution.h"
#include "loadissue.h"
#include "requesttable.h"
#include "runsummary.h"

#include <QString>
#include <QVector>

#include <string_view>
#include <vector>

namespace Phaseline {

class MappedFile;
struct LoadControl;

// What one importer made of one file: its requests (with the format's phase catalogue
// set on the table and a "clock" label per row), aggregate-only histograms (Prometheus),
// and what it could not take.
struct FileImport
{
    RequestTable table;
    QVector<LoadIssue> issues;
    QVector<HistogramDistribution> distributions; // aggregate-only data (server histograms)
    // A CSV whose columns were not recognised: a UI may ask the user for a column mapping.
    bool needsColumnMapping = false;
    QVector<RunSummary> summaries; // a tool's own aggregate statistics of a run, never requests
};

// One input format other than TensorRT-LLM perf metrics (which the loader handles itself:
// its records join across files). Importers are stateless and may run on any thread.
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
    // Reads the file. Issues name `inputName` and the place (line or byte offset).
    virtual FileImport import(const MappedFile &file, const QString &inputName, LoadControl *control) const = 0;
};

// Every registered importer, in sniffing order (most specific first).
const std::vector<const FormatImporter *> &formatImporters();

} // namespace Phaseline
