// Datasets: each input given is kept apart (names, rows, statistics per dataset equal to
// the statistics of that input alone), a single input has none, names stay unique, and
// records joined across inputs belong to the router record's input.

#include "datasets.h"
#include "statisticsformat.h"
#include "testutils.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

const QString kAggregated = QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json");
const QString kOlder = QStringLiteral("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json");

} // namespace

class TestDatasets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void singleInputHasNoDatasets();
    void twoInputsStayApart();
    void namesAreUnique_data();
    void namesAreUnique();
    void joinedRecordsBelongToTheRouterInput();
    void statisticsOutputPerDataset();
};

void TestDatasets::singleInputHasNoDatasets()
{
    const LoadResult loaded = loadInputs({dataPath(kAggregated)});
    QVERIFY(datasetsOf(loaded.table).empty());
    QVERIFY(computeDatasetStatistics(loaded.table).isEmpty());
}

void TestDatasets::twoInputsStayApart()
{
    const LoadResult both = loadInputs({dataPath(kAggregated), dataPath(kOlder)});
    const std::vector<Dataset> datasets = datasetsOf(both.table);
    QCOMPARE(int(datasets.size()), 2);
    QCOMPARE(datasets[0].name, QStringLiteral("endpoint_B_agg_server_stamps.json"));
    QCOMPARE(datasets[1].name, QStringLiteral("endpoint_A_agg_2025-09_no_server_stamps.json"));

    // Each dataset's statistics equal those of its file loaded alone.
    const QVector<DatasetStatistics> perDataset = computeDatasetStatistics(both.table);
    const QString files[] = {kAggregated, kOlder};
    for (int i = 0; i < 2; ++i) {
        const LoadResult alone = loadInputs({dataPath(files[i])});
        const StatisticsReport expected = computeStatistics(alone.table);
        const StatisticsReport &actual = perDataset[i].report;
        QCOMPARE(actual.requests, expected.requests);
        QCOMPARE(phaseNames(actual), phaseNames(expected));
        for (int p = 0; p < expected.phases.size(); ++p) {
            QCOMPARE(actual.phases[p].count, expected.phases[p].count);
            QVERIFY2(closeTo(actual.phases[p].median, expected.phases[p].median, kToleranceMs),
                     qPrintable(mismatch("median", actual.phases[p].median, expected.phases[p].median)));
            QVERIFY(closeTo(actual.phases[p].p99, expected.phases[p].p99, kToleranceMs));
        }
    }
}

void TestDatasets::namesAreUnique_data()
{
    QTest::addColumn<QStringList>("inputs");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("different files") << QStringList{QStringLiteral("/a/run1.json"), QStringLiteral("/a/run2.json")}
                                     << QStringList{QStringLiteral("run1.json"), QStringLiteral("run2.json")};
    QTest::newRow("same name, other directories")
        << QStringList{QStringLiteral("/x/before/perf.json"), QStringLiteral("/x/after/perf.json")}
        << QStringList{QStringLiteral("before/perf.json"), QStringLiteral("after/perf.json")};
    QTest::newRow("directories") << QStringList{QStringLiteral("/runs/a/"), QStringLiteral("/runs/b")}
                                 << QStringList{QStringLiteral("a"), QStringLiteral("b")};
}

void TestDatasets::namesAreUnique()
{
    QFETCH(QStringList, inputs);
    QFETCH(QStringList, names);
    QStringList cleaned;
    for (const QString &input : inputs)
        cleaned << QDir::cleanPath(input);
    QCOMPARE(datasetNames(cleaned), names);
}

void TestDatasets::joinedRecordsBelongToTheRouterInput()
{
    // The router file and the worker files of one run, given one by one: the joined
    // requests are the router file's dataset; the worker files add no requests of their own.
    const QDir run(dataPath(QStringLiteral("trtllm/jsonl_D_disagg")));
    QStringList inputs;
    QString routerFile;
    for (const QFileInfo &file : run.entryInfoList(QDir::Files, QDir::Name)) {
        inputs << file.filePath();
        if (file.fileName().contains(QLatin1String("disagg")) || file.fileName().contains(QLatin1String("router")))
            routerFile = file.fileName();
    }
    QVERIFY2(!routerFile.isEmpty(), qPrintable(inputs.join(QLatin1Char(' '))));
    const LoadResult loaded = loadInputs(inputs);
    const LoadResult asDirectory = loadInputs({run.path()});
    QCOMPARE(loaded.table.size(), asDirectory.table.size());
    const int column = loaded.table.labelIndex(kDatasetLabel);
    QVERIFY(column >= 0);
    int joined = 0;
    for (int row = 0; row < loaded.table.size(); ++row) {
        if (loaded.table.role(row) == Role::Disaggregated) {
            QCOMPARE(loaded.table.labelColumn(column).at(row), routerFile);
            ++joined;
        }
    }
    QVERIFY(joined > 0);
}

void TestDatasets::statisticsOutputPerDataset()
{
    const LoadResult both = loadInputs({dataPath(kAggregated), dataPath(kOlder)});
    const StatisticsReport all = computeStatistics(both.table);
    const QVector<DatasetStatistics> perDataset = computeDatasetStatistics(both.table);

    const QJsonObject json = QJsonDocument::fromJson(formatStatistics(all, StatisticsFormat::Json, perDataset)).object();
    QCOMPARE(json.value(QStringLiteral("requests")).toInt(), 24);
    const QJsonArray datasets = json.value(QStringLiteral("datasets")).toArray();
    QCOMPARE(datasets.size(), 2);
    QCOMPARE(datasets[0].toObject().value(QStringLiteral("requests")).toInt(), 14);
    QCOMPARE(datasets[1].toObject().value(QStringLiteral("requests")).toInt(), 10);

    const QList<QByteArray> csv = formatStatistics(all, StatisticsFormat::Csv, perDataset).split('\n');
    QVERIFY(csv.first().startsWith("dataset,phase,count,"));
    QVERIFY(csv[1].startsWith("\"\","));
    QVERIFY(formatStatistics(all, StatisticsFormat::Csv).startsWith("phase,count,")); // one input: unchanged
    QVERIFY(formatStatistics(all, StatisticsFormat::Text, perDataset).contains("\ndataset endpoint_A_agg_2025-09"));
}

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
