#pragma once

#include "live/livesource.h"

#include <QMutex>
#include <QThread>

#include <vector>

namespace Phaseline::Live {

class DirectoryWatcher;
struct TailScan;

// Follows a directory of TensorRT-LLM JSONL files (Shape D: perf_metrics-*.jsonl written
// continuously by every worker and the disagg server): reads the complete lines each file
// gains, keeps a partial last line until its newline arrives, and picks up new files (see
// DirectoryScanner for renames, replacements and the line limit).
// The watching runs on its own thread, so a large directory never slows the window: change
// notifications say which file to look at, and a periodic listing (size and modification
// time only; its interval grows with its cost) catches what notifications miss. Only the
// records read reach this object's thread, where they go into the session.
class DirectoryTail : public LiveSource
{
    Q_OBJECT
public:
    // The longest line taken as a record; longer lines are skipped with a warning.
    static constexpr qint64 kMaxLineBytes = qint64(16) << 20;

    explicit DirectoryTail(LiveSession *session, QObject *parent = nullptr);
    ~DirectoryTail() override;

    void start(const QString &directory, int scanIntervalMs = 500, qint64 maxLineBytes = kMaxLineBytes);
    void stop() override;
    // Lists the directory and reads everything new now, waiting for it (tests, the end of a recording).
    void scan();
    // Times a file was opened so far.
    qint64 filesOpened() const;

private:
    void queueScan(TailScan &&scan);
    void deliver();

    QThread m_thread;
    DirectoryWatcher *m_watcher = nullptr; // lives on m_thread
    mutable QMutex m_readyLock;
    std::vector<TailScan> m_ready;         // read on m_thread, not yet handed to the session
    qint64 m_filesOpened = 0;
};

} // namespace Phaseline::Live
