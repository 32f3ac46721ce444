// The statistics panel: its table shows what computeStatistics() computes, follows subsets
// (also when they are computed on a worker thread), plots the selected phase, and exports.

#include "distributionsview.h"
#include "guitestmain.h"
#include "mainwindow.h"
#include "statisticspanel.h"
#include "testutils.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QCheckBox>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QSvgGenerator>
#include <QSvgRenderer>
#include <QHeaderView>
#include <QTableView>
#include <QXmlStreamReader>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChartView>
#include <QtCharts/QHorizontalStackedBarSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PHASELINE_HEAP_FROM_ASAN
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(PHASELINE_HEAP_FROM_ASAN)
#include <sanitizer/allocator_interface.h>
#else
#include <malloc.h>
#endif

using namespace Phaseline;

namespace {

const QString kSample = QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json");

// Columns of the panel's table.
enum Column { Phase, Count, Mean, Median, P90, P99, Min, Max, Missing, Anomalies };

const RequestTable &sample()
{
    return PhaselineTest::loadOnce(kSample).table;
}

// The phase or total called `name` (or titled `title`), or nullptr.
const PhaseDefinition *findDefinition(const RequestTable &table, const QString &name, const QString &title = {})
{
    for (const QVector<PhaseDefinition> *list : {&table.phases().all(), &table.phases().totals()}) {
        for (const PhaseDefinition &phase : *list) {
            if (phase.name == name || (!title.isEmpty() && phase.title == title))
                return &phase;
        }
    }
    return nullptr;
}

const PhaseDefinition &definitionOf(const RequestTable &table, const QString &name)
{
    const PhaseDefinition *found = findDefinition(table, name);
    if (!found)
        qFatal("no phase %s", qPrintable(name));
    return *found;
}

const PhaseStatistics *statisticsOf(const StatisticsReport &report, const QString &name)
{
    for (const QVector<PhaseStatistics> *list : {&report.phases, &report.totals}) {
        for (const PhaseStatistics &statistics : *list) {
            if (statistics.name == name)
                return &statistics;
        }
    }
    return nullptr;
}

QTableView *tableViewOf(const StatisticsPanel &panel)
{
    return panel.findChild<QTableView *>(QStringLiteral("statisticsTable"));
}

QString cell(const StatisticsPanel &panel, int row, int column)
{
    const QAbstractItemModel *model = tableViewOf(panel)->model();
    return model->data(model->index(row, column)).toString();
}

// The table row showing `name` (found by its title, as a user would), or -1.
int rowOf(const StatisticsPanel &panel, const QString &name)
{
    const QString title = definitionOf(sample(), name).title;
    const QAbstractItemModel *model = tableViewOf(panel)->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (cell(panel, row, Phase) == title)
            return row;
    }
    return -1;
}

QChart *distributionChart(const StatisticsPanel &panel)
{
    return panel.findChild<QChartView *>(QStringLiteral("distributionChart"))->chart();
}

// The histogram's one bar set, or nullptr when the plot shows no histogram.
QBarSet *histogram(const StatisticsPanel &panel)
{
    for (QAbstractSeries *series : distributionChart(panel)->series()) {
        if (auto *bars = qobject_cast<QBarSeries *>(series))
            return bars->barSets().value(0);
    }
    return nullptr;
}

qint64 total(const QBarSet *set)
{
    qint64 sum = 0;
    for (int i = 0; i < set->count(); ++i)
        sum += qint64(set->at(i));
    return sum;
}

// The histogram's bins against the durations they count (whole sample): the visible ms axis spans
// exactly the bins, the width is a round number (1, 2, 2.5 or 5 × 10^k ms), the start a multiple
// of it, and each bin holds the requests whose duration lies in [lower edge, upper edge).
void verifyBinEdges(const StatisticsPanel &panel, const QString &name)
{
    const QBarSet *set = histogram(panel);
    QVERIFY(set && set->count() > 0);
    const QValueAxis *ms = nullptr;
    for (QAbstractAxis *axis : distributionChart(panel)->axes(Qt::Horizontal)) {
        if (axis->isVisible() && axis->titleText() == QLatin1String("ms"))
            ms = qobject_cast<QValueAxis *>(axis);
    }
    QVERIFY(ms);
    const double start = ms->min(), width = (ms->max() - ms->min()) / set->count();
    const double mantissa = width / std::pow(10.0, std::floor(std::log10(width)));
    const double nice[] = {1.0, 2.0, 2.5, 5.0, 10.0};
    QVERIFY2(std::any_of(std::begin(nice), std::end(nice), [mantissa](double n) { return std::abs(mantissa - n) < 1e-6; }),
             qPrintable(QStringLiteral("bin width %1 ms").arg(width)));
    QVERIFY2(std::abs(start / width - std::round(start / width)) < 1e-6,
             qPrintable(QStringLiteral("start %1 ms, width %2 ms").arg(start).arg(width)));

    const PhaseResolver resolver(sample(), {definitionOf(sample(), name)});
    std::vector<qint64> expected(size_t(set->count()), 0);
    for (int row = 0; row < sample().size(); ++row) {
        double value = 0;
        if (resolver.duration(0, row, &value) != PhaseState::Recorded)
            continue;
        const double bin = std::floor((value - start) / width);
        QVERIFY2(bin >= 0 && bin < set->count(),
                 qPrintable(QStringLiteral("%1 ms outside [%2, %3)").arg(value).arg(start).arg(ms->max())));
        ++expected[size_t(bin)];
    }
    for (int bin = 0; bin < set->count(); ++bin)
        QVERIFY2(qint64(set->at(bin)) == expected[size_t(bin)],
                 qPrintable(QStringLiteral("bin [%1, %2) ms: %3 requests, expected %4")
                                .arg(start + bin * width)
                                .arg(start + (bin + 1) * width)
                                .arg(set->at(bin))
                                .arg(expected[size_t(bin)])));
}

