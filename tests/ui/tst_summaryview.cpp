// The Summaries tab (issue 13 point 8): tools' own statistics in a read-only table beside the
// datasets, shown only when a load brought summaries.

#include "guitestmain.h"
#include "loadcontroller.h"
#include "mainwindow.h"
#include "summaryview.h"
#include "testutils.h"

#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace Phaseline;

namespace {

const QString kAiperfRun = QStringLiteral("aiperf/artifacts/llama-3.2-3b-instruct-gguf_q4_k_m-openai-chat-concurrency1");

// The column of a header label, -1 when absent.
int columnOf(const QTableWidget *table, const QString &label)
{
    for (int column = 0; column < table->columnCount(); ++column) {
        if (table->horizontalHeaderItem(column)->text() == label)
            return column;
    }
    return -1;
}

int rowOf(const QTableWidget *table, const QString &metric)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0)->text() == metric)
            return row;
    }
    return -1;
}

bool tabShown(const MainWindow &window)
{
    return window.panelTabs()->isTabVisible(window.panelTabs()->indexOf(window.summaryView()));
}

} // namespace

class TestSummaryView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PhaselineTest"));
    }

    // One row per metric, one column per statistic any metric has; a statistic a metric lacks is
    // an empty cell, not a 0.
    void tableOfOneSummary()
    {
        RunSummary summary;
        summary.source = QStringLiteral("/runs/profile_export_aiperf.json");
        summary.tool = QStringLiteral("AIPerf");
        summary.add(QStringLiteral("request_throughput"), QStringLiteral("requests/sec"), QStringLiteral("avg"), 0.0523);
        summary.add(QStringLiteral("request_latency"), QStringLiteral("ms"), QStringLiteral("avg"), 617.3675666);
        summary.add(QStringLiteral("request_latency"), QStringLiteral("ms"), QStringLiteral("p99"), 1700.2457214900003);
        summary.add(QStringLiteral("request_latency"), QStringLiteral("ms"), QStringLiteral("min"), 332.579072);
        SummaryView view;
        view.setSummaries({summary});
        const QTableWidget *table = view.metricTable();
        QCOMPARE(table->rowCount(), 2);
        QStringList headers;
        for (int column = 0; column < table->columnCount(); ++column)
            headers << table->horizontalHeaderItem(column)->text();
        QCOMPARE(headers, QStringLiteral("Metric Unit avg min p99").split(QLatin1Char(' ')));
        QCOMPARE(table->item(1, 0)->text(), QStringLiteral("request_latency"));
        QCOMPARE(table->item(1, 1)->text(), QStringLiteral("ms"));
        QCOMPARE(table->item(1, 4)->text(), QStringLiteral("1700.246"));
        QVERIFY2(table->item(1, 4)->toolTip().contains(QStringLiteral("1700.2457214900003")),
                 qPrintable(table->item(1, 4)->toolTip()));
        QVERIFY(!table->item(0, 3)); // throughput has no minimum: nothing written there
        QVERIFY(table->editTriggers() == QAbstractItemView::NoEditTriggers);
        QVERIFY(!view.summaryList()->isVisibleTo(&view)); // one summary: nothing to choose
    }

    // The AIPerf results folder: requests in the views, its two summaries in the Summaries tab.
    void resultsFolderShowsSummariesBesideRequests()
    {
        QTemporaryDir dir;
        for (const char *name : {"profile_export.jsonl", "profile_export_aiperf.json", "profile_export_aiperf.csv"})
            QVERIFY(QFile::copy(PhaselineTest::dataPath(kAiperfRun + QLatin1Char('/') + QLatin1String(name)),
                                dir.filePath(QLatin1String(name))));
        MainWindow window;
        window.resize(1280, 720);
        window.show();
        QVERIFY(!tabShown(window));
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({dir.path()});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 20);
        QVERIFY(tabShown(window));
        QVERIFY(window.panelTabs()->currentWidget() != window.summaryView()); // the requests come first
        SummaryView *view = window.summaryView();
        QCOMPARE(view->summaryList()->count(), 2);
        QCOMPARE(view->summaryList()->item(0)->text(), QStringLiteral("AIPerf / GenAI-Perf \u00b7 profile_export_aiperf.csv"));
        QCOMPARE(view->summaryList()->item(1)->text(), QStringLiteral("llama-3.2-3b-instruct-gguf:q4_k_m, concurrency 1"));
        view->summaryList()->setCurrentRow(1); // the JSON export
        QVERIFY2(view->caption()->text().contains(dir.filePath(QStringLiteral("profile_export_aiperf.json"))),
                 qPrintable(view->caption()->text()));
        const QTableWidget *table = view->metricTable();
        const int row = rowOf(table, QStringLiteral("time_to_first_token"));
        QVERIFY(row >= 0);
        QCOMPARE(table->item(row, columnOf(table, QStringLiteral("p50")))->text(), QStringLiteral("239.484"));
        QCOMPARE(table->item(row, columnOf(table, QStringLiteral("max")))->text(), QStringLiteral("1701.69"));
        QCOMPARE(table->item(row, 1)->text(), QStringLiteral("ms"));

        // Loading something without summaries hides the tab again.
        window.open({PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"))});
        QVERIFY(loaded.wait(10000));
        QVERIFY(!tabShown(window));
    }

    // A file that is only a summary: the load succeeds and the Summaries tab is what is shown,
    // one entry per appended run.
    void summaryFileAloneOpensItsTab()
    {
        MainWindow window;
        window.resize(1280, 720);
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({PhaselineTest::dataPath(QStringLiteral("sglang/datacrunch_llama_3_3_70b_online_output.jsonl"))});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 0);
        QVERIFY(tabShown(window));
        QCOMPARE(window.panelTabs()->currentWidget(), window.summaryView());
        QCOMPARE(window.summaryView()->summaryList()->count(), 7);
        window.summaryView()->summaryList()->setCurrentRow(4);
        const QTableWidget *table = window.summaryView()->metricTable();
        const int row = rowOf(table, QStringLiteral("ttft"));
        QVERIFY(row >= 0);
        QCOMPARE(table->item(row, columnOf(table, QStringLiteral("median")))->text(), QStringLiteral("614.25"));
        QVERIFY(window.summaryView()->summaryList()->item(4)->text().startsWith(QStringLiteral("line 5: sglang, 16 req/s")));
    }
};

PHASELINE_GUI_TEST_MAIN(TestSummaryView)
#include "tst_summaryview.moc"
