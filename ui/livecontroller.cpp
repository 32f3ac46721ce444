#include "livecontroller.h"

#include "live/directorytail.h"
#include "live/livesession.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace Phaseline {

LiveController::LiveController(QObject *parent) : QObject(parent) {}

LiveController::~LiveController()
{
    m_source.reset(); // before the session it feeds; nobody listens any more
    m_session.reset();
}

QString LiveController::defaultSessionDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/sessions");
}

bool LiveController::connectTo(const Live::PollSettings &settings, const QString &sessionDirectory, QString *error)
{
    stop();
    m_source.reset();
    m_session = std::make_unique<Live::LiveSession>();
    // Named like a TensorRT-LLM JSONL file, so a reopened session labels its server host:port.
    const QUrl &url = settings.url;
    const QString name = QStringLiteral("perf_metrics-live-%1-%2-%3.jsonl")
                             .arg(url.host().isEmpty() ? QStringLiteral("server") : url.host())
                             .arg(url.port(url.scheme() == QLatin1String("https") ? 443 : 80))
                             .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
    if (!m_session->openSessionFile(QDir(sessionDirectory).filePath(name), error)) {
        m_session.reset();
        return false;
    }
    auto poller = std::make_unique<Live::PerfMetricsPoller>(m_session.get());
    Live::PerfMetricsPoller *started = poller.get();
    m_source = std::move(poller);
    begin();
    started->start(settings);
    return true;
}

bool LiveController::watchDirectory(const QString &directory, QString *error)
{
    if (!QDir(directory).exists()) {
        *error = QStringLiteral("%1 is not a directory").arg(directory);
        return false;
    }
    stop();
    m_source.reset();
    // The watched files are the record: no session file.
    m_session = std::make_unique<Live::LiveSession>();
    auto tail = std::make_unique<Live::DirectoryTail>(m_session.get());
    Live::DirectoryTail *started = tail.get();
    m_source = std::move(tail);
    begin();
    started->start(directory);
    return true;
}

void LiveController::begin()
{
    m_paused = false;
    m_tableWaiting = false;
    m_session->setRebuildInterval(kRebuildIntervalMs);
    connect(m_session.get(), &Live::LiveSession::tableReady, this, &LiveController::onSessionTable);
    connect(m_session.get(), &Live::LiveSession::recordsAdded, this, &LiveController::statusChanged);
    connect(m_session.get(), &Live::LiveSession::writeFailed, this, &LiveController::statusChanged);
    connect(m_source.get(), &Live::LiveSource::statusChanged, this, &LiveController::statusChanged);
}

void LiveController::stop()
{
    if (!m_source)
        return;
    m_source->stop();
    Q_EMIT statusChanged(); // the last status stays readable until the next start
}

bool LiveController::isActive() const
{
    return m_source && m_source->status().state != Live::SourceStatus::Stopped;
}

bool LiveController::isPolling() const
{
    return qobject_cast<const Live::PerfMetricsPoller *>(m_source.get()) != nullptr;
}

QString LiveController::sessionFilePath() const
{
    return m_session ? m_session->sessionFilePath() : QString();
}

bool LiveController::saveSession(const QString &path, QString *error) const
{
    const QString from = sessionFilePath();
    if (from.isEmpty()) {
        *error = QStringLiteral("this live source has no session file (a watched directory is its own record)");
        return false;
    }
    if (QFile::exists(path) && !QFile::remove(path)) {
        *error = QStringLiteral("cannot replace %1").arg(path);
        return false;
    }
    if (!QFile::copy(from, path)) {
        *error = QStringLiteral("cannot copy the session to %1").arg(path);
        return false;
    }
    return true;
}

void LiveController::setPaused(bool paused)
{
    m_paused = paused;
    if (m_session)
        m_session->setRebuildInterval(paused ? 0 : kRebuildIntervalMs);
    if (!paused && m_tableWaiting) {
        m_tableWaiting = false;
        Q_EMIT tableReady();
    }
    Q_EMIT statusChanged();
}

void LiveController::onSessionTable()
{
    if (m_paused) {
        m_tableWaiting = true;
        return;
    }
    Q_EMIT tableReady();
}

LoadResult LiveController::takeTable()
{
    return m_session ? m_session->takeTable() : LoadResult();
}

} // namespace Phaseline
