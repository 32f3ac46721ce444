#include "core/mappedfile.h"

#include "core/inputpath.h"

#include <QFile>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Phaseline {

namespace {

// The file-backed pages of every open MappedFile, for the SIGBUS handler. Slots are claimed
// and read without locks: a signal handler may not wait.
struct GuardedPages
{
    std::atomic<uintptr_t> begin{0};
    std::atomic<uintptr_t> end{0};
    std::atomic<bool> faulted{false};
};
constexpr int kGuardSlots = 256;
GuardedPages g_guarded[kGuardSlots];
uintptr_t g_pageSize = 4096;
struct sigaction g_previousBusHandler;

void onBusError(int signal, siginfo_t *info, void *context)
{
    const uintptr_t address = reinterpret_cast<uintptr_t>(info->si_addr);
    for (GuardedPages &pages : g_guarded) {
        const uintptr_t begin = pages.begin.load(std::memory_order_acquire);
        const uintptr_t end = pages.end.load(std::memory_order_acquire);
        if (begin == 0 || address < begin || address >= end)
            continue;
        // The file shrank under the mapping. Zero pages from here to its old end let the parser
        // run on (mmap is a plain system call, safe here in practice); the result is discarded.
        const uintptr_t page = address & ~(g_pageSize - 1);
        mmap(reinterpret_cast<void *>(page), end - page, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        pages.faulted.store(true, std::memory_order_release);
        return;
    }
    // Not one of ours: whatever handled SIGBUS before does, when the instruction faults again.
    (void)signal;
    (void)context;
    sigaction(SIGBUS, &g_previousBusHandler, nullptr);
}

void installBusHandler()
{
    static std::once_flag installed;
    std::call_once(installed, [] {
        g_pageSize = uintptr_t(sysconf(_SC_PAGESIZE));
        struct sigaction action {};
        action.sa_sigaction = onBusError;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        sigaction(SIGBUS, &action, &g_previousBusHandler);
    });
}

int claimGuardSlot(uintptr_t begin, uintptr_t end)
{
    installBusHandler();
    for (int slot = 0; slot < kGuardSlots; ++slot) {
        uintptr_t expected = 0;
        if (g_guarded[slot].end.compare_exchange_strong(expected, end)) {
            g_guarded[slot].faulted.store(false);
            g_guarded[slot].begin.store(begin, std::memory_order_release);
            return slot;
        }
    }
    return -1; // more files open at once than slots: that one is unguarded, as before
}

void releaseGuardSlot(int slot)
{
    g_guarded[slot].begin.store(0, std::memory_order_release);
    g_guarded[slot].end.store(0, std::memory_order_release);
}

QString systemError()
{
    return describeSystemError(errno);
}

} // namespace

MappedFile::~MappedFile()
{
    release();
}

void MappedFile::release()
{
    if (m_guardSlot >= 0)
        releaseGuardSlot(m_guardSlot);
    m_guardSlot = -1;
    if (m_data)
        munmap(m_data, m_mappedLength);
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_data = nullptr;
    m_fileBacked = false;
    m_size = 0;
    m_mappedLength = 0;
}

bool MappedFile::open(const QString &path)
{
    release();
    const QByteArray nativePath = QFile::encodeName(path);
    // Non-blocking: opening a named pipe must not wait for a writer (it is refused just below).
    const int fd = ::open(nativePath.constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        m_error = systemError();
        return false;
    }
    struct stat info {};
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        m_error = QStringLiteral("not a regular file");
        ::close(fd);
        return false;
    }
    m_fd = fd;
    // /proc and /sys files report size 0 and still have contents: read them.
    if (info.st_size == 0)
        return readUnsizedFile(fd);
    // Reserve file + padding as anonymous zero pages, then lay the file over the front:
    // the tail stays readable zeros even when the file ends exactly on a page boundary.
    if (!reserve(size_t(info.st_size)))
        return false;
    void *file = mmap(m_data, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
    if (file == MAP_FAILED) {
        m_error = systemError();
        release();
        return false;
    }
    madvise(file, m_size, MADV_SEQUENTIAL);
    m_fileBacked = true;
    const uintptr_t begin = reinterpret_cast<uintptr_t>(m_data);
    const size_t page = size_t(sysconf(_SC_PAGESIZE));
    m_guardSlot = claimGuardSlot(begin, begin + (m_size + page - 1) / page * page);
    return true;
}

bool MappedFile::reserve(size_t size)
{
    m_size = size;
    const size_t page = size_t(sysconf(_SC_PAGESIZE));
    m_mappedLength = (m_size + kPadding + page - 1) / page * page;
    void *region = mmap(nullptr, m_mappedLength, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
        m_error = systemError();
        m_mappedLength = 0;
        release();
        return false;
    }
    m_data = static_cast<char *>(region);
    return true;
}

bool MappedFile::readUnsizedFile(int fd)
{
    // Kernel files are small; the limit only stops a file that never ends.
    constexpr size_t kLimit = size_t(64) << 20;
    QByteArray contents;
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            m_error = systemError();
            release();
            return false;
        }
        if (got == 0 || size_t(contents.size()) + size_t(got) > kLimit)
            break;
        contents.append(buffer, got);
    }
    if (!reserve(size_t(contents.size())))
        return false;
    std::memcpy(m_data, contents.constData(), m_size);
    return true;
}

bool MappedFile::changedWhileRead() const
{
    if (!m_fileBacked)
        return false; // a copy in memory cannot change
    if (m_guardSlot >= 0 && g_guarded[m_guardSlot].faulted.load(std::memory_order_acquire))
        return true;
    const qint64 now = currentSize();
    return now >= 0 && size_t(now) < m_size;
}

qint64 MappedFile::currentSize() const
{
    struct stat info {};
    if (m_fd < 0 || fstat(m_fd, &info) != 0)
        return -1;
    return qint64(info.st_size);
}

} // namespace Phaseline
