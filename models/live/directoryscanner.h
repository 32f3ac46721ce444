#pragma once

#include "core/loadissue.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <vector>

namespace Phaseline::Live {

// A file as the kernel knows it: a rename keeps it, a replacement (rename over it, delete and
// create) changes it.
struct FileKey
{
    quint64 device = 0;
    quint64 inode = 0;
    bool operator==(const FileKey &other) const { return device == other.device && inode == other.inode; }
    bool operator!=(const FileKey &other) const { return !(*this == other); }
};
inline size_t qHash(const FileKey &key, size_t seed = 0) { return qHashMulti(seed, key.device, key.inode); }

// The complete records one file gained, named as the session knows that file.
struct TailBatch
{
    QString inputName;
    QList<QByteArray> records;
};

struct TailScan
{
    std::vector<TailBatch> batches;
    QVector<LoadIssue> issues;
    QString error;            // the directory cannot be listed; empty when it could
    int files = 0;            // *.jsonl files followed
    qint64 bytesWaiting = 0;  // partial last lines held, all files
    qint64 emptyRecords = 0;  // `{}` lines skipped so far, all files
    qint64 filesOpened = 0;   // times a file was opened so far
    bool more = false;        // the read budget ran out: scan again soon
};

// Reads the *.jsonl files of one directory as they grow, on whatever thread calls it (the
// directory tail runs it off the UI thread). A file is opened only when its identity, size or
// modification time changed since it was last read, so an unchanged directory costs one
// listing and one stat per file. A file is followed by identity, not name: renamed (rotated)
// it is the same file and is not read again; replaced under its name, or rewritten from the
// start (its first bytes or the bytes before the read offset changed), it is read again from
// the start. A line longer than the limit is skipped up to its newline with a warning, so a
// file without newlines costs at most the limit; lines `{}` carry nothing and are counted,
// not delivered.
class DirectoryScanner
{
public:
    DirectoryScanner(const QString &directory, qint64 maxLineBytes);

    // Lists the directory (reading every changed file, forgetting vanished ones) or, when
    // `listing` is false, looks only at `changedPaths`. Reads at most about `budget` bytes.
    TailScan scan(bool listing, const QSet<QString> &changedPaths, qint64 budget);

    // The followed files, most recently modified first, at most `count` of them.
    QStringList recentPaths(int count) const;

private:
    struct FileStat
    {
        FileKey key;
        qint64 size = 0;
        qint64 modifiedNs = 0;
    };
    struct FollowedFile
    {
        QString path;           // current name
        QString inputName;      // the name it was first seen under: the session's source name
        qint64 seenSize = -1;   // size and modification time when last read to the end
        qint64 seenModifiedNs = -1;
        qint64 modifiedNs = 0;
        qint64 offset = 0;      // bytes consumed
        qint64 line = 1;        // the line at `offset`
        QByteArray head;        // the first bytes consumed: the file's fingerprint
        QByteArray beforeOffset; // the last bytes consumed: must not change either
        QByteArray partial;     // the last line so far, without its newline
        bool skippingLongLine = false;
        qint64 emptyRecords = 0;
    };

    void visit(const QString &path, const FileStat &stat, TailScan &scan, qint64 &budget);
    bool rewritten(int fd, const FollowedFile &file) const;
    void restart(FollowedFile &file, const QString &why, TailScan &scan);
    void read(int fd, FollowedFile &file, qint64 size, qint64 modified, TailScan &scan, qint64 &budget);
    void consume(FollowedFile &file, const char *data, qint64 size, QList<QByteArray> &records, TailScan &scan);
    void take(FollowedFile &file, const char *begin, const char *end, QList<QByteArray> &records, TailScan &scan);

    QString m_directory;
    qint64 m_maxLineBytes;
    QHash<FileKey, FollowedFile> m_files;
    qint64 m_filesOpened = 0;
};

} // namespace Phaseline::Live
