#include "mainwindow.h"

#include "breakdownview.h"
#include "datasetcomparison.h"
#include "formats/csvimporter.h"
#include "csvmappingdialog.h"
#include "core/csvreader.h"
#include "distributionsview.h"
#include "intervalrangeview.h"
#include "intervalview.h"
#include "summaryview.h"
#include "exporter.h"
#include "liveconnectdialog.h"
#include "livecontroller.h"
#include "live/livesession.h"
#include "livestatuswidget.h"
#include "loadcontroller.h"
#include "core/mappedfile.h"
#include "requestselection.h"
#include "requesttableview.h"
#include "startpage.h"
#include "output/statisticsformat.h"
#include "statisticspanel.h"
#include "timelineview.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace Phaseline {

namespace {

constexpr int kMaxRecent = 10;
constexpr int kBreakdownTab = 0; // of the views
constexpr int kTimelineTab = 1;
constexpr int kIntervalsTab = 2;

// "2 interval series (1234 intervals, Intervals tab)"; empty without any.
QString intervalSummary(const QVector<IntervalSeries> &series)
{
    if (series.isEmpty())
        return QString();
    int intervals = 0;
    for (const IntervalSeries &one : series)
        intervals += one.intervals.size();
    return MainWindow::tr("%n interval series", nullptr, series.size())
           + MainWindow::tr(" (%1 intervals, Intervals tab)").arg(intervals);
}

// What the status line says was loaded: the requests, and the interval series beside them;
// /metrics data alone is named as such, not as "0 requests".
QString loadedSubject(int requests, const QVector<IntervalSeries> &series)
{
    if (requests == 0 && !series.isEmpty())
        return intervalSummary(series);
    const QString subject = MainWindow::tr("%1 requests").arg(requests);
    return series.isEmpty() ? subject : subject + QStringLiteral(" · ") + intervalSummary(series);
}

// Asks for the size and pixel ratio of an image export; false when canceled.
bool askExportSize(QWidget *parent, const QString &path, QSize *size, qreal *ratio)
{
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0)
        *ratio = 1; // vectors have no pixel ratio
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Export size"));
    auto *form = new QFormLayout(&dialog);
    auto *width = new QSpinBox(&dialog);
    auto *height = new QSpinBox(&dialog);
    for (QSpinBox *box : {width, height}) {
        box->setRange(16, 16384);
        box->setSuffix(QObject::tr(" px"));
    }
    width->setValue(size->width());
    height->setValue(size->height());
    auto *pixelRatio = new QDoubleSpinBox(&dialog);
    pixelRatio->setRange(1, 4);
    pixelRatio->setSingleStep(0.25);
    pixelRatio->setValue(*ratio);
    form->addRow(QObject::tr("Width:"), width);
    form->addRow(QObject::tr("Height:"), height);
    form->addRow(QObject::tr("Device pixel ratio:"), pixelRatio);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    *size = QSize(width->value(), height->value());
    *ratio = pixelRatio->value();
    return true;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_table(std::make_shared<const RequestTable>()), m_selection(new RequestSelection(this)),
      m_loader(new LoadController(this)), m_live(new LiveController(this))
{
    setWindowTitle(tr("Phaseline"));
    setAcceptDrops(true);

    m_breakdown = new BreakdownView(m_selection);
    m_timeline = new TimelineView(m_selection);
    m_statistics = new StatisticsPanel;
    m_statistics->intervalRangeView()->setMerge(mergeIntervals);
    m_requests = new RequestTableView(m_selection);
    m_issues = new QListWidget;
    m_issues->setWordWrap(true);

    auto *breakdownPage = new QWidget;
    auto *breakdownLayout = new QVBoxLayout(breakdownPage);
    breakdownLayout->setContentsMargins(0, 0, 0, 0);
    breakdownLayout->addWidget(createBreakdownToolbar());
    breakdownLayout->addWidget(m_breakdown, 1);

    m_comparison = new DatasetComparison;
    m_tabs = new QTabWidget;
    m_tabs->addTab(m_statistics, tr("Statistics"));
    m_tabs->addTab(m_comparison, tr("Compare Datasets"));
    m_tabs->addTab(m_requests, tr("Requests"));
    m_tabs->addTab(m_issues, tr("Issues"));
    m_tabs->setTabVisible(m_tabs->indexOf(m_comparison), false);
    m_summaries = new SummaryView; // shown only when a load brought tool summaries
    m_tabs->insertTab(m_tabs->indexOf(m_requests), m_summaries, tr("Summaries"));
    m_tabs->setTabVisible(m_tabs->indexOf(m_summaries), false);

    auto *timelinePage = new QWidget;
    auto *timelineLayout = new QVBoxLayout(timelinePage);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->addWidget(createTimelineToolbar());
    timelineLayout->addWidget(m_timeline, 1);

    m_views = new QTabWidget;
    m_views->setObjectName(QStringLiteral("viewTabs"));
    m_views->addTab(breakdownPage, tr("Breakdown"));
    m_views->addTab(timelinePage, tr("Timeline"));
    m_views->addTab(createIntervalsPage(), tr("Intervals"));
    m_views->setTabVisible(kIntervalsTab, false);

    // Shown when several inputs are open: the views can show one dataset at a time.
    m_datasetBar = new QWidget;
    auto *datasetLayout = new QHBoxLayout(m_datasetBar);
    datasetLayout->setContentsMargins(6, 4, 6, 0);
    m_datasetChoice = new QComboBox;
    m_datasetChoice->setObjectName(QStringLiteral("datasetChoice"));
    m_datasetChoice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    datasetLayout->addWidget(new QLabel(tr("Dataset:")));
    datasetLayout->addWidget(m_datasetChoice);
    datasetLayout->addStretch(1);
    m_datasetBar->hide();
    connect(m_datasetChoice, qOverload<int>(&QComboBox::activated), this, &MainWindow::showDataset);
    auto *viewsPane = new QWidget;
    auto *viewsLayout = new QVBoxLayout(viewsPane);
    viewsLayout->setContentsMargins(0, 0, 0, 0);
    viewsLayout->setSpacing(0);
    viewsLayout->addWidget(m_datasetBar);
    viewsLayout->addWidget(m_views, 1);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(viewsPane);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    m_pages = new QStackedWidget;
    m_pages->addWidget(splitter);
    setCentralWidget(m_pages);

    m_status = new QLabel(tr("Open a perf-metrics file (File ▸ Open, or drop it here)."));
    m_status->setObjectName(QStringLiteral("statusText"));
    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(220);
    m_progress->setRange(0, 1000);
    m_progress->hide();
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->hide();
    statusBar()->addWidget(m_status, 1);
    m_liveStatus = new LiveStatusWidget(m_live);
    statusBar()->addPermanentWidget(m_liveStatus);
    connect(m_live, &LiveController::tableReady, this, &MainWindow::showLiveTable);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, m_loader, &LoadController::cancel);
    connect(m_cancel, &QPushButton::clicked, m_requests, &RequestTableView::cancelCsvExport);
    connect(m_requests, &RequestTableView::csvExportProgress, this, [this](qint64 written, qint64 rows) {
        m_progress->setValue(rows > 0 ? int(written * 1000 / rows) : 0);
    });
    connect(m_requests, &RequestTableView::csvExportFinished, this, [this](const QString &path, const QString &error) {
        showCsvExportEnd(error.isEmpty() ? tr("Request table written to %1").arg(path) : error);
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    connect(m_requests, &RequestTableView::csvExportCanceled, this, [this](const QString &path) {
        showCsvExportEnd(tr("Export canceled; %1 was not written").arg(path));
    });

    connect(m_loader, &LoadController::progress, this, [this](qint64 done, qint64 total) {
        m_progress->setValue(total > 0 ? int(std::min<qint64>(1000, done * 1000 / total)) : 0);
    });
    connect(m_loader, &LoadController::finished, this, &MainWindow::onLoaded);
    connect(m_loader, &LoadController::canceled, this, &MainWindow::onLoadCanceled);

    // Statistics follow the selection, else the visible range; debounced so panning stays fluid.
    auto *scopeTimer = new QTimer(this);
    scopeTimer->setSingleShot(true);
    scopeTimer->setInterval(150);
    connect(scopeTimer, &QTimer::timeout, this, &MainWindow::updateStatisticsScope);
    connect(m_selection, &RequestSelection::changed, scopeTimer, qOverload<>(&QTimer::start));
    connect(m_breakdown, &BreakdownView::visibleRangeChanged, scopeTimer, qOverload<>(&QTimer::start));
    connect(m_timeline, &TimelineView::visibleRangeChanged, scopeTimer, qOverload<>(&QTimer::start));
    connect(m_breakdown, &BreakdownView::modelReady, this, &MainWindow::rebuildOrderChoices);
    // A view's visible rows speak of the table it shows: asked again once an update is shown.
    connect(m_breakdown, &BreakdownView::modelReady, scopeTimer, qOverload<>(&QTimer::start));
    connect(m_timeline, &TimelineView::layoutReady, scopeTimer, qOverload<>(&QTimer::start));
    connect(m_views, &QTabWidget::currentChanged, scopeTimer, qOverload<>(&QTimer::start));

    m_startPage = new StartPage(createMenus());
    connect(m_startPage, &StartPage::openRequested, this, &MainWindow::open);
    m_pages->addWidget(m_startPage);
    m_pages->setCurrentWidget(m_startPage);
    rebuildRecent();
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray()))
        splitter->setSizes({620, 300}); // the charts get the larger share on first start
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1400, 900);
}

