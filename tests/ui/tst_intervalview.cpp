// Intervals view (issue 14.2): hover numbers, range selection, the range's distribution, export,
// and a day of 1 s intervals. The series are made up here, by hand, with round numbers so that
// every expected value below is plain arithmetic on the table in makeSeries().

#include "distributionsview.h"
#include "exporter.h"
#include "guitestmain.h"
#include "intervalrangeview.h"
#include "intervalview.h"
#include "mainwindow.h"
#include "statisticspanel.h"
#include "testutils.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QPainter>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>

#include <cmath>

using namespace Phaseline;

namespace {

constexpr qint64 kT0 = 1764676800000; // 2025-12-02 12:00:00 UTC
const QVector<double> kBounds{0.05, 0.1, 0.5, 1.0, std::numeric_limits<double>::infinity()};

IntervalPhase phase(const char *name, double count, double sum, QVector<double> deltas)
{
    IntervalPhase result;
    result.phase = QString::fromLatin1(name);
    result.metric = QStringLiteral("test:%1_seconds").arg(result.phase);
    result.count = count;
    result.sumSeconds = sum;
    if (count > 0)
        result.meanSeconds = sum / count;
    result.upperBounds = kBounds;
    result.bucketDeltas = std::move(deltas);
    return result;
}

MetricsInterval interval(qint64 startS, qint64 endS, int segment, double requests, QVector<IntervalPhase> phases)
{
    MetricsInterval result;
    result.startMs = kT0 + startS * 1000;
    result.endMs = kT0 + endS * 1000;
    result.segment = segment;
    result.requestsFinished = requests;
    result.phases = std::move(phases);
    return result;
}

// Series A (vLLM-like): 0-1 s two requests, 1-2 s exactly one, 2-3 s idle, no data 3-5 s,
// a restart, then 5-6 s three requests and a 2 s interval 6-8 s with four.
// Series B (SGLang-like: queue, ttft, e2e only): three 2 s intervals from 0 s.
// Series C: one 2 s interval with a queue histogram only.
QVector<IntervalSeries> makeSeries()
{
    IntervalSeries a;
    a.name = QStringLiteral("vllm-a");
    a.engine = QStringLiteral("vLLM");
    a.source = QStringLiteral("test");
    a.intervals = {
        interval(0, 1, 0, 2,
                 {phase("queue", 2, 0.04, {2, 0, 0, 0, 0}), phase("prefill", 2, 0.1, {0, 2, 0, 0, 0}),
                  phase("decode", 2, 1.2, {0, 0, 0, 1, 1}), phase("e2e", 2, 1.4, {0, 0, 0, 1, 1})}),
        interval(1, 2, 0, 1,
                 {phase("queue", 1, 0.012, {1, 0, 0, 0, 0}), phase("prefill", 1, 0.045, {1, 0, 0, 0, 0}),
                  phase("decode", 1, 0.61, {0, 0, 0, 1, 0}), phase("e2e", 1, 0.68, {0, 0, 0, 1, 0})}),
        interval(2, 3, 0, 0,
                 {phase("queue", 0, 0, {0, 0, 0, 0, 0}), phase("prefill", 0, 0, {0, 0, 0, 0, 0}),
                  phase("decode", 0, 0, {0, 0, 0, 0, 0}), phase("e2e", 0, 0, {0, 0, 0, 0, 0})}),
        interval(5, 6, 1, 3,
                 {phase("queue", 3, 0.09, {1, 2, 0, 0, 0}), phase("prefill", 3, 0.3, {0, 1, 2, 0, 0}),
                  phase("decode", 3, 2.4, {0, 0, 0, 1, 2}), phase("e2e", 3, 2.85, {0, 0, 0, 1, 2})}),
        interval(6, 8, 1, 4,
                 {phase("queue", 4, 0.2, {2, 2, 0, 0, 0}), phase("prefill", 4, 0.2, {2, 2, 0, 0, 0}),
                  phase("decode", 4, 4.0, {0, 0, 0, 4, 0}), phase("e2e", 4, 4.5, {0, 0, 0, 2, 2})}),
    };
    a.intervals[0].phases[1].p50 = QuantileEstimate{0.075, 0.05, 0.1, true};
    a.intervals[0].phases[2].p99 = QuantileEstimate{1.0, 1.0, std::numeric_limits<double>::infinity(), true};

    IntervalSeries b;
    b.name = QStringLiteral("sglang-b");
    b.engine = QStringLiteral("SGLang");
    b.intervals = {
        interval(0, 2, 0, 2,
                 {phase("queue", 2, 0.02, {2, 0, 0, 0, 0}), phase("ttft", 2, 0.3, {0, 0, 2, 0, 0}),
                  phase("e2e", 2, 1.5, {0, 0, 0, 2, 0})}),
        interval(2, 4, 0, 5,
                 {phase("queue", 5, 0.1, {5, 0, 0, 0, 0}), phase("ttft", 5, 1.0, {0, 0, 5, 0, 0}),
                  phase("e2e", 5, 4.0, {0, 0, 0, 5, 0})}),
        interval(4, 6, 0, 1,
                 {phase("queue", 1, 0.005, {1, 0, 0, 0, 0}), phase("ttft", 1, 0.2, {0, 0, 1, 0, 0}),
                  phase("e2e", 1, 0.9, {0, 0, 0, 1, 0})}),
    };
    // Series C exposes no end-to-end histogram: how many requests finished is unknown, not 0.
    IntervalSeries c;
    c.name = QStringLiteral("queue-only-c");
    c.intervals = {interval(0, 2, 0, std::numeric_limits<double>::quiet_NaN(),
                            {phase("queue", 3, 0.03, {3, 0, 0, 0, 0})})};
    return {a, b, c};
}

// TEST ONLY: sums intervals [first, last] the plain way (count, sum and bucket deltas added), for
// the range view to show. The product's summing is mergeIntervals() in models, tested there;
// this one lets the view be tested on its own.
MetricsInterval testMerge(const IntervalSeries &series, int first, int last)
{
    MetricsInterval merged = series.intervals[first];
    merged.endMs = series.intervals[last].endMs;
    for (int i = first + 1; i <= last; ++i) {
        merged.requestsFinished += series.intervals[i].requestsFinished;
        for (IntervalPhase &sum : merged.phases) {
            const IntervalPhase *add = series.intervals[i].phase(sum.phase);
            sum.count += add->count;
            sum.sumSeconds += add->sumSeconds;
            for (int b = 0; b < sum.bucketDeltas.size(); ++b)
                sum.bucketDeltas[b] += add->bucketDeltas[b];
        }
    }
    for (IntervalPhase &sum : merged.phases)
        sum.meanSeconds = sum.count > 0 ? sum.sumSeconds / sum.count : std::nan("");
    return merged;
}

QStringList texts(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *text : list)
        result << QString::fromUtf8(text);
    return result;
}

} // namespace

