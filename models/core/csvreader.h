#pragma once

#include <QStringList>

#include <string_view>

namespace Phaseline {

// RFC 4180 records: quoted fields with doubled quotes, separators and line breaks inside
// quotes, LF or CRLF line ends, a UTF-8 byte order mark. The separator (',', ';' or tab)
// is sniffed from the first line.
class CsvReader
{
public:
    explicit CsvReader(std::string_view content);

    char separator() const { return m_separator; }
    // Reads the next non-blank record; false at the end of the input. `line` is the 1-based
    // line the record starts on. `error` is set (and the fields are partial) when a quoted
    // field is not closed before the end of the input.
    bool next(QStringList *fields, qint64 *line, QString *error);
    // Byte offset in the input (byte order mark included) where the last record read starts.
    qint64 recordOffset() const { return m_recordOffset; }

private:
    std::string_view m_text;
    size_t m_pos = 0;
    size_t m_bomSize = 0;
    qint64 m_recordOffset = 0;
    qint64 m_line = 1;
    char m_separator = ',';
};

// One field as RFC 4180 writes it (quoted when it holds a separator, a quote or a line break,
// or always) and inert in a spreadsheet: text starting with = + - @ (a formula there) gets a
// leading apostrophe, which CsvReader drops again. Numbers such as -1.5 are written as they are.
enum class CsvQuoting { WhenNeeded, Always };
QString csvField(const QString &text, CsvQuoting quoting = CsvQuoting::WhenNeeded);

// The first record of `content` (the header) and up to `maxRows` records after it, for
// previews and recognising columns.
struct CsvPreview
{
    QStringList header;
    QString headerLine; // the header's first line as written (the key remembered mappings use)
    QVector<QStringList> rows;
    char separator = ',';
};
CsvPreview readCsvPreview(std::string_view content, int maxRows);

} // namespace Phaseline
