#include "directorytail.h"

#include "livesession.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Phaseline::Live {

DirectoryTail::DirectoryTail(LiveSession *session, QObject *parent) : LiveSource(session, parent)
{
    connect(&m_scanTimer, &QTimer::timeout, this, &DirectoryTail::scan);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &DirectoryTail::scan);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &DirectoryTail::scan);
}

void DirectoryTail::start(const QString &directory, int scanIntervalMs)
{
    stop();
    m_directory = directory;
    m_files.clear();
    m_status = SourceStatus();
    m_status.source = directory;
    m_status.state = SourceStatus::Waiting;
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    m_watcher.addPath(directory);
    m_scanTimer.start(scanIntervalMs);
    scan();
}

void DirectoryTail::stop()
{
    m_scanTimer.stop();
    if (m_status.state != SourceStatus::Stopped) {
        m_status.state = SourceStatus::Stopped;
        Q_EMIT statusChanged();
    }
}

void DirectoryTail::scan()
{
    if (m_status.state == SourceStatus::Stopped)
        return;
    m_status.lastAttempt = QDateTime::currentDateTime();
    ++m_status.attempts;
    const QDir dir(m_directory);
    if (!dir.exists()) {
        ++m_status.errors;
        ++m_status.consecutiveErrors;
        m_status.lastError = QStringLiteral("the directory does not exist (yet)");
        m_status.state = SourceStatus::Retrying;
        Q_EMIT statusChanged();
        return;
    }
    const QFileInfoList entries = dir.entryInfoList({QStringLiteral("*.jsonl")}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QFileInfo &entry : entries) {
        const QString path = entry.filePath();
        if (!m_files.contains(path))
            m_watcher.addPath(path);
        readFile(path, m_files[path]);
    }
    m_status.state = SourceStatus::Receiving;
    m_status.lastSuccess = m_status.lastAttempt;
    updateDetail();
    Q_EMIT statusChanged();
}

void DirectoryTail::readFile(const QString &path, FileState &state)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ++m_status.errors;
        m_status.lastError = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return;
    }
    if (file.size() < state.offset) {
        // Truncated or replaced: read it again; records seen before are recognised as duplicates.
        m_session->addIssue(LoadIssue{LoadIssue::Warning, path, -1, -1,
                                      QStringLiteral("the file shrank while being watched; it was read again")});
        state = FileState();
    }
    if (file.size() == state.offset)
        return;
    file.seek(state.offset);
    const QByteArray data = file.readAll();
    state.offset += data.size();
    state.partial += data;
    const int lastNewline = state.partial.lastIndexOf('\n');
    if (lastNewline < 0)
        return; // a partial line waits for its newline
    QList<QByteArray> records;
    const QList<QByteArray> lines = state.partial.left(lastNewline).split('\n');
    for (const QByteArray &line : lines) {
        const QByteArray trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            records.append(trimmed);
    }
    state.partial.remove(0, lastNewline + 1);
    m_status.recordsReceived += records.size();
    m_status.lastError.clear();
    m_status.consecutiveErrors = 0;
    m_session->addRecords(records, path);
}

void DirectoryTail::updateDetail()
{
    qint64 waiting = 0;
    for (const FileState &state : std::as_const(m_files))
        waiting += state.partial.size();
    m_status.detail = waiting > 0 ? QStringLiteral("%1 file(s), %2 byte(s) waiting for a newline").arg(m_files.size()).arg(waiting)
                                  : QStringLiteral("%1 file(s)").arg(m_files.size());
}

} // namespace Phaseline::Live