class TestIntervalView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hoverGivesTheIntervalsNumbers_data();
    void hoverGivesTheIntervalsNumbers();
    void gapsAndOutsideHaveNoInterval();
    void dragSelectsWholeIntervals_data();
    void dragSelectsWholeIntervals();
    void rangeViewSumsTheSelection();
    void exportWritesImage_data();
    void exportWritesImage();
    void dayOfSecondIntervalsIsAggregated();
    void liveUpdateKeepsOrFollowsTheView_data();
    void liveUpdateKeepsOrFollowsTheView();
    void windowWithOnlyIntervals();
    void recordedSessionOpensInTheWindow();
};

void TestIntervalView::hoverGivesTheIntervalsNumbers_data()
{
    QTest::addColumn<int>("series");
    QTest::addColumn<int>("index");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("absent");
    // Means in ms: sum / count * 1000, e.g. decode 1.2 s / 2 = 600 ms.
    QTest::newRow("two requests") << 0 << 0
                                  << texts({"vllm-a", "Requests finished: 2", ">20 ms<", ">50 ms<", ">600 ms<",
                                                 ">700 ms<", "≈ 75 ms", "≥ 1000 ms", "estimated"})
                                  << texts({"Exactly one request", "counter reset"});
    QTest::newRow("exactly one request")
        << 0 << 1
        << texts({"Requests finished: 1", "Exactly one request finished", "<b>12 ms</b> (the request's)",
                       "<b>45 ms</b> (the request's)", "<b>610 ms</b> (the request's)", "<b>680 ms</b> (the request's)"})
        << texts({"counter reset"});
    QTest::newRow("idle") << 0 << 2 << texts({"Requests finished: 0", ">–<"}) << texts({"Exactly one"});
    QTest::newRow("after restart") << 0 << 3
                                   << texts({"Requests finished: 3", "counter reset", ">30 ms<", ">100 ms<",
                                                  ">800 ms<", ">950 ms<"})
                                   << texts({"Exactly one"});
    QTest::newRow("two-second interval") << 0 << 4
                                         << texts({"(2 s)", "Requests finished: 4", ">50 ms<", ">1000 ms<",
                                                        ">1125 ms<"})
                                         << texts({"counter reset"});
    QTest::newRow("sglang") << 1 << 1
                            << texts({"sglang-b", "Requests finished: 5", ">20 ms<", "Time to first token",
                                           ">200 ms<", ">800 ms<"})
                            << texts({"Prefill"});
    QTest::newRow("requests not exposed") << 2 << 0
                                          << texts({"queue-only-c", "Requests finished: – (not exposed", ">3<", ">10 ms<"})
                                          << texts({"nan", "Exactly one"});
}

