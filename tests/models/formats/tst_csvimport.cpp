// CSV importer: RFC 4180 dialects, the router/node test preset (seeds/001), Phaseline's own
// request-table export read back, durations-only files, bad rows, unrecognised headers and
// explicit column mappings.
//
// Expected values are hand computations from the CSV text in tests/data/csv (PROVENANCE.md);
// the arithmetic is written beside each expectation. The round trip compares the re-imported
// table with the table that was exported, request by request.

#include "testutils.h"
#include "ui/guitestmain.h"

#include "formats/csvimporter.h"
#include "core/csvreader.h"
#include "requestselection.h"
#include "requesttableview.h"

#include <QTemporaryDir>

#include <map>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

const QString kRouterCsv = QStringLiteral("csv/router_test_20250729_154540.csv");

double phaseMs(const RequestTable &table, const QString &name, int row, bool total = false)
{
    const QVector<PhaseDefinition> &list = total ? table.phases().totals() : table.phases().all();
    for (int i = 0; i < list.size(); ++i) {
        if (list[i].name != name)
            continue;
        const PhaseResolver resolver = total ? PhaseResolver(table, list) : PhaseResolver(table);
        double ms = 0;
        return resolver.duration(i, row, &ms) == PhaseState::Missing ? kMissing : ms;
    }
    return kMissing;
}

QString key(const RequestTable &table, int row)
{
    return table.id(row) + QLatin1Char('/') + roleName(table.role(row));
}

// The router test CSV in another dialect: separator, line ends, byte order mark.
QByteArray dialect(QByteArray csv, char separator, bool crlf, bool bom)
{
    // The file's only quoted fields hold commas or line breaks; separators elsewhere change.
    QByteArray out;
    bool quoted = false;
    for (char c : csv) {
        if (c == '"')
            quoted = !quoted;
        if (!quoted && c == ',')
            c = separator;
        if (!quoted && c == '\n' && crlf)
            out += '\r';
        out += c;
    }
    return bom ? QByteArray("\xEF\xBB\xBF") + out : out;
}

