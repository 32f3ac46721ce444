#pragma once

#include "loader.h"

#include <QMainWindow>

#include <memory>

class QComboBox;
class QCheckBox;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace Phaseline {

class BreakdownView;
class LoadController;
class RequestSelection;
class RequestTableView;
class StatisticsPanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads files and directories in the background; the window stays responsive.
    void open(const QStringList &inputs);

    BreakdownView *breakdownView() const { return m_breakdown; }
    StatisticsPanel *statisticsPanel() const { return m_statistics; }
    RequestTableView *requestTableView() const { return m_requests; }
    RequestSelection *selection() const { return m_selection; }
    LoadController *loader() const { return m_loader; }
    const RequestTable &table() const { return *m_table; }
    QListWidget *issueList() const { return m_issues; }

Q_SIGNALS:
    void loaded();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    QWidget *createBreakdownToolbar();
    void onLoaded();
    void onLoadCanceled();
    void showIssues(const QVector<LoadIssue> &issues);
    void updateStatisticsScope();
    void rebuildOrderChoices();
    void addRecent(const QStringList &inputs);
    void rebuildRecentMenu();
    void exportBreakdown();
    void exportStatisticsPlots();
    void exportWindow();
    void exportStatistics();
    void exportRequestTable();
    void askCsvMapping(const QString &path);

    std::unique_ptr<RequestTable> m_table;
    RequestSelection *m_selection;
    LoadController *m_loader;
    BreakdownView *m_breakdown;
    StatisticsPanel *m_statistics;
    RequestTableView *m_requests;
    QListWidget *m_issues;
    QTabWidget *m_tabs;
    QComboBox *m_modeChoice;
    QComboBox *m_orderChoice;
    QCheckBox *m_logScale;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QLabel *m_status;
    QMenu *m_recentMenu;
    QStringList m_currentInputs;
    std::vector<int> m_scopeRows; // the statistics panel's current subset

};

} // namespace Phaseline