void TestIntervalView::hoverGivesTheIntervalsNumbers()
{
    QFETCH(int, series);
    QFETCH(int, index);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, absent);
    IntervalView view;
    view.resize(1280, 720);
    view.setSeries(makeSeries());
    QVERIFY(!view.isAggregated());
    const QPoint at = view.intervalCenter(series, index);
    int hitSeries = -1, hitIndex = -1, count = 0;
    QVERIFY(view.intervalAt(at, &hitSeries, &hitIndex, &count));
    QCOMPARE(hitSeries, series);
    QCOMPARE(hitIndex, index);
    QCOMPARE(count, 1);
    const QString tip = view.toolTipAt(at);
    for (const QString &text : expected)
        QVERIFY2(tip.contains(text), qPrintable(text + QStringLiteral(" not in ") + tip));
    for (const QString &text : absent)
        QVERIFY2(!tip.contains(text), qPrintable(text + QStringLiteral(" in ") + tip));
}

void TestIntervalView::gapsAndOutsideHaveNoInterval()
{
    IntervalView view;
    view.resize(1280, 720);
    view.setSeries(makeSeries());
    const QRect plot = view.plotRect(0);
    // 4 s: series A has no data between 3 s and 5 s (the whole view spans 0-8 s).
    const int gapX = plot.left() + int(plot.width() * 4.0 / 8.0);
    int series = -1, index = -1;
    QVERIFY(!view.intervalAt(QPoint(gapX, plot.center().y()), &series, &index));
    QVERIFY(view.toolTipAt(QPoint(gapX, plot.center().y())).isEmpty());
    // Series B ends at 6 s.
    const QRect plotB = view.plotRect(1);
    QVERIFY(!view.intervalAt(QPoint(plotB.left() + int(plotB.width() * 7.0 / 8.0), plotB.center().y()), &series, &index));
    QVERIFY(view.intervalAt(QPoint(plotB.left() + int(plotB.width() * 5.0 / 8.0), plotB.center().y()), &series, &index));
    QCOMPARE(series, 1);
    QCOMPARE(index, 2);
    // Above the plots (header, legend): nothing.
    QVERIFY(!view.intervalAt(QPoint(gapX, plot.top() - 30), &series, &index));
}

