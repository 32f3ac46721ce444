#include "lenientjson.h"

#include "jsonrecordscanner.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace Phaseline::LenientJson {

namespace {

// Where the cleaned copy's bytes came from: from `cleanedOffset` on, original = cleaned + delta.
struct Shift
{
    qint64 cleanedOffset;
    qint64 delta;
};

struct Cleaned
{
    QByteArray bytes; // empty when the text needed no change (parse the original then)
    std::vector<Shift> shifts;
    int replaced = 0;

    qint64 originalOffset(qint64 cleanedOffset) const
    {
        auto after = std::upper_bound(shifts.begin(), shifts.end(), cleanedOffset,
                                      [](qint64 offset, const Shift &shift) { return offset < shift.cleanedOffset; });
        return after == shifts.begin() ? cleanedOffset : cleanedOffset + std::prev(after)->delta;
    }
};

bool startsWith(std::string_view text, size_t at, std::string_view token)
{
    return text.compare(at, token.size(), token) == 0;
}

// Copies `text`, writing null for each bare NaN, Infinity and -Infinity outside strings.
Cleaned replaceNonFiniteTokens(std::string_view text)
{
    static constexpr std::string_view kTokens[] = {"-Infinity", "Infinity", "NaN"};
    Cleaned cleaned;
    size_t copiedUpTo = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            continue;
        }
        if (c != 'N' && c != 'I' && c != '-')
            continue;
        for (std::string_view token : kTokens) {
            if (!startsWith(text, i, token))
                continue;
            if (cleaned.bytes.isEmpty())
                cleaned.bytes.reserve(qsizetype(text.size()));
            cleaned.bytes.append(text.data() + copiedUpTo, qsizetype(i - copiedUpTo));
            cleaned.bytes.append("null", 4);
            copiedUpTo = i + token.size();
            cleaned.shifts.push_back(Shift{cleaned.bytes.size(), qint64(copiedUpTo) - cleaned.bytes.size()});
            ++cleaned.replaced;
            i = copiedUpTo - 1;
            break;
        }
    }
    if (cleaned.replaced > 0)
        cleaned.bytes.append(text.data() + copiedUpTo, qsizetype(text.size() - copiedUpTo));
    return cleaned;
}

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
    const Cleaned cleaned = replaceNonFiniteTokens(text);
    document.nonFiniteTokens = cleaned.replaced;
    const char *begin = cleaned.replaced > 0 ? cleaned.bytes.constData() : text.data();
    const char *end = begin + (cleaned.replaced > 0 ? cleaned.bytes.size() : qsizetype(text.size()));

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
