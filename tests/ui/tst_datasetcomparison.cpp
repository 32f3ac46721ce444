// Compare Datasets with interval series (issue 14.3): a recorded Prometheus answer holding two vLLM
// instances opens in the window, and the comparison shows each instance's phases over the loaded
// range side by side. Every expected number comes from tests/tools/metrics_sessions.py (its own
// parser and arithmetic), written next to the session as fleet_session.expected.json.

#include "datasetcomparison.h"
#include "guitestmain.h"
#include "intervalview.h"
#include "mainwindow.h"
#include "testutils.h"

#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace Phaseline;

namespace {

QJsonObject fleetExpectation()
{
    QFile file(PhaselineTest::dataPath(QStringLiteral("prometheus/sessions/fleet_session.expected.json")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// The text the comparison shows for one expected statistic: ms with 3 decimals, quantile
// estimates marked ~, a rank above the last bucket bound marked ≥ (a lower limit).
QString shown(const QJsonValue &value, bool quantile, double *ms)
{
    if (value.isObject()) {
        *ms = value.toObject().value(QStringLiteral("above")).toDouble() * 1e3;
        return QStringLiteral("≥") + QString::number(*ms, 'f', 3);
    }
    *ms = value.toDouble() * 1e3;
    return (quantile ? QStringLiteral("~") : QString()) + QString::number(*ms, 'f', 3);
}

int rowTitled(const QTableWidget *table, const QString &title)
{
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->item(r, 0) && table->item(r, 0)->text() == title)
            return r;
    }
    return -1;
}

} // namespace

class TestDatasetComparison : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fleetInstancesSideBySide_data();
    void fleetInstancesSideBySide();
    void oneSeriesHasNothingToCompare();
    void requestDatasetsBesideIntervalSeries();
};

void TestDatasetComparison::fleetInstancesSideBySide_data()
{
    QTest::addColumn<int>("choice"); // the statistic combo's index
    QTest::addColumn<QString>("key"); // its value in the expectation
    QTest::newRow("median") << 0 << QStringLiteral("p50");
    QTest::newRow("mean") << 1 << QStringLiteral("mean");
    QTest::newRow("p90") << 2 << QStringLiteral("p90");
    QTest::newRow("p99") << 3 << QStringLiteral("p99");
}

void TestDatasetComparison::fleetInstancesSideBySide()
{
    QFETCH(int, choice);
    QFETCH(QString, key);
    const QJsonObject expected = fleetExpectation();
    QVERIFY2(expected.contains(QStringLiteral("gpu-0")), "fleet_session.expected.json is missing");

    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    MainWindow window;
    window.resize(1280, 800);
    QSignalSpy loaded(&window, &MainWindow::loaded);
    window.open({PhaselineTest::dataPath(QStringLiteral("prometheus/sessions/fleet_session.jsonl"))});
    QVERIFY(loaded.wait(20000));
    QCOMPARE(window.intervalView()->series().size(), 2);
    DatasetComparison *comparison = window.datasetComparison();
    QVERIFY(window.panelTabs()->isTabVisible(window.panelTabs()->indexOf(comparison)));
    QTRY_VERIFY_WITH_TIMEOUT(comparison->hasDatasets(), 20000);
    comparison->findChild<QComboBox *>(QStringLiteral("statisticChoice"))->setCurrentIndex(choice);
    QTableWidget *table = comparison->tableWidget();

    // Columns: Phase, gpu-0, gpu-1, Δ gpu-1, Δ% (gpu-0, the first series, is the baseline).
    QCOMPARE(table->columnCount(), 5);
    const QStringList instances{QStringLiteral("gpu-0"), QStringLiteral("gpu-1")};
    for (int i = 0; i < instances.size(); ++i) {
        const QJsonObject overall = expected.value(instances[i]).toObject().value(QStringLiteral("overall")).toObject();
        // Only what tells the instances apart; the whole name in the tooltip.
        QCOMPARE(table->horizontalHeaderItem(1 + i)->text(),
                 QStringLiteral("instance=%1 (%2 req.)").arg(instances[i]).arg(overall.value(QStringLiteral("requests_finished")).toDouble()));
        QCOMPARE(table->horizontalHeaderItem(1 + i)->toolTip(),
                 QStringLiteral("prom+http://127.0.0.1:9090 {engine=0, instance=%1, job=vllm, model_name=opt-125m-tp2}").arg(instances[i]));
    }
    const QJsonArray base = expected.value(instances[0]).toObject().value(QStringLiteral("overall")).toObject().value(QStringLiteral("phases")).toArray();
    const QJsonArray other = expected.value(instances[1]).toObject().value(QStringLiteral("overall")).toObject().value(QStringLiteral("phases")).toArray();
    QCOMPARE(table->rowCount(), base.size());
    const bool quantile = key != QLatin1String("mean");
    for (int p = 0; p < base.size(); ++p) {
        const QString phase = base[p].toObject().value(QStringLiteral("phase")).toString();
        const int row = rowTitled(table, IntervalView::phaseTitle(phase));
        QVERIFY2(row == p, qPrintable(phase)); // in the phase order of the views
        double baseMs = 0, otherMs = 0;
        QCOMPARE(table->item(row, 1)->text(), shown(base[p].toObject().value(key), quantile, &baseMs));
        QCOMPARE(table->item(row, 2)->text(), shown(other[p].toObject().value(key), quantile, &otherMs));
        const QString mark = quantile ? QStringLiteral("~") : QString();
        QCOMPARE(table->item(row, 3)->text(), mark + QString::asprintf("%+.3f", otherMs - baseMs));
        QCOMPARE(table->item(row, 4)->text(), mark + QString::asprintf("%+.1f%%", 100.0 * (otherMs - baseMs) / baseMs));
    }
    QCOMPARE(table->horizontalHeaderItem(3)->text(), QStringLiteral("Δ instance=gpu-1"));
    if (choice == 0) { // for a human to look at
        window.panelTabs()->setCurrentWidget(comparison);
        window.show();
        QVERIFY(window.grab().save(PhaselineTest::artifactPath(QStringLiteral("datasetcomparison-fleet.png"))));
    }
}

