// The main window end to end: open (command line, drop), background loading with issues
// shown, linked selection between the request table, the chart and the statistics, and
// the start page of the empty window.

#include "breakdownview.h"
#include "datasetcomparison.h"
#include "distributionsview.h"
#include "guitestmain.h"
#include "loadcontroller.h"
#include "mainwindow.h"
#include "requestselection.h"
#include "requesttablemodel.h"
#include "requesttableview.h"
#include "startpage.h"
#include "statisticspanel.h"
#include "testutils.h"

#include <QCommandLinkButton>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QSettings>
#include <QTimer>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QComboBox>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>

using namespace Phaseline;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Keep the developer's own settings (recent files, geometry) out of the tests.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PhaselineTest"));
    }

    // The empty window: every way in, the bundled example and the recent inputs with their
    // sizes, each one click from loaded data.
    void startPageOffersEveryWayIn()
    {
        QTemporaryDir dir;
        const QString recentFile = dir.filePath(QStringLiteral("recent.json"));
        QVERIFY(QFile::copy(PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json")), recentFile));
        const QString gone = dir.filePath(QStringLiteral("gone.json"));
        QSettings().setValue(QStringLiteral("recentFiles"), QStringList{recentFile, dir.path(), gone});

        MainWindow window;
        window.resize(1280, 720);
        window.show();
        QVERIFY(window.isStartPageShown());
        QVERIFY(window.startPage()->isVisible());

        QStringList titles;
        QList<QCommandLinkButton *> recent;
        for (QCommandLinkButton *button : window.startPage()->findChildren<QCommandLinkButton *>()) {
            if (button->objectName() == QLatin1String("recentEntry"))
                recent << button;
            else
                titles << button->text();
        }
        for (const QString &title : {QStringLiteral("Open Files…"), QStringLiteral("Open Directory…"),
                                     QStringLiteral("Connect to Server…"), QStringLiteral("Watch Directory…"),
                                     QStringLiteral("Open the bundled example")})
            QVERIFY2(titles.contains(title), qPrintable(titles.join(QStringLiteral(", "))));

        QCOMPARE(recent.size(), 3);
        const QString fileSize = QLocale().formattedDataSize(QFileInfo(recentFile).size(), 1, QLocale::DataSizeSIFormat);
        QCOMPARE(recent[0]->text(), QStringLiteral("recent.json"));
        QVERIFY2(recent[0]->description().contains(fileSize), qPrintable(recent[0]->description()));
        QVERIFY2(recent[1]->description().contains(QStringLiteral("directory, 1 file")), qPrintable(recent[1]->description()));
        QVERIFY(!recent[2]->isEnabled());
        QVERIFY2(recent[2]->description().contains(QStringLiteral("no longer there")), qPrintable(recent[2]->description()));

        // A way in is the File menu's own action: Open Files… asks for files.
        QString dialogSeen;
        QTimer::singleShot(0, this, [&dialogSeen] {
            if (auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget())) {
                dialogSeen = dialog->windowTitle();
                dialog->reject();
            }
        });
        const auto waysIn = window.startPage()->findChildren<QCommandLinkButton *>();
        const auto openFiles = std::find_if(waysIn.begin(), waysIn.end(), [](QCommandLinkButton *button) {
            return button->text() == QStringLiteral("Open Files…");
        });
        (*openFiles)->click();
        QCOMPARE(dialogSeen, QStringLiteral("Open timing files"));
        QVERIFY(window.isStartPageShown());

        QSignalSpy loaded(&window, &MainWindow::loaded);
        recent[0]->click();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 10);
        QVERIFY(!window.isStartPageShown());
        QVERIFY(window.breakdownView()->isVisible());
    }

    void startPageOpensBundledExample()
    {
        const QString example = StartPage::bundledExamplePath();
        QVERIFY2(QFileInfo::exists(example), qPrintable(example));
        MainWindow window;
        window.show();
        auto *button = window.startPage()->findChild<QCommandLinkButton *>(QStringLiteral("exampleButton"));
        QVERIFY(button);
        QSignalSpy loaded(&window, &MainWindow::loaded);
        button->click();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 10);
        QVERIFY(!window.isStartPageShown());
        // Opened inputs join the recent list, newest first, on the menu and the start page.
        QCOMPARE(QSettings().value(QStringLiteral("recentFiles")).toStringList().value(0), example);
        const auto recent = window.startPage()->findChildren<QCommandLinkButton *>(QStringLiteral("recentEntry"));
        QVERIFY(!recent.isEmpty());
        QCOMPARE(recent.first()->toolTip(), example);
    }

    void opensAndShowsIssues()
    {
        MainWindow window;
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"))});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 10);
        QCOMPARE(window.breakdownView()->model().requestCount(), 10);
        QCOMPARE(window.requestTableView()->tableView()->model()->rowCount(), 10);
        QCOMPARE(window.statisticsPanel()->report().requests, qint64(10));
        // The lost context record is reported, not hidden.
        QCOMPARE(window.issueList()->count(), 1);
        QVERIFY(window.issueList()->item(0)->text().contains(QStringLiteral("no context-server record")));
    }

    // File > Export Request Table writes in the background: the same bytes as the table's
    // direct export, and the status line says where.
    void exportRequestTableWritesInTheBackground_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("sortPhase"); // empty: table order
        QTest::newRow("disaggregated, table order") << QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json") << QString();
        QTest::newRow("aggregated, sorted by e2e") << QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json")
                                                   << QStringLiteral("e2e");
    }

    void exportRequestTableWritesInTheBackground()
    {
        QFETCH(QString, input);
        QFETCH(QString, sortPhase);
        MainWindow window;
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({PhaselineTest::dataPath(input)});
        QVERIFY(loaded.wait(10000));
        RequestTableView *requests = window.requestTableView();
        if (!sortPhase.isEmpty())
            requests->tableView()->sortByColumn(requests->model()->columnForPhase(sortPhase), Qt::DescendingOrder);
        QTemporaryDir dir;
        const QString direct = dir.filePath(QStringLiteral("direct.csv"));
        const QString fromWindow = dir.filePath(QStringLiteral("window.csv"));
        QString error;
        QVERIFY2(requests->exportCsv(direct, &error), qPrintable(error));
        QSignalSpy finished(requests, &RequestTableView::csvExportFinished);
        window.exportRequestTable(fromWindow);
        QVERIFY(finished.wait(10000));
        QFile a(direct), b(fromWindow);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), a.readAll());
        const auto *status = window.findChild<QLabel *>(QStringLiteral("statusText"));
        QVERIFY(status);
        QVERIFY2(status->text().contains(fromWindow), qPrintable(status->text()));
    }

    void truncatedFileKeepsValidRecordsAndSaysWhere()
    {
        QTemporaryDir dir;
        QFile source(PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json")));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray whole = source.readAll();
        const QString path = dir.filePath(QStringLiteral("cut.json"));
        QFile cut(path);
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(whole.left(whole.size() * 2 / 3));
        cut.close();

        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({path});
        QVERIFY(loaded.wait(10000));
        QVERIFY(window.table().size() > 0);
        QVERIFY(window.table().size() < 14);
        QCOMPARE(window.issueList()->count(), 1);
        const QString issue = window.issueList()->item(0)->text();
        QVERIFY2(issue.contains(QStringLiteral("cut.json:")) && issue.contains(QStringLiteral("truncated")),
                 qPrintable(issue));
    }

    // Issue 12, point 10: a record missing its '}' in the middle of an array costs that record
    // only; the Issues tab names the skipped byte range.
    void damagedRecordSkippedWithItsByteRange()
    {
        QByteArray contents = "[\n";
        for (int id = 1; id <= 50; ++id) {
            contents += QStringLiteral("  {\"request_id\": %1, \"perf_metrics\": {\"timing_metrics\": "
                                       "{\"arrival_time\": %1.0, \"first_token_time\": %1.05}}%2%3\n")
                            .arg(id)
                            .arg(id == 25 ? QString() : QStringLiteral("}"))
                            .arg(id < 50 ? QStringLiteral(",") : QString())
                            .toUtf8();
        }
        contents += "]\n";
        QTemporaryDir dir;
        const QString path = PhaselineTest::writeFile(dir.path(), QStringLiteral("damaged.json"), contents);
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({path});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 49);
        QCOMPARE(window.issueList()->count(), 1);
        const QString issue = window.issueList()->item(0)->text();
        const qint64 start = contents.indexOf("{\"request_id\": 25,");
        const qint64 resume = contents.indexOf("{\"request_id\": 26,");
        QVERIFY2(issue.contains(QStringLiteral("damaged.json:26 (bytes %1-%2)").arg(start).arg(resume - 1)),
                 qPrintable(issue));
        auto *tabs = qobject_cast<QTabWidget *>(window.issueList()->parentWidget()->parentWidget());
        QVERIFY(tabs);
        QCOMPARE(tabs->currentWidget(), window.issueList());
    }

    void dropOpensFiles()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::loaded);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(PhaselineTest::dataPath(QStringLiteral("trtllm/jsonl_D_disagg")))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 5);
    }

    void selectionIsLinkedEverywhere()
    {
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"))});
        QVERIFY(loaded.wait(10000));

        // Select two rows in the request table: the chart's selection and the statistics follow.
        QTableView *table = window.requestTableView()->tableView();
        table->selectRow(1);
        table->selectionModel()->select(table->model()->index(3, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(int(window.selection()->rows().size()), 2);
        QTRY_COMPARE(window.statisticsPanel()->report().requests, qint64(2));

        // Select in the chart: the table follows.
        const int row = window.selection()->rows().front();
        BreakdownView *chart = window.breakdownView();
        const int other = row == 0 ? 5 : 0;
        QTest::mouseClick(chart, Qt::LeftButton, {}, chart->barCenter(chart->model().orderIndexOf(other)));
        QCOMPARE(window.selection()->rows(), std::vector<int>{other});
        QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
        QTRY_COMPARE(window.statisticsPanel()->report().requests, qint64(1));
    }

    void datasetsFilterAndCompare()
    {
        // Two runs opened together: the views show one dataset at a time, and the
        // comparison puts each run's medians side by side with the difference.
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json")),
                     PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json"))});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 24);
        QCOMPARE(window.datasetChoice()->count(), 3); // all, and each input
        QVERIFY(window.datasetChoice()->isVisibleTo(&window));

        window.showDataset(2);
        QCOMPARE(window.viewTable().size(), 10);
        QCOMPARE(window.breakdownView()->model().requestCount(), 10);
        QCOMPARE(window.requestTableView()->tableView()->model()->rowCount(), 10);
        QTRY_COMPARE(window.statisticsPanel()->report().requests, qint64(10));
        window.showDataset(0);
        QCOMPARE(window.breakdownView()->model().requestCount(), 24);

        DatasetComparison *comparison = window.datasetComparison();
        QTRY_VERIFY(comparison->hasDatasets());
        QTableWidget *grid = comparison->tableWidget();
        // Columns: phase, two datasets, delta and delta % of the second against the first.
        QCOMPARE(grid->columnCount(), 5);
        int ctxProcessing = -1;
        for (int r = 0; r < grid->rowCount(); ++r) {
            if (grid->item(r, 0)->toolTip() == QLatin1String("ctx_processing"))
                ctxProcessing = r;
        }
        QVERIFY(ctxProcessing >= 0);
        // Medians computed independently per file (tests/tools/reference_values.py):
        // 58.798 ms (B, 13 values) and 60.5595 ms (A, 10 values).
        QCOMPARE(grid->item(ctxProcessing, 1)->text(), QStringLiteral("58.798"));
        QCOMPARE(grid->item(ctxProcessing, 2)->text(), QStringLiteral("60.560"));
        QCOMPARE(grid->item(ctxProcessing, 3)->text(), QStringLiteral("+1.762"));
        QCOMPARE(grid->item(ctxProcessing, 4)->text(), QStringLiteral("+3.0%"));
    }

    void cancelKeepsPreviousData()
    {
        QTemporaryDir dir;
        // A large file so the load is still running when Cancel arrives.
        QString text = QStringLiteral("[");
        for (int i = 0; i < 60000; ++i) {
            text += QStringLiteral("%1{\"request_id\": %2, \"perf_metrics\": {\"timing_metrics\": {\"arrival_time\": "
                                   "%3, \"first_token_time\": %4}}}\n")
                        .arg(i ? QStringLiteral(",") : QString())
                        .arg(i)
                        .arg(100.0 + i, 0, 'f', 3)
                        .arg(100.05 + i, 0, 'f', 3);
        }
        text += QStringLiteral("]");
        const QString path = dir.filePath(QStringLiteral("big.json"));
        QFile big(path);
        QVERIFY(big.open(QIODevice::WriteOnly));
        big.write(text.toUtf8());
        big.close();

        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({PhaselineTest::dataPath(QStringLiteral("trtllm/endpoint_A_agg_2025-09_no_server_stamps.json"))});
        QVERIFY(loaded.wait(10000));
        QSignalSpy canceled(window.loader(), &LoadController::canceled);
        window.open({path});
        window.loader()->cancel();
        QVERIFY(canceled.wait(10000));
        QCOMPARE(window.table().size(), 10);
    }

    // A Prometheus file has server histograms and no requests: the statistics panel shows its
    // histograms tab.
    void prometheusFileShowsServerHistograms()
    {
        MainWindow window;
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({PhaselineTest::dataPath(QStringLiteral("prometheus/vllm_metrics_after_run.prom"))});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 0);
        DistributionsView *view = window.statisticsPanel()->distributionsView();
        QVERIFY(view->isVisible()); // no requests: the histograms tab is the one shown
        QCOMPARE(view->table()->rowCount(), 7);
        QCOMPARE(view->table()->item(0, 0)->text(), QStringLiteral("time_to_first_token"));
        QCOMPARE(view->table()->item(0, 2)->text(), QStringLiteral("11"));
        // p50 0.05 s in (0.04, 0.06] s, shown in ms.
        QCOMPARE(view->table()->item(0, 4)->text(), QStringLiteral("50  (40, 60]"));
        QVERIFY(!view->chartView()->chart()->series().isEmpty());
    }
};

PHASELINE_GUI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