QByteArray readData(const QString &relative)
{
    QFile file(dataPath(relative));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCsvImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readerRfc4180()
    {
        const QByteArray text = "\xEF\xBB\xBF" "a;\"b;c\";\"d \"\"e\"\"\r\nf\"\r\n\r\n1;2;3\r\n";
        CsvReader reader(std::string_view(text.constData(), size_t(text.size())));
        QCOMPARE(reader.separator(), ';');
        QStringList fields;
        qint64 line = 0;
        QString error;
        QVERIFY(reader.next(&fields, &line, &error));
        QCOMPARE(fields, (QStringList{QStringLiteral("a"), QStringLiteral("b;c"), QStringLiteral("d \"e\"\r\nf")}));
        QCOMPARE(line, 1);
        QVERIFY(reader.next(&fields, &line, &error));
        QCOMPARE(fields, (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
        QCOMPARE(line, 4); // the quoted line break counts, the blank line is skipped
        QVERIFY(!reader.next(&fields, &line, &error));
    }

    // The seed's router test columns (seeds/001): epoch seconds from time.time().
    void routerPreset_data()
    {
        QTest::addColumn<QByteArray>("csv");
        const QByteArray original = readData(kRouterCsv);
        QTest::newRow("comma, LF") << original;
        QTest::newRow("semicolon, CRLF, BOM") << dialect(original, ';', true, true);
        QTest::newRow("tab, CRLF") << dialect(original, '\t', true, false);
    }
    void routerPreset()
    {
        QFETCH(QByteArray, csv);
        QTemporaryDir dir;
        const LoadResult loaded = loadInputs({writeFile(dir.path(), QStringLiteral("router.csv"), csv)});
        QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
        const RequestTable &table = loaded.table;
        QCOMPARE(table.size(), 4); // rows 0, 1, 2, 5; rows 3 and 4 are bad

        // Request 0: arrival .100000, forwarded .100250, created .102000, first token .180000,
        // finished 41.300000 (all 1753775140 + ...).
        const int r0 = rowOf(table, QStringLiteral("0"));
        QVERIFY(r0 >= 0);
        QCOMPARE(table.role(r0), Role::Aggregated);
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("routing"), r0), 0.25, 1e-6));      // .100250 - .100000
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("forward"), r0), 1.75, 1e-6));      // .102000 - .100250
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("server_ttft"), r0), 78.0, 1e-6));  // .180000 - .102000
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("response"), r0), 1120.0, 1e-6));   // 41.3 - 40.18
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("e2e"), r0, true), 1200.0, 1e-6));  // 41.3 - 40.1
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("ttft"), r0, true), 78.0, 1e-6));   // server side
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("router_ttft"), r0, true), 90.0, 1e-6)); // the ttft column
        // Exact epoch stamps: origin + relative = the text.
        const int arrival = table.stampIndex(QStringLiteral("router_arrival"));
        QCOMPARE(table.timeOriginSeconds() + std::floor(table.stamp(arrival, r0)), 1753775140.0);
        QVERIFY(closeTo(table.stamp(arrival, r0) - std::floor(table.stamp(arrival, r0)), 0.1, 1e-9));
        // queue_time_start/end are scheduler perf_counter readings (81234.5): not on the epoch
        // line, so the queue phase is not placed; the numbers stay as attributes.
        QVERIFY(isMissing(phaseMs(table, QStringLiteral("queue"), r0)));
        QCOMPARE(table.attribute(QStringLiteral("queue_time_start"), r0), 81234.5);
        QVERIFY(closeTo(table.attribute(QStringLiteral("pure_queue_time (ms)"), r0), 30.0, 1e-9));
        QCOMPARE(table.attribute(QStringLiteral("input_tokens"), r0), 512.0);
        QCOMPARE(table.attribute(QStringLiteral("output_tokens"), r0), 64.0);
        QCOMPARE(table.label(QStringLiteral("status"), r0), QStringLiteral("ok"));
        QCOMPARE(table.label(QStringLiteral("server"), r0), QStringLiteral("localhost:40005"));
        QVERIFY(table.label(QStringLiteral("clock"), r0).startsWith(QLatin1String("epoch")));

        // Request 1: quoted server with a comma and doubled quotes.
        const int r1 = rowOf(table, QStringLiteral("1"));
        QCOMPARE(table.label(QStringLiteral("server"), r1), QStringLiteral("localhost:40006, rack \"b\""));
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("server_ttft"), r1), 297.0, 1e-6)); // .600 - .303
        // Request 2 failed (success False): no server stamps, shown as failed.
        const int r2 = rowOf(table, QStringLiteral("2"));
        QCOMPARE(table.label(QStringLiteral("status"), r2), QStringLiteral("failed"));
        QVERIFY(isMissing(phaseMs(table, QStringLiteral("server_ttft"), r2)));
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("e2e"), r2, true), 20.0, 1e-6)); // .520 - .500
        // Request 5: a server name with a line break inside quotes.
        const int r5 = rowOf(table, QStringLiteral("5"));
        QCOMPARE(table.label(QStringLiteral("server"), r5).split(QRegularExpression(QStringLiteral("\r?\n"))),
                 (QStringList{QStringLiteral("node b"), QStringLiteral("second line")}));
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("response"), r5), 200.0, 1e-6)); // 41.05 - 40.85
    }

    void badRowsReportedWithLine()
    {
        const LoadResult &loaded = loadOnce(kRouterCsv);
        const QVector<LoadIssue> warnings = issuesOf(loaded, LoadIssue::Warning);
        QCOMPARE(warnings.size(), 2);
        QCOMPARE(warnings[0].line, 5); // request 3: arrival_time "abc"
        QCOMPARE(warnings[0].byteOffset, readData(kRouterCsv).indexOf("\n3,") + 1);
        QVERIFY(warnings[0].message.contains(QLatin1String("arrival_time")));
        QVERIFY(warnings[0].message.contains(QLatin1String("row skipped")));
        QCOMPARE(warnings[1].line, 6); // request 4: 5 fields of 18
        QVERIFY(warnings[1].message.contains(QLatin1String("5 fields")));
        QVERIFY(warnings[0].input.endsWith(QLatin1String("router_test_20250729_154540.csv")));
    }

    void unclosedQuote()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir.path(), QStringLiteral("cut.csv"),
                                       "id,ttft_ms\n1,10\n2,\"20\n3,30\n");
        const LoadResult loaded = loadInputs({path});
        QCOMPARE(loaded.table.size(), 1);
        const LoadIssue *issue = findIssue(loaded, LoadIssue::Warning, QStringLiteral("not closed"));
        QVERIFY2(issue, qPrintable(describeIssues(loaded)));
        QCOMPARE(issue->line, 3);
    }

    // Durations only (ms in the names): aligned clock, every request starts at 0.
    void durationsOnly()
    {
        const LoadResult &loaded = loadOnce(QStringLiteral("csv/durations_only_ms.csv"));
        QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
        const RequestTable &table = loaded.table;
        QCOMPARE(table.size(), 2);
        // a: queue 12.5, prefill 40, decode 800 chain from 0; ttft 55 > 12.5 + 40 leaves 2.5 ms
        // before the queue (frontend); e2e 860 > 2.5 + 12.5 + 40 + 800 leaves 5 ms after decode.
        const int a = rowOf(table, QStringLiteral("a"));
        QVERIFY(isAlignedClock(table.label(QStringLiteral("clock"), a)));
        const QStringList phases{QStringLiteral("frontend"), QStringLiteral("queue"), QStringLiteral("prefill"),
                                 QStringLiteral("decode"), QStringLiteral("finish")};
        const double expected[] = {2.5, 12.5, 40, 800, 5};
        for (int i = 0; i < phases.size(); ++i)
            QVERIFY2(closeTo(phaseMs(table, phases[i], a), expected[i], 1e-9),
                     qPrintable(mismatch(qPrintable(phases[i]), phaseMs(table, phases[i], a), expected[i])));
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("ttft"), a, true), 55, 1e-9));
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("e2e"), a, true), 860, 1e-9));
        QCOMPARE(table.stamp(QStringLiteral("server_received"), a), 0.0); // the request's 0
        QCOMPARE(table.attribute(QStringLiteral("output_tokens"), a), 64.0);
        // b: queue 0, prefill 35.5, ttft 40: frontend 4.5; no decode, no e2e.
        const int b = rowOf(table, QStringLiteral("b"));
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("frontend"), b), 4.5, 1e-9));
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("queue"), b), 0, 1e-9));
        QVERIFY(isMissing(phaseMs(table, QStringLiteral("decode"), b)));
        QVERIFY(isMissing(phaseMs(table, QStringLiteral("e2e"), b, true)));
    }

    // launch_time, finish_time, ttft and generation_time (csv/client_launch_finish_generation.csv):
    // start and finish stamps by name, generation_time by value, so e2e and decode come out too.
    // The second row set writes generation_time as the whole request (finish - launch).
    void launchFinishGeneration_data()
    {
        QTest::addColumn<bool>("generationIsWhole");
        QTest::addColumn<QString>("generationTarget");
        QTest::newRow("generation after the first token") << false << QStringLiteral("client_first_token>client_end");
        QTest::newRow("generation = the whole request") << true << QStringLiteral("e2e");
    }
    void launchFinishGeneration()
    {
        QFETCH(bool, generationIsWhole);
        QFETCH(QString, generationTarget);
        QFile file(dataPath(QStringLiteral("csv/client_launch_finish_generation.csv")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray csv = file.readAll();
        if (generationIsWhole) { // finish - launch per row: 1.25, 0.8, 1.8, 0.6
            csv.replace(",1.130,", ",1.250,").replace(",0.705,", ",0.800,").replace(",1.590,", ",1.800,")
                .replace(",0.520,", ",0.600,");
        }
        const CsvPreview preview = readCsvPreview(std::string_view(csv.constData(), size_t(csv.size())), 5);
        const CsvColumnMapping mapping = CsvImporter::recognise(preview, nullptr);
        QCOMPARE(mapping.columns[1].target, QStringLiteral("client_sent"));
        QCOMPARE(mapping.columns[2].target, QStringLiteral("client_end"));
        QCOMPARE(mapping.columns[4].kind, CsvColumnMapping::Kind::Duration);
        QCOMPARE(mapping.columns[4].target, generationTarget);

        QTemporaryDir dir;
        const LoadResult loaded = loadInputs({writeFile(dir.path(), QStringLiteral("client.csv"), csv)});
        QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
        const RequestTable &table = loaded.table;
        QCOMPARE(table.size(), 4);
        // Per row: ttft, e2e = finish - launch, decode = e2e - ttft (first token -> finish), in ms.
        const struct { const char *id; double ttft, e2e, decode; } expected[] = {
            {"r1", 120, 1250, 1130}, {"r2", 95, 800, 705}, {"r3", 210, 1800, 1590}, {"r4", 80, 600, 520}};
        for (const auto &request : expected) {
            const int row = rowOf(table, QString::fromLatin1(request.id));
            QCOMPARE(table.role(row), Role::Client);
            QVERIFY(closeTo(phaseMs(table, QStringLiteral("client_ttft"), row), request.ttft, 1e-6));
            QVERIFY(closeTo(phaseMs(table, QStringLiteral("e2e"), row, true), request.e2e, 1e-6));
            QVERIFY(closeTo(phaseMs(table, QStringLiteral("decode"), row), request.decode, 1e-6));
            QVERIFY(isMissing(phaseMs(table, QStringLiteral("client_tail"), row))); // no last-token time
        }
    }

    void unrecognisedHeader()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir.path(), QStringLiteral("odd.csv"), "who,when,how long\nx,5,7\ny,6,8\n");
        const LoadResult loaded = loadInputs({path});
        QVERIFY(loaded.hasErrors());
        QCOMPARE(loaded.table.size(), 0);
        const LoadIssue *issue = findIssue(loaded, LoadIssue::Error, QStringLiteral("not recognised"));
        QVERIFY2(issue, qPrintable(describeIssues(loaded)));
        QVERIFY(issue->message.contains(QLatin1String("who, when, how long")));
        QCOMPARE(issue->line, 1);
        QCOMPARE(loaded.unmappedCsvFiles, QStringList{path});
    }

    // The user's mapping for that header: through LoadControl (as the window does) and directly.
    void explicitMapping_data()
    {
        QTest::addColumn<bool>("relative");
        QTest::addColumn<QString>("clockPrefix");
        QTest::newRow("absolute") << false << QStringLiteral("clock of"); // 5 s is no epoch time
        QTest::newRow("relative to each request") << true << QStringLiteral("no wall clock");
    }
    void explicitMapping()
    {
        QFETCH(bool, relative);
        QFETCH(QString, clockPrefix);
        QTemporaryDir dir;
        const QByteArray csv = "who,when,how long\nx,5,7\ny,6,8\n";
        const QString path = writeFile(dir.path(), QStringLiteral("odd.csv"), csv);
        CsvColumnMapping mapping;
        mapping.absoluteStamps = !relative;
        mapping.columns = {{CsvColumnMapping::Kind::Id, QString(), CsvColumnMapping::Unit::Seconds},
                           {CsvColumnMapping::Kind::Stamp, QStringLiteral("server_received"), CsvColumnMapping::Unit::Seconds},
                           {CsvColumnMapping::Kind::Duration, QStringLiteral("e2e"), CsvColumnMapping::Unit::Milliseconds}};
        // Remembered as text and read back unchanged.
        CsvColumnMapping reread;
        QVERIFY(CsvColumnMapping::fromText(mapping.toText(), &reread));
        QCOMPARE(reread.toText(), mapping.toText());

        LoadControl control;
        control.csvMappings.insert(QStringLiteral("who,when,how long"), reread);
        const LoadResult loaded = loadInputs({path}, &control);
        QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
        QVERIFY(loaded.unmappedCsvFiles.isEmpty());
        QCOMPARE(loaded.table.size(), 2);
        const int y = rowOf(loaded.table, QStringLiteral("y"));
        // e2e 8 ms from server_received: the first e2e span with its start recorded.
        QVERIFY(closeTo(phaseMs(loaded.table, QStringLiteral("e2e"), y, true), 8.0, 1e-9));
        QVERIFY(loaded.table.label(QStringLiteral("clock"), y).startsWith(clockPrefix));

        const FileImport direct = CsvImporter::importWithMapping(std::string_view(csv.constData(), size_t(csv.size())),
                                                                 path, mapping);
        QCOMPARE(direct.table.size(), 2);
    }

    // Cells a spreadsheet would run as formulas are written inert (a leading apostrophe) and read
    // back as they were; numbers, negative ones included, are written as they are.
    void exportNeutralisesFormulas_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("written");
        QTest::newRow("equals") << QStringLiteral("=cmd|' /C calc'!A0") << QStringLiteral("'=cmd|' /C calc'!A0");
        QTest::newRow("plus") << QStringLiteral("+1+cmd") << QStringLiteral("'+1+cmd");
        QTest::newRow("minus") << QStringLiteral("-2+3") << QStringLiteral("'-2+3");
        QTest::newRow("at") << QStringLiteral("@SUM(A1:A9)") << QStringLiteral("'@SUM(A1:A9)");
        QTest::newRow("with a comma") << QStringLiteral("=HYPERLINK(\"x\",1)") << QStringLiteral("\"'=HYPERLINK(\"\"x\"\",1)\"");
        QTest::newRow("negative number") << QStringLiteral("-17") << QStringLiteral("-17");
        QTest::newRow("plain") << QStringLiteral("req-1") << QStringLiteral("req-1");
    }
    void exportNeutralisesFormulas()
    {
        QFETCH(QString, id);
        QFETCH(QString, written);
        QTemporaryDir dir;
        const QString input = writeFile(dir.path(), QStringLiteral("in.csv"),
                                        "request_id,e2e_latency_ms\n" + csvField(id).toUtf8() + ",12\n");
        const LoadResult loaded = loadInputs({input});
        QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
        QCOMPARE(loaded.table.id(0), id);
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(loaded.table));
        const QString exported = dir.filePath(QStringLiteral("requests.csv"));
        QString error;
        QVERIFY2(view.exportCsv(exported, &error), qPrintable(error));
        QFile file(exported);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QVERIFY(lines.size() > 1);
        QVERIFY2(lines[1].startsWith(QByteArray(written.toUtf8() + ',')), lines[1].constData());
        const LoadResult reloaded = loadInputs({exported});
        QVERIFY2(!reloaded.hasErrors(), qPrintable(describeIssues(reloaded)));
        QCOMPARE(reloaded.table.id(0), id);
    }

    // Export from the request table, import the file: same requests, labels, stamps, durations.
    void roundTripThroughTableExport_data()
    {
        QTest::addColumn<QString>("input");
        QTest::newRow("router CSV") << kRouterCsv;
        QTest::newRow("durations only") << QStringLiteral("csv/durations_only_ms.csv");
        QTest::newRow("TensorRT-LLM aggregated") << QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json");
        QTest::newRow("TensorRT-LLM disaggregated") << QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json");
        QTest::newRow("SGLang request metrics") << QStringLiteral("sglang/sglang-request-metrics-20251122_22.log");
        QTest::newRow("vLLM OTel spans") << QStringLiteral("vllm-otel/otlp_file_exporter_traces.jsonl");
    }
    void roundTripThroughTableExport()
    {
        QFETCH(QString, input);
        const RequestTable &original = loadOnce(input).table;
        QVERIFY(!original.isEmpty());
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(original));
        QTemporaryDir dir;
        const QString exported = dir.filePath(QStringLiteral("requests.csv"));
        QString error;
        QVERIFY2(view.exportCsv(exported, &error), qPrintable(error));

        const LoadResult reloaded = loadInputs({exported});
        QVERIFY2(reloaded.issues.isEmpty(), qPrintable(describeIssues(reloaded)));
        const RequestTable &copy = reloaded.table;
        QCOMPARE(copy.size(), original.size());
        std::map<QString, int> rowOfKey;
        for (int row = 0; row < copy.size(); ++row)
            rowOfKey[key(copy, row)] = row;
        QCOMPARE(int(rowOfKey.size()), copy.size());

        const PhaseResolver originalPhases(original);
        const PhaseResolver originalTotals(original, original.phases().totals());
        const PhaseResolver copyPhases(copy);
        const PhaseResolver copyTotals(copy, copy.phases().totals());
        const int clock = original.labelIndex(QStringLiteral("clock"));
        int comparedStamps = 0, comparedDurations = 0;
        for (int row = 0; row < original.size(); ++row) {
            const auto found = rowOfKey.find(key(original, row));
            QVERIFY2(found != rowOfKey.end(), qPrintable(key(original, row)));
            const int other = found->second;
            const QString where = key(original, row);
            for (int l = 0; l < original.labelCount(); ++l) {
                const LabelColumn &labels = original.labelColumn(l);
                QCOMPARE(copy.label(labels.name, other), labels.at(row));
            }
            for (int a = 0; a < original.attributeCount(); ++a) {
                const NumberColumn &column = original.attributeColumn(a);
                if (column.isAllocated() && !isMissing(column.at(row)))
                    QCOMPARE(copy.attribute(column.name, other), column.at(row));
            }
            const bool aligned = clock >= 0 && isAlignedClock(original.labelColumn(clock).at(row));
            for (int s = 0; s < original.stampColumnCount(); ++s) {
                const NumberColumn &column = original.stampColumn(s);
                const double mine = column.at(row);
                const double theirs = copy.stamp(column.name, other);
                QCOMPARE(isMissing(theirs), isMissing(mine));
                if (isMissing(mine))
                    continue;
                // Origins are integral seconds: their difference is exact.
                ++comparedStamps;
                const double originShift = aligned ? 0 : copy.timeOriginSeconds() - original.timeOriginSeconds();
                QVERIFY2(closeTo(theirs + originShift, mine, 2e-9),
                         qPrintable(where + QLatin1Char(' ') + mismatch(qPrintable(column.name), theirs + originShift, mine)));
            }
            auto compareDurations = [&](const QVector<PhaseDefinition> &list, const PhaseResolver &mineResolver,
                                        const QVector<PhaseDefinition> &theirList, const PhaseResolver &theirResolver) {
                for (int p = 0; p < list.size(); ++p) {
                    double mine = 0, theirs = 0;
                    const PhaseState state = mineResolver.duration(p, row, &mine);
                    int q = 0;
                    while (q < theirList.size() && theirList[q].name != list[p].name)
                        ++q;
                    if (state == PhaseState::Missing)
                        continue;
                    QVERIFY2(q < theirList.size(), qPrintable(list[p].name));
                    QCOMPARE(theirResolver.duration(q, other, &theirs), state);
                    ++comparedDurations;
                    QVERIFY2(closeTo(theirs, mine, 1e-6), qPrintable(where + QLatin1Char(' ') + mismatch(qPrintable(list[p].name), theirs, mine)));
                }
            };
            compareDurations(original.phases().all(), originalPhases, copy.phases().all(), copyPhases);
            compareDurations(original.phases().totals(), originalTotals, copy.phases().totals(), copyTotals);
        }
        QVERIFY(comparedStamps >= original.size());
        QVERIFY(comparedDurations >= original.size());
        QVERIFY(QFile(exported).size() > 0);
        // Nothing lost or invented: the same phases and totals, with the same anomalies.
        const StatisticsReport before = computeStatistics(original);
        const StatisticsReport after = computeStatistics(copy);
        QCOMPARE(phaseNames(after), phaseNames(before));
        for (int p = 0; p < before.phases.size(); ++p)
            QCOMPARE(after.phases[p].anomalies, before.phases[p].anomalies);
        QStringList totalsBefore, totalsAfter;
        for (const PhaseStatistics &total : before.totals)
            totalsBefore << total.name;
        for (const PhaseStatistics &total : after.totals)
            totalsAfter << total.name;
        QCOMPARE(totalsAfter, totalsBefore);
    }

    void recognitionPresets_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("firstTiming"); // kind:target of the first stamp/duration column
        QTest::newRow("router") << QByteArray("req_id,arrival_time,finish_time\n1,1753775140.1,1753775141\n")
                                << QStringLiteral("router/node test") << QStringLiteral("stamp:router_arrival");
        QTest::newRow("export") << QByteArray("id,role,server,status,queue,clock\n1,aggregated,,ok,3.0,x\n")
                                << QStringLiteral("Phaseline request table") << QStringLiteral("duration:queue");
        QTest::newRow("by name, unit from suffix")
            << QByteArray("request id,TTFT (ms)\n1,20\n") << QStringLiteral("columns by name")
            << QStringLiteral("duration:ttft");
        QTest::newRow("epoch ns stamp") << QByteArray("id,client_sent\n1,1753775140123456789\n")
                                        << QStringLiteral("columns by name") << QStringLiteral("stamp:client_sent");
    }
    void recognitionPresets()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, preset);
        QFETCH(QString, firstTiming);
        const CsvPreview preview = readCsvPreview(std::string_view(header.constData(), size_t(header.size())), 5);
        QString found;
        const CsvColumnMapping mapping = CsvImporter::recognise(preview, &found);
        QCOMPARE(found, preset);
        QCOMPARE(mapping.columns.first().kind, CsvColumnMapping::Kind::Id);
        for (const CsvColumnMapping::Column &column : mapping.columns) {
            if (column.kind == CsvColumnMapping::Kind::Stamp || column.kind == CsvColumnMapping::Kind::Duration) {
                QCOMPARE(CsvColumnMapping::kindName(column.kind) + QLatin1Char(':') + column.target, firstTiming);
                break;
            }
        }
    }

    // Stamps starting at 0 in every row: relative to each request's start, an aligned clock.
    void relativeStamps()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir.path(), QStringLiteral("relative.csv"),
                                       "id,client_sent,client_first_token,client_end\n1,0,0.05,0.5\n2,0,0.08,0.9\n");
        const LoadResult loaded = loadInputs({path});
        QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
        const RequestTable &table = loaded.table;
        const int second = rowOf(table, QStringLiteral("2"));
        QCOMPARE(table.role(second), Role::Client);
        QVERIFY(isAlignedClock(table.label(QStringLiteral("clock"), second)));
        QCOMPARE(table.stamp(QStringLiteral("client_sent"), second), 0.0); // 0 is the start, not "missing"
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("client_ttft"), second), 80, 1e-9)); // 0.08 - 0
        QVERIFY(closeTo(phaseMs(table, QStringLiteral("e2e"), second, true), 900, 1e-9));  // 0.9 - 0
    }

    void epochNanosecondsExact()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir.path(), QStringLiteral("ns.csv"),
                                       "id,client_sent,client_end\n1,1753775140123456789,1753775140123457789\n");
        const LoadResult loaded = loadInputs({path});
        QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
        QCOMPARE(loaded.table.role(0), Role::Client);
        // 1000 ns apart, kept exactly although epoch ns exceed 2^53.
        QVERIFY(closeTo(phaseMs(loaded.table, QStringLiteral("e2e"), 0, true), 0.001, 1e-12));
        QVERIFY(closeTo(loaded.table.stamp(QStringLiteral("client_sent"), 0), 0.123456789, 1e-12));
    }
};

PHASELINE_GUI_TEST_MAIN(TestCsvImport)
#include "tst_csvimport.moc"