// The longest horizontal run of pixels of exactly `color`: a bar segment, not a swatch.
int longestRun(const QImage &image, QRgb color)
{
    int longest = 0;
    for (int y = 0; y < image.height(); ++y) {
        int run = 0;
        for (int x = 0; x < image.width(); ++x) {
            run = image.pixel(x, y) == color ? run + 1 : 0;
            longest = std::max(longest, run);
        }
    }
    return longest;
}

int pixelsOf(const QImage &image, QRgb color)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            count += image.pixel(x, y) == color;
    }
    return count;
}

QImage whiteImage(const QSize &size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white); // QImage memory starts uninitialised (docs/design.md §3.4)
    return image;
}

// An aggregated run big enough for the worker thread: queue, prefill and decode stamps.
RequestTable syntheticTable(int requests)
{
    RequestTable table;
    table.setPhases(PhaseCatalog::trtllm());
    table.reserve(size_t(requests));
    const int arrival = table.addStampColumn(QStringLiteral("ctx_arrival_time"));
    const int scheduled = table.addStampColumn(QStringLiteral("ctx_first_scheduled_time"));
    const int firstToken = table.addStampColumn(QStringLiteral("ctx_first_token_time"));
    const int lastToken = table.addStampColumn(QStringLiteral("ctx_last_token_time"));
    for (int i = 0; i < requests; ++i) {
        const int row = table.appendRow(std::to_string(i), Role::Aggregated);
        const double start = 1000.0 + i * 0.01;
        const double queued = start + 0.001 * (1 + i % 7);
        const double prefilled = queued + 0.05 + 0.0001 * (i % 100);
        table.setStampSeconds(arrival, row, start);
        table.setStampSeconds(scheduled, row, queued);
        table.setStampSeconds(firstToken, row, prefilled);
        table.setStampSeconds(lastToken, row, prefilled + 1.0 + 0.001 * (i % 500));
    }
    return table;
}

// Bytes the heap holds right now (AddressSanitizer keeps its own heap, glibc's mallinfo2 is blind to it).
qint64 heapBytesInUse()
{
#if defined(__SANITIZE_ADDRESS__) || defined(PHASELINE_HEAP_FROM_ASAN)
    return qint64(__sanitizer_get_current_allocated_bytes());
#else
    return qint64(mallinfo2().uordblks);
#endif
}

using WidgetFactory = std::function<QWidget *()>;

// Every text a chart view draws: Qt Charts draws titles, tick labels and legend labels as
// QGraphicsTextItems, and one that does not fit its room is drawn elided, ending in "…".
QStringList drawnTexts(const QChartView *view)
{
    QStringList texts;
    for (const QGraphicsItem *item : view->scene()->items()) {
        const auto *text = qgraphicsitem_cast<const QGraphicsTextItem *>(item);
        if (text && text->isVisible() && !text->toPlainText().isEmpty())
            texts << text->toPlainText();
    }
    return texts;
}

// The labels a value axis has ticks for: every multiple of its interval in its range (the
// panel anchors ticks at 0), formatted as the axis formats them.
QStringList tickLabels(const QValueAxis *axis)
{
    QStringList labels;
    const double step = axis->tickInterval();
    for (double tick = std::ceil(axis->min() / step - 1e-9) * step; tick <= axis->max() + step * 1e-9; tick += step)
        labels << QString::asprintf(axis->labelFormat().toLatin1().constData(), std::abs(tick) < step * 1e-9 ? 0.0 : tick);
    return labels;
}

// How the statistics splitter is left before the panel is measured.
enum class Split { AsChosen, TableNarrowest, TableWidest };

} // namespace

Q_DECLARE_METATYPE(WidgetFactory)
Q_DECLARE_METATYPE(Split)

class TestStatisticsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelIsConsistent();
    void tableMatchesStatistics_data();
    void tableMatchesStatistics();
    void subsetChangesCounts_data();
    void subsetChangesCounts();
    void sameRowsOnlyRelabel();
    void dashWhereNothingRecorded();
    void defaultPhaseHasLargestMedian();
    void selectingPhaseChangesHistogram_data();
    void selectingPhaseChangesHistogram();
    void cdfToggle();
    void renderPlotsPng();
    void renderPlotsSvg();
    void largeSubsetsComputedOffThread();
    void nullTableClears();
    void grabPanel();
    void layoutFitsWindowPane_data();
    void layoutFitsWindowPane();
    void splitterIsRemembered();
    void plotsReadableInWindow_data();
    void plotsReadableInWindow();
    void chartsFreedWithTheirView_data();
    void chartsFreedWithTheirView();
    void summaryStacksParentWhenAChildIsMissing();
};

void TestStatisticsPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // settings of a test, not the user's
    QSettings().remove(QStringLiteral("statistics"));
    const LoadResult &loaded = PhaselineTest::loadOnce(kSample);
    QVERIFY2(!loaded.hasErrors(), qPrintable(PhaselineTest::describeIssues(loaded)));
    QCOMPARE(loaded.table.size(), 10);
}

void TestStatisticsPanel::modelIsConsistent()
{
    StatisticsPanel panel;
    QAbstractItemModelTester tester(tableViewOf(panel)->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    const std::vector<int> subset{0, 3, 5};
    panel.setRows(&subset, QStringLiteral("selection: 3 requests"));
    panel.setTable(nullptr);
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    // All 14 phases and both totals are recorded somewhere in this file.
    QCOMPARE(tableViewOf(panel)->model()->rowCount(), 16);
}

void TestStatisticsPanel::tableMatchesStatistics_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("ctx_processing") << QStringLiteral("ctx_processing");
    QTest::newRow("disagg_preprocessing (an anomaly)") << QStringLiteral("disagg_preprocessing");
    QTest::newRow("gen_kv_transfer") << QStringLiteral("gen_kv_transfer");
    QTest::newRow("decode") << QStringLiteral("decode");
    QTest::newRow("ttft") << QStringLiteral("ttft");
    QTest::newRow("e2e") << QStringLiteral("e2e");
}

void TestStatisticsPanel::tableMatchesStatistics()
{
    QFETCH(QString, name);
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    const StatisticsReport report = computeStatistics(sample());
    const PhaseStatistics *expected = statisticsOf(report, name);
    QVERIFY(expected);
    const int row = rowOf(panel, name);
    QVERIFY(row >= 0);

    QCOMPARE(cell(panel, row, Count), QString::number(expected->count));
    QCOMPARE(cell(panel, row, Mean), QString::number(expected->mean, 'f', 3));
    QCOMPARE(cell(panel, row, Median), QString::number(expected->median, 'f', 3));
    QCOMPARE(cell(panel, row, P90), QString::number(expected->p90, 'f', 3));
    QCOMPARE(cell(panel, row, P99), QString::number(expected->p99, 'f', 3));
    QCOMPARE(cell(panel, row, Min), QString::number(expected->min, 'f', 3));
    QCOMPARE(cell(panel, row, Max), QString::number(expected->max, 'f', 3));
    QCOMPARE(cell(panel, row, Missing), QString::number(expected->missing));
    QCOMPARE(cell(panel, row, Anomalies), QString::number(expected->anomalies));

    const QAbstractItemModel *model = tableViewOf(panel)->model();
    const QModelIndex phaseCell = model->index(row, Phase);
    // The cell may be elided: its tooltip names the phase in full and says what it measures.
    const QString tip = model->data(phaseCell, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(definitionOf(sample(), name).title.toHtmlEscaped()), qPrintable(tip));
    QVERIFY2(tip.contains(definitionOf(sample(), name).description.toHtmlEscaped()), qPrintable(tip));
    QVERIFY(!expected->measured.isEmpty());
    QVERIFY2(tip.contains(QStringLiteral("Measured here: ") + expected->measured.toHtmlEscaped()), qPrintable(tip));
    QCOMPARE(model->data(phaseCell, Qt::DecorationRole).value<QColor>().rgba(), definitionOf(sample(), name).color);
}

void TestStatisticsPanel::subsetChangesCounts_data()
{
    QTest::addColumn<std::vector<int>>("rows");
    const RequestTable &table = sample();
    std::vector<int> even;
    for (int row = 0; row < table.size(); row += 2)
        even.push_back(row);
    QTest::newRow("first three") << std::vector<int>{0, 1, 2};
    QTest::newRow("even rows") << even;
    QTest::newRow("request without a context record") << std::vector<int>{PhaselineTest::rowOf(table, QStringLiteral("1013"))};
    QTest::newRow("empty selection") << std::vector<int>{};
}

