#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

namespace Phaseline::Live {

class LiveSession;

// What a live source shows the user: is it getting data, when did it last, how much, what went wrong.
struct SourceStatus
{
    enum State { Stopped, Waiting, Receiving, Retrying };

    State state = Stopped;
    QString source;          // URL or directory
    QDateTime lastAttempt;   // last fetch or directory scan
    QDateTime lastSuccess;
    qint64 attempts = 0;
    qint64 recordsReceived = 0; // records delivered, before duplicates are dropped
    qint64 errors = 0;
    int consecutiveErrors = 0;
    QString lastError;       // the current problem; empty once the source recovered
    int retryInMs = -1;      // when Retrying: the back-off delay
    QString detail;          // e.g. "3 files, 120 bytes waiting for a newline"
};

QString stateName(SourceStatus::State state);

// A running source of records (an HTTP endpoint, a directory of growing JSONL files) that
// feeds a LiveSession.
class LiveSource : public QObject
{
    Q_OBJECT
public:
    explicit LiveSource(LiveSession *session, QObject *parent = nullptr) : QObject(parent), m_session(session) {}

    virtual void stop() = 0;
    const SourceStatus &status() const { return m_status; }
    LiveSession *session() const { return m_session; }

Q_SIGNALS:
    void statusChanged();

protected:
    LiveSession *const m_session;
    SourceStatus m_status;
};

} // namespace Phaseline::Live
