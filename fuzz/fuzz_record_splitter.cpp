// libFuzzer target: a /perf_metrics response body cut into records. Every record must be a
// piece of the body, in order, from '{' to the bracket that closes it (the scanner counts '}'
// and ']' alike, so "{...]" passes here and is rejected when parsed); a problem has a place
// inside the body.
#include "fuzzsupport.h"
#include "live/recordsplitter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const Phaseline::Live::SplitBody split = Phaseline::Live::splitRecordArray(body);
    qsizetype from = 0;
    for (const QByteArray &record : split.records) {
        const qsizetype at = body.indexOf(record, from);
        if (at < 0 || !record.startsWith('{') || !(record.endsWith('}') || record.endsWith(']')))
            __builtin_trap();
        from = at + record.size();
        if (Phaseline::Live::asJsonLine(record).contains('\n'))
            __builtin_trap();
    }
    if (!split.problem.isEmpty() && (split.problemOffset < 0 || split.problemOffset > body.size()))
        __builtin_trap();
    return 0;
}
