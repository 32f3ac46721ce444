// Live session costs at scale (run by hand): parsing/de-duplicating batches as they arrive,
// and the full rebuild (copy + join) a live view does at most every 500 ms.
// Usage: bench_live [requests]   (default 100000; disaggregated: 3 records per request)

#include "live/livesession.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

using namespace Phaseline;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int requests = argc > 1 ? QByteArray(argv[1]).toInt() : 100000;
    QTextStream out(stdout);
    for (const bool disaggregated : {false, true}) {
        Live::LiveSession session;
        QElapsedTimer timer;
        qint64 addNs = 0;
        constexpr int kBatch = 1000;
        for (int first = 0; first < requests; first += kBatch) {
            QList<QByteArray> batch;
            for (int id = first; id < std::min(requests, first + kBatch); ++id) {
                const double t = 1946966.0 + id * 0.01;
                const QByteArray timing = QStringLiteral("\"timing_metrics\": {\"server_arrival_time\": %1, \"arrival_time\": %2, "
                                                         "\"first_scheduled_time\": %3, \"first_token_time\": %4, "
                                                         "\"server_first_token_time\": %5, \"last_token_time\": %6}")
                                              .arg(t, 0, 'f', 6).arg(t + 0.002, 0, 'f', 6).arg(t + 0.01, 0, 'f', 6)
                                              .arg(t + 0.08, 0, 'f', 6).arg(t + 0.081, 0, 'f', 6).arg(t + 1.2, 0, 'f', 6)
                                              .toUtf8();
                if (!disaggregated) {
                    batch << "{\"request_id\": " + QByteArray::number(id) + ", \"perf_metrics\": {" + timing + "}}";
                    continue;
                }
                const QByteArray keys = ", \"ctx_request_id\": " + QByteArray::number(id) + ", \"disagg_request_id\": "
                                        + QByteArray::number(id);
                // A context record produces one token: first_token_time == last_token_time.
                QByteArray contextTiming = timing;
                contextTiming.replace(QByteArray::number(t + 1.2, 'f', 6), QByteArray::number(t + 0.08, 'f', 6));
                batch << "{\"request_id\": " + QByteArray::number(id) + keys + ", \"perf_metrics\": {" + contextTiming + "}}";
                batch << "{\"request_id\": " + QByteArray::number(id) + keys + ", \"perf_metrics\": {" + timing
                             + ", \"kv_cache_size\": 1024}}";
                batch << "{\"ctx_server\": \"a:1\", \"gen_server\": \"b:2\", \"disagg_server_arrival_time\": "
                             + QByteArray::number(t - 0.001, 'f', 6) + ", \"disagg_server_first_token_time\": "
                             + QByteArray::number(t + 0.09, 'f', 6) + keys + "}";
            }
            timer.start();
            session.addRecords(batch, QStringLiteral("bench"));
            addNs += timer.nsecsElapsed();
        }
        timer.start();
        const LoadResult result = session.buildTable();
        const qint64 rebuildNs = timer.nsecsElapsed();
        out << (disaggregated ? "disaggregated" : "aggregated") << ": " << session.recordsKept() << " records -> "
            << result.table.size() << " requests; adding (parse + de-duplicate) " << addNs / 1e6 << " ms total, "
            << addNs / double(session.recordsKept()) / 1e3 << " us/record; one rebuild (copy + join) "
            << rebuildNs / 1e6 << " ms\n";
    }
    return 0;
}
