#include "formats/lenientjson.h"

#include "formats/jsonrecordscanner.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace Phaseline::LenientJson {

namespace {

bool startsWith(std::string_view text, size_t at, std::string_view token)
{
    return text.compare(at, token.size(), token) == 0;
}

// The text with bare non-finite words written as null, and how to trace its places back.
struct Cleaned
{
    std::string bytes; // empty when the text needed no change (parse the original then)
    std::vector<JsonScan::NonFiniteShift> shifts;
    int replaced = 0;

    explicit Cleaned(std::string_view text) : replaced(JsonScan::rewriteNonFinite(text, bytes, &shifts)) {}

    qint64 originalOffset(qint64 cleanedOffset) const
    {
        auto after = std::upper_bound(shifts.begin(), shifts.end(), size_t(cleanedOffset),
                                      [](size_t offset, const JsonScan::NonFiniteShift &shift) { return offset < shift.cleanedEnd; });
        if (after == shifts.begin())
            return cleanedOffset;
        const JsonScan::NonFiniteShift &shift = *std::prev(after);
        return cleanedOffset + qint64(shift.originalEnd) - qint64(shift.cleanedEnd);
    }
};

size_t skipString(std::string_view text, size_t quote)
{
    for (size_t i = quote + 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return i + 1;
    }
    return std::string_view::npos;
}

} // namespace

Document parse(std::string_view text)
{
    Document document;
    const Cleaned cleaned(text);
    document.nonFiniteTokens = cleaned.replaced;
    const char *begin = cleaned.replaced > 0 ? cleaned.bytes.data() : text.data();
    const char *end = begin + (cleaned.replaced > 0 ? cleaned.bytes.size() : text.size());

    const char *p = begin + firstValueOffset(std::string_view(begin, size_t(end - begin)));
    qint64 line = 1;
    const char *lineCountedUpTo = begin;
    auto lineAt = [&](const char *at) {
        line += std::count(lineCountedUpTo, at, '\n');
        lineCountedUpTo = at;
        return line;
    };
    auto fail = [&](const char *at, const QString &message) {
        document.errorOffset = cleaned.originalOffset(at - begin);
        document.errorLine = lineAt(at);
        document.error = message;
    };
    while (p < end) {
        if (*p != '{' && *p != '[') {
            fail(p, QStringLiteral("expected a JSON object or array"));
            break;
        }
        const char *valueEnd = JsonScan::findValueEnd(p, end);
        const char *parsedEnd = valueEnd ? valueEnd : end;
        QJsonParseError error;
        const QJsonDocument parsed =
            QJsonDocument::fromJson(QByteArray::fromRawData(p, qsizetype(parsedEnd - p)), &error);
        if (error.error != QJsonParseError::NoError || !valueEnd) {
            fail(p + error.offset, error.error != QJsonParseError::NoError ? error.errorString()
                                                                    : QStringLiteral("unterminated value"));
            break;
        }
        const QJsonValue value = parsed.isObject() ? QJsonValue(parsed.object()) : QJsonValue(parsed.array());
        document.values.push_back(TopLevelValue{value, cleaned.originalOffset(p - begin), lineAt(p)});
        p = JsonScan::skipSpace(valueEnd, end);
    }
    return document;
}

double number(const QJsonValue &value)
{
    const double result = value.isDouble() ? value.toDouble() : std::nan("");
    return std::isfinite(result) ? result : std::nan("");
}

qint64 integer(const QJsonValue &value)
{
    return value.isDouble() ? value.toInteger(-1) : -1;
}

size_t firstValueOffset(std::string_view text)
{
    size_t at = startsWith(text, 0, "\xEF\xBB\xBF") ? 3 : 0;
    while (at < text.size() && JsonScan::isSpace(text[at]))
        ++at;
    return at;
}

std::vector<std::string_view> memberNames(std::string_view text, size_t objectOffset)
{
    std::vector<std::string_view> names;
    if (objectOffset >= text.size() || text[objectOffset] != '{')
        return names;
    const char *end = text.data() + text.size();
    size_t at = objectOffset + 1;
    auto skipSpace = [&] { at = size_t(JsonScan::skipSpace(text.data() + at, end) - text.data()); };
    for (;;) {
        skipSpace();
        if (at >= text.size() || text[at] != '"')
            return names; // '}' or malformed
        const size_t nameEnd = skipString(text, at);
        if (nameEnd == std::string_view::npos)
            return names;
        names.push_back(text.substr(at + 1, nameEnd - at - 2));
        at = nameEnd;
        skipSpace();
        if (at >= text.size() || text[at] != ':')
            return names;
        ++at;
        skipSpace();
        if (at >= text.size())
            return names;
        const char c = text[at];
        if (c == '{' || c == '[') {
            const char *valueEnd = JsonScan::findValueEnd(text.data() + at, end);
            if (!valueEnd)
                return names;
            at = size_t(valueEnd - text.data());
        } else if (c == '"') {
            at = skipString(text, at);
            if (at == std::string_view::npos)
                return names;
        } else {
            at = text.find_first_of(",}", at);
            if (at == std::string_view::npos)
                return names;
        }
        skipSpace();
        if (at >= text.size() || text[at] != ',')
            return names;
        ++at;
    }
}

std::vector<std::string_view> topLevelNames(std::string_view text)
{
    return memberNames(text, firstValueOffset(text));
}

std::vector<std::string_view> firstElementNames(std::string_view text)
{
    const size_t arrayStart = firstValueOffset(text);
    if (arrayStart >= text.size() || text[arrayStart] != '[')
        return {};
    const char *element = JsonScan::skipSpace(text.data() + arrayStart + 1, text.data() + text.size());
    return memberNames(text, size_t(element - text.data()));
}

bool containsName(const std::vector<std::string_view> &names, std::string_view name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool containsQuoted(std::string_view text, std::string_view name)
{
    for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
        if (at > 0 && text[at - 1] == '"' && at + name.size() < text.size() && text[at + name.size()] == '"')
            return true;
    }
    return false;
}

} // namespace Phaseline::LenientJson