MainWindow::~MainWindow() = default;

bool MainWindow::isStartPageShown() const
{
    return m_pages->currentWidget() == m_startPage;
}

void MainWindow::showViews()
{
    m_pages->setCurrentWidget(findChild<QSplitter *>(QStringLiteral("mainSplitter")));
}

QWidget *MainWindow::createBreakdownToolbar()
{
    auto *bar = new QWidget;
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(6, 4, 6, 0);
    m_modeChoice = new QComboBox;
    m_modeChoice->addItem(tr("Time to first token"));
    m_modeChoice->addItem(tr("Full lifecycle (with decode)"));
    m_orderChoice = new QComboBox;
    m_logScale = new QCheckBox(tr("Log scale"));
    auto *p99Scale = new QCheckBox(tr("Axis includes p99"));
    p99Scale->setObjectName(QStringLiteral("p99Scale"));
    p99Scale->setToolTip(tr("With more requests than pixel columns: fit the y axis to the p99 marks too.\n"
                            "Off, it fits the median stacks; p99 marks above it show as ▲ at its top edge."));
    auto *reset = new QPushButton(tr("Reset zoom"));
    reset->setToolTip(tr("Home. Zoom: Ctrl+wheel or W/S, pan: drag, wheel or A/D, zoom to range: Shift+drag"));
    layout->addWidget(new QLabel(tr("Show:")));
    layout->addWidget(m_modeChoice);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("Order by:")));
    layout->addWidget(m_orderChoice);
    layout->addSpacing(12);
    layout->addWidget(m_logScale);
    layout->addWidget(p99Scale);
    layout->addStretch(1);
    layout->addWidget(reset);

    connect(m_modeChoice, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        m_breakdown->setMode(index == 1 ? BreakdownModel::Mode::Lifecycle : BreakdownModel::Mode::TimeToFirstToken);
        rebuildOrderChoices();
    });
    connect(m_orderChoice, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        const int layer = m_orderChoice->itemData(index).toInt();
        if (layer >= 0)
            m_breakdown->setOrder(BreakdownModel::Order::Phase, layer);
        else
            m_breakdown->setOrder(BreakdownModel::Order(-layer - 1));
    });
    connect(m_logScale, &QCheckBox::toggled, m_breakdown, &BreakdownView::setLogScale);
    connect(p99Scale, &QCheckBox::toggled, m_breakdown, &BreakdownView::setScaleIncludesP99);
    connect(reset, &QPushButton::clicked, m_breakdown, &BreakdownView::resetZoom);
    rebuildOrderChoices();
    return bar;
}

