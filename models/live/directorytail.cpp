#include "live/directorytail.h"

#include "live/directoryscanner.h"
#include "live/livesession.h"

#include <QElapsedTimer>
#include <QFileSystemWatcher>
#include <QTimer>

#include <functional>
#include <optional>

namespace Phaseline::Live {

namespace {

constexpr qint64 kScanBudgetBytes = qint64(16) << 20; // read per scan: bounds what waits for the session
constexpr int kWatchedFiles = 256;      // the most recently modified files get change notifications
constexpr int kCoalesceMs = 20;         // a busy writer's notifications make one scan
constexpr qint64 kListingCostShare = 100; // the periodic listing takes at most 1/100 of the time

} // namespace

// The directory tail's half on its own thread: notifications, the periodic listing, the reading.
class DirectoryWatcher : public QObject
{
public:
    explicit DirectoryWatcher(std::function<void(TailScan &&)> deliver) : m_deliver(std::move(deliver)) {}

    void begin(const QString &directory, int scanIntervalMs, qint64 maxLineBytes)
    {
        m_directory = directory;
        m_scanIntervalMs = scanIntervalMs;
        m_scanner.emplace(directory, maxLineBytes);
        m_notifier = new QFileSystemWatcher(this);
        connect(m_notifier, &QFileSystemWatcher::directoryChanged, this, [this] {
            m_listingNeeded = true;
            schedule();
        });
        connect(m_notifier, &QFileSystemWatcher::fileChanged, this, [this](const QString &path) {
            m_changed.insert(path);
            schedule();
        });
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, [this] {
            m_listingNeeded = true;
            scanOnce();
        });
        m_timer->start(scanIntervalMs);
        m_listingNeeded = true;
        scanOnce();
    }

    void end()
    {
        delete m_notifier;
        delete m_timer;
        m_notifier = nullptr;
        m_timer = nullptr;
        m_scanner.reset();
        m_changed.clear();
        m_filesOpened = 0;
    }

    void catchUp()
    {
        m_listingNeeded = true;
        while (scanOnce()) {
        }
    }

private:
    void schedule()
    {
        if (m_scheduled)
            return;
        m_scheduled = true;
        QTimer::singleShot(kCoalesceMs, this, [this] {
            m_scheduled = false;
            if (scanOnce()) {
                m_listingNeeded = true;
                schedule();
            }
        });
    }

    // True when the read budget ran out and there is more to read.
    bool scanOnce()
    {
        if (!m_scanner)
            return false;
        const bool listing = m_listingNeeded;
        QElapsedTimer clock;
        clock.start();
        TailScan scan = m_scanner->scan(listing, m_changed, kScanBudgetBytes);
        m_listingNeeded = false;
        m_changed.clear();
        if (listing && scan.error.isEmpty()) {
            // A listing that opened nothing measures what watching costs: keep it a small share.
            if (scan.filesOpened == m_filesOpened)
                m_timer->setInterval(int(std::max<qint64>(m_scanIntervalMs, clock.nsecsElapsed() * kListingCostShare / 1000000)));
            updateNotifications();
        }
        m_filesOpened = scan.filesOpened;
        const bool more = scan.more;
        m_deliver(std::move(scan));
        return more;
    }

    void updateNotifications()
    {
        if (m_notifier->directories().isEmpty())
            m_notifier->addPath(m_directory); // it may have been created since
        const QStringList wanted = m_scanner->recentPaths(kWatchedFiles);
        const QStringList watched = m_notifier->files();
        QStringList dropped;
        for (const QString &path : watched) {
            if (!wanted.contains(path))
                dropped << path;
        }
        QStringList added;
        for (const QString &path : wanted) {
            if (!watched.contains(path))
                added << path;
        }
        if (!dropped.isEmpty())
            m_notifier->removePaths(dropped);
        if (!added.isEmpty())
            m_notifier->addPaths(added);
    }