void TestIntervalView::dragSelectsWholeIntervals_data()
{
    QTest::addColumn<double>("fromS");
    QTest::addColumn<double>("toS");
    QTest::addColumn<int>("firstA");
    QTest::addColumn<int>("lastA");
    QTest::addColumn<int>("firstB"); // -1: none
    QTest::addColumn<int>("lastB");
    // An interval belongs to the range when its middle does: A's middles 0.5 1.5 2.5 5.5 7; B's 1 3 5.
    QTest::newRow("after the restart") << 4.5 << 8.0 << 3 << 4 << 2 << 2;
    QTest::newRow("first two of A, first of B") << 0.2 << 1.8 << 0 << 1 << 0 << 0;
    QTest::newRow("across the gap") << 2.2 << 6.0 << 2 << 3 << 1 << 2;
    QTest::newRow("everything") << 0.0 << 8.0 << 0 << 4 << 0 << 2;
}

void TestIntervalView::dragSelectsWholeIntervals()
{
    QFETCH(double, fromS);
    QFETCH(double, toS);
    QFETCH(int, firstA);
    QFETCH(int, lastA);
    QFETCH(int, firstB);
    QFETCH(int, lastB);
    IntervalView view;
    view.resize(1280, 720);
    view.setSeries(makeSeries());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy selected(&view, &IntervalView::rangeSelected);
    const QRect plot = view.plotRect(0);
    const auto xOf = [&plot](double s) { return plot.left() + int(std::lround(plot.width() * s / 8.0)); };
    const QPoint from(xOf(fromS), plot.center().y());
    const QPoint to(xOf(toS), plot.center().y());
    QTest::mousePress(&view, Qt::LeftButton, {}, from);
    QTest::mouseMove(&view, to);
    QTest::mouseRelease(&view, Qt::LeftButton, {}, to);
    QCOMPARE(selected.count(), 1);
    int first = -1, last = -1;
    QVERIFY(view.selectedIntervals(0, &first, &last));
    QCOMPARE(first, firstA);
    QCOMPARE(last, lastA);
    const bool inB = view.selectedIntervals(1, &first, &last);
    QCOMPARE(inB, firstB >= 0);
    if (inB) {
        QCOMPARE(first, firstB);
        QCOMPARE(last, lastB);
    }
    QTest::keyClick(&view, Qt::Key_Escape);
    QVERIFY(!view.hasSelection());
    QCOMPARE(selected.count(), 2);
}

void TestIntervalView::rangeViewSumsTheSelection()
{
    const QVector<IntervalSeries> series = makeSeries();
    IntervalRangeView range;
    range.setMerge(testMerge);
    // A: intervals 3 and 4 (5-8 s); B: interval 2 (4-6 s).
    range.showRange(series, {{3, 4}, {2, 2}});
    const QString summary = range.summary()->text();
    QVERIFY2(summary.contains(QStringLiteral("vllm-a")) && summary.contains(QStringLiteral("finished requests: 7;")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("sglang-b")) && summary.contains(QStringLiteral("finished requests: 1.")),
             qPrintable(summary));
    QTableWidget *table = range.distributions()->table();
    // A's four phases, then B's three; name, unit, count, mean (ms).
    struct Row
    {
        const char *name, *count, *mean;
    };
    // Queue (0.09 + 0.2) / 7 s = 41.4286 ms; prefill 0.5 / 7 = 71.4286; decode 6.4 / 7 = 914.286;
    // e2e 7.35 / 7 = 1050; B: queue 5 ms, ttft 200 ms, e2e 900 ms.
    const Row expected[] = {{"Queue", "7", "41.4286"},  {"Prefill", "7", "71.4286"}, {"Decode", "7", "914.286"},
                            {"End to end", "7", "1050"}, {"Queue", "1", "5"},         {"Time to first token", "1", "200"},
                            {"End to end", "1", "900"}};
    QCOMPARE(table->rowCount(), int(std::size(expected)));
    for (int row = 0; row < table->rowCount(); ++row) {
        QCOMPARE(table->item(row, 0)->text(), QString::fromUtf8(expected[row].name));
        QCOMPARE(table->item(row, 2)->text(), QString::fromLatin1(expected[row].count));
        QCOMPARE(table->item(row, 3)->text(), QString::fromLatin1(expected[row].mean));
    }
    // The histogram is the summed bucket deltas: queue of A, {1,2,0,0,0} + {2,2,0,0,0}.
    const QVector<HistogramDistribution> histograms = range.distributions()->distributions();
    QCOMPARE(histograms[0].bucketCounts(), (QVector<double>{3, 4, 0, 0, 0}));
    QCOMPARE(histograms[0].labelText(), QStringLiteral("series=vllm-a"));
    // p50 of A's queue: rank 3.5 of 7 lies in (0.05, 0.1] after 3: 0.05 + 0.05 * 0.5 / 4 = 56.25 ms.
    QVERIFY2(table->item(0, 4)->text().startsWith(QStringLiteral("56.25")), qPrintable(table->item(0, 4)->text()));

    range.clear();
    QCOMPARE(range.distributions()->distributions().size(), 0);
}