void TestStatisticsPanel::subsetChangesCounts()
{
    QFETCH(std::vector<int>, rows);
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    const QString scope = QStringLiteral("selection: %1 requests").arg(rows.size());
    panel.setRows(&rows, scope);

    QCOMPARE(panel.report().requests, qint64(rows.size()));
    QVERIFY(panel.findChild<QLabel *>(QStringLiteral("scopeLabel"))->text().contains(scope));
    const StatisticsReport expected = computeStatistics(sample(), &rows);
    const QAbstractItemModel *model = tableViewOf(panel)->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString title = cell(panel, row, Phase);
        const PhaseDefinition *definition = findDefinition(sample(), QString(), title);
        QVERIFY2(definition, qPrintable(title));
        // The report leaves out a phase nobody in the subset recorded: all of them miss it.
        const PhaseStatistics *statistics = statisticsOf(expected, definition->name);
        const qint64 count = statistics ? statistics->count : 0;
        QCOMPARE(cell(panel, row, Count), QString::number(count));
        QCOMPARE(cell(panel, row, Missing), QString::number(statistics ? statistics->missing : qint64(rows.size())));
        QCOMPARE(cell(panel, row, Anomalies), QString::number(statistics ? statistics->anomalies : 0));
        for (int column = Mean; column <= Max; ++column)
            QCOMPARE(cell(panel, row, column) == QLatin1String("-"), count == 0);
    }
}

void TestStatisticsPanel::sameRowsOnlyRelabel()
{
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    QSignalSpy updated(&panel, &StatisticsPanel::statisticsUpdated);
    const QString scope = QStringLiteral("all 10 requests, again");
    panel.setRows(nullptr, scope);
    QCOMPARE(updated.count(), 0);
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("scopeLabel"))->text(), scope);

    const std::vector<int> subset{1, 2};
    panel.setRows(&subset, QStringLiteral("selection: 2 requests"));
    panel.setRows(&subset, QStringLiteral("selection: the same 2 requests"));
    QCOMPARE(updated.count(), 1);
    QCOMPARE(panel.report().requests, 2);
}

void TestStatisticsPanel::dashWhereNothingRecorded()
{
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    const int row = rowOf(panel, QStringLiteral("ctx_processing"));
    QVERIFY(cell(panel, row, Median) != QLatin1String("-"));

    const std::vector<int> withoutContext{PhaselineTest::rowOf(sample(), QStringLiteral("1013"))};
    panel.setRows(&withoutContext, QStringLiteral("selection: 1 request"));
    QCOMPARE(cell(panel, row, Count), QStringLiteral("0"));
    QCOMPARE(cell(panel, row, Missing), QStringLiteral("1"));
    for (int column = Mean; column <= Max; ++column)
        QCOMPARE(cell(panel, row, column), QStringLiteral("-"));
    // The request has a generation side: its phases keep their numbers.
    QVERIFY(cell(panel, rowOf(panel, QStringLiteral("gen_kv_transfer")), Median) != QLatin1String("-"));
}

void TestStatisticsPanel::defaultPhaseHasLargestMedian()
{
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    // decode (~1174 ms) dominates every TTFT segment.
    QCOMPARE(tableViewOf(panel)->currentIndex().row(), rowOf(panel, QStringLiteral("decode")));
    QBarSet *set = histogram(panel);
    QVERIFY(set);
    QCOMPARE(set->label(), QStringLiteral("Decode"));
    QCOMPARE(total(set), statisticsOf(panel.report(), QStringLiteral("decode"))->count);
    verifyBinEdges(panel, QStringLiteral("decode"));
}

void TestStatisticsPanel::selectingPhaseChangesHistogram_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("ctx_processing") << QStringLiteral("ctx_processing");
    QTest::newRow("disagg_preprocessing (anomaly excluded)") << QStringLiteral("disagg_preprocessing");
    QTest::newRow("gen_kv_transfer") << QStringLiteral("gen_kv_transfer");
    QTest::newRow("ttft") << QStringLiteral("ttft");
}

void TestStatisticsPanel::selectingPhaseChangesHistogram()
{
    QFETCH(QString, name);
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    QSignalSpy updated(&panel, &StatisticsPanel::statisticsUpdated);
    tableViewOf(panel)->selectRow(rowOf(panel, name));
    QCOMPARE(updated.count(), 1);

    QBarSet *set = histogram(panel);
    QVERIFY(set);
    QCOMPARE(set->label(), definitionOf(sample(), name).title);
    QVERIFY(set->count() >= 1 && set->count() <= 60);
    QCOMPARE(set->color().rgba(), definitionOf(sample(), name).color);
    QCOMPARE(total(set), statisticsOf(panel.report(), name)->count);
    verifyBinEdges(panel, name);
    if (QTest::currentTestFailed())
        return;

    // A subset keeps the selected phase and re-bins it.
    const std::vector<int> firstFive{0, 1, 2, 3, 4};
    panel.setRows(&firstFive, QStringLiteral("selection: 5 requests"));
    QCOMPARE(histogram(panel)->label(), definitionOf(sample(), name).title);
    QCOMPARE(total(histogram(panel)), statisticsOf(panel.report(), name)->count);

    // A table replacing this one (a live update) keeps the chosen phase plotted.
    const RequestTable replacement = sample();
    panel.setTable(PhaselineTest::snapshotOf(replacement));
    QCOMPARE(histogram(panel)->label(), definitionOf(sample(), name).title);
    QCOMPARE(total(histogram(panel)), statisticsOf(panel.report(), name)->count);
}

