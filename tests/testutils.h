#pragma once

// Helpers shared by the Phaseline test executables: test data paths, tolerant comparison
// of milliseconds, loading each sample once, finding rows and issues, and writing small
// fixtures into a temporary directory.

#include "load/loader.h"
#include "analysis/statistics.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QTest>

#include <cmath>
#include <map>
#include <memory>
#include <vector>

Q_DECLARE_METATYPE(Phaseline::Role)
Q_DECLARE_METATYPE(Phaseline::PhaseState)

namespace Phaseline {

// Readable QCOMPARE failures for the model's enums (found by argument-dependent lookup).
inline char *toString(Role role)
{
    return qstrdup(roleName(role).toUtf8().constData());
}

inline char *toString(PhaseState state)
{
    switch (state) {
    case PhaseState::Recorded: return qstrdup("Recorded");
    case PhaseState::Missing: return qstrdup("Missing");
    case PhaseState::Anomaly: return qstrdup("Anomaly");
    }
    return qstrdup("?");
}

} // namespace Phaseline

namespace PhaselineTest {

// A snapshot of a table for the views: a copy, since their background jobs may still read it
// after the test's own table is gone (nothing waits for them).
inline std::shared_ptr<const Phaseline::RequestTable> snapshotOf(const Phaseline::RequestTable &table)
{
    return std::make_shared<const Phaseline::RequestTable>(table);
}

// Absolute path of a file under tests/data.
inline QString dataPath(const QString &relative)
{
    return QStringLiteral(PHASELINE_TEST_DATA) + QLatin1Char('/') + relative;
}

// Where a test leaves a picture for a human to look at: beside the test executable in the
// build tree, so parallel runs of different worktrees never write over each other.
inline QString artifactPath(const QString &name)
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(name);
}

// Durations are compared to 1e-6 ms. The samples' steady-clock stamps reach 4.4e6 s, where one
// double ulp is 9.3e-10 s, so 1e-6 ms is the finest tolerance exact decimal values can meet.
constexpr double kToleranceMs = 1e-6;
// Absolute stamps in seconds: the table keeps them relative to an integral origin, exactly.
constexpr double kToleranceSeconds = 1e-9;

inline bool closeTo(double actual, double expected, double tolerance)
{
    return std::abs(actual - expected) <= tolerance;
}

inline QString mismatch(const char *what, double actual, double expected)
{
    return QStringLiteral("%1 is %2, expected %3")
        .arg(QString::fromUtf8(what))
        .arg(actual, 0, 'g', 17)
        .arg(expected, 0, 'g', 17);
}

// Loads every input once per test executable: data-driven tests ask for the same file many times.
// `relativePaths` names one file or directory under tests/data, or several joined with '+' that
// are loaded together as one run (as tools/reference_values.py does).
inline const Phaseline::LoadResult &loadOnce(const QString &relativePaths)
{
    static std::map<QString, Phaseline::LoadResult> cache;
    auto found = cache.find(relativePaths);
    if (found == cache.end()) {
        QStringList inputs;
        for (const QString &relative : relativePaths.split(QLatin1Char('+')))
            inputs << dataPath(relative);
        found = cache.emplace(relativePaths, Phaseline::loadInputs(inputs)).first;
    }
    return found->second;
}

// Rows whose request id is `id`, in table order.
inline std::vector<int> rowsWithId(const Phaseline::RequestTable &table, const QString &id)
{
    std::vector<int> rows;
    for (int row = 0; row < table.size(); ++row) {
        if (table.id(row) == id)
            rows.push_back(row);
    }
    return rows;
}

// The one row of request `id`, or -1 when there is none or more than one. An empty id names
// the only request of a one-request table (inputs that carry no request id at all).
inline int rowOf(const Phaseline::RequestTable &table, const QString &id)
{
    if (id.isEmpty())
        return table.size() == 1 ? 0 : -1;
    const std::vector<int> rows = rowsWithId(table, id);
    return rows.size() == 1 ? rows.front() : -1;
}

// The canonical TensorRT-LLM catalogue in order: the 12 TTFT segments of docs/trtllm.md §4.2 with
// gen_queue (their parent for data without KV stamps) before its three sub-segments, then decode.
inline QStringList trtllmPhaseNames()
{
    return {QStringLiteral("disagg_preprocessing"), QStringLiteral("ctx_preprocessing"),
            QStringLiteral("ctx_queue"),            QStringLiteral("ctx_processing"),
            QStringLiteral("ctx_postprocessing"),   QStringLiteral("disagg_relay"),
            QStringLiteral("gen_preprocessing"),    QStringLiteral("gen_queue"),
            QStringLiteral("gen_queue_wait"),       QStringLiteral("gen_kv_transfer"),
            QStringLiteral("gen_post_transfer"),    QStringLiteral("gen_postprocessing"),
            QStringLiteral("disagg_postprocessing"), QStringLiteral("decode")};
}

