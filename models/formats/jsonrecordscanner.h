#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace Phaseline::JsonScan {

inline bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
const char *skipSpace(const char *p, const char *end);

// Follows one object or array (strings, escapes, nesting) through a buffer, or through the
// pieces of a body that arrives in parts: the state carries over from one scan to the next.
class ValueEndScanner
{
public:
    // One past the value's closing bracket in [p, end); nullptr when the value goes on past `end`.
    const char *scan(const char *p, const char *end);

private:
    int m_depth = 0;
    bool m_inString = false;
    bool m_escaped = false;
};

// One past the end of the object or array that starts at p; nullptr when the buffer ends
// first (a truncated value).
inline const char *findValueEnd(const char *p, const char *end) { return ValueEndScanner().scan(p, end); }

// A plausible record boundary at or after `from`: the '{' of "} , {" (spaces allowed).
// Only a candidate: a brace inside a string can fool it, so callers confirm it by
// reaching it from a known boundary.
const char *findRecordStartCandidate(const char *from, const char *end);

// True when the object [begin, end) has one of `keys` as a key of its own (not of a nested
// object). No unescaping: keys are compared as written.
bool hasOwnKey(const char *begin, const char *end, std::initializer_list<std::string_view> keys);

// Python's json module writes NaN, Infinity and -Infinity as bare words, which JSON (simdjson,
// QJsonDocument) rejects. Copies `text` into `out` with each of them outside strings written as
// null ("not recorded") and returns how many there were; with none, `out` is left empty. For
// each one, `shifts` (when given) gets the copy's size after its null and the original's offset
// after the word, so that a place in the copy can be traced back to the file.
struct NonFiniteShift
{
    size_t cleanedEnd;
    size_t originalEnd;
};
int rewriteNonFinite(std::string_view text, std::string &out, std::vector<NonFiniteShift> *shifts = nullptr);

// Newlines in [begin, end).
long long countNewlines(const char *begin, const char *end);
// 1-based line number of `p` (counts newlines).
long long lineOf(const char *begin, const char *p);

} // namespace Phaseline::JsonScan