void TestStatisticsPanel::cdfToggle()
{
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    auto *toggle = panel.findChild<QCheckBox *>(QStringLiteral("cdfToggle"));
    QVERIFY(toggle);
    toggle->setChecked(true);
    QVERIFY(!histogram(panel));
    const QLineSeries *curve = nullptr;
    for (QAbstractSeries *series : distributionChart(panel)->series()) {
        if (series->name() == QLatin1String("Decode"))
            curve = qobject_cast<QLineSeries *>(series);
    }
    QVERIFY(curve);
    QCOMPARE(curve->count(), 10); // one point per request below the 1000-point cap
    QCOMPARE(curve->at(curve->count() - 1).y(), 100.0);
    toggle->setChecked(false);
    QVERIFY(histogram(panel));
}

void TestStatisticsPanel::renderPlotsPng()
{
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    tableViewOf(panel)->selectRow(rowOf(panel, QStringLiteral("ctx_queue")));

    QImage image = whiteImage(QSize(800, 500));
    {
        QPainter painter(&image);
        panel.renderPlots(painter, image.rect());
    }
    image.save(PhaselineTest::artifactPath(QStringLiteral("statisticspanel-plots.png"))); // for a human to look at
    // decode fills most of the median summary bar: a long run of its colour. The histogram
    // shows ctx_queue, in its own colour.
    QVERIFY2(longestRun(image, definitionOf(sample(), QStringLiteral("decode")).color) >= 300,
             "no median summary bar in the decode colour");
    QVERIFY(pixelsOf(image, definitionOf(sample(), QStringLiteral("ctx_queue")).color) > 1000);
}

void TestStatisticsPanel::renderPlotsSvg()
{
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    const QSize size(800, 500);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setResolution(96);
    {
        QPainter painter(&generator);
        panel.renderPlots(painter, QRect(QPoint(0, 0), size));
    }

    QXmlStreamReader xml(buffer.data());
    int shapes = 0, texts = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        shapes += xml.name() == QLatin1String("rect") || xml.name() == QLatin1String("path");
        texts += xml.name() == QLatin1String("text");
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(shapes > 0);
    // Axis labels, titles and legend entries: a collapsed chart keeps only a handful.
    QVERIFY2(texts >= 20, qPrintable(QString::number(texts)));

    // Drawn back, the summary bar is where it belongs.
    QImage image = whiteImage(size);
    {
        QPainter painter(&image);
        QSvgRenderer(buffer.data()).render(&painter);
    }
    QVERIFY(longestRun(image, definitionOf(sample(), QStringLiteral("decode")).color) >= 300);
}

void TestStatisticsPanel::largeSubsetsComputedOffThread()
{
    const RequestTable big = syntheticTable(260000);
    StatisticsPanel panel;
    QList<qint64> shown; // report().requests at every update
    connect(&panel, &StatisticsPanel::statisticsUpdated, &panel, [&] { shown << panel.report().requests; });

    panel.setTable(PhaselineTest::snapshotOf(big));
    QVERIFY(panel.isUpdating());
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isUpdating(), 60000);
    QCOMPARE(shown, QList<qint64>{big.size()});
    const StatisticsReport expected = computeStatistics(big);
    QCOMPARE(panel.report().phases.size(), expected.phases.size());
    for (int i = 0; i < expected.phases.size(); ++i) {
        QCOMPARE(panel.report().phases[i].name, expected.phases[i].name);
        QCOMPARE(panel.report().phases[i].count, expected.phases[i].count);
        PHASELINE_COMPARE_MS(panel.report().phases[i].median, expected.phases[i].median);
    }
    QCOMPARE(histogram(panel)->label(), QStringLiteral("Decode"));
    QCOMPARE(total(histogram(panel)), qint64(big.size()));

    // A request made while another runs supersedes it: the older result never shows.
    std::vector<int> first(210000), second(big.size() - 5);
    std::iota(first.begin(), first.end(), 0);
    std::iota(second.begin(), second.end(), 5);
    shown.clear();
    panel.setRows(&first, QStringLiteral("first"));
    panel.setRows(&second, QStringLiteral("second"));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isUpdating(), 60000);
    QCOMPARE(shown, QList<qint64>{qint64(second.size())});
    QCOMPARE(total(histogram(panel)), qint64(second.size()));

    // An export waits for the newest request instead of drawing what was there before.
    panel.setRows(&first, QStringLiteral("first"));
    QImage image = whiteImage(QSize(400, 300));
    QPainter painter(&image);
    panel.renderPlots(painter, image.rect());
    QCOMPARE(panel.report().requests, qint64(first.size()));

    // Destroyed mid-computation: nothing waits; the worker finishes on its own snapshot.
    StatisticsPanel(nullptr).setTable(PhaselineTest::snapshotOf(big));
}

void TestStatisticsPanel::nullTableClears()
{
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    QSignalSpy updated(&panel, &StatisticsPanel::statisticsUpdated);
    panel.setTable(nullptr);
    QCOMPARE(updated.count(), 1);
    QCOMPARE(tableViewOf(panel)->model()->rowCount(), 0);
    QCOMPARE(panel.report().requests, 0);
    QVERIFY(!histogram(panel));
    QImage image = whiteImage(QSize(400, 300));
    QPainter painter(&image);
    panel.renderPlots(painter, image.rect()); // nothing to draw, nothing to crash
}

