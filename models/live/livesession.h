#pragma once

#include "core/jobtracker.h"
#include "load/loader.h"
#include "formats/metricssession.h"
#include "trtllm/trtllmimporter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QTimer>

#include <deque>
#include <memory>
#include <unordered_set>

namespace Phaseline::Live {

// Everything a live source has delivered: every record is checked to be valid JSON, parsed and
// kept at once, appended to the session file (one JSON line, flushed, so a crash loses nothing;
// a failed write stops the file there and is reported) and counted once even when delivered
// twice: a record is a repeat only when its whole content, from the same source, was seen. The joined table is rebuilt from all records kept so far on a worker
// thread, at most once per rebuild interval, because a disaggregated request's parts may
// arrive in different fetches or files.
class LiveSession : public QObject
{
    Q_OBJECT
public:
    explicit LiveSession(QObject *parent = nullptr);
    ~LiveSession() override;

    // Appends every new record to `path` as one JSON line; false (with `error`) when it cannot be opened.
    bool openSessionFile(const QString &path, QString *error);
    QString sessionFilePath() const { return m_sessionPath; }

    // Parses `records` (JSON texts as delivered by `inputName`, a server or a file) and keeps
    // the ones not seen before, on the calling thread, after any queued delivery. Returns how
    // many were new.
    int addRecords(const QList<QByteArray> &records, const QString &inputName);
    // The same for a live source, without holding up the session's thread: checking,
    // de-duplicating and parsing run on a worker, one delivery after another in the order
    // queued; the new records are kept (and recordsAdded() sent) when each is done.
    void queueRecords(QList<QByteArray> records, const QString &inputName);
    bool isIngesting() const { return m_ingest.isBusy() || !m_ingestQueue.empty(); }
    // Keeps every queued delivery now (tests, the end of a recording, a directory scan()).
    void finishIngestNow();
    void addIssue(const LoadIssue &issue);
    // One /metrics body (Prometheus text) received at `timeMs` from `source`: kept and written
    // as received when it holds histograms; false (with `problem`, nothing kept) otherwise.
    bool addScrape(const QByteArray &text, qint64 timeMs, const QString &source, QString *problem);
    // One Prometheus /api/v1/query_range answer (every step becomes a scrape); false (with
    // `problem`, nothing kept) when it is no successful answer.
    bool addQueryRange(const QByteArray &response, qint64 timeMs, const QString &source, const QString &query,
                       QString *problem);
    qint64 scrapesKept() const { return m_scrapesKept; }

    qint64 recordsKept() const { return m_kept; }
    qint64 duplicatesIgnored() const { return m_duplicates; }
    qint64 recordsRejected() const { return m_rejected; }
    // Records completely written to the session file (and flushed).
    qint64 recordsWritten() const { return m_written; }
    // Why the session file could not be written; empty while it is fine.
    const QString &writeError() const { return m_writeError; }
    const QVector<LoadIssue> &issues() const { return m_issues; }

    // 0 (default) = never rebuild (recording only); otherwise the least time between rebuilds.
    void setRebuildInterval(int milliseconds);
    // The latest joined table (moved out); valid after tableReady().
    LoadResult takeTable();
    // Rebuilds now on the calling thread from what is kept (tests, saving, the end of a recording).
    LoadResult buildTable() const;

Q_SIGNALS:
    void recordsAdded(int count);
    // The session file could not be written (disk full, I/O error): nothing more goes to it.
    void writeFailed(const QString &problem);
    void tableReady();

private:
    QVector<LoadIssue> issuesWithOverflow() const;
    void scheduleRebuild();
    void startRebuild();
    void startNextIngest();

    struct RecordKey
    {
        quint64 first, second; // two independent 64-bit hashes: a false match would drop a record
        bool operator==(const RecordKey &other) const { return first == other.first && second == other.second; }
    };
    struct RecordKeyHash
    {
        size_t operator()(const RecordKey &key) const { return size_t(key.first); }
    };
    using SeenRecords = std::unordered_set<RecordKey, RecordKeyHash>;
    // What one delivery brings, worked out away from the session: its new records parsed, as
    // lines for the session file, and what was rejected or repeated.
    struct Ingested
    {
        TrtLlm::Fragments fragments;
        QList<QByteArray> lines; // per row of `fragments`
        QVector<LoadIssue> issues;
        qint64 rejected = 0;
        qint64 duplicates = 0;
    };
    // Marks the records it keeps as seen in `seen`: deliveries are ingested one at a time.
    static Ingested ingest(const QList<QByteArray> &records, const QString &inputName, SeenRecords &seen);
    int keep(Ingested ingested);
    // Appends one whole line (with its newline) to the session file; false once it cannot.
    bool writeLine(const QByteArray &line);
    void metricsChanged();
    void closeSessionFile();

    // Every record kept, unjoined, as delivered: immutable batches a rebuild shares, not copies.
    std::vector<std::shared_ptr<const TrtLlm::Fragments>> m_batches;
    MetricsSessionData m_metrics;  // every /metrics scrape and Prometheus answer kept
    qint64 m_scrapesKept = 0;
    // Used by one ingestion at a time: a worker's, or this thread's once none is in flight.
    std::shared_ptr<SeenRecords> m_seen = std::make_shared<SeenRecords>();
    std::deque<std::pair<QList<QByteArray>, QString>> m_ingestQueue; // deliveries not started
    JobTracker<Ingested> m_ingest;
    QVector<LoadIssue> m_issues;
    qint64 m_issuesDropped = 0;
    qint64 m_kept = 0;
    qint64 m_duplicates = 0;
    qint64 m_rejected = 0;
    qint64 m_written = 0;
    QString m_writeError;
    QString m_sessionPath;
    int m_sessionFd = -1;
    QStringList m_inputs;

    int m_rebuildInterval = 0;
    bool m_dirty = false;
    QTimer m_rebuildTimer;
    QElapsedTimer m_sinceRebuild;
    LoadResult m_table;
    JobTracker<LoadResult> m_rebuild;
};

} // namespace Phaseline::Live