void TestIntervalView::exportWritesImage_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QSize>("size");
    QTest::newRow("png 1280x720") << QStringLiteral("png") << QSize(1280, 720);
    QTest::newRow("png 640x400") << QStringLiteral("png") << QSize(640, 400);
    QTest::newRow("svg 1280x720") << QStringLiteral("svg") << QSize(1280, 720);
}

void TestIntervalView::exportWritesImage()
{
    QFETCH(QString, suffix);
    QFETCH(QSize, size);
    IntervalView view;
    view.resize(300, 300); // the export lays out at its own size
    view.setSeries(makeSeries());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("intervals.") + suffix);
    QString error;
    QVERIFY2(exportPainting([&view](QPainter &painter, const QRect &target) { view.render(painter, target, true); },
                            path, size, QStringLiteral("intervals"), 1.0, &error),
             qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.size() > 1000);
    if (suffix == QLatin1String("svg"))
        return;
    const QImage image(path);
    QCOMPARE(image.size(), size);
    // The prefill colour (the common catalogue's cornflower blue) is drawn: the bars are there.
    bool prefill = false;
    for (int y = 0; y < image.height() && !prefill; ++y) {
        for (int x = 0; x < image.width() && !prefill; ++x)
            prefill = image.pixel(x, y) == QColor(0x64, 0x95, 0xED).rgb();
    }
    QVERIFY(prefill);
}

void TestIntervalView::dayOfSecondIntervalsIsAggregated()
{
    // 86,400 one-second intervals, one request each, one restart at noon.
    IntervalSeries day;
    day.name = QStringLiteral("day");
    day.intervals.reserve(86400);
    for (int i = 0; i < 86400; ++i) {
        day.intervals.append(interval(i, i + 1, i >= 43200 ? 1 : 0, 1,
                                      {phase("queue", 1, 0.01, {1, 0, 0, 0, 0}), phase("prefill", 1, 0.06, {0, 1, 0, 0, 0}),
                                       phase("decode", 1, 0.5, {0, 0, 1, 0, 0}), phase("e2e", 1, 0.6, {0, 0, 1, 0, 0})}));
    }
    IntervalView view;
    view.resize(1280, 720);
    QElapsedTimer timer;
    timer.start();
    view.setSeries({day});
    const qint64 setMs = timer.restart();
    QImage image(1280, 720, QImage::Format_ARGB32_Premultiplied);
    {
        QPainter painter(&image);
        view.render(painter, image.rect(), true);
    }
    const qint64 firstMs = timer.restart();
    {
        QPainter painter(&image);
        view.render(painter, image.rect(), true);
    }
    qInfo("86,400 intervals: set %lld ms, first paint %lld ms, repaint %lld ms", setMs, firstMs, timer.elapsed());
    QVERIFY(view.isAggregated());
    QVERIFY(view.headerText().contains(QStringLiteral("aggregated")));
    const QRect plot = view.plotRect(0);
    int series = -1, index = -1, count = 0;
    const QPoint at(plot.left() + plot.width() / 4, plot.center().y());
    QVERIFY(view.intervalAt(at, &series, &index, &count));
    // ~86,400 / plot width intervals per column; the tooltip adds up exactly those.
    QVERIFY(count >= 86400 / plot.width() && count <= 86400 / plot.width() + 1);
    const QString tip = view.toolTipAt(at);
    QVERIFY2(tip.contains(QStringLiteral("%1 intervals pooled").arg(count)), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("Requests finished: %1 (1 per interval)").arg(count)), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("Prefill: mean 60 ms over %1 observations").arg(count)), qPrintable(tip));
}