// The panel as laid out on screen (not re-rendered for export): the table lists every phase,
// and the plots got room to show the decode bars.
void TestStatisticsPanel::grabPanel()
{
    StatisticsPanel panel;
    panel.resize(1000, 900);
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QImage image = panel.grab().toImage();
    QVERIFY(image.save(PhaselineTest::artifactPath(QStringLiteral("statisticspanel.png")))); // for a human to look at
    const QRect plots(panel.plotsWidget()->mapTo(&panel, QPoint(0, 0)), panel.plotsWidget()->size());
    QVERIFY2(plots.height() >= 300 && image.rect().contains(plots), "the plots are squeezed out of the panel");
    // At 1000 px the table keeps its numbers whole and the plots get the rest (~280 px): the
    // median bar's decode segment spans most of that.
    QVERIFY2(longestRun(image.copy(plots), definitionOf(sample(), QStringLiteral("decode")).color) >= 150,
             "no decode bar in the plots as shown");
}

// The panel as the window's lower pane holds it at 1280x720 and 1920x1080 (measured on the
// window: the Statistics tab's page), and a tall pane for comparison. Every number column
// shows its widest cell whole, nothing scrolls sideways, and the distribution keeps the
// pane's height when the pane is short (the median stack moves beside it).
void TestStatisticsPanel::layoutFitsWindowPane_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("summaryBeside");
    QTest::newRow("1280x720 window") << QSize(1262, 190) << true;
    QTest::newRow("1920x1080 window") << QSize(1902, 290) << true;
    QTest::newRow("tall pane") << QSize(1000, 900) << false;
}

void TestStatisticsPanel::layoutFitsWindowPane()
{
    QFETCH(QSize, size);
    QFETCH(bool, summaryBeside);
    StatisticsPanel panel;
    panel.resize(size);
    panel.setTable(PhaselineTest::snapshotOf(sample()));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTableView *table = tableViewOf(panel);
    QTRY_VERIFY(table->horizontalHeader()->length() <= table->viewport()->width());
    QVERIFY(!table->horizontalScrollBar()->isVisible());
    // Every number column is as wide as its widest text: nothing elided.
    QFont bold = table->font();
    bold.setBold(true);
    for (int column = 1; column < table->model()->columnCount(); ++column) {
        int widest = 0;
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const QModelIndex index = table->model()->index(row, column);
            const QFont font = index.data(Qt::FontRole).isValid() ? bold : table->font();
            widest = std::max(widest, QFontMetrics(font).horizontalAdvance(index.data().toString()));
        }
        QVERIFY2(table->columnWidth(column) > widest,
                 qPrintable(table->model()->headerData(column, Qt::Horizontal).toString()));
    }
    // The phase names get what is left, at least about twenty characters.
    QVERIFY(table->columnWidth(0) >= 18 * table->fontMetrics().averageCharWidth());

    const QWidget *plots = panel.plotsWidget();
    const QWidget *distribution = panel.findChild<QChartView *>(QStringLiteral("distributionChart"));
    const QWidget *summary = panel.findChild<QChartView *>(QStringLiteral("summaryChart"));
    QVERIFY(distribution->height() <= plots->height());
    const QRect distributionPlace(distribution->mapTo(plots, QPoint(0, 0)), distribution->size());
    const QPoint summaryAt = summary->mapTo(plots, QPoint(0, 0));
    if (summaryBeside) { // the distribution reaches the bottom, under its marker legend only
        QCOMPARE(distributionPlace.bottom(), plots->height() - 1);
        QVERIFY(distribution->height() >= plots->height() * 3 / 4);
        QVERIFY(summaryAt.x() >= distributionPlace.right());
    } else {
        QVERIFY(summaryAt.y() >= distributionPlace.bottom());
        QVERIFY(distribution->height() >= plots->height() / 2);
    }
}

// Where the user drags the divider between the table and the plots comes back next time.
void TestStatisticsPanel::splitterIsRemembered()
{
    QSettings().remove(QStringLiteral("statistics"));
    QList<int> dragged;
    {
        StatisticsPanel panel;
        panel.resize(1400, 400);
        panel.setTable(PhaselineTest::snapshotOf(sample()));
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto *splitter = panel.findChild<QSplitter *>(QStringLiteral("statisticsSplitter"));
        QVERIFY(splitter);
        const QList<int> before = splitter->sizes();
        QSplitterHandle *handle = splitter->handle(1);
        const QPoint grip = handle->rect().center();
        QTest::mousePress(handle, Qt::LeftButton, {}, grip);
        // To the right: the table is at its narrowest that keeps every number whole.
        QTest::mouseMove(handle, grip + QPoint(150, 0));
        QTest::mouseRelease(handle, Qt::LeftButton, {}, grip + QPoint(150, 0));
        dragged = splitter->sizes();
        QVERIFY2(dragged.first() > before.first() + 100,
                 qPrintable(QStringLiteral("%1 -> %2").arg(before.first()).arg(dragged.first())));
    }
    StatisticsPanel again;
    again.resize(1400, 400);
    again.setTable(PhaselineTest::snapshotOf(sample()));
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.findChild<QSplitter *>(QStringLiteral("statisticsSplitter"))->sizes(), dragged);
}