QWidget *MainWindow::createTimelineToolbar()
{
    auto *bar = new QWidget;
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(6, 4, 6, 0);
    m_clockChoice = new QComboBox;
    m_clockChoice->setObjectName(QStringLiteral("clockChoice"));
    m_clockChoice->setToolTip(tr("Stamps of different clocks are never comparable: the timeline shows one clock"));
    m_clockChoice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *packing = new QComboBox;
    packing->addItem(tr("packed (fewest lanes)"));
    packing->addItem(tr("one lane per request"));
    auto *reset = new QPushButton(tr("Reset zoom"));
    reset->setToolTip(tr("Home. Zoom: Ctrl+wheel or W/S, pan: drag, wheel or A/D, zoom to range: Shift+drag, "
                         "select a range: Ctrl+drag, zoom to a request: double-click"));
    layout->addWidget(new QLabel(tr("Clock:")));
    layout->addWidget(m_clockChoice);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("Lanes:")));
    layout->addWidget(packing);
    layout->addStretch(1);
    layout->addWidget(reset);
    connect(m_clockChoice, qOverload<int>(&QComboBox::activated), this,
            [this](int index) { m_timeline->setClock(m_clockChoice->itemData(index).toString()); });
    connect(packing, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        m_timeline->setPacking(index == 1 ? TimelineLayout::Packing::OnePerRequest : TimelineLayout::Packing::Packed);
    });
    connect(reset, &QPushButton::clicked, m_timeline, &TimelineView::resetZoom);
    return bar;
}

QWidget *MainWindow::createIntervalsPage()
{
    m_intervals = new IntervalView;
    m_intervals->setObjectName(QStringLiteral("intervalView"));
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QWidget;
    auto *barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(6, 4, 6, 0);
    auto *hint = new QLabel(tr("Per-interval phases from /metrics scrapes. Drag: distribution of a time range "
                               "(Statistics ▸ Interval range) · Shift+drag: zoom · Ctrl+wheel: zoom · wheel: pan"));
    hint->setWordWrap(true);
    auto *reset = new QPushButton(tr("Reset zoom"));
    reset->setToolTip(tr("Home. Clear the selection: double-click or Esc"));
    barLayout->addWidget(hint, 1);
    barLayout->addWidget(reset);
    layout->addWidget(bar);
    layout->addWidget(m_intervals, 1);
    connect(reset, &QPushButton::clicked, m_intervals, &IntervalView::resetZoom);
    connect(m_intervals, &IntervalView::rangeSelected, this, [this] {
        updateIntervalRange();
        if (m_intervals->hasSelection())
            m_statistics->showIntervalRange();
    });
    return page;
}

