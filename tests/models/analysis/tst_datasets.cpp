// Datasets: each input given is kept apart (names, rows, statistics per dataset equal to
// the statistics of that input alone), a single input has none, names stay unique, and
// records joined across inputs belong to the router record's input.

#include "analysis/datasets.h"
#include "output/statisticsformat.h"
#include "testutils.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

const QString kAggregated = QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json");
const QString kOlder = QStringLiteral("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json");
const QString kDisaggRun = QStringLiteral("trtllm/jsonl_D_disagg");

QString routerFileOf(const QDir &run)
{
    const QStringList names = run.entryList({QStringLiteral("*disagg-router*")}, QDir::Files);
    return names.isEmpty() ? QString() : run.filePath(names.first());
}

// Shifts every context worker record's arrival 100 ms earlier: the same ids, other timings.
bool shiftContextArrivals(const QDir &run)
{
    const QStringList names = run.entryList({QStringLiteral("*-ctx-*")}, QDir::Files);
    for (const QString &name : names) {
        QFile file(run.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return false;
        QByteArray shifted;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            QJsonObject record = QJsonDocument::fromJson(line).object();
            QJsonObject metrics = record.value(QLatin1String("perf_metrics")).toObject();
            QJsonObject timing = metrics.value(QLatin1String("timing_metrics")).toObject();
            timing.insert(QStringLiteral("arrival_time"), timing.value(QLatin1String("arrival_time")).toDouble() - 0.1);
            metrics.insert(QStringLiteral("timing_metrics"), timing);
            record.insert(QStringLiteral("perf_metrics"), metrics);
            shifted += QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n';
        }
        file.close();
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(shifted) != shifted.size())
            return false;
    }
    return !names.isEmpty();
}

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
    void runsLoadedTogetherJoinApart_data();
    void runsLoadedTogetherJoinApart();
    void repeatsAreNotCountedTwice_data();
    void repeatsAreNotCountedTwice();
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

// Issue 12.22: run A (its router file only) loaded with run C (the same ids, other context
// timings): A's requests must not take C's worker records. Each dataset's statistics equal
// those of its input loaded alone, whichever comes first.
void TestDatasets::runsLoadedTogetherJoinApart_data()
{
    QTest::addColumn<bool>("routerOnlyFirst");
    QTest::newRow("router-only run first") << true;
    QTest::newRow("router-only run last") << false;
}

void TestDatasets::runsLoadedTogetherJoinApart()
{
    QFETCH(bool, routerOnlyFirst);
    QTemporaryDir directory;
    const QDir root(directory.path());
    QVERIFY(root.mkdir(QStringLiteral("A")) && root.mkdir(QStringLiteral("C")));
    const QDir runA(root.filePath(QStringLiteral("A"))), runC(root.filePath(QStringLiteral("C")));
    const QString router = routerFileOf(QDir(dataPath(kDisaggRun)));
    QVERIFY(QFile::copy(router, runA.filePath(QFileInfo(router).fileName())));
    QVERIFY(copyFiles(dataPath(kDisaggRun), runC.path()));
    QVERIFY(shiftContextArrivals(runC));

    const QStringList inputs = routerOnlyFirst ? QStringList{runA.path(), runC.path()} : QStringList{runC.path(), runA.path()};
    const LoadResult both = loadInputs(inputs);
    QVERIFY2(!both.hasErrors(), qPrintable(describeIssues(both)));
    const QVector<DatasetStatistics> perDataset = computeDatasetStatistics(both.table);
    QCOMPARE(perDataset.size(), 2);
    for (const DatasetStatistics &dataset : perDataset) {
        const LoadResult alone = loadInputs({root.filePath(dataset.name)});
        const StatisticsReport expected = computeStatistics(alone.table);
        QCOMPARE(dataset.report.requests, expected.requests);
        for (const PhaseStatistics &phase : expected.phases) {
            const PhaseStatistics *actual = findPhase(dataset.report, phase.name);
            QVERIFY2(actual, qPrintable(phase.name));
            QCOMPARE(actual->count, phase.count);
            QCOMPARE(actual->anomalies, phase.anomalies);
            QVERIFY2(phase.count == 0 || closeTo(actual->median, phase.median, kToleranceMs),
                     qPrintable(dataset.name + QLatin1Char(' ') + mismatch(qPrintable(phase.name), actual->median, phase.median)));
        }
    }
}

// Issue 12.16: a backup copy of the router file in the run directory, or the same file named
// twice, must not double the requests; it is reported.
void TestDatasets::repeatsAreNotCountedTwice_data()
{
    QTest::addColumn<QString>("repeat");
    QTest::addColumn<QString>("warning");
    QTest::newRow("backup copy of the router file") << QStringLiteral("backup") << QStringLiteral("disagg_request_id");
    QTest::newRow("same file twice") << QStringLiteral("twice") << QStringLiteral("already read");
    QTest::newRow("file and its directory") << QStringLiteral("file and directory") << QStringLiteral("already read");
}

void TestDatasets::repeatsAreNotCountedTwice()
{
    QFETCH(QString, repeat);
    QFETCH(QString, warning);
    QTemporaryDir directory;
    QVERIFY(copyFiles(dataPath(kDisaggRun), directory.path()));
    const QString router = routerFileOf(QDir(directory.path()));
    const int expected = loadInputs({directory.path()}).table.size();
    QStringList inputs{directory.path()};
    if (repeat == QLatin1String("backup"))
        QVERIFY(QFile::copy(router, directory.filePath(QStringLiteral("backup-of-router.jsonl"))));
    else if (repeat == QLatin1String("twice"))
        inputs = QStringList{router, router};
    else
        inputs << router;
    const LoadResult loaded = loadInputs(inputs);
    QVERIFY2(!loaded.hasErrors(), qPrintable(describeIssues(loaded)));
    if (repeat != QLatin1String("twice"))
        QCOMPARE(loaded.table.size(), expected);
    else
        QCOMPARE(loaded.table.size(), loadInputs({router}).table.size());
    QVERIFY2(findIssue(loaded, LoadIssue::Warning, warning), qPrintable(describeIssues(loaded)));
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
