#include "live/livesession.h"

#include "core/mappedfile.h"
#include "live/recordsplitter.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>

#include <functional>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Phaseline::Live {

namespace {

constexpr int kMaxIssues = 500; // a bad server would otherwise add a warning every poll

// Parses JSON text with the TensorRT-LLM importer (which wants padding after the bytes).
TrtLlm::Fragments parseText(std::string text, const QString &inputName)
{
    const size_t size = text.size();
    text.append(MappedFile::kPadding, ' ');
    TrtLlm::Fragments fragments;
    TrtLlm::importBuffer(text.data(), size, inputName, fragments, nullptr);
    // Places inside a batch mean nothing to the user: the input is a server or a growing file.
    for (LoadIssue &issue : fragments.issues) {
        issue.line = -1;
        issue.byteOffset = -1;
    }
    return fragments;
}

// The start of a record for a message, on one line and without control characters.
QString excerpt(const QByteArray &record)
{
    QString text = QString::fromUtf8(record.left(120)).simplified();
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            c = QChar(0xFFFD);
    }
    return record.size() > 120 ? text + QStringLiteral("…") : text;
}

// Where a raw control character sits inside a string (JSON forbids it there; QJsonDocument lets
// it pass), or -1.
qsizetype controlCharacterInString(const QByteArray &record)
{
    bool inString = false;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const char c = record[i];
        if (inString && c == '\\')
            ++i;
        else if (c == '"')
            inString = !inString;
        else if (inString && static_cast<unsigned char>(c) < 0x20)
            return i;
    }
    return -1;
}

LoadIssue rejection(const QByteArray &record, const QString &reason, const QString &inputName)
{
    return LoadIssue{LoadIssue::Warning, inputName, -1, -1, QStringLiteral("record rejected (%1): %2").arg(reason, excerpt(record))};
}

// One delivery's records joined into one table (the kept batches), on the worker that joins them.
TrtLlm::Fragments mergeBatches(const std::vector<std::shared_ptr<const TrtLlm::Fragments>> &batches)
{
    TrtLlm::Fragments merged;
    for (const auto &batch : batches) {
        TrtLlm::Fragments copy = *batch;
        merged.append(std::move(copy));
    }
    return merged;
}

LoadResult joinRecords(TrtLlm::Fragments fragments, const MetricsSessionData &metrics, const QString &inputName,
                       QVector<LoadIssue> issues)
{
    LoadResult result;
    if (!metrics.isEmpty()) {
        result.intervalSeries = metrics.intervalSeries();
        for (const IntervalSeries &series : std::as_const(result.intervalSeries))
            issues += series.issues;
        result.formats << QStringLiteral("vLLM / SGLang /metrics (live)");
    }
    if (!fragments.table.isEmpty() || metrics.isEmpty()) {
        TrtLlm::join(fragments, inputName);
        result.formats << QStringLiteral("TensorRT-LLM perf metrics (live)");
    }
    result.issues = std::move(issues) + fragments.issues;
    result.table = std::move(fragments.table);
    result.table.dropEmptyColumns();
    return result;
}

} // namespace

LiveSession::LiveSession(QObject *parent)
    : QObject(parent), m_ingest([this](Ingested ingested) {
          keep(std::move(ingested));
          startNextIngest();
      }),
      m_rebuild([this](LoadResult table) {
          m_table = std::move(table);
          Q_EMIT tableReady();
          if (m_dirty)
              scheduleRebuild();
      })
{
    m_rebuildTimer.setSingleShot(true);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &LiveSession::startRebuild);
}

LiveSession::~LiveSession()
{
    closeSessionFile(); // a rebuild in flight joins its own copy of the records, then is dropped
}

bool LiveSession::openSessionFile(const QString &path, QString *error)
{
    closeSessionFile();
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_sessionPath = path;
    m_written = 0;
    m_writeError.clear();
    // A plain descriptor: records go out with write(2) one by one (keep), nothing waits in
    // a buffer, and O_APPEND needs no seek (which /dev/full and pipes cannot do).
    m_sessionFd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (m_sessionFd < 0) {
        *error = QStringLiteral("cannot write the session file %1: %2").arg(path, qt_error_string(errno));
        return false;
    }
    return true;
}

void LiveSession::closeSessionFile()
{
    if (m_sessionFd >= 0)
        ::close(m_sessionFd);
    m_sessionFd = -1;
}

void LiveSession::addIssue(const LoadIssue &issue)
{
    if (m_issues.size() < kMaxIssues)
        m_issues.append(issue);
    else
        ++m_issuesDropped;
}