void MainWindow::showIntervalSeries(const QVector<IntervalSeries> &series, bool live)
{
    m_intervals->setSeries(series, live);
    m_comparison->setIntervalSeries(series);
    updateComparisonTab();
    const bool shown = !m_intervals->isEmpty();
    if (shown)
        showViews();
    // Interval data alone: the request views would be empty, so they step aside for it.
    const bool requests = !m_table->isEmpty() || !shown;
    m_views->setTabVisible(kBreakdownTab, requests);
    m_views->setTabVisible(kTimelineTab, requests);
    m_views->setTabVisible(kIntervalsTab, shown);
    m_tabs->setTabVisible(m_tabs->indexOf(m_requests), requests);
    if (!requests)
        m_views->setCurrentIndex(kIntervalsTab);
    m_statistics->setIntervalsShown(shown);
    if (live)
        updateIntervalRange();
    else
        m_statistics->intervalRangeView()->clear();
}

// The selected range of every series, summed, in the statistics panel.
void MainWindow::updateIntervalRange()
{
    IntervalRangeView *range = m_statistics->intervalRangeView();
    if (!m_intervals->hasSelection()) {
        range->clear();
        return;
    }
    QVector<QPair<int, int>> ranges;
    for (int s = 0; s < m_intervals->series().size(); ++s) {
        int first = -1, last = -1;
        if (!m_intervals->selectedIntervals(s, &first, &last))
            first = last = -1;
        ranges.append({first, last});
    }
    range->showRange(m_intervals->series(), ranges);
}

void MainWindow::rebuildClockChoices()
{
    m_clockChoice->clear();
    for (const auto &[clock, count] : TimelineLayout::clockDomains(viewTable()))
        m_clockChoice->addItem(tr("%1 (%2 requests)").arg(clock.isEmpty() ? tr("unnamed") : clock).arg(count), clock);
    m_clockChoice->setCurrentIndex(std::max(0, m_clockChoice->findData(m_timeline->layout().clock())));
}

void MainWindow::rebuildOrderChoices()
{
    // Item data: -1 - Order for the fixed orders, the layer index for "by phase".
    const QVariant current = m_orderChoice->currentData();
    m_orderChoice->clear();
    m_orderChoice->addItem(tr("arrival"), -1 - int(BreakdownModel::Order::Arrival));
    m_orderChoice->addItem(tr("request id"), -1 - int(BreakdownModel::Order::Id));
    m_orderChoice->addItem(tr("total (longest first)"), -1 - int(BreakdownModel::Order::Total));
    const BreakdownModel &model = m_breakdown->model();
    for (int layer = 0; layer < model.layerCount(); ++layer) {
        if (model.layerAvailable(layer))
            m_orderChoice->addItem(tr("%1 (longest first)").arg(model.layerTitle(layer)), layer);
    }
    const int index = m_orderChoice->findData(current);
    m_orderChoice->setCurrentIndex(std::max(0, index));
}

