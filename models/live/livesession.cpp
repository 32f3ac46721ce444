#include "livesession.h"

#include "mappedfile.h"
#include "recordsplitter.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <functional>

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

QString excerpt(const QByteArray &record)
{
    QString text = QString::fromUtf8(record.left(120)).simplified();
    return record.size() > 120 ? text + QStringLiteral("…") : text;
}

LoadResult joinRecords(TrtLlm::Fragments fragments, const QString &inputName, QVector<LoadIssue> issues)
{
    TrtLlm::join(fragments, inputName);
    LoadResult result;
    result.issues = std::move(issues) + fragments.issues;
    result.table = std::move(fragments.table);
    result.table.dropEmptyColumns();
    result.formats << QStringLiteral("TensorRT-LLM perf metrics (live)");
    return result;
}

} // namespace

LiveSession::LiveSession(QObject *parent) : QObject(parent)
{
    m_rebuildTimer.setSingleShot(true);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &LiveSession::startRebuild);
    connect(&m_rebuild, &QFutureWatcher<LoadResult>::finished, this, [this] {
        m_table = m_rebuild.result();
        Q_EMIT tableReady();
        if (m_dirty)
            scheduleRebuild();
    });
}

LiveSession::~LiveSession()
{
    m_rebuild.waitForFinished();
}

bool LiveSession::openSessionFile(const QString &path, QString *error)
{
    m_sessionFile.close();
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_sessionFile.setFileName(path);
    if (!m_sessionFile.open(QIODevice::WriteOnly | QIODevice::Append)) {
        *error = QStringLiteral("cannot write the session file %1: %2").arg(path, m_sessionFile.errorString());
        return false;
    }
    return true;
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
        issues.append(LoadIssue{LoadIssue::Warning, m_inputs.join(QStringLiteral(", ")), -1, -1,
                                QStringLiteral("%1 more problem(s) not listed").arg(m_issuesDropped)});
    return issues;
}

LiveSession::Batch LiveSession::parseBatch(const QList<QByteArray> &records, const QString &inputName)
{
    // The common case: all records in one pass, one row each.
    std::string lines;
    for (const QByteArray &record : records) {
        lines.append(asJsonLine(record).toStdString());
        lines.push_back('\n');
    }
    Batch batch{parseText(std::move(lines), inputName), {}};
    if (batch.fragments.table.size() == records.size()) {
        batch.recordOfRow.resize(size_t(records.size()));
        for (int i = 0; i < records.size(); ++i)
            batch.recordOfRow[size_t(i)] = i;
        return batch;
    }
    // Some record was rejected: parse one by one to know which.
    batch = Batch{};
    for (int i = 0; i < records.size(); ++i) {
        TrtLlm::Fragments one = parseText(asJsonLine(records[i]).toStdString(), inputName);
        if (one.table.size() != 1) {
            ++m_rejected;
            const QString reason = one.issues.isEmpty() ? QStringLiteral("not a record") : one.issues.first().message;
            addIssue(LoadIssue{LoadIssue::Warning, inputName, -1, -1,
                               QStringLiteral("record rejected (%1): %2").arg(reason, excerpt(records[i]))});
            continue;
        }
        batch.fragments.append(std::move(one));
        batch.recordOfRow.push_back(i);
    }
    return batch;
}

bool LiveSession::isNew(const TrtLlm::Fragments &batch, int row, const QString &inputName)
{
    const RequestTable &table = batch.table;
    // The source too: two workers may well report the same small request id at the same time.
    std::string identity = inputName.toStdString();
    identity.push_back('\0');
    identity.push_back(char(table.role(row)));
    identity.append(table.idView(row));
    identity.push_back('\0');
    auto appendNumber = [&identity](qint64 value) { identity.append(reinterpret_cast<const char *>(&value), sizeof value); };
    appendNumber(batch.disaggKey[size_t(row)]);
    appendNumber(batch.ctxKey[size_t(row)]);
    // Absolute stamps in nanoseconds: independent of the batch's time origin.
    const long double origin = table.timeOriginSeconds();
    for (int column = 0; column < table.stampColumnCount(); ++column) {
        const double relative = table.stamp(column, row);
        appendNumber(isMissing(relative) ? std::numeric_limits<qint64>::min()
                                         : std::llround((origin + relative) * 1e9L));
    }
    const std::string_view view(identity);
    const RecordKey key{quint64(std::hash<std::string_view>()(view)),
                        quint64(qHash(QByteArrayView(view.data(), qsizetype(view.size())), 0x9E3779B97F4A7C15ull))};
    return m_seen.insert(key).second;
}

int LiveSession::addRecords(const QList<QByteArray> &records, const QString &inputName)
{
    if (records.isEmpty())
        return 0;
    if (!m_inputs.contains(inputName))
        m_inputs << inputName;
    Batch batch = parseBatch(records, inputName);
    for (const LoadIssue &issue : batch.fragments.issues)
        addIssue(issue);
    batch.fragments.issues.clear();

    const int rows = batch.fragments.table.size();
    std::vector<bool> keep(size_t(rows), false);
    int added = 0;
    for (int row = 0; row < rows; ++row) {
        keep[size_t(row)] = isNew(batch.fragments, row, inputName);
        if (!keep[size_t(row)]) {
            ++m_duplicates;
            continue;
        }
        ++added;
        if (m_sessionFile.isOpen())
            m_sessionFile.write(asJsonLine(records[batch.recordOfRow[size_t(row)]]) + '\n');
    }
    if (m_sessionFile.isOpen() && !m_sessionFile.flush())
        addIssue(LoadIssue{LoadIssue::Error, m_sessionFile.fileName(), -1, -1,
                           QStringLiteral("cannot write the session file: %1").arg(m_sessionFile.errorString())});
    if (added == 0)
        return 0;
    if (added < rows)
        batch.fragments.compact(keep);
    m_fragments.append(std::move(batch.fragments));
    m_kept += added;
    m_dirty = true;
    scheduleRebuild();
    Q_EMIT recordsAdded(added);
    return added;
}

void LiveSession::setRebuildInterval(int milliseconds)
{
    m_rebuildInterval = milliseconds;
    scheduleRebuild();
}

void LiveSession::scheduleRebuild()
{
    if (m_rebuildInterval <= 0 || !m_dirty || m_rebuild.isRunning() || m_rebuildTimer.isActive())
        return;
    const qint64 since = m_sinceRebuild.isValid() ? m_sinceRebuild.elapsed() : m_rebuildInterval;
    m_rebuildTimer.start(int(std::max<qint64>(0, m_rebuildInterval - since)));
}

void LiveSession::startRebuild()
{
    m_dirty = false;
    m_sinceRebuild.start();
    // The snapshot is copied here so the records keep arriving while the worker joins.
    m_rebuild.setFuture(QtConcurrent::run(joinRecords, m_fragments, m_inputs.join(QStringLiteral(", ")), issuesWithOverflow()));
}

LoadResult LiveSession::takeTable()
{
    return std::move(m_table);
}

LoadResult LiveSession::buildTable() const
{
    return joinRecords(m_fragments, m_inputs.join(QStringLiteral(", ")), issuesWithOverflow());
}

} // namespace Phaseline::Live
