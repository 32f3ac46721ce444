// The breakdown's model without painting: "order by arrival" reads the arrival stamps of every
// format (client, server and TensorRT-LLM), not only TensorRT-LLM's.
//
// Expected counts and the request that arrived last were read from the files by
// tests/tools/arrival_order.py (standard library, no Phaseline code).

#include "testutils.h"

#include "core/arrival.h"
#include "analysis/breakdownmodel.h"
#include "load/loader.h"

using namespace Phaseline;
using namespace PhaselineTest;

class TestBreakdownModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void orderByArrivalReadsEveryFormat_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("arrived");
        QTest::addColumn<QString>("lastToArrive");
        QTest::newRow("vLLM bench (client_sent)")
            << QStringLiteral("vllm/openai-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.json") << 12 << QStringLiteral("11");
        QTest::newRow("GuideLLM (client_enqueued; the errored request is listed last, arrived earlier)")
            << QStringLiteral("guidellm/benchmarks.json") << 12 << QStringLiteral("2c487c79-8e8e-4e8a-baf8-569825192c16");
        QTest::newRow("AIPerf (client_sent)") << QStringLiteral("aiperf/profile_export.jsonl") << 12
                                              << QStringLiteral("6767a647-e578-4865-8f2c-d70ac2f4979e");
        QTest::newRow("SGLang request metrics (server_received)")
            << QStringLiteral("sglang/sglang-request-metrics-20251122_22.log") << 11
            << QStringLiteral("3558c4b1a7d74cd4934806db323d773f");
        QTest::newRow("TensorRT-LLM disaggregated") << QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json") << -1 << QString();
    }

    void orderByArrivalReadsEveryFormat()
    {
        QFETCH(QString, path);
        QFETCH(int, arrived);
        QFETCH(QString, lastToArrive);
        const LoadResult loaded = loadInputs({dataPath(path)});
        QVERIFY2(loaded.loadedAnything(), qPrintable(path));
        const RequestTable &table = loaded.table;
        BreakdownModel model;
        model.setTable(PhaselineTest::snapshotOf(table));
        model.setOrder(BreakdownModel::Order::Arrival);

        int withArrival = 0;
        for (int row = 0; row < table.size(); ++row) {
            QCOMPARE(isMissing(model.arrival(row)), isMissing(arrivalOf(table, row)));
            if (!isMissing(model.arrival(row))) {
                ++withArrival;
                QCOMPARE(model.arrival(row), arrivalOf(table, row));
            }
        }
        if (arrived >= 0)
            QCOMPARE(withArrival, arrived);
        else
            QCOMPARE(withArrival, table.size());
        QVERIFY(!isMissing(model.runStart()));

        // Ascending arrival, those without one last.
        const std::vector<int> &order = model.orderedRows();
        for (size_t i = 1; i < order.size(); ++i) {
            const double before = model.arrival(order[i - 1]), at = model.arrival(order[i]);
            QVERIFY2(isMissing(at) || (!isMissing(before) && before <= at), qPrintable(QString::number(i)));
        }
        if (!lastToArrive.isEmpty())
            QCOMPARE(table.id(order[size_t(arrived - 1)]), lastToArrive);
    }

    // The earliest of the arrival stamps wins: the client's enqueue before its send, the
    // server's receipt before the engine's queue; no arrival stamp at all is missing.
    void arrivalIsTheEarliestArrivalStamp()
    {
        RequestTable table;
        table.setPhases(PhaseCatalog::common());
        const int enqueued = table.addStampColumn(QStringLiteral("client_enqueued"));
        const int sent = table.addStampColumn(QStringLiteral("client_sent"));
        const int received = table.addStampColumn(QStringLiteral("server_received"));
        const int engine = table.addStampColumn(QStringLiteral("engine_enqueued"));
        const int firstToken = table.addStampColumn(QStringLiteral("first_token"));
        const int client = table.appendRow("client", Role::Client);
        table.setStampSeconds(sent, client, 1000.5);
        table.setStampSeconds(enqueued, client, 1000.25);
        const int server = table.appendRow("server", Role::Aggregated);
        table.setStampSeconds(engine, server, 1000.75);
        table.setStampSeconds(received, server, 1000.125);
        const int engineOnly = table.appendRow("engine only", Role::Aggregated);
        table.setStampSeconds(engine, engineOnly, 1001.0);
        const int none = table.appendRow("no arrival", Role::Aggregated);
        table.setStampSeconds(firstToken, none, 1002.0);

        const double origin = arrivalOf(table, server); // the earliest stamp of all: 1000.125
        PHASELINE_COMPARE_NEAR(arrivalOf(table, client) - origin, 0.125, 1e-9);
        PHASELINE_COMPARE_NEAR(arrivalOf(table, engineOnly) - origin, 0.875, 1e-9);
        QVERIFY(isMissing(arrivalOf(table, none)));

        BreakdownModel model;
        model.setTable(PhaselineTest::snapshotOf(table));
        model.setOrder(BreakdownModel::Order::Arrival);
        QCOMPARE(model.orderedRows(), (std::vector<int>{server, client, engineOnly, none}));
    }
};

QTEST_GUILESS_MAIN(TestBreakdownModel)
#include "tst_breakdownmodel.moc"