    const std::function<void(TailScan &&)> m_deliver;
    QString m_directory;
    int m_scanIntervalMs = 500;
    std::optional<DirectoryScanner> m_scanner;
    QFileSystemWatcher *m_notifier = nullptr;
    QTimer *m_timer = nullptr;
    QSet<QString> m_changed;
    qint64 m_filesOpened = 0;
    bool m_listingNeeded = false;
    bool m_scheduled = false;
};

DirectoryTail::DirectoryTail(LiveSession *session, QObject *parent) : LiveSource(session, parent)
{
    m_watcher = new DirectoryWatcher([this](TailScan &&scan) { queueScan(std::move(scan)); });
    m_watcher->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("directory tail"));
    m_thread.start();
}

DirectoryTail::~DirectoryTail()
{
    QMetaObject::invokeMethod(m_watcher, [watcher = m_watcher] { delete watcher; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void DirectoryTail::start(const QString &directory, int scanIntervalMs, qint64 maxLineBytes)
{
    stop();
    m_status = SourceStatus();
    m_status.source = directory;
    m_status.state = SourceStatus::Waiting;
    QMetaObject::invokeMethod(m_watcher, [=, watcher = m_watcher] { watcher->begin(directory, scanIntervalMs, maxLineBytes); });
}

void DirectoryTail::stop()
{
    if (m_status.state == SourceStatus::Stopped)
        return;
    QMetaObject::invokeMethod(m_watcher, [watcher = m_watcher] { watcher->end(); }, Qt::BlockingQueuedConnection);
    deliver(); // what was read before the stop is kept
    m_status.state = SourceStatus::Stopped;
    Q_EMIT statusChanged();
}

void DirectoryTail::scan()
{
    if (m_status.state == SourceStatus::Stopped)
        return;
    QMetaObject::invokeMethod(m_watcher, [watcher = m_watcher] { watcher->catchUp(); }, Qt::BlockingQueuedConnection);
    deliver();
    m_session->finishIngestNow();
}

qint64 DirectoryTail::filesOpened() const
{
    const QMutexLocker lock(&m_readyLock);
    return m_filesOpened;
}

void DirectoryTail::queueScan(TailScan &&scan)
{
    {
        const QMutexLocker lock(&m_readyLock);
        m_filesOpened = scan.filesOpened;
        m_ready.push_back(std::move(scan));
    }
    QMetaObject::invokeMethod(this, &DirectoryTail::deliver, Qt::QueuedConnection);
}

void DirectoryTail::deliver()
{
    std::vector<TailScan> ready;
    {
        const QMutexLocker lock(&m_readyLock);
        ready.swap(m_ready);
    }
    if (ready.empty())
        return;
    for (TailScan &scan : ready) {
        for (const LoadIssue &issue : std::as_const(scan.issues))
            m_session->addIssue(issue);
        for (const TailBatch &batch : scan.batches) {
            m_status.recordsReceived += batch.records.size();
            m_session->queueRecords(batch.records, batch.inputName);
        }
        ++m_status.attempts;
        if (!scan.error.isEmpty()) {
            ++m_status.errors;
            ++m_status.consecutiveErrors;
            m_status.lastError = scan.error;
            continue;
        }
        m_status.consecutiveErrors = 0;
        m_status.lastError.clear(); // problems with single files are issues of the session
        QStringList detail{QStringLiteral("%1 file(s)").arg(scan.files)};
        if (scan.bytesWaiting > 0)
            detail << QStringLiteral("%1 byte(s) waiting for a newline").arg(scan.bytesWaiting);
        if (scan.emptyRecords > 0)
            detail << QStringLiteral("%1 empty record(s) skipped").arg(scan.emptyRecords);
        m_status.detail = detail.join(QStringLiteral(", "));
    }
    const bool failed = !ready.back().error.isEmpty();
    m_status.lastAttempt = QDateTime::currentDateTime();
    if (!failed)
        m_status.lastSuccess = m_status.lastAttempt;
    if (m_status.state != SourceStatus::Stopped)
        m_status.state = failed ? SourceStatus::Retrying : SourceStatus::Receiving;
    Q_EMIT statusChanged();
}

} // namespace Phaseline::Live
