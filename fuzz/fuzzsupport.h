#pragma once

// What every Phaseline fuzz target shares: inputs as real files (the importers map files),
// one quiet QCoreApplication, and the checks that hold for whatever was loaded.

#include "formats/formatimporter.h"
#include "load/loader.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace PhaselineFuzz {

// Inputs reach the parallel, windowed parse from a few hundred bytes on (LoadControl).
constexpr size_t kFuzzChunkBytes = 256;

// The bytes as an in-memory file (memfd), named by a /proc/self/fd path; closed when destroyed.
class MemoryFile
{
public:
    explicit MemoryFile(std::string_view bytes);
    ~MemoryFile();
    MemoryFile(const MemoryFile &) = delete;
    MemoryFile &operator=(const MemoryFile &) = delete;
    const QString &path() const { return m_path; }

private:
    int m_fd = -1;
    QString m_path;
};

// Several inputs in one: the parts between form feeds (at most `maxParts`; the last keeps the rest).
std::vector<std::string_view> splitParts(const uint8_t *data, size_t size, int maxParts);

// Every issue names its input; the statistics, per dataset too, and every output format of
// them are computed from what was loaded, which touches every column of the table.
void checkLoaded(const Phaseline::RequestTable &table, const QVector<Phaseline::LoadIssue> &issues,
                 const QVector<Phaseline::HistogramDistribution> &distributions = {});

// Sniffs and imports the bytes with each importer, claimed or not (the fuzzer should not have
// to pass one importer's sniffing to reach another's reader), and checks what each made.
void importWithEach(const std::vector<const Phaseline::FormatImporter *> &importers, const uint8_t *data,
                    size_t size);

} // namespace PhaselineFuzz
