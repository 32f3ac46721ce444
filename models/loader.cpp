#include "loader.h"

#include "datasets.h"
#include "formatimporter.h"
#include "mappedfile.h"
#include "trtllmimporter.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cctype>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Phaseline {

bool LoadResult::hasErrors() const
{
    return std::any_of(issues.begin(), issues.end(),
                       [](const LoadIssue &issue) { return issue.severity == LoadIssue::Error; });
}

namespace {

QString describeBytes(const char *data, size_t size)
{
    QString shown;
    for (size_t i = 0; i < size && i < 16; ++i) {
        const unsigned char c = static_cast<unsigned char>(data[i]);
        shown += (c >= 0x20 && c < 0x7F) ? QString(QLatin1Char(char(c))) : QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
    }
    return shown;
}

const FormatImporter *importerFor(std::string_view content)
{
    for (const FormatImporter *importer : formatImporters()) {
        if (importer->sniff(content))
            return importer;
    }
    return nullptr;
}

QString triedFormats()
{
    QStringList names{QStringLiteral("TensorRT-LLM perf-metrics JSON array, JSONL, JSON object")};
    for (const FormatImporter *importer : formatImporters())
        names << importer->formatName();
    return names.join(QStringLiteral("; "));
}

struct InputFile
{
    QString path;
    bool fromDirectory = false;
    int input = 0; // index into the inputs given
};

// Labels rows [first, table.size()) with their dataset (see datasets.h).
void labelDataset(RequestTable &table, int first, const QString &dataset)
{
    if (dataset.isEmpty())
        return;
    const int column = table.addLabelColumn(kDatasetLabel);
    const LabelCode code = table.internLabel(column, dataset);
    for (int row = first; row < table.size(); ++row)
        table.setLabelCode(column, row, code);
}

// Stamps the table refused as out of range while `input` was read (see kLatestStampSeconds).
void reportRefusedStamps(RequestTable &table, const QString &input, QVector<LoadIssue> &issues)
{
    const OutOfRangeStamps refused = table.takeOutOfRangeStamps();
    if (refused.count > 0)
        issues.append(LoadIssue{LoadIssue::Warning, input, -1, -1, refused.describe()});
}

} // namespace

LoadResult loadInputs(const QStringList &inputs, LoadControl *control)
{
    LoadResult result;
    std::vector<InputFile> files;
    // One dataset per input when several are given: runs opened together stay apart.
    const QStringList datasets = inputs.size() > 1 ? datasetNames(inputs) : QStringList();
    for (int index = 0; index < inputs.size(); ++index) {
        const QString &input = inputs[index];
        const QFileInfo info(input);
        if (!info.exists()) {
            result.issues.append(LoadIssue{LoadIssue::Error, input, -1, -1, QStringLiteral("no such file or directory")});
        } else if (info.isDir()) {
            const QFileInfoList entries = QDir(input).entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
            if (entries.isEmpty())
                result.issues.append(LoadIssue{LoadIssue::Error, input, -1, -1, QStringLiteral("the directory has no files")});
            for (const QFileInfo &entry : entries)
                files.push_back(InputFile{entry.filePath(), true, index});
        } else {
            files.push_back(InputFile{input, false, index});
        }
    }
    if (control) {
        qint64 total = 0;
        for (const InputFile &file : files)
            total += QFileInfo(file.path).size();
        control->bytesTotal.store(total);
    }

    // A file named twice (or also reached through its directory) is read once: read again it
    // would count its requests twice.
    {
        QHash<QString, QString> firstNamedAs;
        std::vector<InputFile> distinct;
        for (const InputFile &file : files) {
            const QString canonical = QFileInfo(file.path).canonicalFilePath();
            const auto seen = firstNamedAs.constFind(canonical);
            if (canonical.isEmpty() || seen == firstNamedAs.constEnd()) {
                firstNamedAs.insert(canonical, file.path);
                distinct.push_back(file);
            } else {
                result.issues.append(LoadIssue{LoadIssue::Warning, file.path, -1, -1,
                                               QStringLiteral("the same file as %1, already read; not counted again")
                                                   .arg(*seen)});
            }
        }
        files.swap(distinct);
    }

    TrtLlm::Fragments fragments;
    std::vector<RequestTable> otherTables;
    auto noteFormat = [&result](const QString &format) {
        if (!result.formats.contains(format))
            result.formats << format;
    };
    for (const InputFile &file : files) {
        if (control && control->canceled.load()) {
            result.canceled = true;
            return result;
        }
        MappedFile mapped;
        if (!mapped.open(file.path)) {
            result.issues.append(LoadIssue{LoadIssue::Error, file.path, -1, -1,
                                           QStringLiteral("cannot read: %1").arg(mapped.errorString())});
            continue;
        }
        const char *end = mapped.data() + mapped.size();
        if (std::all_of(mapped.data(), end, [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
            // A worker that has not written yet leaves an empty file in a run directory.
            result.issues.append(LoadIssue{file.fromDirectory ? LoadIssue::Warning : LoadIssue::Error, file.path, -1,
                                           -1, QStringLiteral("the file is empty")});
            continue;
        }
        const std::string_view content(mapped.data(), mapped.size());
        const QString dataset = datasets.isEmpty() ? QString() : datasets[file.input];
        if (TrtLlm::sniff(mapped.data(), mapped.size())) {
            const int first = fragments.table.size();
            TrtLlm::importFile(mapped, file.path, fragments, control);
            reportRefusedStamps(fragments.table, file.path, fragments.issues);
            labelDataset(fragments.table, first, dataset);
            noteFormat(QStringLiteral("TensorRT-LLM perf metrics"));
        } else if (const FormatImporter *importer = importerFor(content)) {
            FileImport imported = importer->import(mapped, file.path, control);
            reportRefusedStamps(imported.table, file.path, imported.issues);
            labelDataset(imported.table, 0, dataset);
            result.issues += imported.issues;
            result.distributions += imported.distributions;
            if (imported.needsColumnMapping)
                result.unmappedCsvFiles << file.path;
            otherTables.push_back(std::move(imported.table));
            noteFormat(importer->formatName());
        } else {
            // Inside a directory, stray files (READMEs, logs) are noted; named inputs are errors.
            const QString message = QStringLiteral("not a recognised format (tried: %1); the file starts with \"%2\"")
                                        .arg(triedFormats(), describeBytes(mapped.data(), mapped.size()));
            result.issues.append(LoadIssue{file.fromDirectory ? LoadIssue::Warning : LoadIssue::Error, file.path,
                                           1, 0, message});
            continue;
        }
        result.bytesRead += qint64(mapped.size());
    }
    if (control && control->canceled.load()) {
        result.canceled = true;
        return result;
    }

    TrtLlm::join(fragments, inputs.join(QStringLiteral(", ")));
    result.issues += fragments.issues;
    // The TensorRT-LLM catalogue leads only when TensorRT-LLM requests were loaded; otherwise
    // the first other format's phase order is kept (appendTable appends merged phases).
    const bool trtllmLeads = !fragments.table.isEmpty() || otherTables.empty();
    result.table = trtllmLeads ? std::move(fragments.table) : std::move(otherTables.front());
    for (size_t i = trtllmLeads ? 0 : 1; i < otherTables.size(); ++i)
        result.table.appendTable(std::move(otherTables[i]));
    result.table.dropEmptyColumns();
#if defined(__GLIBC__)
    malloc_trim(0); // the parse buffers and chunk tables are gone: give their pages back
#endif
    return result;
}

} // namespace Phaseline
