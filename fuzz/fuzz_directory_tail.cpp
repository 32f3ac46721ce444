// libFuzzer target: a directory of growing JSONL files followed by DirectoryTail. Each part of
// the input between form feeds is one change to the directory, then a scan. The part's first
// byte picks one of three files (bits 0-1) and what happens to it (bits 2-3): bytes appended
// (twice as likely), the file rewritten with them (truncated or replaced), or renamed to
// another of the three names. At the end the session's table is joined and checked.
#include "live/directorytail.h"
#include "fuzzsupport.h"
#include "live/livesession.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace {

const QTemporaryDir &scratch()
{
    static const QTemporaryDir directory;
    return directory;
}

QString fileName(int slot)
{
    return scratch().filePath(QStringLiteral("perf_metrics-%1.jsonl").arg(slot % 3));
}

void apply(std::string_view change)
{
    const auto op = static_cast<unsigned char>(change.front());
    const QString path = fileName(op & 3);
    const QByteArray bytes(change.data() + 1, qsizetype(change.size() - 1));
    QFile file(path);
    switch ((op >> 2) & 3) {
    case 0:
    case 1:
        if (file.open(QIODevice::WriteOnly | QIODevice::Append))
            file.write(bytes);
        break;
    case 2:
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(bytes);
        break;
    case 3:
        QFile::remove(fileName((op & 3) + 1));
        QFile::rename(path, fileName((op & 3) + 1));
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!scratch().isValid())
        __builtin_trap();
    for (int slot = 0; slot < 3; ++slot)
        QFile::remove(fileName(slot));
    Phaseline::Live::LiveSession session;
    Phaseline::Live::DirectoryTail tail(&session);
    tail.start(scratch().path(), 60 * 60 * 1000); // scans only when told to
    for (std::string_view change : PhaselineFuzz::splitParts(data, size, 16)) {
        if (change.empty())
            continue;
        apply(change);
        tail.scan();
    }
    tail.stop();
    const Phaseline::LoadResult table = session.buildTable();
    PhaselineFuzz::checkLoaded(table.table, table.issues);
    return 0;
}
