#pragma once

#include "livesource.h"

#include <QFileSystemWatcher>
#include <QHash>
#include <QTimer>

namespace Phaseline::Live {

// Follows a directory of TensorRT-LLM JSONL files (Shape D: perf_metrics-*.jsonl written
// continuously by every worker and the disagg server): reads the complete lines each file
// gains, keeps a partial last line until its newline arrives, and picks up new files.
// File-system notifications make it quick; a periodic scan makes it reliable (notifications
// are coalesced or missing on some file systems).
class DirectoryTail : public LiveSource
{
    Q_OBJECT
public:
    explicit DirectoryTail(LiveSession *session, QObject *parent = nullptr);

    void start(const QString &directory, int scanIntervalMs = 500);
    void stop() override;
    // Reads what every file has gained since the last scan (also called by the timer and watcher).
    void scan();

private:
    struct FileState
    {
        qint64 offset = 0;   // bytes consumed
        QByteArray partial;  // the last line so far, without its newline
    };
    void readFile(const QString &path, FileState &state);
    void updateDetail();

    QString m_directory;
    QHash<QString, FileState> m_files;
    QFileSystemWatcher m_watcher;
    QTimer m_scanTimer;
};

} // namespace Phaseline::Live
