#pragma once

#include <QString>

#include <cstddef>

namespace Phaseline {

// A file mapped privately (copy-on-write) into memory with zeroed, readable padding after its end,
// so a SIMD parser may read past the last byte without a copy of the whole file.
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

private:
    void release();

    char *m_data = nullptr;
    size_t m_size = 0;
    size_t m_mappedLength = 0;
    QString m_error;
};

} // namespace Phaseline
