#include "formats/requestrows.h"

#include "formats/jsonrecordscanner.h"
#include "formats/lenientjson.h"
#include "formats/loadcontrol.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace Phaseline {

RequestRows::RequestRows(const QString &inputName, Role role, const PhaseCatalog &phases) : m_role(role)
{
    m_table.setPhases(phases);
    const int source = column(m_labels, QStringLiteral("source"), &RequestTable::addLabelColumn);
    const int status = column(m_labels, QStringLiteral("status"), &RequestTable::addLabelColumn);
    column(m_labels, QStringLiteral("clock"), &RequestTable::addLabelColumn);
    m_sourceCode = m_table.internLabel(source, inputName);
    m_okCode = m_table.internLabel(status, QStringLiteral("ok"));
}

int RequestRows::column(QHash<QString, int> &columns, const QString &name, int (RequestTable::*add)(const QString &))
{
    auto found = columns.constFind(name);
    if (found != columns.constEnd())
        return *found;
    return *columns.insert(name, (m_table.*add)(name));
}

int RequestRows::append(const QString &id, const QString &clock)
{
    const QByteArray utf8 = id.toUtf8();
    const int row = m_table.appendRow(std::string_view(utf8.constData(), size_t(utf8.size())), m_role);
    m_table.setLabelCode(m_labels.value(QStringLiteral("source")), row, m_sourceCode);
    m_table.setLabelCode(m_labels.value(QStringLiteral("status")), row, m_okCode);
    setLabel(row, QStringLiteral("clock"), clock);
    return row;
}

void RequestRows::setSeconds(int row, const QString &stamp, double seconds)
{
    if (seconds > 0 && std::isfinite(seconds))
        m_table.setStampSeconds(column(m_stamps, stamp, &RequestTable::addStampColumn), row, seconds);
}

void RequestRows::setNanoseconds(int row, const QString &stamp, qint64 nanoseconds)
{
    if (nanoseconds > 0)
        m_table.setStampNanoseconds(column(m_stamps, stamp, &RequestTable::addStampColumn), row, nanoseconds);
}

void RequestRows::setRelative(int row, const QString &stamp, double seconds)
{
    if (std::isfinite(seconds))
        m_table.setStampRelative(column(m_stamps, stamp, &RequestTable::addStampColumn), row, seconds);
}

void RequestRows::setLabel(int row, const QString &name, const QString &value)
{
    if (!value.isEmpty())
        m_table.setLabel(column(m_labels, name, &RequestTable::addLabelColumn), row, value);
}

void RequestRows::setAttribute(int row, const QString &name, double value)
{
    if (std::isfinite(value))
        m_table.setAttribute(column(m_attributes, name, &RequestTable::addAttributeColumn), row, value);
}

FileImport RequestRows::finish(QVector<LoadIssue> issues)
{
    FileImport imported;
    imported.table = std::move(m_table);
    imported.issues = std::move(issues);
    return imported;
}

QString statusFromError(const QString &error)
{
    QStringList lines = error.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (QString &line : lines)
        line = line.trimmed();
    lines.removeAll(QString());
    if (lines.isEmpty())
        return QStringLiteral("failed");
    // A Python traceback ends with the exception; anything else says it on its first line.
    const QString &chosen = lines.first().startsWith(QLatin1String("Traceback")) ? lines.last() : lines.first();
    constexpr int kMaxLength = 160; // a label, not a log: the full text stays in the file
    return chosen.size() > kMaxLength ? chosen.left(kMaxLength - 1) + QChar(0x2026) : chosen;
}

namespace {

void appendValues(std::vector<JsonRecord> &records, const LenientJson::Document &document, qint64 firstLine,
                  size_t offset)
{
    for (const LenientJson::TopLevelValue &value : document.values)
        records.push_back(JsonRecord{value.value, firstLine + value.line - 1, qint64(offset) + value.byteOffset});
}

} // namespace

std::vector<JsonRecord> readJsonRecords(std::string_view text, const QString &inputName, QVector<LoadIssue> &issues)
{
    std::vector<JsonRecord> records;
    const LenientJson::Document whole = LenientJson::parse(text);
    appendValues(records, whole, 1, 0);
    if (whole.error.isEmpty())
        return records;

    // JSON Lines: skip the broken line and read the following ones one by one (each parse is
    // bounded by its line, so even a file of garbage is read in linear time).
    constexpr int kReportedLines = 20; // then one summary: a broken pretty-printed file is not news per line
    int skipped = 0;
    auto report = [&](qint64 line, qint64 offset, const QString &error, bool unfinishedLastLine) {
        if (++skipped > kReportedLines)
            return;
        const QString message =
            unfinishedLastLine
                ? QStringLiteral("the last line is incomplete (%1; was the file still being written?): skipped").arg(error)
                : QStringLiteral("not valid JSON (%1): line skipped").arg(error);
        issues.append(LoadIssue{LoadIssue::Warning, inputName, line, offset, message});
    };
    const size_t errorAt = std::min(size_t(whole.errorOffset), text.size());
    size_t lineEnd = text.find('\n', errorAt);
    report(whole.errorLine, whole.errorOffset, whole.error, lineEnd == std::string_view::npos);
    qint64 line = whole.errorLine;
    while (lineEnd != std::string_view::npos) {
        const size_t lineStart = lineEnd + 1;
        ++line;
        lineEnd = text.find('\n', lineStart);
        const std::string_view content = text.substr(lineStart, std::min(lineEnd, text.size()) - lineStart);
        if (content.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        const LenientJson::Document parsed = LenientJson::parse(content);
        appendValues(records, parsed, line, lineStart);
        if (!parsed.error.isEmpty())
            report(line, qint64(lineStart) + parsed.errorOffset, parsed.error, lineEnd == std::string_view::npos);
    }
    if (skipped > kReportedLines)
        issues.append(LoadIssue{LoadIssue::Warning, inputName, -1, -1,
                                QStringLiteral("%1 more lines were not valid JSON and were skipped")
                                    .arg(skipped - kReportedLines)});
    if (records.empty() && !issues.isEmpty())
        issues.last().severity = LoadIssue::Error;
    return records;
}

std::string_view firstJsonValue(std::string_view text)
{
    const size_t start = LenientJson::firstValueOffset(text);
    if (start >= text.size())
        return {};
    const char *end = JsonScan::findValueEnd(text.data() + start, text.data() + text.size());
    return text.substr(start, end ? size_t(end - text.data()) - start : std::string_view::npos);
}


} // namespace Phaseline
