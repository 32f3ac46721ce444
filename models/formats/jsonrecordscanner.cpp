#include "formats/jsonrecordscanner.h"

#include <algorithm>
#include <cstring>

namespace Phaseline::JsonScan {

const char *skipSpace(const char *p, const char *end)
{
    while (p < end && isSpace(*p))
        ++p;
    return p;
}

const char *ValueEndScanner::scan(const char *p, const char *end)
{
    // Locals in the loop (it runs over every byte of a file), state kept for the next piece.
    int depth = m_depth;
    bool inString = m_inString;
    bool escaped = m_escaped;
    const char *found = nullptr;
    while (p < end && !found) {
        const char c = *p++;
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            found = p;
        }
    }
    m_depth = depth;
    m_inString = inString;
    m_escaped = escaped;
    return found;
}

const char *findRecordStartCandidate(const char *from, const char *end)
{
    const char *p = from;
    while (p < end) {
        p = static_cast<const char *>(std::memchr(p, '}', size_t(end - p)));
        if (!p)
            return nullptr;
        const char *q = skipSpace(p + 1, end);
        if (q < end && *q == ',') {
            q = skipSpace(q + 1, end);
            if (q < end && *q == '{')
                return q;
        }
        ++p;
    }
    return nullptr;
}

bool hasOwnKey(const char *begin, const char *end, std::initializer_list<std::string_view> keys)
{
    int depth = 0;
    for (const char *p = begin; p < end; ++p) {
        const char c = *p;
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == '"') {
            const char *text = p + 1;
            for (++p; p < end && *p != '"'; ++p)
                p += *p == '\\';
            if (p >= end)
                return false;
            const std::string_view name(text, size_t(p - text));
            if (depth == 1 && skipSpace(p + 1, end) < end && *skipSpace(p + 1, end) == ':'
                && std::find(keys.begin(), keys.end(), name) != keys.end())
                return true;
        }
    }
    return false;
}

long long countNewlines(const char *begin, const char *end)
{
    // memchr skips a line's bytes many at a time; a byte loop here cost a quarter of a JSONL load.
    long long count = 0;
    for (const char *p = begin; p < end; ++count) {
        p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (!p)
            break;
        ++p;
    }
    return count;
}

long long lineOf(const char *begin, const char *p)
{
    return 1 + countNewlines(begin, p);
}

int rewriteNonFinite(std::string_view text, std::string &out, std::vector<NonFiniteShift> *shifts)
{
    static constexpr std::string_view kWords[] = {"-Infinity", "Infinity", "NaN"};
    out.clear();
    int replaced = 0;
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
        for (std::string_view word : kWords) {
            if (text.compare(i, word.size(), word) != 0)
                continue;
            if (replaced++ == 0)
                out.reserve(text.size());
            out.append(text.data() + copiedUpTo, i - copiedUpTo);
            out.append("null");
            copiedUpTo = i + word.size();
            if (shifts)
                shifts->push_back(NonFiniteShift{out.size(), copiedUpTo});
            i = copiedUpTo - 1;
            break;
        }
    }
    if (replaced > 0)
        out.append(text.data() + copiedUpTo, text.size() - copiedUpTo);
    return replaced;
}

} // namespace Phaseline::JsonScan
