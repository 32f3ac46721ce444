// libFuzzer target: a live session fed response bodies. Parts of the input between form feeds
// are successive bodies from one server; each is split into records and added, then the first
// is delivered again (nothing in it may count as new). The session file is written, the table
// joined and its statistics computed.
#include "fuzzsupport.h"
#include "live/livesession.h"
#include "live/recordsplitter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Phaseline::Live::LiveSession session;
    QString error;
    if (!session.openSessionFile(QStringLiteral("/dev/null"), &error))
        __builtin_trap();
    const QString server = QStringLiteral("http://127.0.0.1:8000/perf_metrics");
    QList<QByteArray> firstBody;
    for (std::string_view part : PhaselineFuzz::splitParts(data, size, 4)) {
        const Phaseline::Live::SplitBody split =
            Phaseline::Live::splitRecordArray(QByteArray(part.data(), qsizetype(part.size())));
        if (firstBody.isEmpty())
            firstBody = split.records;
        session.addRecords(split.records, server);
    }
    if (session.addRecords(firstBody, server) != 0)
        __builtin_trap();
    const Phaseline::LoadResult table = session.buildTable();
    PhaselineFuzz::checkLoaded(table.table, table.issues);
    return 0;
}
