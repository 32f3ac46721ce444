#include "formats/clientimporters.h"

#include "formats/clientrows.h"
#include "formats/loadcontrol.h"
#include "core/mappedfile.h"

#include <algorithm>

namespace Phaseline {

FileImport ClientFormatImporter::import(MappedFile &file, const QString &inputName, LoadControl *control) const
{
    QVector<LoadIssue> issues;
    const LenientJson::Document document = readJsonFile(file, inputName, issues);
    ClientRows rows(inputName);
    QVector<RunSummary> summaries;
    ClientImportContext context{document, rows, issues, inputName, control,
                                std::string_view(file.data(), file.size()), summaries};
    if (!document.values.empty())
        m_format.read(context);
    const bool explained = std::any_of(issues.begin(), issues.end(),
                                       [](const LoadIssue &issue) { return issue.severity == LoadIssue::Error; });
    if (rows.size() == 0 && summaries.isEmpty() && !explained && !LoadControl::isCanceled(context.control))
        issues.append(LoadIssue{LoadIssue::Error, inputName, -1, -1,
                                QStringLiteral("the %1 file holds no requests").arg(m_format.name)});
    LoadControl::addProgress(control, qint64(file.size()));
    FileImport result = rows.finish(issues);
    result.summaries = std::move(summaries);
    return result;
}

} // namespace Phaseline
