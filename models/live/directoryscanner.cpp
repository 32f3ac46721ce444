#include "live/directoryscanner.h"

#include "formats/jsonrecordscanner.h"

#include <QDir>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Phaseline::Live {

namespace {

constexpr qint64 kReadChunkBytes = 1 << 20;
constexpr int kHeadBytes = 256;  // enough to tell two JSONL files apart by their first record
constexpr int kAnchorBytes = 64; // the end of the last line read, newline included

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

qint64 modifiedNs(const struct stat &st)
{
    return qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// `{}` (blanks allowed): a record that carries nothing.
bool isEmptyObject(const char *begin, const char *end)
{
    if (end - begin < 2 || *begin != '{' || end[-1] != '}')
        return false;
    return JsonScan::skipSpace(begin + 1, end - 1) == end - 1;
}

} // namespace

DirectoryScanner::DirectoryScanner(const QString &directory, qint64 maxLineBytes)
    : m_directory(directory), m_maxLineBytes(maxLineBytes)
{
}

TailScan DirectoryScanner::scan(bool listing, const QSet<QString> &changedPaths, qint64 budget)
{
    TailScan scan;
    auto statOf = [](int directoryFd, const char *name, FileStat *stat) {
        struct stat st;
        if (fstatat(directoryFd, name, &st, 0) != 0 || !S_ISREG(st.st_mode))
            return false; // gone, or not a regular file (a FIFO would block the reader)
        *stat = FileStat{FileKey{quint64(st.st_dev), quint64(st.st_ino)}, qint64(st.st_size), modifiedNs(st)};
        return true;
    };
    if (listing) {
        DIR *dir = opendir(QFile::encodeName(m_directory).constData());
        if (!dir) {
            scan.filesOpened = m_filesOpened;
            scan.error = errno == ENOENT ? QStringLiteral("the directory does not exist (yet)")
                                         : QStringLiteral("cannot list the directory: %1").arg(systemError(errno));
            return scan;
        }
        QSet<FileKey> present;
        while (const dirent *entry = readdir(dir)) {
            const QString name = QFile::decodeName(entry->d_name);
            FileStat stat;
            if (name.startsWith(QLatin1Char('.')) || !name.endsWith(QLatin1String(".jsonl"))
                || !statOf(dirfd(dir), entry->d_name, &stat))
                continue;
            present.insert(stat.key);
            visit(QDir(m_directory).filePath(name), stat, scan, budget);
        }
        closedir(dir);
        for (auto it = m_files.begin(); it != m_files.end();) {
            if (present.contains(it.key())) {
                ++it;
            } else {
                it = m_files.erase(it);
            }
        }
    } else {
        for (const QString &path : changedPaths) {
            FileStat stat;
            if (statOf(AT_FDCWD, QFile::encodeName(path).constData(), &stat))
                visit(path, stat, scan, budget);
        }
    }
    scan.files = int(m_files.size());
    scan.filesOpened = m_filesOpened;
    for (const FollowedFile &file : std::as_const(m_files)) {
        scan.bytesWaiting += file.partial.size();
        scan.emptyRecords += file.emptyRecords;
    }
    return scan;
}

void DirectoryScanner::visit(const QString &path, const FileStat &stat, TailScan &scan, qint64 &budget)
{
    auto it = m_files.find(stat.key);
    if (it == m_files.end()) {
        // New, or a new file under a known name (renamed over it): read from the start.
        FollowedFile file;
        file.path = path;
        file.inputName = path;
        it = m_files.insert(stat.key, file);
    } else {
        it->path = path; // renamed (rotated) or not: the same file, read on from where it was
    }
    it->modifiedNs = stat.modifiedNs;
    if (stat.size == it->seenSize && stat.modifiedNs == it->seenModifiedNs)
        return;
    if (budget <= 0) {
        scan.more = true;
        return;
    }
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    ++m_filesOpened;
    FollowedFile &file = *it;
    if (fd < 0) {
        scan.issues.append(LoadIssue{LoadIssue::Warning, path, -1, -1,
                                     QStringLiteral("cannot read the file: %1").arg(systemError(errno))});
        file.seenSize = stat.size; // tried again once it changes
        file.seenModifiedNs = stat.modifiedNs;
        return;
    }
    struct stat now;
    if (fstat(fd, &now) != 0 || FileKey{quint64(now.st_dev), quint64(now.st_ino)} != stat.key) {
        scan.more = true; // replaced between the listing and the open: the next listing sees the new one
        ::close(fd);
        return;
    }
    if (now.st_size < file.offset)
        restart(file, QStringLiteral("the file shrank while being watched; it was read again from the start"), scan);
    else if (file.offset > 0 && rewritten(fd, file))
        restart(file, QStringLiteral("the file was rewritten while being watched; it was read again from the start"), scan);
    read(fd, file, now.st_size, modifiedNs(now), scan, budget);
    ::close(fd);
}

bool DirectoryScanner::rewritten(int fd, const FollowedFile &file) const
{
    auto differs = [fd](const QByteArray &expected, qint64 at) {
        QByteArray actual(expected.size(), Qt::Uninitialized);
        return pread(fd, actual.data(), size_t(actual.size()), at) != actual.size() || actual != expected;
    };
    return differs(file.head, 0) || differs(file.beforeOffset, file.offset - file.beforeOffset.size());
}

void DirectoryScanner::restart(FollowedFile &file, const QString &why, TailScan &scan)
{
    scan.issues.append(LoadIssue{LoadIssue::Warning, file.path, -1, -1,
                                 why + QStringLiteral(" (records seen before are not counted twice)")});
    FollowedFile fresh;
    fresh.path = file.path;
    fresh.inputName = file.inputName;
    fresh.modifiedNs = file.modifiedNs;
    fresh.emptyRecords = file.emptyRecords;
    file = fresh;
}

void DirectoryScanner::read(int fd, FollowedFile &file, qint64 size, qint64 modified, TailScan &scan, qint64 &budget)
{
    QList<QByteArray> records;
    QByteArray chunk(int(kReadChunkBytes), Qt::Uninitialized);
    while (file.offset < size && budget > 0) {
        const ssize_t got = pread(fd, chunk.data(), size_t(std::min(kReadChunkBytes, size - file.offset)), file.offset);
        if (got <= 0) {
            if (got < 0)
                scan.issues.append(LoadIssue{LoadIssue::Warning, file.path, -1, file.offset,
                                             QStringLiteral("cannot read the file: %1").arg(systemError(errno))});
            break;
        }
        const char *data = chunk.constData();
        if (file.head.size() < kHeadBytes)
            file.head.append(data, int(std::min<qint64>(got, kHeadBytes - file.head.size())));
        consume(file, data, got, records, scan);
        file.beforeOffset = got >= kAnchorBytes ? QByteArray(data + got - kAnchorBytes, kAnchorBytes)
                                                : QByteArray(file.beforeOffset + QByteArray(data, int(got))).right(kAnchorBytes);
        file.offset += got;
        budget -= got;
    }
    if (file.offset >= size) {
        file.seenSize = size;
        file.seenModifiedNs = modified;
    } else {
        file.seenSize = -1;
        scan.more = true;
    }
    if (!records.isEmpty())
        scan.batches.push_back(TailBatch{file.inputName, std::move(records)});
}

void DirectoryScanner::consume(FollowedFile &file, const char *data, qint64 size, QList<QByteArray> &records,
                               TailScan &scan)
{
    const char *p = data;
    const char *end = data + size;
    while (p < end) {
        const char *newline = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        const char *stop = newline ? newline : end;
        if (file.skippingLongLine) {
            // dropped up to its newline
        } else if (file.partial.size() + (stop - p) > m_maxLineBytes) {
            scan.issues.append(LoadIssue{
                LoadIssue::Warning, file.path, file.line, file.offset + (p - data) - file.partial.size(),
                QStringLiteral("a line longer than %1 MiB without a newline (the limit for one record); it is "
                               "skipped up to its newline")
                    .arg(double(m_maxLineBytes) / (1 << 20), 0, 'g', 4)});
            file.partial = QByteArray();
            file.skippingLongLine = true;
        } else if (!newline) {
            file.partial.append(p, stop - p);
        } else if (file.partial.isEmpty()) {
            take(file, p, stop, records, scan);
        } else {
            file.partial.append(p, stop - p);
            take(file, file.partial.constBegin(), file.partial.constEnd(), records, scan);
            file.partial.clear();
        }
        if (!newline)
            break;
        file.skippingLongLine = false;
        ++file.line;
        p = newline + 1;
    }
}

void DirectoryScanner::take(FollowedFile &file, const char *begin, const char *end, QList<QByteArray> &records,
                            TailScan &scan)
{
    begin = JsonScan::skipSpace(begin, end);
    while (end > begin && JsonScan::isSpace(end[-1]))
        --end;
    if (begin == end)
        return;
    if (isEmptyObject(begin, end)) {
        if (file.emptyRecords++ == 0)
            scan.issues.append(LoadIssue{LoadIssue::Warning, file.path, file.line, -1,
                                         QStringLiteral("records that carry nothing ({}) are skipped, this one "
                                                        "and any later ones")});
        return;
    }
    records.append(QByteArray(begin, end - begin));
}

QStringList DirectoryScanner::recentPaths(int count) const
{
    std::vector<std::pair<qint64, QString>> byAge;
    byAge.reserve(size_t(m_files.size()));
    for (const FollowedFile &file : m_files)
        byAge.emplace_back(file.modifiedNs, file.path);
    const auto last = byAge.begin() + std::min<qsizetype>(count, qsizetype(byAge.size()));
    std::partial_sort(byAge.begin(), last, byAge.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    QStringList paths;
    for (auto it = byAge.begin(); it != last; ++it)
        paths << it->second;
    return paths;
}

} // namespace Phaseline::Live
