#include "load/loader.h"

#include "analysis/datasets.h"
#include "formats/formatimporter.h"
#include "core/inputpath.h"
#include "formats/jsonrecordscanner.h"
#include "core/mappedfile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iterator>
#include <map>
#include <optional>

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
    QStringList names;
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

// Every entry of an input directory that can be read as a file. Entries that cannot (a named
// pipe, a symbolic link loop) are noted, never silently left out; subdirectories are not read.
void listDirectory(const QString &directory, int input, std::vector<InputFile> &files, QVector<LoadIssue> &issues)
{
    if (!QFileInfo(directory).isReadable()) {
        issues.append(LoadIssue{LoadIssue::Error, directory, -1, -1, QStringLiteral("cannot list the directory: permission denied")});
        return;
    }
    const QStringList names = QDir(directory).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    bool anyFile = false;
    for (const QString &name : names) {
        const QString path = QDir(directory).filePath(name);
        const InputPath probe = probeInputPath(path);
        if (probe.kind == InputPath::RegularFile) {
            files.push_back(InputFile{path, true, input});
            anyFile = true;
        } else if (probe.kind == InputPath::Unusable) {
            issues.append(LoadIssue{LoadIssue::Warning, path, -1, -1, QStringLiteral("skipped: %1").arg(probe.problem)});
        }
    }
    if (!anyFile)
        issues.append(LoadIssue{LoadIssue::Error, directory, -1, -1, QStringLiteral("the directory has no files")});
}

// Sniffers see a bounded prefix: kSniffBytes, stretched to the end of the first record (an array
// element, an object, a line) when the prefix cuts it, e.g. a first record with a long prompt.
// A file no importer claims is then rejected without being read through.
std::string_view sniffingPrefix(std::string_view content)
{
    constexpr size_t kSniffBytes = size_t(1) << 20;
    constexpr size_t kLongestFirstRecord = size_t(16) << 20;
    if (content.size() <= kSniffBytes)
        return content;
    const char *begin = content.data();
    const char *limit = begin + std::min(content.size(), kLongestFirstRecord);
    const char *first = JsonScan::skipSpace(begin, limit);
    if (first < limit && *first == '[')
        first = JsonScan::skipSpace(first + 1, limit);
    const char *recordEnd = nullptr;
    if (first < limit && (*first == '{' || *first == '['))
        recordEnd = JsonScan::findValueEnd(first, limit);
    else
        recordEnd = static_cast<const char *>(std::memchr(first, '\n', size_t(limit - first)));
    const size_t length = recordEnd ? size_t(recordEnd - begin) : size_t(limit - begin);
    return content.substr(0, std::max(kSniffBytes, length));
}

std::string_view withoutByteOrderMark(std::string_view content)
{
    return content.substr(0, 3) == "\xEF\xBB\xBF" ? content.substr(3) : content;
}

void noteFormat(LoadResult &result, const QString &format)
{
    if (!result.formats.contains(format))
        result.formats << format;
}

// The cross-file stages of one load, by importer (FormatImporter::newJoin).
using Joins = std::map<const FormatImporter *, std::unique_ptr<FileJoin>>;

