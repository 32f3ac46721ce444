#pragma once

#include "exporter.h"
#include "load/loader.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class QComboBox;
class QCheckBox;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPainter;
class QPushButton;
class QRect;
class QStackedWidget;
class QTabWidget;

namespace Phaseline {

class BreakdownView;
class DatasetComparison;
class IntervalView;
class LiveController;
class LiveStatusWidget;
class LoadController;
namespace Live {
struct PollSettings;
}
class RequestSelection;
class RequestTableView;
class StartPage;
class StatisticsPanel;
class SummaryView;
class TimelineView;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads files and directories in the background; the window stays responsive.
    void open(const QStringList &inputs);
    // Live: poll a /perf_metrics endpoint, or follow a directory of growing JSONL files.
    void connectTo(const Live::PollSettings &settings);
    void watchDirectory(const QString &directory);
    LiveController *live() const { return m_live; }
    LiveStatusWidget *liveStatus() const { return m_liveStatus; }
    // Per-interval phases from /metrics scrapes (a load's or a live session's): the Intervals tab,
    // shown while there are any; with no requests, it replaces the request views. `live`: an update
    // of what is shown (the view keeps its range and selection).
    void showIntervalSeries(const QVector<IntervalSeries> &series, bool live);

    BreakdownView *breakdownView() const { return m_breakdown; }
    TimelineView *timelineView() const { return m_timeline; }
    IntervalView *intervalView() const { return m_intervals; }
    QTabWidget *viewTabs() const { return m_views; }
    StatisticsPanel *statisticsPanel() const { return m_statistics; }
    RequestTableView *requestTableView() const { return m_requests; }
    RequestSelection *selection() const { return m_selection; }
    LoadController *loader() const { return m_loader; }
    const RequestTable &table() const { return *m_table; }
    // What the views show: the whole table, or one dataset's rows.
    const RequestTable &viewTable() const;
    DatasetComparison *datasetComparison() const { return m_comparison; }
    SummaryView *summaryView() const { return m_summaries; }
    QTabWidget *panelTabs() const { return m_tabs; }
    QComboBox *datasetChoice() const { return m_datasetChoice; }
    void showDataset(int index); // 0 = all datasets
    QListWidget *issueList() const { return m_issues; }
    // Shown until something is opened.
    StartPage *startPage() const { return m_startPage; }
    bool isStartPageShown() const;
    // Writes the request table's visible rows as CSV in the background (progress and Cancel in
    // the status bar); the request table view signals the end.
    void exportRequestTable(const QString &path);

Q_SIGNALS:
    void loaded();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // Returns the ways in (open file, open directory, connect, watch) for the start page.
    QList<QAction *> createMenus();
    void showViews();
    QWidget *createBreakdownToolbar();
    QWidget *createTimelineToolbar();
    QWidget *createIntervalsPage();
    void updateIntervalRange();
    void rebuildClockChoices();
    void rebuildDatasetChoices();
    void updateComparisonTab();
    // `update`: a live source's newer table, shown without blanking the views.
    void setViewTable(const std::shared_ptr<const RequestTable> &table, bool update = false);
    void replaceTable(RequestTable &&table, bool update);
    void onLoaded();
    void onLoadCanceled();
    void showIssues(const QVector<LoadIssue> &issues);
    void updateStatisticsScope();
    void rebuildOrderChoices();
    void addRecent(const QStringList &inputs);
    void rebuildRecent();
    // Asks for a PNG/SVG path and a size (starting from `shown`'s), then writes `paint` there.
    void exportPicture(const QString &caption, const QString &fileName, const QString &title, const QWidget *shown,
                       const PaintFunction &paint);
    void exportWindow();
    void exportStatistics();
    void askRequestTableExport();
    void showCsvExportEnd(const QString &status);
    QList<QAction *> createLiveMenu(QMenu *file); // returns connect and watch
    void showLiveTable();
    void askCsvMapping(const QString &path);

    // Immutable snapshots shared with the views and their background jobs: replacing one
    // never waits for work still reading the previous one.
    std::shared_ptr<const RequestTable> m_table;
    std::shared_ptr<const RequestTable> m_filtered; // one dataset's rows, while one is chosen
    RequestSelection *m_selection;
    LoadController *m_loader;
    BreakdownView *m_breakdown;
    TimelineView *m_timeline;
    IntervalView *m_intervals;
    QTabWidget *m_views;
    QComboBox *m_clockChoice;
    DatasetComparison *m_comparison;
    SummaryView *m_summaries = nullptr;
    QWidget *m_datasetBar;
    QComboBox *m_datasetChoice;
    StatisticsPanel *m_statistics;
    RequestTableView *m_requests;
    QListWidget *m_issues;
    QTabWidget *m_tabs;
    QStackedWidget *m_pages;
    StartPage *m_startPage = nullptr;
    QComboBox *m_modeChoice;
    QComboBox *m_orderChoice;
    QCheckBox *m_logScale;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QLabel *m_status;
    QMenu *m_recentMenu;
    QStringList m_currentInputs;
    std::vector<int> m_scopeRows; // the statistics panel's current subset
    LiveController *m_live;
    LiveStatusWidget *m_liveStatus;

};

} // namespace Phaseline