// Issue 13 point 7: in the window at the usual screen sizes, and with the divider dragged to
// either end, the distribution has a plot area of its own size, no title, tick label or legend
// label is elided, every tick the axes chose has its label drawn, and the median legend is
// shown whole or not at all (the table's swatches and Median column stand in for it).
void TestStatisticsPanel::plotsReadableInWindow_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QSize>("window");
    QTest::addColumn<Split>("split");
    QTest::addColumn<bool>("cdf");
    QTest::addColumn<QSize>("leastPlotArea"); // of the distribution
    const struct
    {
        QSize window;
        QSize plotArea;
    } sizes[] = {{QSize(1280, 720), QSize(320, 85)}, {QSize(1366, 768), QSize(380, 85)}, {QSize(1920, 1080), QSize(850, 170)}};
    const QString files[] = {kSample, QStringLiteral("vllm/serving_meta-llama-Llama-3.3-70B-Instruct_tp4_pp2_sharegpt_qps_04.json")};
    for (const QString &file : files) {
        const QString name = file.section(QLatin1Char('/'), 0, 0);
        for (const auto &size : sizes) {
            const QString window = QStringLiteral("%1x%2").arg(size.window.width()).arg(size.window.height());
            QTest::addRow("%s %s", qPrintable(name), qPrintable(window))
                << file << size.window << Split::AsChosen << false << size.plotArea;
            QTest::addRow("%s %s CDF", qPrintable(name), qPrintable(window))
                << file << size.window << Split::AsChosen << true << size.plotArea;
            // Dragged all the way: smaller plots, but still whole labels and a plot to read.
            QTest::addRow("%s %s table narrowest", qPrintable(name), qPrintable(window))
                << file << size.window << Split::TableNarrowest << false << size.plotArea;
            QTest::addRow("%s %s table widest", qPrintable(name), qPrintable(window))
                << file << size.window << Split::TableWidest << false << QSize(140, 60);
        }
    }
}

void TestStatisticsPanel::plotsReadableInWindow()
{
    QFETCH(QString, file);
    QFETCH(QSize, window);
    QFETCH(Split, split);
    QFETCH(bool, cdf);
    QFETCH(QSize, leastPlotArea);
    QSettings().remove(QStringLiteral("window"));
    QSettings().remove(QStringLiteral("statistics"));
    MainWindow main;
    main.resize(window);
    main.show();
    QVERIFY(QTest::qWaitForWindowExposed(&main));
    QSignalSpy loaded(&main, &MainWindow::loaded);
    main.open({PhaselineTest::dataPath(file)});
    QVERIFY(loaded.wait(10000));
    StatisticsPanel *panel = main.statisticsPanel();
    QTRY_VERIFY(!panel->isUpdating());
    auto *splitter = panel->findChild<QSplitter *>(QStringLiteral("statisticsSplitter"));
    if (split != Split::AsChosen) // as far as the splitter lets a drag go: each side's minimum
        splitter->setSizes(split == Split::TableNarrowest ? QList<int>{0, splitter->width()} : QList<int>{splitter->width(), 0});
    panel->findChild<QCheckBox *>(QStringLiteral("cdfToggle"))->setChecked(cdf);

    const auto *distribution = panel->findChild<QChartView *>(QStringLiteral("distributionChart"));
    const auto *summary = panel->findChild<QChartView *>(QStringLiteral("summaryChart"));
    const QWidget *legend = panel->findChild<QWidget *>(QStringLiteral("summaryLegend"));
    const QWidget *markerLegend = panel->findChild<QWidget *>(QStringLiteral("markerLegend"));
    QVERIFY(distribution && summary && legend && markerLegend);
    // The charts lay themselves out on posted events: wait until what they draw is settled.
    QStringList texts;
    QTRY_VERIFY_WITH_TIMEOUT((texts = drawnTexts(distribution) + drawnTexts(summary), !texts.isEmpty()), 2000);
    QTest::qWait(100);
    texts = drawnTexts(distribution) + drawnTexts(summary);
    for (const QString &text : texts)
        QVERIFY2(!text.contains(QChar(0x2026)) && !text.contains(QLatin1String("...")), qPrintable(QStringLiteral("elided: \"%1\"").arg(text)));

    for (const QChartView *view : {distribution, summary}) {
        const QStringList drawn = drawnTexts(view);
        for (QAbstractAxis *axis : view->chart()->axes()) {
            const auto *values = qobject_cast<QValueAxis *>(axis);
            if (!values || !values->isVisible())
                continue;
            const QStringList labels = tickLabels(values);
            QVERIFY2(labels.size() >= 2, qPrintable(QStringLiteral("%1 ticks on %2").arg(labels.size()).arg(view->objectName())));
            for (const QString &label : labels)
                QVERIFY2(drawn.contains(label), qPrintable(QStringLiteral("tick %1 of %2 not drawn; drawn: %3")
                                                                .arg(label, view->objectName(), drawn.join(QLatin1String(" | ")))));
        }
    }

    const QRectF area = distribution->chart()->plotArea();
    QVERIFY2(area.width() >= leastPlotArea.width() && area.height() >= leastPlotArea.height(),
             qPrintable(QStringLiteral("plot area %1x%2").arg(area.width()).arg(area.height())));
    // Each part inside the plots and none over another; a legend shown is shown whole: its
    // wrapped rows fit its height and its widest item its width.
    const QRect plots(QPoint(0, 0), panel->plotsWidget()->size());
    auto placeOf = [panel](const QWidget *part) { return QRect(part->mapTo(panel->plotsWidget(), QPoint(0, 0)), part->size()); };
    QVector<QRect> places;
    for (const QWidget *part : {static_cast<const QWidget *>(distribution), static_cast<const QWidget *>(summary), legend, markerLegend}) {
        if (!part->isVisible())
            continue;
        QVERIFY2(plots.contains(placeOf(part)), qPrintable(part->objectName() + QStringLiteral(" outside the plots")));
        for (const QRect &other : places)
            QVERIFY2(!other.intersects(placeOf(part)), qPrintable(part->objectName() + QStringLiteral(" overlaps")));
        places << placeOf(part);
    }
    for (const QWidget *shown : {legend, markerLegend}) {
        if (!shown->isVisible())
            continue;
        QVERIFY2(shown->heightForWidth(shown->width()) <= shown->height(), qPrintable(shown->objectName()));
        QVERIFY2(shown->minimumSizeHint().width() <= shown->width(), qPrintable(shown->objectName()));
    }
    QVERIFY(markerLegend->isVisible());
    const QString tag = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'));
    QVERIFY(main.grab().save(PhaselineTest::artifactPath(QStringLiteral("statistics-%1.png").arg(tag)))); // for a human to look at
}

