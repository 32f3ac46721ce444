#include "mappedfile.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Phaseline {

MappedFile::~MappedFile()
{
    release();
}

void MappedFile::release()
{
    if (m_data)
        munmap(m_data, m_mappedLength);
    m_data = nullptr;
    m_size = 0;
    m_mappedLength = 0;
}

bool MappedFile::open(const QString &path)
{
    release();
    const QByteArray nativePath = QFile::encodeName(path);
    const int fd = ::open(nativePath.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        m_error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    struct stat info {};
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        m_error = QStringLiteral("not a regular file");
        ::close(fd);
        return false;
    }
    m_size = size_t(info.st_size);
    const size_t page = size_t(sysconf(_SC_PAGESIZE));
    m_mappedLength = (m_size + kPadding + page - 1) / page * page;

    // Reserve file + padding as anonymous zero pages, then lay the file over the front:
    // the tail stays readable zeros even when the file ends exactly on a page boundary.
    void *region = mmap(nullptr, m_mappedLength, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
        m_error = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        m_mappedLength = 0;
        return false;
    }
    if (m_size > 0) {
        void *file = mmap(region, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
        if (file == MAP_FAILED) {
            m_error = QString::fromLocal8Bit(std::strerror(errno));
            munmap(region, m_mappedLength);
            ::close(fd);
            m_mappedLength = 0;
            return false;
        }
        madvise(file, m_size, MADV_SEQUENTIAL);
    }
    ::close(fd);
    m_data = static_cast<char *>(region);
    return true;
}

} // namespace Phaseline