QVector<LoadIssue> LiveSession::issuesWithOverflow() const
{
    QVector<LoadIssue> issues = m_issues;
    if (m_issuesDropped > 0)
        issues.append(LoadIssue{LoadIssue::Warning,
                                m_inputs.isEmpty() ? QStringLiteral("live session") : m_inputs.join(QStringLiteral(", ")), -1, -1,
                                QStringLiteral("%1 more problem(s) not listed").arg(m_issuesDropped)});
    return issues;
}

LiveSession::Ingested LiveSession::ingest(const QList<QByteArray> &records, const QString &inputName, SeenRecords &seen)
{
    Ingested ingested;
    // Only valid JSON reaches the session file (the importer skips fields it does not read), once.
    QList<QByteArray> fresh;
    for (const QByteArray &record : records) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(record, &error);
        const qsizetype control = error.error == QJsonParseError::NoError ? controlCharacterInString(record) : -1;
        QString problem;
        if (control >= 0)
            problem = QStringLiteral("invalid JSON at byte %1 of the record: a raw control character inside a string").arg(control);
        else if (error.error != QJsonParseError::NoError)
            problem = QStringLiteral("invalid JSON at byte %1 of the record: %2").arg(error.offset).arg(error.errorString());
        else if (!document.isObject())
            problem = QStringLiteral("not a JSON object");
        if (!problem.isEmpty()) {
            ++ingested.rejected;
            ingested.issues << rejection(record, problem, inputName);
            continue;
        }
        // The source too: two workers may well send the very same record. Its content, however formatted.
        QByteArray identity = inputName.toUtf8();
        identity.append('\0');
        identity.append(document.toJson(QJsonDocument::Compact));
        const std::string_view view(identity.constData(), size_t(identity.size()));
        const RecordKey key{quint64(std::hash<std::string_view>()(view)), quint64(qHash(identity, 0x9E3779B97F4A7C15ull))};
        if (seen.insert(key).second)
            fresh << asJsonLine(record);
        else
            ++ingested.duplicates;
    }
    if (fresh.isEmpty())
        return ingested;
    // The common case: all records in one pass, one row each.
    std::string lines;
    for (const QByteArray &line : std::as_const(fresh)) {
        lines.append(line.constData(), size_t(line.size()));
        lines.push_back('\n');
    }
    ingested.fragments = parseText(std::move(lines), inputName);
    if (ingested.fragments.table.size() == fresh.size()) {
        ingested.lines = std::move(fresh);
    } else {
        // Some record was rejected: parse one by one to know which.
        ingested.fragments = TrtLlm::Fragments();
        for (const QByteArray &line : std::as_const(fresh)) {
            // With its newline: a line without one would be reported as a partial last line.
            TrtLlm::Fragments one = parseText(line.toStdString() + '\n', inputName);
            if (one.table.size() != 1) {
                ++ingested.rejected;
                ingested.issues << rejection(line, one.issues.isEmpty() ? QStringLiteral("not a record") : one.issues.first().message,
                                             inputName);
                continue;
            }
            ingested.fragments.append(std::move(one));
            ingested.lines << line;
        }
    }
    ingested.issues += ingested.fragments.issues;
    ingested.fragments.issues.clear();
    return ingested;
}

int LiveSession::keep(Ingested ingested)
{
    for (const LoadIssue &issue : std::as_const(ingested.issues))
        addIssue(issue);
    m_rejected += ingested.rejected;
    m_duplicates += ingested.duplicates;
    for (qsizetype i = 0; i < ingested.lines.size() && m_sessionFd >= 0; ++i)
        writeLine(ingested.lines[i] + '\n');
    const int added = ingested.fragments.table.size();
    if (added == 0)
        return 0;
    m_batches.push_back(std::make_shared<const TrtLlm::Fragments>(std::move(ingested.fragments)));
    m_kept += added;
    m_dirty = true;
    scheduleRebuild();
    Q_EMIT recordsAdded(added);
    return added;
}

bool LiveSession::writeLine(const QByteArray &line)
{
    if (m_sessionFd < 0)
        return false;
    struct stat info = {};
    const qint64 before = ::fstat(m_sessionFd, &info) == 0 && S_ISREG(info.st_mode) ? info.st_size : -1; // /dev/full: -1
    // write(2) itself: a short write followed by the error (ENOSPC, EFBIG, EIO) is told apart.
    const char *data = line.constData();
    qsizetype left = line.size();
    while (left > 0) {
        const ssize_t written = ::write(m_sessionFd, data, size_t(left));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            break;
        data += written;
        left -= written;
    }
    if (left == 0) {
        ++m_written;
        return true;
    }
    // Disk full or an I/O error: take back the part of the line that made it, stop writing, say so.
    const QString reason = qt_error_string(errno);
    const bool whole = before < 0 || ::ftruncate(m_sessionFd, before) == 0;
    m_writeError = QStringLiteral("cannot write the session file %1: %2; it holds the %3 record(s) written "
                                  "before that%4")
                       .arg(m_sessionPath, reason)
                       .arg(m_written)
                       .arg(whole ? QString() : QStringLiteral(" and part of the next"));
    closeSessionFile();
    addIssue(LoadIssue{LoadIssue::Error, m_sessionPath, -1, -1, m_writeError});
    Q_EMIT writeFailed(m_writeError);
    return false;
}