void TestStatisticsPanel::chartsFreedWithTheirView_data()
{
    QTest::addColumn<WidgetFactory>("make");
    QTest::newRow("histograms view") << WidgetFactory([] { return new DistributionsView; });
    QTest::newRow("statistics panel") << WidgetFactory([] { return new StatisticsPanel; });
}

// Issue 12 point 28: a QChartView made without a chart makes a default one that setChart()
// releases and never deletes, 20-30 kB a view (measured). Made and deleted 20 times after a few
// rounds that fill Qt's caches, a widget with charts must give back what it took; the bound
// leaves room for the few kB those caches still grow by now and then.
void TestStatisticsPanel::chartsFreedWithTheirView()
{
    QFETCH(WidgetFactory, make);
    for (int warmUp = 0; warmUp < 3; ++warmUp)
        delete make();
    const int rounds = 20;
    const qint64 before = heapBytesInUse();
    for (int round = 0; round < rounds; ++round)
        delete make();
    const qint64 grown = heapBytesInUse() - before;
    QVERIFY2(grown < rounds * 8 * 1024, qPrintable(QStringLiteral("the heap grew by %1 bytes").arg(grown)));
}

PHASELINE_GUI_TEST_MAIN(TestStatisticsPanel)

// A parent phase gives way to its children only when all of them are recorded
// (PhaseCatalog::childrenReplaceParent): with no KV-transfer end stamp, the median stack shows Generation
// Queue, not Generation Queue Wait alone (which would drop the transfer from the stack).
void TestStatisticsPanel::summaryStacksParentWhenAChildIsMissing()
{
    RequestTable table;
    table.setPhases(PhaseCatalog::trtllm());
    const int arrival = table.addStampColumn(QStringLiteral("gen_arrival_time"));
    const int transferStart = table.addStampColumn(QStringLiteral("gen_kv_cache_transfer_start"));
    const int scheduled = table.addStampColumn(QStringLiteral("gen_first_scheduled_time"));
    for (int i = 0; i < 3; ++i) {
        const std::string id = std::to_string(i);
        const int row = table.appendRow(id, Role::Generation);
        table.setStampRelative(arrival, row, 1.0 + i);
        table.setStampRelative(transferStart, row, 1.010 + i);
        table.setStampRelative(scheduled, row, 1.050 + i);
    }
    StatisticsPanel panel;
    panel.setTable(PhaselineTest::snapshotOf(table));
    const auto *view = panel.findChild<QChartView *>(QStringLiteral("summaryChart"));
    QVERIFY(view);
    const auto *series = qobject_cast<QHorizontalStackedBarSeries *>(view->chart()->series().value(0));
    QVERIFY(series);
    QStringList stacked;
    for (const QBarSet *set : series->barSets())
        stacked << set->label();
    QCOMPARE(stacked, QStringList{QStringLiteral("Generation Queue")});
}

#include "tst_statisticspanel.moc"