// Reads one mapped file into its format's join or a table of its own; false when it holds
// nothing that could be read (empty, or no importer claims it).
bool loadFile(MappedFile &mapped, const InputFile &file, const QString &dataset, Joins &joins,
              std::vector<RequestTable> &otherTables, LoadResult &result, LoadControl *control)
{
    const char *end = mapped.data() + mapped.size();
    if (std::all_of(mapped.data(), end, [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
        // A worker that has not written yet leaves an empty file in a run directory.
        result.issues.append(LoadIssue{file.fromDirectory ? LoadIssue::Warning : LoadIssue::Error, file.path, -1,
                                       -1, QStringLiteral("the file is empty")});
        return false;
    }
    const std::string_view prefix = withoutByteOrderMark(sniffingPrefix(std::string_view(mapped.data(), mapped.size())));
    const FormatImporter *importer = importerFor(prefix);
    std::unique_ptr<FileJoin> &join = joins[importer];
    if (importer && !join)
        join = importer->newJoin();
    if (join) {
        const int first = join->rows().size();
        join->add(mapped, file.path, control);
        reportRefusedStamps(join->rows(), file.path, join->issues());
        labelDataset(join->rows(), first, dataset);
        noteFormat(result, importer->formatName());
    } else if (importer) {
        FileImport imported = importer->import(mapped, file.path, control);
        reportRefusedStamps(imported.table, file.path, imported.issues);
        labelDataset(imported.table, 0, dataset);
        result.issues += imported.issues;
        result.distributions += imported.distributions;
        result.intervalSeries += imported.intervalSeries;
        result.summaries += imported.summaries;
        if (imported.needsColumnMapping)
            result.unmappedCsvFiles << file.path;
        otherTables.push_back(std::move(imported.table));
        noteFormat(result, importer->formatName());
    } else {
        // Inside a directory, stray files (READMEs, logs) are noted; named inputs are errors.
        const QString message = QStringLiteral("not a recognised format (tried: %1); the file starts with \"%2\"")
                                    .arg(triedFormats(), describeBytes(mapped.data(), mapped.size()));
        result.issues.append(LoadIssue{file.fromDirectory ? LoadIssue::Warning : LoadIssue::Error, file.path, 1, 0,
                                       message});
        return false;
    }
    return true;
}

// Summarises repeated issues of one kind (same input, severity and message but for its numbers):
// the first kShownPerKind stay, the rest become one line with their count and first and last place.
void summariseRepeatedIssues(QVector<LoadIssue> &issues)
{
    constexpr int kShownPerKind = 3;
    struct Kind
    {
        int count = 0;
        int summary = -1; // index in `kept` of the summary line
        LoadIssue first, last;
    };
    static const QRegularExpression digits(QStringLiteral("\\d+"));
    std::map<QString, Kind> kinds;
    QVector<LoadIssue> kept;
    for (LoadIssue &issue : issues) {
        const QString key = QString::number(int(issue.severity)) + QLatin1Char('\x1f') + issue.input + QLatin1Char('\x1f')
                            + QString(issue.message).replace(digits, QStringLiteral("#"));
        Kind &kind = kinds[key];
        if (++kind.count <= kShownPerKind) {
            kept.append(std::move(issue));
            continue;
        }
        if (kind.summary < 0) {
            kind.summary = int(kept.size());
            kind.first = issue;
            kept.append(LoadIssue{});
        }
        kind.last = std::move(issue);
    }
    auto place = [](const LoadIssue &issue) {
        if (issue.line > 0)
            return QStringLiteral("line %1").arg(issue.line);
        return issue.byteOffset >= 0 ? QStringLiteral("byte %1").arg(issue.byteOffset) : QString();
    };
    for (const auto &[key, kind] : kinds) {
        if (kind.summary < 0)
            continue;
        const int more = kind.count - kShownPerKind;
        LoadIssue summary = kind.first;
        summary.skippedBytes = -1;
        summary.message = QStringLiteral("%1 more like the above (the first at %2, the last at %3): %4")
                              .arg(more)
                              .arg(place(kind.first), place(kind.last), kind.first.message);
        summary.line = -1;
        summary.byteOffset = -1;
        kept[kind.summary] = summary;
    }
    issues = std::move(kept);
}

} // namespace

bool LoadResult::loadedAnything() const
{
    return !table.isEmpty() || !distributions.isEmpty() || !intervalSeries.isEmpty() || !summaries.isEmpty();
}

bool LoadResult::isPartial() const
{
    return loadedAnything()
           && std::any_of(issues.begin(), issues.end(),
                          [](const LoadIssue &issue) { return issue.severity == LoadIssue::Error || issue.dataSkipped; });
}

LoadResult loadInputs(const QStringList &inputs, LoadControl *control)
{
    LoadResult result;
    std::vector<InputFile> files;
    // One dataset per input when several are given: runs opened together stay apart.
    const QStringList datasets = inputs.size() > 1 ? datasetNames(inputs) : QStringList();
    for (int index = 0; index < inputs.size(); ++index) {
        const QString &input = inputs[index];
        const InputPath probe = probeInputPath(input);
        if (probe.kind == InputPath::Directory)
            listDirectory(input, index, files, result.issues);
        else if (probe.kind == InputPath::RegularFile)
            files.push_back(InputFile{input, false, index});
        else
            result.issues.append(LoadIssue{LoadIssue::Error, input, -1, -1, probe.problem});
    }
    if (control) {
        qint64 total = 0;
        for (const InputFile &file : files)
            total += QFileInfo(file.path).size();
        control->setBytesTotal(total);
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

    Joins joins;
    std::vector<RequestTable> otherTables;
    for (const InputFile &file : files) {
        if (LoadControl::isCanceled(control)) {
            result.canceled = true;
            return result;
        }
        // A file that shrinks while it is read is read again as it is then, once.
        for (int attempt = 0;; ++attempt) {
            MappedFile mapped;
            if (!mapped.open(file.path)) {
                // An unreadable file among readable ones in a run directory leaves out its requests.
                LoadIssue issue{file.fromDirectory ? LoadIssue::Warning : LoadIssue::Error, file.path, -1, -1,
                                QStringLiteral("cannot read: %1").arg(mapped.errorString())};
                issue.dataSkipped = file.fromDirectory;
                result.issues.append(issue);
                break;
            }
            std::map<const FormatImporter *, std::pair<int, qsizetype>> joinedBefore; // rows, issues
            for (const auto &[importer, join] : joins) {
                if (join)
                    joinedBefore[importer] = {join->rows().size(), join->issues().size()};
            }
            const qsizetype firstIssue = result.issues.size();
            const size_t otherTableCount = otherTables.size();
            const qsizetype seriesCount = result.intervalSeries.size();
            const qsizetype firstSummary = result.summaries.size();
            const bool read = loadFile(mapped, file, datasets.isEmpty() ? QString() : datasets[file.input], joins,
                                       otherTables, result, control);
            if (!mapped.changedWhileRead()) {
                if (read)
                    result.bytesRead += qint64(mapped.size());
                break;
            }
            // What was made of the zeros past the new end is not data: forget it.
            for (const auto &[importer, join] : joins) {
                if (join) {
                    const auto before = joinedBefore.find(importer);
                    const bool existed = before != joinedBefore.end();
                    join->truncate(existed ? before->second.first : 0, existed ? before->second.second : 0);
                }
            }
            result.issues.resize(firstIssue);
            otherTables.resize(otherTableCount);
            result.intervalSeries.resize(seriesCount);
            result.summaries.resize(firstSummary);
            const QString change = QStringLiteral("the file shrank from %1 to %2 bytes while it was read (rotated or "
                                                  "rewritten by its writer?)")
                                       .arg(mapped.size())
                                       .arg(mapped.currentSize());
            if (attempt == 1) {
                result.issues.append(LoadIssue{LoadIssue::Error, file.path, -1, -1,
                                               change + QStringLiteral(" again; it was left out: read it when its "
                                                                       "writer has stopped")});
                break;
            }
            result.issues.append(LoadIssue{LoadIssue::Warning, file.path, -1, -1,
                                           change + QStringLiteral("; read again as it is now")});
        }
    }
    if (LoadControl::isCanceled(control)) {
        result.canceled = true;
        return result;
    }

    // Joined formats (in registry order) come first, then the files read on their own. A joined
    // table without requests is left out: the first table with requests sets the phase order
    // (appendTable appends merged phases).
    std::vector<RequestTable> tables;
    std::optional<RequestTable> emptyJoined;
    for (const FormatImporter *importer : formatImporters()) {
        const auto join = joins.find(importer);
        if (join == joins.end() || !join->second)
            continue;
        FileImport joined = join->second->finish(inputs.join(QStringLiteral(", ")));
        result.issues += joined.issues;
        result.distributions += joined.distributions;
        if (!joined.table.isEmpty())
            tables.push_back(std::move(joined.table));
        else if (!emptyJoined)
            emptyJoined = std::move(joined.table);
    }
    std::move(otherTables.begin(), otherTables.end(), std::back_inserter(tables));
    if (!tables.empty()) {
        result.table = std::move(tables.front());
        for (size_t i = 1; i < tables.size(); ++i)
            result.table.appendTable(std::move(tables[i]));
    } else if (emptyJoined) {
        result.table = std::move(*emptyJoined);
    }
    result.table.dropEmptyColumns();
    summariseRepeatedIssues(result.issues);
#if defined(__GLIBC__)
    malloc_trim(0); // the parse buffers and chunk tables are gone: give their pages back
#endif
    return result;
}

} // namespace Phaseline