QList<QAction *> MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *openFiles = file->addAction(tr("&Open Files…"), QKeySequence::Open, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Open timing files"), QString(),
            // The format is told from the content; the filters only help find the files.
            tr("Timing results (*.json *.jsonl *.ndjson *.csv *.txt *.prom);;JSON and JSONL (*.json *.jsonl *.ndjson);;"
               "CSV (*.csv);;Prometheus text (*.txt *.prom);;All files (*)"));
        if (!paths.isEmpty())
            open(paths);
    });
    openFiles->setStatusTip(tr("Per-request timings of TensorRT-LLM, vLLM, SGLang, AIPerf, GuideLLM or llmperf: "
                               "JSON, JSONL, CSV or Prometheus text"));
    QAction *openDirectory = file->addAction(tr("Open &Directory…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a results directory"));
        if (!dir.isEmpty())
            open({dir});
    });
    openDirectory->setStatusTip(tr("Every file of one run together, e.g. the JSONL files of a disaggregated deployment"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    const QList<QAction *> live = createLiveMenu(file);
    file->addSeparator();
    file->addAction(tr("Export &Breakdown as PNG/SVG…"), this, [this] {
        exportPicture(tr("Export breakdown"), QStringLiteral("breakdown.png"), tr("Phaseline breakdown"), m_breakdown,
                      [this](QPainter &painter, const QRect &target) { m_breakdown->render(painter, target, true); });
    });
    file->addAction(tr("Export T&imeline as PNG/SVG…"), this, [this] {
        exportPicture(tr("Export timeline"), QStringLiteral("timeline.png"), tr("Phaseline timeline"), m_timeline,
                      [this](QPainter &painter, const QRect &target) { m_timeline->render(painter, target, true); });
    });
    file->addAction(tr("Export I&ntervals as PNG/SVG…"), this, [this] {
        exportPicture(tr("Export intervals"), QStringLiteral("intervals.png"), tr("Phaseline intervals"), m_intervals,
                      [this](QPainter &painter, const QRect &target) { m_intervals->render(painter, target, true); });
    });
    file->addAction(tr("Export Statistics &Plots as PNG/SVG…"), this, [this] {
        exportPicture(tr("Export statistics plots"), QStringLiteral("statistics.png"), tr("Phaseline statistics"),
                      m_statistics->plotsWidget(),
                      [this](QPainter &painter, const QRect &target) { m_statistics->renderPlots(painter, target); });
    });
    file->addAction(tr("Export &Window as PNG/SVG…"), this, &MainWindow::exportWindow);
    file->addAction(tr("Export &Statistics as CSV/JSON…"), this, &MainWindow::exportStatistics);
    file->addAction(tr("Export Request &Table as CSV…"), this, &MainWindow::askRequestTableExport);
    file->addAction(tr("Export Dataset &Comparison as CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export dataset comparison"),
                                                          QStringLiteral("comparison.csv"), tr("CSV (*.csv)"));
        QSaveFile out(path);
        if (!path.isEmpty()
            && (!out.open(QIODevice::WriteOnly) || out.write(m_comparison->toCsv()) < 0 || !out.commit()))
            QMessageBox::warning(this, tr("Export failed"), tr("Cannot write %1: %2").arg(path, out.errorString()));
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QList<QAction *> waysIn{openFiles, openDirectory};
    waysIn += live;

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Reset Zoom"), QKeySequence(Qt::Key_Home), this, [this] {
        if (m_views->currentWidget()->isAncestorOf(m_timeline))
            m_timeline->resetZoom();
        else
            m_breakdown->resetZoom();
    });
    view->addAction(tr("&Breakdown"), QKeySequence(Qt::CTRL | Qt::Key_1), this, [this] { m_views->setCurrentIndex(0); });
    view->addAction(tr("&Timeline"), QKeySequence(Qt::CTRL | Qt::Key_2), this, [this] { m_views->setCurrentIndex(1); });
    view->addAction(tr("Clear Selection"), QKeySequence(Qt::Key_Escape), m_selection, &RequestSelection::clear);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard and Mouse"), QKeySequence(Qt::Key_Question), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard and mouse"),
            tr("<b>Breakdown view</b><br>Hover a bar: its phases in ms and % of its total.<br>"
               "Click: select (Ctrl+click: add/remove). Click a legend entry: hide/show that phase.<br>"
               "Ctrl+wheel, W/S, +/-: zoom at the cursor. Drag, wheel, A/D, arrows: pan.<br>"
               "Shift+drag: zoom to a range. Home: reset zoom. Esc: clear the selection.<br><br>"
               "<b>Timeline</b><br>Hover a request: its phases and, zoomed in, its steps. Click: select "
               "(Ctrl+click: add/remove). Ctrl+drag: select every request in a time range.<br>"
               "Ctrl+wheel, W/S: zoom at the cursor. Drag, wheel, A/D, arrows: pan. Shift+drag: zoom to a "
               "range. Double-click: zoom to a request. Z: zoom to the selection. Shift+wheel: taller lanes "
               "(steps show under requests); wheel over the server labels, PgUp/PgDn: scroll the lanes. Drag "
               "in the overview: move the window. Home: reset."));
    });
    help->addAction(tr("&About Phaseline"), this, [this] {
        QMessageBox::about(this, tr("About Phaseline"),
                           tr("<b>Phaseline %1</b><br>Where the time of every request to an LLM inference "
                              "server went.")
                               .arg(QApplication::applicationVersion()));
    });
    return waysIn;
}

void MainWindow::open(const QStringList &inputs)
{
    if (inputs.isEmpty())
        return;
    m_live->stop();
    m_currentInputs = inputs;
    m_status->setText(tr("Loading %1…").arg(inputs.join(QStringLiteral(", "))));
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    m_loader->setCsvMappings(CsvMappingDialog::rememberedMappings());
    m_loader->start(inputs);
}

