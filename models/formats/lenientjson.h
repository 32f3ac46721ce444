#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <string_view>
#include <vector>

namespace Phaseline::LenientJson {

// One top-level value of a file and where it started.
struct TopLevelValue
{
    QJsonValue value;
    qint64 byteOffset = 0; // 0-based, in the original file
    qint64 line = 1;       // 1-based
};

struct Document
{
    // Every top-level object or array in file order: one for a plain JSON file, several for
    // concatenated values (vLLM --append-result) or JSON Lines.
    std::vector<TopLevelValue> values;
    // The first value that could not be parsed (reading stops there); empty when all parsed.
    QString error;
    qint64 errorOffset = -1; // byte offset in the original file
    qint64 errorLine = -1;
    // Bare NaN / Infinity / -Infinity tokens (Python's json.dump writes them; strict JSON and
    // QJsonDocument reject them). They are read as null, i.e. "not recorded".
    int nonFiniteTokens = 0;
};

// Parses a whole file with QJsonDocument after turning bare non-finite number tokens outside
// strings into null. Integers up to 2^63 stay exact (QJsonValue::toInteger), which matters for
// epoch nanoseconds.
Document parse(std::string_view text);

// object[key] for a Latin-1 key literal (undefined when absent).
inline QJsonValue field(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key));
}
// A finite JSON number, else NaN (null, strings such as "inf", missing keys: not recorded).
double number(const QJsonValue &value);
// An integer JSON number kept exact up to 2^63 (epoch nanoseconds), else -1.
qint64 integer(const QJsonValue &value);

// --- sniffing: cheap looks at the raw bytes, no full parse ------------------------------

// Offset of the first non-space byte (after a UTF-8 byte-order mark), or text.size().
size_t firstValueOffset(std::string_view text);
// The member names of the object starting at `objectOffset` (which must hold '{'), in file
// order, as raw bytes (escapes not decoded). Stops early at malformed input.
std::vector<std::string_view> memberNames(std::string_view text, size_t objectOffset);
// Member names of the first top-level value when it is an object (empty otherwise).
std::vector<std::string_view> topLevelNames(std::string_view text);
// Member names of the first element when the first top-level value is an array of objects.
std::vector<std::string_view> firstElementNames(std::string_view text);
bool containsName(const std::vector<std::string_view> &names, std::string_view name);
// Whether `"name"` (quoted) occurs anywhere in the text.
bool containsQuoted(std::string_view text, std::string_view name);

} // namespace Phaseline::LenientJson