// One interval series alone: nothing to compare, the tab stays hidden.
void TestDatasetComparison::oneSeriesHasNothingToCompare()
{
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    MainWindow window;
    QSignalSpy loaded(&window, &MainWindow::loaded);
    window.open({PhaselineTest::dataPath(QStringLiteral("prometheus/sessions/sglang_session.jsonl"))});
    QVERIFY(loaded.wait(20000));
    QCOMPARE(window.intervalView()->series().size(), 1);
    QVERIFY(!window.panelTabs()->isTabVisible(window.panelTabs()->indexOf(window.datasetComparison())));
    QVERIFY(!window.datasetComparison()->hasDatasets());
}

// Two request runs and a two-instance Prometheus answer opened together: four columns. The interval
// phases are rows of their own, titled as such, with no value in the request columns (and the
// request phases none in the interval columns).
void TestDatasetComparison::requestDatasetsBesideIntervalSeries()
{
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    MainWindow window;
    QSignalSpy loaded(&window, &MainWindow::loaded);
    window.open({PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json")),
                 PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json")),
                 PhaselineTest::dataPath(QStringLiteral("prometheus/sessions/fleet_session.jsonl"))});
    QVERIFY(loaded.wait(20000));
    DatasetComparison *comparison = window.datasetComparison();
    QTRY_VERIFY_WITH_TIMEOUT(comparison->hasDatasets(), 20000);
    QTableWidget *table = comparison->tableWidget();
    QCOMPARE(table->columnCount(), 1 + 4 + 3 * 2); // phase, 4 datasets, Δ and Δ% of 3 against the first
    const QJsonObject overall = fleetExpectation().value(QStringLiteral("gpu-1")).toObject().value(QStringLiteral("overall")).toObject();
    const int queue = rowTitled(table, QStringLiteral("Queue (/metrics intervals)"));
    QVERIFY(queue >= 0);
    QCOMPARE(table->item(queue, 1)->text(), QStringLiteral("–"));
    QCOMPARE(table->item(queue, 2)->text(), QStringLiteral("–"));
    double ms = 0;
    QCOMPARE(table->item(queue, 4)->text(), shown(overall.value(QStringLiteral("phases")).toArray()[0].toObject().value(QStringLiteral("p50")), true, &ms));
    int requestRows = 0;
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->item(r, 0)->text().endsWith(QLatin1String("(/metrics intervals)")))
            continue;
        ++requestRows;
        QCOMPARE(table->item(r, 3)->text(), QStringLiteral("–"));
        QCOMPARE(table->item(r, 4)->text(), QStringLiteral("–"));
    }
    QVERIFY(requestRows > 0);
}

PHASELINE_GUI_TEST_MAIN(TestDatasetComparison)
#include "tst_datasetcomparison.moc"