void MainWindow::onLoaded()
{
    m_progress->hide();
    m_cancel->hide();
    LoadResult result = m_loader->takeResult();
    const bool partial = result.isPartial(); // asked before the table moves out
    replaceTable(std::move(result.table), false);
    m_statistics->setDistributions(result.distributions);
    showIntervalSeries(result.intervalSeries, false);
    m_summaries->setSummaries(result.summaries);
    m_tabs->setTabVisible(m_tabs->indexOf(m_summaries), !result.summaries.isEmpty());
    showIssues(result.issues);

    const QStringList inputs = m_loader->inputs();
    setWindowTitle(tr("%1 – Phaseline").arg(inputs.size() == 1 ? QFileInfo(inputs.first()).fileName()
                                                                 : tr("%1 inputs").arg(inputs.size())));
    int errors = 0;
    for (const LoadIssue &issue : result.issues)
        errors += issue.severity == LoadIssue::Error;
    QString status = tr("%1 from %2 (%3 MB)")
                         .arg(loadedSubject(m_table->size(), result.intervalSeries), inputs.join(QStringLiteral(", ")))
                         .arg(QString::number(double(result.bytesRead) / 1e6, 'f', 1));
    if (!result.distributions.isEmpty())
        status += tr(" · %1 server histograms (Statistics tab)").arg(result.distributions.size());
    if (!result.summaries.isEmpty())
        status += tr(" · tools' summaries of %n run(s) (Summaries tab)", nullptr, int(result.summaries.size()));
    if (!result.issues.isEmpty())
        status += tr(" · %1 problem(s), %2 error(s): see the Issues tab").arg(result.issues.size()).arg(errors);
    m_status->setText(status);
    // Errors and skipped data (a damaged record, an unreadable file) are shown at once.
    if (errors > 0 || partial)
        m_tabs->setCurrentWidget(m_issues);
    else if (m_table->isEmpty() && !result.summaries.isEmpty())
        m_tabs->setCurrentWidget(m_summaries); // a summary file alone: its table is what there is to see
    addRecent(inputs);
    if (!result.unmappedCsvFiles.isEmpty()) {
        const QString path = result.unmappedCsvFiles.first();
        QMetaObject::invokeMethod(this, [this, path] { askCsvMapping(path); }, Qt::QueuedConnection);
    }
    Q_EMIT loaded();
}

void MainWindow::replaceTable(RequestTable &&table, bool update)
{
    // A new snapshot: work still running on the old one finishes there and is dropped.
    m_selection->clear();
    m_filtered.reset();
    m_table = std::make_shared<const RequestTable>(std::move(table));
    showViews();
    m_comparison->setTable(m_table);
    rebuildDatasetChoices();
    setViewTable(m_table, update);
}

void MainWindow::setViewTable(const std::shared_ptr<const RequestTable> &table, bool update)
{
    m_breakdown->setTable(table, update);
    m_timeline->setTable(table, update);
    m_requests->setTable(table);
    m_statistics->setTable(table);
    if (table) {
        rebuildClockChoices();
        rebuildOrderChoices();
        updateStatisticsScope();
    }
}

const RequestTable &MainWindow::viewTable() const
{
    return m_filtered ? *m_filtered : *m_table;
}

void MainWindow::rebuildDatasetChoices()
{
    m_datasetChoice->clear();
    const std::vector<Dataset> datasets = datasetsOf(*m_table);
    m_datasetChoice->addItem(tr("all datasets (%1 requests)").arg(m_table->size()));
    for (const Dataset &dataset : datasets)
        m_datasetChoice->addItem(tr("%1 (%2 requests)").arg(dataset.name).arg(dataset.rows.size()), dataset.name);
    m_datasetBar->setVisible(!datasets.empty());
    updateComparisonTab();
}

// Something to compare: request datasets, or the interval series of several instances.
void MainWindow::updateComparisonTab()
{
    m_tabs->setTabVisible(m_tabs->indexOf(m_comparison),
                          !m_datasetBar->isHidden() || m_intervals->series().size() >= 2);
}

void MainWindow::showDataset(int index)
{
    // A dataset is shown as a table of its own rows: every view, the selection and the
    // statistics then speak about that dataset only.
    m_selection->clear();
    m_filtered.reset();
    const QString name = m_datasetChoice->itemData(index).toString();
    if (index > 0 && !name.isEmpty()) {
        const int column = m_table->labelIndex(kDatasetLabel);
        std::vector<bool> keep(size_t(m_table->size()), false);
        for (int row = 0; row < m_table->size(); ++row)
            keep[size_t(row)] = m_table->labelColumn(column).at(row) == name;
        auto filtered = std::make_shared<RequestTable>(*m_table);
        filtered->compact(keep);
        m_filtered = std::move(filtered);
    }
    setViewTable(m_filtered ? m_filtered : m_table);
}

