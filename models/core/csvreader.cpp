#include "core/csvreader.h"

#include <QVector>

namespace Phaseline {

namespace {

std::string_view withoutBom(std::string_view content)
{
    if (content.size() >= 3 && content.substr(0, 3) == "\xEF\xBB\xBF")
        content.remove_prefix(3);
    return content;
}

// The candidate that occurs most often outside quotes on the first line; ',' on a tie.
char sniffSeparator(std::string_view text)
{
    int commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\n')
            break;
        else if (c == ',')
            ++commas;
        else if (c == ';')
            ++semicolons;
        else if (c == '\t')
            ++tabs;
    }
    if (tabs > commas && tabs >= semicolons)
        return '\t';
    if (semicolons > commas)
        return ';';
    return ',';
}

// What a spreadsheet takes for the start of a formula.
bool startsLikeFormula(const QString &text)
{
    return !text.isEmpty() && QStringView(u"=+-@").contains(text.front());
}

} // namespace

QString csvField(const QString &text, CsvQuoting quoting)
{
    bool number = false;
    text.toDouble(&number);
    const QString safe = startsLikeFormula(text) && !number ? QLatin1Char('\'') + text : text;
    if (quoting == CsvQuoting::WhenNeeded && !safe.contains(QLatin1Char(',')) && !safe.contains(QLatin1Char('"')) && !safe.contains(QLatin1Char('\n'))
        && !safe.contains(QLatin1Char('\r')))
        return safe;
    QString quoted = safe;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

CsvReader::CsvReader(std::string_view content)
    : m_text(withoutBom(content)), m_bomSize(content.size() - m_text.size()), m_separator(sniffSeparator(m_text))
{
}

bool CsvReader::next(QStringList *fields, qint64 *line, QString *error)
{
    fields->clear();
    error->clear();
    // Blank lines between records are not records.
    while (m_pos < m_text.size() && (m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
        if (m_text[m_pos] == '\n')
            ++m_line;
        ++m_pos;
    }
    if (m_pos >= m_text.size())
        return false;
    *line = m_line;
    m_recordOffset = qint64(m_bomSize + m_pos);
    QByteArray field;
    bool quoted = false;
    bool wasQuoted = false;
    auto endField = [&] {
        QString text = QString::fromUtf8(wasQuoted ? field : field.trimmed());
        if (text.startsWith(QLatin1Char('\'')) && startsLikeFormula(text.mid(1, 1)))
            text.remove(0, 1); // csvField's guard against spreadsheet formulas
        fields->append(text);
        field.clear();
        wasQuoted = false;
    };
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos++];
        if (quoted) {
            if (c == '"') {
                if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                    field += '"';
                    ++m_pos;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n')
                    ++m_line;
                field += c;
            }
        } else if (c == '"' && field.trimmed().isEmpty()) {
            quoted = wasQuoted = true;
            field.clear();
        } else if (c == m_separator) {
            endField();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && m_pos < m_text.size() && m_text[m_pos] == '\n')
                ++m_pos;
            ++m_line;
            endField();
            return true;
        } else {
            field += c;
        }
    }
    if (quoted)
        *error = QStringLiteral("a quoted field is not closed before the end of the file");
    endField();
    return true;
}

CsvPreview readCsvPreview(std::string_view content, int maxRows)
{
    CsvPreview preview;
    CsvReader reader(content);
    preview.separator = reader.separator();
    QStringList fields;
    qint64 line = 0;
    QString error;
    if (!reader.next(&preview.header, &line, &error))
        return preview;
    const std::string_view text = withoutBom(content);
    const size_t headerStart = text.find_first_not_of("\r\n");
    const size_t headerEnd = text.find_first_of("\r\n", headerStart);
    const std::string_view headerLine = headerStart == std::string_view::npos
        ? std::string_view()
        : text.substr(headerStart, headerEnd == std::string_view::npos ? headerEnd : headerEnd - headerStart);
    preview.headerLine = QString::fromUtf8(headerLine.data(), qsizetype(headerLine.size()));
    while (preview.rows.size() < maxRows && reader.next(&fields, &line, &error))
        preview.rows.append(fields);
    return preview;
}

} // namespace Phaseline
