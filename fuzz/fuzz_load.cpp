// libFuzzer target: any bytes, as a file, through format sniffing and every importer.
// The loader must never crash, hang or read out of bounds; what it cannot take it reports.
// Build and run: see fuzz/CMakeLists.txt.
#include "loader.h"

#include <QString>

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // An in-memory file: the loader maps files, so it gets a real one without touching disk.
    const int fd = memfd_create("phaseline-fuzz", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t written = 0;
    while (written < size) {
        const ssize_t n = write(fd, data + written, size - written);
        if (n <= 0)
            break;
        written += size_t(n);
    }
    const Phaseline::LoadResult result = Phaseline::loadInputs({QStringLiteral("/proc/self/fd/%1").arg(fd)});
    // Every issue names its input; touching the table checks the columns are consistent.
    for (const Phaseline::LoadIssue &issue : result.issues) {
        if (issue.input.isEmpty())
            __builtin_trap();
    }
    for (int row = 0; row < result.table.size(); ++row)
        (void)result.table.id(row);
    close(fd);
    return 0;
}
