#pragma once

#include <QString>

#include <cstddef>

namespace Phaseline {

// A file mapped privately (copy-on-write) into memory with zeroed, readable padding after its end,
// so a SIMD parser may read past the last byte without a copy of the whole file.
//
// A file may shrink while it is mapped (a log rotator, a writer that restarts): the kernel then
// takes the pages past the new end away and touching them raises SIGBUS. While a MappedFile is
// open, a SIGBUS inside its pages lays zero pages over the rest of the file instead of killing the
// process, and changedWhileRead() says so: the reader discards what it made of those bytes.
// (Cheaper than copying every file into memory, which costs a read of the whole file up front.)
class MappedFile
{
public:
    static constexpr size_t kPadding = 64;

    MappedFile() = default;
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    bool open(const QString &path);
    QString errorString() const { return m_error; }

    const char *data() const { return m_data; }
    // Private copy-on-write pages: a parser may patch a byte in place (and restore it).
    char *mutableData() { return m_data; }
    size_t size() const { return m_size; }

    // True when the file shrank since open() (the bytes read past its new end were zeros, not data).
    bool changedWhileRead() const;
    // The size of the file now, or -1 when it cannot be known.
    qint64 currentSize() const;

private:
    void release();
    // Anonymous zero pages for `size` bytes and the padding, at m_data.
    bool reserve(size_t size);
    bool readUnsizedFile(int fd);

    char *m_data = nullptr;
    size_t m_size = 0;
    size_t m_mappedLength = 0;
    int m_fd = -1;
    bool m_fileBacked = false; // false for a file read into memory (size 0 in stat)
    int m_guardSlot = -1;
    QString m_error;
};

} // namespace Phaseline
