#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace Phaseline::JsonScan {

inline bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
const char *skipSpace(const char *p, const char *end);

// One past the end of the object or array that starts at p, tracking strings and
// escapes; nullptr when the buffer ends first (a truncated value).
const char *findValueEnd(const char *p, const char *end);

// A plausible record boundary at or after `from`: the '{' of "} , {" (spaces allowed).
// Only a candidate: a brace inside a string can fool it, so callers confirm it by
// reaching it from a known boundary.
const char *findRecordStartCandidate(const char *from, const char *end);

// True when the object [begin, end) has one of `keys` as a key of its own (not of a nested
// object). No unescaping: keys are compared as written.
bool hasOwnKey(const char *begin, const char *end, std::initializer_list<std::string_view> keys);

// 1-based line number of `p` (counts newlines; for error messages only).
long long lineOf(const char *begin, const char *p);

} // namespace Phaseline::JsonScan
