#pragma once

#include "live/httppoller.h"
#include "load/loader.h"

#include <QObject>

#include <memory>

namespace Phaseline {

namespace Live {
class LiveSession;
class LiveSource;
}

// The window's live source: one session (all records kept, session file) and one source
// (an HTTP endpoint or a directory of JSONL files). Hands joined tables to the window at
// most every rebuildIntervalMs, and holds them back while paused (records keep arriving).
class LiveController : public QObject
{
    Q_OBJECT
public:
    static constexpr int kRebuildIntervalMs = 500;

    explicit LiveController(QObject *parent = nullptr);
    ~LiveController() override;

    // Starts polling; every record also goes to a new session file under `sessionDirectory`.
    bool connectTo(const Live::PollSettings &settings, const QString &sessionDirectory, QString *error);
    bool watchDirectory(const QString &directory, QString *error);
    void stop();

    // Running (not stopped); a stopped source keeps its records and status until the next start.
    bool isActive() const;
    bool isPolling() const;
    const Live::LiveSource *source() const { return m_source.get(); }
    const Live::LiveSession *session() const { return m_session.get(); }
    QString sessionFilePath() const;
    // Copies the session file (JSONL, one record a line; Phaseline opens it like any JSONL run).
    bool saveSession(const QString &path, QString *error) const;

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    LoadResult takeTable();

    // Where sessions are kept by default (the application data directory).
    static QString defaultSessionDirectory();

Q_SIGNALS:
    void tableReady();
    void statusChanged();

private:
    void begin();
    void onSessionTable();

    std::unique_ptr<Live::LiveSession> m_session;
    std::unique_ptr<Live::LiveSource> m_source;
    bool m_paused = false;
    bool m_tableWaiting = false;
};

} // namespace Phaseline
