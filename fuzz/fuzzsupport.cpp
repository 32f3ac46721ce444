#include "fuzzsupport.h"

#include "analysis/datasets.h"
#include "core/mappedfile.h"
#include "output/statisticsformat.h"

#include <QCoreApplication>

#include <sys/mman.h>
#include <unistd.h>

namespace PhaselineFuzz {

MemoryFile::MemoryFile(std::string_view bytes)
{
    m_fd = memfd_create("phaseline-fuzz", MFD_CLOEXEC);
    if (m_fd < 0)
        __builtin_trap(); // out of descriptors: a leak in the target, not an input problem
    size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = write(m_fd, bytes.data() + written, bytes.size() - written);
        if (n <= 0)
            __builtin_trap();
        written += size_t(n);
    }
    m_path = QStringLiteral("/proc/self/fd/%1").arg(m_fd);
}

MemoryFile::~MemoryFile()
{
    close(m_fd);
}

std::vector<std::string_view> splitParts(const uint8_t *data, size_t size, int maxParts)
{
    const std::string_view all(reinterpret_cast<const char *>(data), size);
    std::vector<std::string_view> parts;
    size_t from = 0;
    while (int(parts.size()) + 1 < maxParts) {
        const size_t separator = all.find('\f', from);
        if (separator == std::string_view::npos)
            break;
        parts.push_back(all.substr(from, separator - from));
        from = separator + 1;
    }
    parts.push_back(all.substr(from));
    return parts;
}

void checkLoaded(const Phaseline::RequestTable &table, const QVector<Phaseline::LoadIssue> &issues,
                 const QVector<Phaseline::HistogramDistribution> &distributions)
{
    for (const Phaseline::LoadIssue &issue : issues) {
        if (issue.input.isEmpty() || issue.message.isEmpty())
            __builtin_trap();
    }
    const Phaseline::StatisticsReport report = Phaseline::computeStatistics(table);
    if (report.requests != table.size())
        __builtin_trap();
    const QVector<Phaseline::DatasetStatistics> datasets = Phaseline::computeDatasetStatistics(table);
    for (Phaseline::StatisticsFormat format :
         {Phaseline::StatisticsFormat::Text, Phaseline::StatisticsFormat::Csv, Phaseline::StatisticsFormat::Json})
        (void)Phaseline::formatStatistics(report, format, datasets, distributions);
}

void importWithEach(const std::vector<const Phaseline::FormatImporter *> &importers, const uint8_t *data,
                    size_t size)
{
    const std::string_view content(reinterpret_cast<const char *>(data), size);
    const MemoryFile file(content);
    Phaseline::MappedFile mapped;
    if (!mapped.open(file.path()))
        return;
    for (const Phaseline::FormatImporter *importer : importers) {
        (void)importer->sniff(content);
        const Phaseline::FileImport imported = importer->import(mapped, file.path(), nullptr);
        checkLoaded(imported.table, imported.issues, imported.distributions);
    }
}

} // namespace PhaselineFuzz

// Every target: a QCoreApplication for code that needs one (timers, file watchers), and no Qt
// warnings on stderr, since a fuzzer runs millions of inputs that are mostly wrong.
extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
    static int argc = 1;
    static char name[] = "phaseline-fuzz";
    static char *argv[] = {name, nullptr};
    static QCoreApplication application(argc, argv);
    return 0;
}