// A CSV without recognisable columns: ask what they hold, remember the answer for files
// with the same header, and load the inputs again with it.
void MainWindow::askCsvMapping(const QString &path)
{
    MappedFile file;
    if (!file.open(path))
        return;
    const CsvPreview preview = readCsvPreview(std::string_view(file.data(), file.size()), 10);
    auto *dialog = new CsvMappingDialog(QFileInfo(path).fileName(), preview, CsvImporter::recognise(preview), this);
    dialog->setObjectName(QStringLiteral("csvMappingDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, headerLine = preview.headerLine] {
        CsvMappingDialog::remember(headerLine, dialog->mapping());
        open(m_currentInputs);
    });
    dialog->open();
}

void MainWindow::onLoadCanceled()
{
    m_progress->hide();
    m_cancel->hide();
    m_status->setText(tr("Loading canceled; the previous data is still shown."));
}

void MainWindow::showIssues(const QVector<LoadIssue> &issues)
{
    m_issues->clear();
    for (const LoadIssue &issue : issues) {
        auto *item = new QListWidgetItem(issue.toString(), m_issues);
        item->setForeground(issue.severity == LoadIssue::Error ? QColor(0xD6, 0x27, 0x28) : palette().color(QPalette::Text));
    }
    m_tabs->setTabText(m_tabs->indexOf(m_issues),
                       issues.isEmpty() ? tr("Issues") : tr("Issues (%1)").arg(issues.size()));
}

void MainWindow::updateStatisticsScope()
{
    if (!m_selection->isEmpty()) {
        m_scopeRows = m_selection->rows();
        m_statistics->setRows(&m_scopeRows, tr("selection: %1 requests").arg(m_scopeRows.size()));
    } else if (m_views->currentIndex() == 1 && !m_timeline->isUpdating() && m_timeline->layout().partCount() > 0
               && (m_timeline->viewStart() > m_timeline->layout().runStart()
                   || m_timeline->viewEnd() < m_timeline->layout().runEnd())) {
        m_scopeRows = m_timeline->visibleRows();
        m_statistics->setRows(&m_scopeRows, tr("visible time range: %1 requests").arg(m_scopeRows.size()));
    } else if (m_views->currentIndex() == 0 && !m_breakdown->isPreparing() && !m_breakdown->isUpdating()
               && m_breakdown->viewCount() < viewTable().size()) {
        m_scopeRows = m_breakdown->visibleRows();
        m_statistics->setRows(&m_scopeRows, tr("visible range: %1 requests").arg(m_scopeRows.size()));
    } else {
        m_statistics->setRows(nullptr, m_filtered ? tr("dataset %1: all %2 requests")
                                                        .arg(m_datasetChoice->currentData().toString())
                                                        .arg(viewTable().size())
                                                  : tr("all %1 requests").arg(viewTable().size()));
    }
}

void MainWindow::addRecent(const QStringList &inputs)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    for (const QString &input : inputs) {
        const QString path = QFileInfo(input).absoluteFilePath();
        recent.removeAll(path);
        recent.prepend(path);
    }
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecent();
}

void MainWindow::rebuildRecent()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString &path : recent)
        m_recentMenu->addAction(path, this, [this, path] { open({path}); });
    m_recentMenu->setEnabled(!recent.isEmpty());
    m_startPage->setRecent(recent);
}

void MainWindow::exportPicture(const QString &caption, const QString &fileName, const QString &title,
                               const QWidget *shown, const PaintFunction &paint)
{
    const QString path = QFileDialog::getSaveFileName(this, caption, fileName,
                                                      tr("PNG image (*.png);;SVG drawing (*.svg)"));
    if (path.isEmpty())
        return;
    QSize size = shown->size();
    qreal ratio = devicePixelRatioF();
    if (!askExportSize(this, path, &size, &ratio))
        return;
    QString error;
    if (!exportPainting(paint, path, size, title, ratio, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void MainWindow::exportWindow()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export window"), QStringLiteral("phaseline.png"),
                                                      tr("PNG image (*.png);;SVG drawing (*.svg)"));
    QString error;
    if (!path.isEmpty() && !exportWidget(this, path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void MainWindow::exportStatistics()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export statistics"), QStringLiteral("statistics.csv"),
                                                      tr("CSV (*.csv);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    const bool json = QFileInfo(path).suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) == 0;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(formatStatistics(m_statistics->report(), json ? StatisticsFormat::Json : StatisticsFormat::Csv,
                                    m_comparison->hasDatasets() ? computeDatasetStatistics(*m_table)
                                                                : QVector<DatasetStatistics>(),
                                    m_statistics->distributionsView()->distributions())) < 0
        || !file.commit())
        QMessageBox::warning(this, tr("Export failed"), tr("Cannot write %1: %2").arg(path, file.errorString()));
}

void MainWindow::askRequestTableExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export request table"), QStringLiteral("requests.csv"),
                                                      tr("CSV (*.csv)"));
    if (!path.isEmpty())
        exportRequestTable(path);
}