void TestIntervalView::liveUpdateKeepsOrFollowsTheView_data()
{
    QTest::addColumn<double>("viewFromS"); // before the update, which adds 5-8 s to series A (0-3 s)
    QTest::addColumn<double>("viewToS");
    QTest::addColumn<double>("expectedFromS");
    QTest::addColumn<double>("expectedToS");
    QTest::newRow("everything shown: still everything") << 0.0 << 6.0 << 0.0 << 8.0;
    QTest::newRow("zoomed at the end: follows it") << 4.0 << 6.0 << 6.0 << 8.0;
    QTest::newRow("zoomed in the middle: stays") << 1.0 << 2.5 << 1.0 << 2.5;
}

void TestIntervalView::liveUpdateKeepsOrFollowsTheView()
{
    QFETCH(double, viewFromS);
    QFETCH(double, viewToS);
    QFETCH(double, expectedFromS);
    QFETCH(double, expectedToS);
    QVector<IntervalSeries> before = makeSeries(); // B spans 0-6 s, so the data ends at 6 s
    before[0].intervals.resize(3);
    IntervalView view;
    view.resize(1280, 720);
    view.setSeries(before);
    view.setViewRange(kT0 + viewFromS * 1000, kT0 + viewToS * 1000);
    view.selectRange(kT0 + 200, kT0 + 1800);
    view.setSeries(makeSeries(), true);
    QCOMPARE(view.viewStartMs(), kT0 + expectedFromS * 1000);
    QCOMPARE(view.viewEndMs(), kT0 + expectedToS * 1000);
    int first = -1, last = -1;
    QVERIFY(view.selectedIntervals(0, &first, &last)); // the selection stays
    QCOMPARE(first, 0);
    QCOMPARE(last, 1);
}

void TestIntervalView::windowWithOnlyIntervals()
{
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    MainWindow window;
    window.resize(1280, 800);
    window.showIntervalSeries(makeSeries(), false);
    QTabWidget *views = window.viewTabs();
    QCOMPARE(views->currentWidget()->findChild<IntervalView *>(), window.intervalView());
    QVERIFY(!views->isTabVisible(0)); // no requests: no empty breakdown or timeline
    QVERIFY(!views->isTabVisible(1));
    QVERIFY(views->isTabVisible(2));
    IntervalRangeView *range = window.statisticsPanel()->intervalRangeView();
    QVERIFY(range->isVisibleTo(window.statisticsPanel())); // its tab is the one in front
    QVERIFY(range->summary()->text().contains(QStringLiteral("Drag across")));
    // Nothing: the tab goes away and the request views come back.
    window.showIntervalSeries({}, false);
    QVERIFY(views->isTabVisible(0));
    QVERIFY(!views->isTabVisible(2));
}

// A recorded /metrics session opened like any file: the Intervals tab in front, and the status
// line names the interval series (not "0 requests").
void TestIntervalView::recordedSessionOpensInTheWindow()
{
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    MainWindow window;
    window.resize(1280, 800);
    QSignalSpy loaded(&window, &MainWindow::loaded);
    window.open({PhaselineTest::dataPath(QStringLiteral("prometheus/sessions/vllm_session.jsonl"))});
    QVERIFY(loaded.wait(20000));
    QCOMPARE(window.viewTabs()->currentWidget()->findChild<IntervalView *>(), window.intervalView());
    const QString status = window.findChild<QLabel *>(QStringLiteral("statusText"))->text();
    QVERIFY2(status.startsWith(QStringLiteral("1 interval series (10 intervals, Intervals tab) from ")), qPrintable(status));
    QVERIFY2(!status.contains(QStringLiteral("0 requests")), qPrintable(status));
}

PHASELINE_GUI_TEST_MAIN(TestIntervalView)
#include "tst_intervalview.moc"
