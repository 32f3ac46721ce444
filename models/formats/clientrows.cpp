#include "clientrows.h"

#include "mappedfile.h"

#include <QFileInfo>
#include <QStringList>

#include <cmath>

namespace Phaseline {

ClientRows::ClientRows(const QString &inputName)
{
    static const char *const kNames[] = {"client_enqueued",    "client_sent",       "client_response_start",
                                         "client_first_token", "client_last_token", "client_end"};
    for (int i = 0; i < 6; ++i)
        m_stamps[i] = m_table.addStampColumn(QString::fromLatin1(kNames[i]));
    m_table.setPhases(PhaseCatalog::common());
    for (const char *name : {"source", "clock", "status"})
        m_labels.insert(QString::fromLatin1(name), m_table.addLabelColumn(QString::fromLatin1(name)));
    m_sourceCode = m_table.internLabel(m_labels.value(QStringLiteral("source")), inputName);
    m_okCode = m_table.internLabel(m_labels.value(QStringLiteral("status")), QStringLiteral("ok"));
}

int ClientRows::append(const QString &id, const QString &clock)
{
    const QByteArray utf8 = id.toUtf8();
    const int row = m_table.appendRow(std::string_view(utf8.constData(), size_t(utf8.size())), Role::Client);
    m_table.setLabelCode(m_labels.value(QStringLiteral("source")), row, m_sourceCode);
    m_table.setLabelCode(m_labels.value(QStringLiteral("status")), row, m_okCode);
    setLabel(row, QStringLiteral("clock"), clock);
    return row;
}

void ClientRows::setSeconds(int row, ClientStamp stamp, double seconds)
{
    m_table.setStampSeconds(m_stamps[int(stamp)], row, seconds);
}

void ClientRows::setNanoseconds(int row, ClientStamp stamp, qint64 nanoseconds)
{
    m_table.setStampNanoseconds(m_stamps[int(stamp)], row, nanoseconds);
}

void ClientRows::setRelative(int row, ClientStamp stamp, double seconds)
{
    if (std::isfinite(seconds))
        m_table.setStampRelative(m_stamps[int(stamp)], row, seconds);
}

void ClientRows::setLabel(int row, const QString &name, const QString &value)
{
    auto column = m_labels.find(name);
    if (column == m_labels.end())
        column = m_labels.insert(name, m_table.addLabelColumn(name));
    m_table.setLabel(*column, row, value);
}

void ClientRows::setAttribute(int row, const QString &name, double value)
{
    if (!std::isfinite(value))
        return;
    auto column = m_attributes.find(name);
    if (column == m_attributes.end())
        column = m_attributes.insert(name, m_table.addAttributeColumn(name));
    m_table.setAttribute(*column, row, value);
}

FileImport ClientRows::finish(QVector<LoadIssue> issues)
{
    return FileImport{std::move(m_table), std::move(issues)};
}

QString statusFromError(const QString &error)
{
    QStringList lines = error.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (QString &line : lines)
        line = line.trimmed();
    lines.removeAll(QString());
    if (lines.isEmpty())
        return QStringLiteral("failed");
    const QString &chosen = lines.first().startsWith(QLatin1String("Traceback")) ? lines.last() : lines.first();
    constexpr int kMaxLength = 160; // label tables stay small; the rest of a traceback is noise here
    return chosen.size() > kMaxLength ? chosen.left(kMaxLength - 1) + QChar(0x2026) : chosen;
}

QString alignedClockFor(const QString &tool, const QString &inputName)
{
    return alignedClockName(QStringLiteral("%1 (%2)").arg(tool, QFileInfo(inputName).fileName()));
}

LenientJson::Document readJsonFile(const MappedFile &file, const QString &inputName, QVector<LoadIssue> &issues)
{
    LenientJson::Document document = LenientJson::parse(std::string_view(file.data(), file.size()));
    if (!document.error.isEmpty()) {
        const bool nothingRead = document.values.empty();
        issues.append(LoadIssue{nothingRead ? LoadIssue::Error : LoadIssue::Warning, inputName, document.errorLine,
                                document.errorOffset,
                                nothingRead ? QStringLiteral("not valid JSON: %1").arg(document.error)
                                            : QStringLiteral("not valid JSON: %1; the rest of the file was skipped")
                                                  .arg(document.error)});
    }
    return document;
}

LoadIssue aggregateOnlyIssue(const QString &inputName, const QString &what)
{
    return LoadIssue{LoadIssue::Error, inputName, -1, -1,
                     QStringLiteral("%1 holds only aggregate statistics, no per-request data: nothing to load").arg(what)};
}

} // namespace Phaseline
