#pragma once

#include "formats/csvcolumnmapping.h"
#include "formats/formatimporter.h"

namespace Phaseline {

struct CsvPreview;

// Comma/semicolon/tab separated request tables (RFC 4180). Columns are recognised by name
// and value: the router/node test CSV (arrival_time, to_server_time, server_created_time,
// ..., finish_time and its derived durations), Phaseline's own request-table export, and
// columns named after the common catalogue's stamps and phases. Without a recognisable
// timing column the import fails with the header listed and `needsColumnMapping` set; the
// user's mapping then comes in through LoadControl::csvMappings (or importWithMapping).
class CsvImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;

    // Reads `content` with an explicit mapping (one column entry per header column).
    static FileImport importWithMapping(std::string_view content, const QString &inputName,
                                        const CsvColumnMapping &mapping, LoadControl *control = nullptr);
    // The mapping recognition proposes for a file (columns it does not know: Ignore).
    // `preset` names what was recognised ("router test", "Phaseline request table", "columns by name").
    // `unitGuesses` says, per duration column without a unit in its name, which unit its values
    // suggested and why (a guess can scale a column by 1000, so the user is told).
    static CsvColumnMapping recognise(const CsvPreview &preview, QString *preset = nullptr,
                                      QStringList *unitGuesses = nullptr);

    // Stamp and duration targets a mapping may name (for choosers): those of the common
    // catalogue plus what router/node test CSVs record (arrival at the router or the test's
    // entry point, forwarding to a server, the end seen there).
    static QStringList stampNames();
    static QStringList durationNames();
};

} // namespace Phaseline
