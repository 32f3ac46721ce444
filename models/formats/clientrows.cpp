#include "formats/clientrows.h"

#include "core/mappedfile.h"

#include <QFileInfo>
#include <QStringList>

#include <cmath>

namespace Phaseline {

QString ClientRows::nameOf(ClientStamp stamp)
{
    static const QString kNames[] = {QStringLiteral("client_enqueued"),    QStringLiteral("client_sent"),
                                     QStringLiteral("client_response_start"), QStringLiteral("client_first_token"),
                                     QStringLiteral("client_last_token"),  QStringLiteral("client_end")};
    return kNames[int(stamp)];
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


} // namespace Phaseline