inline const Phaseline::PhaseStatistics *findPhase(const Phaseline::StatisticsReport &report, const QString &name)
{
    for (const Phaseline::PhaseStatistics &phase : report.phases) {
        if (phase.name == name)
            return &phase;
    }
    return nullptr;
}

inline QStringList phaseNames(const Phaseline::StatisticsReport &report)
{
    QStringList names;
    for (const Phaseline::PhaseStatistics &phase : report.phases)
        names << phase.name;
    return names;
}

inline QVector<Phaseline::LoadIssue> issuesOf(const Phaseline::LoadResult &result,
                                              Phaseline::LoadIssue::Severity severity)
{
    QVector<Phaseline::LoadIssue> found;
    for (const Phaseline::LoadIssue &issue : result.issues) {
        if (issue.severity == severity)
            found << issue;
    }
    return found;
}

// The first issue of `severity` whose message contains `needle`, or nullptr.
inline const Phaseline::LoadIssue *findIssue(const Phaseline::LoadResult &result,
                                             Phaseline::LoadIssue::Severity severity, const QString &needle)
{
    for (const Phaseline::LoadIssue &issue : result.issues) {
        if (issue.severity == severity && issue.message.contains(needle))
            return &issue;
    }
    return nullptr;
}

// All issues, one a line, for failure messages.
inline QString describeIssues(const Phaseline::LoadResult &result)
{
    QStringList lines;
    for (const Phaseline::LoadIssue &issue : result.issues)
        lines << issue.toString();
    return lines.isEmpty() ? QStringLiteral("(no issues)") : lines.join(QLatin1Char('\n'));
}

// Writes an aggregated perf-metrics array of `count` requests, 10 ms apart, each with a
// 50 ms time to first token, except every `slowEvery`-th (if set), whose first token takes 5 s.
inline QString writeSyntheticArray(const QDir &dir, int count, int slowEvery = 0)
{
    QString text = QStringLiteral("[\n");
    for (int i = 0; i < count; ++i) {
        const double arrival = 1000.0 + i * 0.01;
        const double firstToken = arrival + (slowEvery > 0 && i % slowEvery == 0 ? 5.0 : 0.05);
        text += QStringLiteral("{\"request_id\": %1, \"perf_metrics\": {\"timing_metrics\": {\"arrival_time\": %2, "
                               "\"first_scheduled_time\": %3, \"first_token_time\": %4, \"last_token_time\": %5}}}%6\n")
                    .arg(i)
                    .arg(arrival, 0, 'f', 6)
                    .arg(arrival + 0.002 + (i % 7) * 0.001, 0, 'f', 6)
                    .arg(firstToken, 0, 'f', 6)
                    .arg(firstToken + 0.45, 0, 'f', 6)
                    .arg(i + 1 < count ? QStringLiteral(",") : QString());
    }
    text += QStringLiteral("]\n");
    const QString path = dir.filePath(QStringLiteral("synthetic.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
        return QString();
    return path;
}

// Writes `contents` to `directory`/`name` and returns the path ("" on failure).
inline QString writeFile(const QString &directory, const QString &name, const QByteArray &contents)
{
    const QString path = QDir(directory).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        return QString();
    return path;
}

// Copies the regular files of `from` into `to` (no recursion: a JSONL run is flat).
inline bool copyFiles(const QString &from, const QString &to)
{
    const QFileInfoList entries = QDir(from).entryInfoList(QDir::Files);
    for (const QFileInfo &entry : entries) {
        if (!QFile::copy(entry.filePath(), QDir(to).filePath(entry.fileName())))
            return false;
    }
    return !entries.isEmpty();
}

// A TensorRT-LLM worker record: {"request_id", "perf_metrics": {"timing_metrics"}} plus
// any top-level keys (ctx_request_id, disagg_request_id, status, ...).
inline QJsonObject workerRecord(int requestId, const QJsonObject &timing, const QJsonObject &topLevel = {})
{
    QJsonObject record = topLevel;
    record.insert(QStringLiteral("request_id"), requestId);
    record.insert(QStringLiteral("perf_metrics"), QJsonObject{{QStringLiteral("timing_metrics"), timing}});
    return record;
}

// One JSONL line (compact JSON and a newline).
inline QByteArray jsonLine(const QJsonObject &record)
{
    return QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace PhaselineTest

// QCOMPARE for doubles with an explicit tolerance, printing both values in full.
#define PHASELINE_COMPARE_NEAR(actual, expected, tolerance)                                                       \
    do {                                                                                                          \
        const double actualValue_ = (actual);                                                                     \
        const double expectedValue_ = (expected);                                                                 \
        QVERIFY2(PhaselineTest::closeTo(actualValue_, expectedValue_, (tolerance)),                              \
                 qPrintable(PhaselineTest::mismatch(#actual, actualValue_, expectedValue_)));                     \
    } while (false)

#define PHASELINE_COMPARE_MS(actual, expected) PHASELINE_COMPARE_NEAR(actual, expected, PhaselineTest::kToleranceMs)