void MainWindow::exportRequestTable(const QString &path)
{
    m_requests->startCsvExport(path);
    m_status->setText(tr("Writing the request table to %1…").arg(path));
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
}

void MainWindow::showCsvExportEnd(const QString &status)
{
    m_progress->hide();
    m_cancel->hide();
    m_status->setText(status);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"),
                      findChild<QSplitter *>(QStringLiteral("mainSplitter"))->saveState());
    m_loader->cancel();
    m_live->stop();
    QMainWindow::closeEvent(event);
}

QList<QAction *> MainWindow::createLiveMenu(QMenu *file)
{
    file->addSeparator();
    QAction *connectAction = file->addAction(tr("&Connect to Server…"), this, [this] {
        LiveConnectDialog dialog(this);
        Live::PollSettings settings;
        QString error;
        if (dialog.exec() == QDialog::Accepted && dialog.settings(&settings, &error))
            connectTo(settings);
    });
    connectAction->setStatusTip(tr("Poll a live TensorRT-LLM /perf_metrics endpoint; every record is kept in a session file"));
    QAction *watch = file->addAction(tr("&Watch Directory…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Watch a directory of perf_metrics-*.jsonl files"));
        if (!dir.isEmpty())
            watchDirectory(dir);
    });
    watch->setStatusTip(tr("Follow the perf_metrics-*.jsonl files of a running deployment as they grow"));
    QAction *save = file->addAction(tr("Save Live &Session As…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save live session"), QStringLiteral("perf_metrics-session.jsonl"),
                                                          tr("JSONL (*.jsonl)"));
        QString error;
        if (!path.isEmpty() && !m_live->saveSession(path, &error))
            QMessageBox::warning(this, tr("Save failed"), error);
    });
    QAction *pause = file->addAction(tr("&Pause Live Updates"));
    pause->setCheckable(true);
    connect(pause, &QAction::toggled, m_live, &LiveController::setPaused);
    QAction *stop = file->addAction(tr("S&top Live Source"), m_live, &LiveController::stop);
    auto update = [this, save, pause, stop] {
        save->setEnabled(!m_live->sessionFilePath().isEmpty());
        pause->setEnabled(m_live->isActive());
        const QSignalBlocker blocker(pause);
        pause->setChecked(m_live->isPaused());
        stop->setEnabled(m_live->isActive());
    };
    connect(m_live, &LiveController::statusChanged, this, update);
    update();
    return {connectAction, watch};
}

void MainWindow::connectTo(const Live::PollSettings &settings)
{
    m_loader->abandon();
    QString error;
    if (!m_live->connectTo(settings, LiveController::defaultSessionDirectory(), &error)) {
        QMessageBox::warning(this, tr("Cannot connect"), error);
        return;
    }
    m_currentInputs = {settings.url.toString(QUrl::RemoveUserInfo)};
    showViews();
    setWindowTitle(tr("%1 (live) – Phaseline").arg(m_currentInputs.first()));
    m_status->setText(tr("Polling %1; session file %2").arg(m_currentInputs.first(), m_live->sessionFilePath()));
}

void MainWindow::watchDirectory(const QString &directory)
{
    m_loader->abandon();
    QString error;
    if (!m_live->watchDirectory(directory, &error)) {
        QMessageBox::warning(this, tr("Cannot watch"), error);
        return;
    }
    m_currentInputs = {directory};
    showViews();
    setWindowTitle(tr("%1 (live) – Phaseline").arg(QFileInfo(directory).fileName()));
    m_status->setText(tr("Watching %1 for perf_metrics-*.jsonl").arg(directory));
}

// A new joined table from the live source: swapped in whole (it is built off the GUI thread),
// keeping the selection (by request id) and, in the views, the zoom when the user had zoomed in.
void MainWindow::showLiveTable()
{
    LoadResult result = m_live->takeTable();
    QSet<QString> selectedIds;
    for (int row : m_selection->rows())
        selectedIds.insert(viewTable().id(row));
    // An update: the views keep showing the previous table (and their zoom) until theirs is ready.
    replaceTable(std::move(result.table), true);
    showIntervalSeries(result.intervalSeries, true);
    if (!selectedIds.isEmpty()) {
        std::vector<int> rows;
        for (int row = 0; row < m_table->size(); ++row) {
            if (selectedIds.contains(m_table->id(row)))
                rows.push_back(row);
        }
        m_selection->setRows(std::move(rows));
    }
    updateStatisticsScope();
    showIssues(result.issues);
    m_status->setText(tr("%1 from %2 (live)")
                          .arg(loadedSubject(m_table->size(), result.intervalSeries), m_currentInputs.join(QStringLiteral(", "))));
    Q_EMIT loaded();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    open(paths);
}

} // namespace Phaseline
