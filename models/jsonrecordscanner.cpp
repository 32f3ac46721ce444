#include "jsonrecordscanner.h"

#include <algorithm>
#include <cstring>

namespace Phaseline::JsonScan {

const char *skipSpace(const char *p, const char *end)
{
    while (p < end && isSpace(*p))
        ++p;
    return p;
}

const char *findValueEnd(const char *p, const char *end)
{
    int depth = 0;
    while (p < end) {
        const char c = *p++;
        switch (c) {
        case '"':
            for (;;) {
                if (p >= end)
                    return nullptr;
                const char d = *p++;
                if (d == '\\')
                    ++p;
                else if (d == '"')
                    break;
            }
            break;
        case '{':
        case '[':
            ++depth;
            break;
        case '}':
        case ']':
            if (--depth == 0)
                return p;
            break;
        default:
            break;
        }
    }
    return nullptr;
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

long long lineOf(const char *begin, const char *p)
{
    return 1 + std::count(begin, p, '\n');
}

} // namespace Phaseline::JsonScan