bool LiveSession::addScrape(const QByteArray &text, qint64 timeMs, const QString &source, QString *problem)
{
    MetricsScrape scrape;
    QVector<LoadIssue> issues;
    if (!scrapeFromText(text, timeMs, source, &scrape, &issues, problem))
        return false;
    if (!m_inputs.contains(source))
        m_inputs << source;
    for (const LoadIssue &issue : std::as_const(issues))
        addIssue(issue);
    writeLine(metricsScrapeLine(timeMs, source, text));
    m_metrics.scrapes[source] << scrape;
    metricsChanged();
    return true;
}

bool LiveSession::addQueryRange(const QByteArray &response, qint64 timeMs, const QString &source, const QString &query,
                                QString *problem)
{
    QMap<qint64, MetricsScrape> steps;
    QVector<LoadIssue> issues;
    if (!scrapesFromQueryRange(response, source, &steps, &issues, problem))
        return false;
    if (!m_inputs.contains(source))
        m_inputs << source;
    for (const LoadIssue &issue : std::as_const(issues))
        addIssue(issue);
    writeLine(prometheusQueryLine(timeMs, source, query, response));
    m_metrics.steps[source].insert(steps); // a step answered again replaces the earlier answer
    metricsChanged();
    return true;
}

void LiveSession::metricsChanged()
{
    ++m_scrapesKept;
    m_dirty = true;
    scheduleRebuild();
    Q_EMIT recordsAdded(1);
}

int LiveSession::addRecords(const QList<QByteArray> &records, const QString &inputName)
{
    finishIngestNow(); // in the order delivered, and the seen records are this thread's now
    if (records.isEmpty())
        return 0;
    if (!m_inputs.contains(inputName))
        m_inputs << inputName;
    return keep(ingest(records, inputName, *m_seen));
}

void LiveSession::queueRecords(QList<QByteArray> records, const QString &inputName)
{
    if (records.isEmpty())
        return;
    if (!m_inputs.contains(inputName))
        m_inputs << inputName;
    m_ingestQueue.emplace_back(std::move(records), inputName);
    if (!m_ingest.isBusy())
        startNextIngest();
}

void LiveSession::startNextIngest()
{
    if (m_ingestQueue.empty())
        return;
    auto [records, inputName] = std::move(m_ingestQueue.front());
    m_ingestQueue.pop_front();
    m_ingest.start([records = std::move(records), inputName = std::move(inputName), seen = m_seen](const JobToken &) {
        return ingest(records, inputName, *seen);
    });
}

void LiveSession::finishIngestNow()
{
    while (isIngesting()) {
        if (m_ingest.isBusy())
            m_ingest.finishNow(); // keeps it and starts the next
        else
            startNextIngest();
    }
}

void LiveSession::setRebuildInterval(int milliseconds)
{
    m_rebuildInterval = milliseconds;
    scheduleRebuild();
}

void LiveSession::scheduleRebuild()
{
    if (m_rebuildInterval <= 0 || !m_dirty || m_rebuild.isBusy() || m_rebuildTimer.isActive())
        return;
    const qint64 since = m_sinceRebuild.isValid() ? m_sinceRebuild.elapsed() : m_rebuildInterval;
    m_rebuildTimer.start(int(std::max<qint64>(0, m_rebuildInterval - since)));
}

void LiveSession::startRebuild()
{
    m_dirty = false;
    m_sinceRebuild.start();
    // The worker shares the kept batches (immutable) and copies them: records keep arriving meanwhile.
    m_rebuild.start([batches = m_batches, name = m_inputs.join(QStringLiteral(", ")), metrics = m_metrics,
                     issues = issuesWithOverflow()](const JobToken &) mutable {
        return joinRecords(mergeBatches(batches), metrics, name, std::move(issues));
    });
}

LoadResult LiveSession::takeTable()
{
    return std::move(m_table);
}

LoadResult LiveSession::buildTable() const
{
    return joinRecords(mergeBatches(m_batches), m_metrics, m_inputs.join(QStringLiteral(", ")), issuesWithOverflow());
}

} // namespace Phaseline::Live
