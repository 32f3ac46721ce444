// Breakdown view: hover, legend toggles, ordering, selection, aggregation, zoom, export.
// Expected milliseconds were computed by hand (exact decimals) from the raw sample JSON.

#include "breakdownview.h"
#include "exporter.h"
#include "guitestmain.h"
#include "loadcontroller.h"
#include "phasecolors.h"
#include "requestselection.h"
#include "testutils.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QPainter>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QSemaphore>
#include <QThreadPool>
#include <QTimer>
#include <QToolTip>
#include <QWheelEvent>
#include <QXmlStreamReader>

using namespace Phaseline;

namespace {

const QString kDisaggSample = QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json");

int layerNamed(const BreakdownModel &model, const QString &name)
{
    for (int layer = 0; layer < model.layerCount(); ++layer) {
        if (model.layerName(layer) == name && (model.layerPhase(layer) >= 0 || name == QLatin1String("decode")))
            return layer;
    }
    return -1;
}

int rowWithId(const RequestTable &table, const QString &id)
{
    for (int row = 0; row < table.size(); ++row) {
        if (table.id(row) == id)
            return row;
    }
    return -1;
}

QImage renderToImage(const BreakdownView &view, const QSize &size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    view.render(painter, QRect(QPoint(0, 0), size), true);
    return image;
}

bool imageContainsColor(const QImage &image, QRgb color)
{
    for (int y = 0; y < image.height(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            if ((line[x] & 0xFFFFFF) == (color & 0xFFFFFF))
                return true;
        }
    }
    return false;
}

// Writes an aggregated perf-metrics array of `count` requests, 10 ms apart, each with a
// 50 ms time to first token, except every `slowEvery`-th (if set), whose first token takes 5 s.
QString writeSyntheticArray(const QDir &dir, int count, int slowEvery = 0)
{
    QString text = QStringLiteral("[\n");
    for (int i = 0; i < count; ++i) {
        const double arrival = 1000.0 + i * 0.01;
        const double firstToken = arrival + (slowEvery > 0 && i % slowEvery == 0 ? 5.0 : 0.05);
        text += QStringLiteral("{\"request_id\": %1, \"perf_metrics\": {\"timing_metrics\": {\"arrival_time\": %2, "
                               "\"first_scheduled_time\": %3, \"first_token_time\": %4, \"last_token_time\": %5}}}%6\n")
                    .arg(i)
                    .arg(arrival, 0, 'f', 6)
                    .arg(arrival + 0.002 + (i % 7) * 0.001, 0, 'f', 6)
                    .arg(firstToken, 0, 'f', 6)
                    .arg(firstToken + 0.45, 0, 'f', 6)
                    .arg(i + 1 < count ? QStringLiteral(",") : QString());
    }
    text += QStringLiteral("]\n");
    const QString path = dir.filePath(QStringLiteral("synthetic.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
        return QString();
    return path;
}

} // namespace

class TestBreakdownView : public QObject
{
    Q_OBJECT

private:
    LoadResult m_loaded;
    RequestSelection m_selection;
    std::unique_ptr<BreakdownView> m_view;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // settings of a test, not the user's

    void init()
    {
        m_loaded = loadInputs({PhaselineTest::dataPath(kDisaggSample)});
        QVERIFY(!m_loaded.hasErrors());
        m_selection.clear();
        m_view = std::make_unique<BreakdownView>(&m_selection);
        m_view->resize(900, 500);
        m_view->setTable(PhaselineTest::snapshotOf(m_loaded.table));
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup() { m_view.reset(); }

    void hoverShowsRequestPhases_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QStringList>("expectedTexts");
        QTest::newRow("first request") << QStringLiteral("1001")
                                       << QStringList{QStringLiteral("Request 1001"), QStringLiteral("58.447 ms"),
                                                      QStringLiteral("4.960 ms"), QStringLiteral("1.443 ms")};
        QTest::newRow("NTP skew: negative disagg preprocessing")
            << QStringLiteral("1007")
            << QStringList{QStringLiteral("Request 1007"), QStringLiteral("-0.410 ms"), QStringLiteral("end before start"),
                           QStringLiteral("64.824 ms")};
        QTest::newRow("context record lost")
            << QStringLiteral("1013")
            << QStringList{QStringLiteral("Request 1013"), QStringLiteral("Not recorded"),
                           QStringLiteral("Context Processing"), QStringLiteral("3.829 ms")};
    }

    void hoverShowsRequestPhases()
    {
        QFETCH(QString, id);
        QFETCH(QStringList, expectedTexts);
        const int row = rowWithId(m_loaded.table, id);
        QVERIFY(row >= 0);
        QVERIFY(!m_view->isAggregated());
        const QPoint center = m_view->barCenter(m_view->model().orderIndexOf(row));
        QCOMPARE(m_view->rowAt(center), row);
        QTest::mouseMove(m_view.get(), center);
        QTRY_VERIFY(QToolTip::isVisible());
        const QString tip = QToolTip::text();
        for (const QString &expected : expectedTexts)
            QVERIFY2(tip.contains(expected), qPrintable(expected + QStringLiteral(" not in: ") + tip));
    }

    void missingPhaseIsMarkedNotZero()
    {
        const int row = rowWithId(m_loaded.table, QStringLiteral("1013"));
        const BreakdownModel &model = m_view->model();
        QVERIFY(model.hasMissing(row));
        const int processing = layerNamed(model, QStringLiteral("ctx_processing"));
        QVERIFY(std::isnan(model.layerMs(processing, row)));
        QVERIFY(!model.hasMissing(rowWithId(m_loaded.table, QStringLiteral("1001"))));
        QVERIFY(model.hasAnomaly(rowWithId(m_loaded.table, QStringLiteral("1007"))));
    }

    void legendToggleReflowsStack()
    {
        const BreakdownModel &model = m_view->model();
        const int layer = layerNamed(model, QStringLiteral("ctx_processing"));
        const int row = rowWithId(m_loaded.table, QStringLiteral("1001"));
        const float before = model.stackTotal(row);
        const QColor color = model.layerColor(layer);
        QVERIFY(imageContainsColor(renderToImage(*m_view, m_view->size()), color.rgb()));

        QSignalSpy toggled(m_view.get(), &BreakdownView::layerToggled);
        QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, m_view->legendItemRect(layer).center());
        QCOMPARE(toggled.count(), 1);
        QVERIFY(!model.isLayerShown(layer));
        QCOMPARE(model.stackTotal(row), before - 58.447f);
        // Hidden: no bar of that colour is left (the legend swatch becomes an outline).
        const QImage image = renderToImage(*m_view, m_view->size());
        int filled = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                filled += (image.pixel(x, y) & 0xFFFFFF) == (color.rgb() & 0xFFFFFF);
        }
        QVERIFY2(filled < 60, qPrintable(QString::number(filled))); // outline pixels only

        QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, m_view->legendItemRect(layer).center());
        QVERIFY(model.isLayerShown(layer));
        QCOMPARE(model.stackTotal(row), before);
    }

    // A colour picked for a phase is what every bar of it shows, is kept for later sessions, and
    // "Reset" brings the catalogue's back.
    void customPhaseColourIsPaintedAndRemembered()
    {
        const BreakdownModel &model = m_view->model();
        const int layer = layerNamed(model, QStringLiteral("ctx_processing"));
        const QColor catalogColor = QColor::fromRgba(model.layerCatalogColor(layer));
        const QColor picked(0x12, 0x34, 0x56);
        PhaseColors &colors = PhaseColors::instance();
        QSignalSpy changed(&colors, &PhaseColors::changed);

        colors.setCustom(QStringLiteral("ctx_processing"), picked);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.layerColor(layer), picked);
        QCOMPARE(QSettings().value(QStringLiteral("phaseColors/ctx_processing")).toString(), picked.name());
        QImage image = renderToImage(*m_view, m_view->size());
        QVERIFY(imageContainsColor(image, picked.rgb()));
        QVERIFY(!imageContainsColor(image, catalogColor.rgb()));

        colors.resetCustom(QStringLiteral("ctx_processing"));
        QCOMPARE(model.layerColor(layer), catalogColor);
        QVERIFY(!QSettings().contains(QStringLiteral("phaseColors/ctx_processing")));
        image = renderToImage(*m_view, m_view->size());
        QVERIFY(imageContainsColor(image, catalogColor.rgb()));
        QVERIFY(!imageContainsColor(image, picked.rgb()));
    }

    // Right-clicking a legend entry offers its colour; "Reset" only once it was changed.
    void legendContextMenuOffersPhaseColour()
    {
        const BreakdownModel &model = m_view->model();
        const int layer = layerNamed(model, QStringLiteral("ctx_queue"));
        auto menuTexts = [this, layer] {
            QStringList texts;
            QTimer::singleShot(0, this, [&texts] {
                QWidget *popup = QApplication::activePopupWidget();
                if (!popup)
                    return;
                for (QAction *action : popup->actions())
                    texts << action->text();
                popup->close();
            });
            const QPoint at = m_view->legendItemRect(layer).center();
            QContextMenuEvent event(QContextMenuEvent::Mouse, at, m_view->mapToGlobal(at));
            QApplication::sendEvent(m_view.get(), &event);
            return texts;
        };
        QCOMPARE(menuTexts(), QStringList{QStringLiteral("Change Colour of Context Queue…")});
        PhaseColors::instance().setCustom(QStringLiteral("ctx_queue"), Qt::black);
        QCOMPARE(menuTexts(), (QStringList{QStringLiteral("Change Colour of Context Queue…"),
                                           QStringLiteral("Reset Colour of Context Queue")}));
        PhaseColors::instance().resetCustom(QStringLiteral("ctx_queue"));
    }

    void orderingOrdersBars_data()
    {
        QTest::addColumn<int>("order");
        QTest::addColumn<QStringList>("firstIds");
        // Arrival: disagg arrival stamps increase with the ctx_request_id in this sample.
        QTest::newRow("arrival") << int(BreakdownModel::Order::Arrival)
                                 << QStringList{QStringLiteral("1001"), QStringLiteral("1003"), QStringLiteral("1005")};
        QTest::newRow("id") << int(BreakdownModel::Order::Id)
                            << QStringList{QStringLiteral("1001"), QStringLiteral("1003"), QStringLiteral("1005")};
    }

    void orderingOrdersBars()
    {
        QFETCH(int, order);
        QFETCH(QStringList, firstIds);
        m_view->setOrder(BreakdownModel::Order(order));
        const std::vector<int> &ordered = m_view->model().orderedRows();
        for (int i = 0; i < firstIds.size(); ++i)
            QCOMPARE(m_loaded.table.id(ordered[size_t(i)]), firstIds[i]);
    }

    void orderByTotalAndPhaseIsDescending()
    {
        const BreakdownModel &model = m_view->model();
        m_view->setOrder(BreakdownModel::Order::Total);
        const std::vector<int> &byTotal = model.orderedRows();
        for (size_t i = 1; i < byTotal.size(); ++i)
            QVERIFY(model.stackTotal(byTotal[i - 1]) >= model.stackTotal(byTotal[i]));

        const int kv = layerNamed(model, QStringLiteral("gen_kv_transfer"));
        m_view->setOrder(BreakdownModel::Order::Phase, kv);
        // Longest KV transfer: request 1019 (6.184 ms); shortest: 1007 (3.606 ms).
        QCOMPARE(m_loaded.table.id(model.orderedRows().front()), QStringLiteral("1019"));
        QCOMPARE(m_loaded.table.id(model.orderedRows().back()), QStringLiteral("1007"));
    }

    void clickSelectsAndSelectionIsDrawn()
    {
        const int row = rowWithId(m_loaded.table, QStringLiteral("1005"));
        const QPoint center = m_view->barCenter(m_view->model().orderIndexOf(row));
        QSignalSpy changed(&m_selection, &RequestSelection::changed);
        QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, center);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_selection.rows(), std::vector<int>{row});

        // A selection made elsewhere (the request table) is outlined in the chart.
        const int other = rowWithId(m_loaded.table, QStringLiteral("1015"));
        m_selection.selectOnly(other);
        const QImage shown = m_view->grab().toImage();
        const QPoint otherCenter = m_view->barCenter(m_view->model().orderIndexOf(other));
        const QRgb highlight = m_view->palette().color(QPalette::Highlight).rgb() & 0xFFFFFF;
        int outline = 0;
        for (int dx = -40; dx <= 40; ++dx) {
            const int x = otherCenter.x() + dx;
            if (x >= 0 && x < shown.width())
                outline += (shown.pixel(x, otherCenter.y()) & 0xFFFFFF) == highlight;
        }
        QVERIFY(outline >= 2); // left and right edges of the outline
    }

    void aggregatesWhenMoreRequestsThanPixels()
    {
        QTemporaryDir dir;
        const QString path = writeSyntheticArray(QDir(dir.path()), 5000);
        const LoadResult many = loadInputs({path});
        QCOMPARE(many.table.size(), 5000);
        BreakdownView view(&m_selection);
        view.resize(600, 400);
        view.setTable(PhaselineTest::snapshotOf(many.table));
        QVERIFY(view.isAggregated());
        QVERIFY2(view.headerText().contains(QStringLiteral("aggregated: ~")), qPrintable(view.headerText()));
        QVERIFY(view.toolTipAt(QPoint(300, 300)).contains(QStringLiteral("requests</b>")));
        view.setViewRange(100, 40);
        QVERIFY(!view.isAggregated());
        QCOMPARE(int(view.visibleRows().size()), 40);
    }

    // A few slow requests per column: their p99 must not squeeze the median stacks into the
    // bottom of the plot. The axis fits the stacks; p99 marks above it are carets at the top.
    void aggregatedAxisFitsMedianStacks()
    {
        QTemporaryDir dir;
        const LoadResult many = loadInputs({writeSyntheticArray(QDir(dir.path()), 5000, 20)});
        BreakdownView view(&m_selection);
        view.resize(600, 400);
        view.setTable(PhaselineTest::snapshotOf(many.table));
        QVERIFY(view.isAggregated());
        QVERIFY2(view.axisMaxMs() <= 100, qPrintable(QString::number(view.axisMaxMs()))); // stacks: 50 ms
        const int clipped = view.clippedP99Count();
        QVERIFY2(clipped > 100, qPrintable(QString::number(clipped))); // ~9 requests per column, 1 in 20 slow
        QVERIFY2(view.headerText().contains(QStringLiteral("▲ above the axis in %1 columns").arg(clipped)),
                 qPrintable(view.headerText()));

        // Carets at the top edge, in the text colour of the p99 marks.
        const QRect plot = view.plotRect();
        const QImage image = renderToImage(view, view.size());
        const QRgb mark = view.palette().color(QPalette::Text).rgb() & 0xFFFFFF;
        int caretColumns = 0;
        for (int x = plot.left(); x <= plot.right(); ++x)
            caretColumns += (image.pixel(x, plot.top() + 4) & 0xFFFFFF) == mark;
        QVERIFY2(caretColumns > 20, qPrintable(QString::number(caretColumns)));

        int clippedTips = 0;
        for (int x = plot.left(); x <= plot.right(); ++x)
            clippedTips += view.toolTipAt(QPoint(x, plot.center().y())).contains(QStringLiteral("(above the axis: ▲)"));
        QCOMPARE(clippedTips, clipped);

        view.setScaleIncludesP99(true);
        QVERIFY2(view.axisMaxMs() >= 5000, qPrintable(QString::number(view.axisMaxMs())));
        QCOMPARE(view.clippedP99Count(), 0);
        QVERIFY2(!view.headerText().contains(QStringLiteral("▲")), qPrintable(view.headerText()));
        QVERIFY(!view.toolTipAt(plot.center()).contains(QStringLiteral("above the axis")));
    }

    // Fewer requests than pixel columns, yet bars under 2 px: one column each, not an aggregate.
    void thinBarsAreNotCalledAggregated()
    {
        QTemporaryDir dir;
        const LoadResult some = loadInputs({writeSyntheticArray(QDir(dir.path()), 400)});
        BreakdownView view(&m_selection);
        view.resize(600, 400);
        view.setTable(PhaselineTest::snapshotOf(some.table));
        QVERIFY(view.isAggregated());
        QVERIFY2(!view.headerText().contains(QStringLiteral("aggregated")), qPrintable(view.headerText()));
        QVERIFY2(view.headerText().contains(QStringLiteral("one pixel column per request")), qPrintable(view.headerText()));
    }

    void largeTablesArePreparedOffTheUiThread()
    {
        QTemporaryDir dir;
        const LoadResult many = loadInputs({writeSyntheticArray(QDir(dir.path()), 25000)});
        BreakdownView view(&m_selection);
        view.resize(600, 400);
        QSignalSpy ready(&view, &BreakdownView::modelReady);
        view.setTable(PhaselineTest::snapshotOf(many.table));
        QVERIFY(view.isPreparing());
        QCOMPARE(view.model().requestCount(), 0); // nothing half-built is shown
        QVERIFY(ready.wait(10000));
        QVERIFY(!view.isPreparing());
        QCOMPARE(view.model().requestCount(), 25000);
        QCOMPARE(view.viewCount(), 25000.0);
        // Replacing the table while a build runs: the old build is dropped, the new one wins.
        view.setTable(PhaselineTest::snapshotOf(many.table));
        view.setTable(nullptr);
        QVERIFY(!view.isPreparing());
        QCOMPARE(view.model().requestCount(), 0);
    }

    // Replacing the table while a build runs on the old one does not wait for it: the old
    // build is held in the job hook until after the replacement returned (a setTable() that
    // waited would return only when the hook gives up, 30 s later, with the build done).
    void replacingTableDoesNotWaitForBuild()
    {
        QTemporaryDir dir;
        const LoadResult many = loadInputs({writeSyntheticArray(QDir(dir.path()), kBackgroundRows + 100)});
        const LoadResult some = loadInputs({writeSyntheticArray(QDir(dir.path()), 400)});
        BreakdownView view(&m_selection);
        view.resize(600, 400);
        QSignalSpy ready(&view, &BreakdownView::modelReady);
        static QSemaphore started, letGo;
        static std::atomic<bool> held{false};
        jobStartHookForTests.store([] {
            held = true;
            started.release();
            letGo.tryAcquire(1, 30000);
            held = false;
        });
        view.setTable(PhaselineTest::snapshotOf(many.table));
        QVERIFY(started.tryAcquire(1, 10000));
        jobStartHookForTests.store(nullptr);
        view.setTable(PhaselineTest::snapshotOf(some.table));
        QVERIFY(held.load()); // returned while the old build was still running
        QCOMPARE(view.model().requestCount(), 400);
        letGo.release();
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        // The old build finished and was dropped: the new table stays.
        QCOMPARE(view.model().requestCount(), 400);
        QCOMPARE(ready.count(), 2); // the placeholder while building, then the new table
    }

    void zoomKeepsBarUnderCursor()
    {
        QTemporaryDir dir;
        const LoadResult many = loadInputs({writeSyntheticArray(QDir(dir.path()), 2000)});
        BreakdownView view(&m_selection);
        view.resize(800, 400);
        view.setTable(PhaselineTest::snapshotOf(many.table));
        const QPointF cursor(500, 300);
        const double indexBefore = view.indexAtX(cursor.x());
        QWheelEvent wheel(cursor, view.mapToGlobal(cursor), QPoint(), QPoint(0, 360), Qt::NoButton,
                          Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QVERIFY(view.viewCount() < 2000);
        const double indexAfter = view.indexAtX(cursor.x());
        QVERIFY2(std::abs(indexAfter - indexBefore) < 0.5,
                 qPrintable(QStringLiteral("%1 vs %2").arg(indexBefore).arg(indexAfter)));
        QTest::keyClick(&view, Qt::Key_Home);
        QCOMPARE(view.viewCount(), 2000.0);
    }

    void exportedPngHasSizeAndPhaseColours()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("breakdown.png"));
        QString error;
        const auto paint = [this](QPainter &painter, const QRect &target) { m_view->render(painter, target, true); };
        QVERIFY2(exportPainting(paint, path, QSize(1234, 567), QStringLiteral("test"), 1.0, &error), qPrintable(error));
        const QImage image(path);
        QCOMPARE(image.size(), QSize(1234, 567));
        const BreakdownModel &model = m_view->model();
        for (int layer = 0; layer < model.layerCount(); ++layer) {
            if (model.layerAvailable(layer) && model.isLayerShown(layer))
                QVERIFY2(imageContainsColor(image, model.layerColor(layer).rgb()), qPrintable(model.layerName(layer)));
        }
    }

    void exportedSvgIsValidWithOneGroupPerPhase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("breakdown.svg"));
        QString error;
        const auto paint = [this](QPainter &painter, const QRect &target) { m_view->render(painter, target, true); };
        QVERIFY2(exportPainting(paint, path, QSize(1000, 500), QStringLiteral("test"), 1.0, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QMap<QString, int> groupsByFill;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("g"))
                ++groupsByFill[xml.attributes().value(QLatin1String("fill")).toString().toLower()];
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        const BreakdownModel &model = m_view->model();
        for (int layer = 0; layer < model.layerCount(); ++layer) {
            if (!model.layerAvailable(layer))
                continue;
            const QString fill = model.layerColor(layer).name();
            QVERIFY2(groupsByFill.value(fill) == 1,
                     qPrintable(QStringLiteral("%1: %2 groups").arg(model.layerName(layer)).arg(groupsByFill.value(fill))));
        }
        QVERIFY(QSvgRenderer(path).isValid());
    }

    void loadingCanBeCanceled()
    {
        QTemporaryDir dir;
        const QString path = writeSyntheticArray(QDir(dir.path()), 50000);
        LoadController controller;
        QSignalSpy finished(&controller, &LoadController::finished);
        QSignalSpy canceled(&controller, &LoadController::canceled);
        controller.start({path});
        controller.cancel();
        QVERIFY(canceled.wait(10000));
        QCOMPARE(finished.count(), 0);

        controller.start({path});
        QVERIFY(finished.wait(20000));
        QCOMPARE(controller.takeResult().table.size(), 50000);
    }

    void cancelReportsWhatHappened_data()
    {
        QTest::addColumn<bool>("cancelBeforeReading");
        QTest::newRow("cancel before the load reads") << true;
        QTest::newRow("cancel after the load finished") << false;
    }

    // The controller reports what the load did, not whether cancel() was called: a cancel that
    // reaches the load before it reads (held in the job hook meanwhile) cancels it; one made
    // after the load ended (the event loop has not delivered it yet) leaves it loaded.
    void cancelReportsWhatHappened()
    {
        QFETCH(bool, cancelBeforeReading);
        QTemporaryDir dir;
        const QString path = writeSyntheticArray(QDir(dir.path()), 100);
        LoadController controller;
        QSignalSpy finished(&controller, &LoadController::finished);
        QSignalSpy canceled(&controller, &LoadController::canceled);
        static QSemaphore started, letGo;
        if (cancelBeforeReading) {
            jobStartHookForTests.store([] {
                started.release();
                letGo.tryAcquire(1, 30000);
            });
        }
        controller.start({path});
        if (cancelBeforeReading) {
            QVERIFY(started.tryAcquire(1, 10000));
            jobStartHookForTests.store(nullptr);
        } else {
            QThreadPool::globalInstance()->waitForDone();
        }
        controller.cancel();
        if (cancelBeforeReading)
            letGo.release();
        QVERIFY((cancelBeforeReading ? canceled : finished).wait(10000));
        QCOMPARE((cancelBeforeReading ? finished : canceled).count(), 0);
        if (!cancelBeforeReading)
            QCOMPARE(controller.takeResult().table.size(), 100);
    }
};

PHASELINE_GUI_TEST_MAIN(TestBreakdownView)
#include "tst_breakdownview.moc"
