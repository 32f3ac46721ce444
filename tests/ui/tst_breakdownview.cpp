// Breakdown view: hover, legend toggles, ordering, selection, aggregation, zoom, export.
// Expected milliseconds were computed by hand (exact decimals) from the raw sample JSON.

#include "breakdownview.h"
#include "exporter.h"
#include "guitestmain.h"
#include "phasecolors.h"
#include "requestselection.h"
#include "testutils.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QRegularExpression>
#include <QContextMenuEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QElapsedTimer>
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

// The disaggregated sample with its ten records rotated by five (the file starts with the
// sixth, 1011) and every ctx_request_id n renamed 2020 - n, so that file order, arrival order
// and id order all differ. Written into `dir`; returns its path.
QString shuffledDisaggSample(const QDir &dir)
{
    QFile file(PhaselineTest::dataPath(kDisaggSample));
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    const QJsonArray records = QJsonDocument::fromJson(file.readAll()).array();
    QJsonArray shuffled;
    for (int i = 0; i < records.size(); ++i) {
        QJsonObject record = records[(i + 5) % records.size()].toObject();
        for (const QString &side : {QStringLiteral("ctx_perf_metrics"), QStringLiteral("gen_perf_metrics")}) {
            QJsonObject metrics = record.value(side).toObject();
            if (metrics.isEmpty())
                continue; // null: 1013 has no context side
            metrics.insert(QStringLiteral("ctx_request_id"), 2020 - metrics.value(QStringLiteral("ctx_request_id")).toInt());
            record.insert(side, metrics);
        }
        shuffled.append(record);
    }
    return PhaselineTest::writeFile(dir.path(), QStringLiteral("shuffled.json"), QJsonDocument(shuffled).toJson());
}

// For looking at it (PHASELINE_SCREENSHOT_DIR set): the view at 1280x720 with the tooltip
// shown over the bar at display position `index` painted over it, as PNG.
void saveWithToolTip(BreakdownView &view, int index, const QString &name)
{
    const QString directory = qEnvironmentVariable("PHASELINE_SCREENSHOT_DIR");
    if (directory.isEmpty())
        return;
    view.resize(1280, 720);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QPoint pos = view.barCenter(index);
    QToolTip::hideText(); // another test's tooltip may still be up
    QTRY_VERIFY(!QToolTip::isVisible());
    QTest::mouseMove(&view, QPoint(1, 1));
    QTest::mouseMove(&view, pos);
    QTRY_VERIFY(QToolTip::isVisible() && QToolTip::text() == view.toolTipAt(pos));
    QPixmap shot = view.grab();
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        const auto *label = qobject_cast<const QLabel *>(widget);
        if (label && widget->inherits("QTipLabel") && widget->isVisible() && label->text() == QToolTip::text()) {
            QPainter painter(&shot);
            painter.drawPixmap(view.mapFromGlobal(widget->pos()), widget->grab());
        }
    }
    QString file = name;
    file.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9]+")), QStringLiteral("-"));
    shot.save(directory + QLatin1Char('/') + file + QStringLiteral(".png"));
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

    // A client file's requests arrive on the client's clock: the tooltip says when, relative to
    // the first request (targeted_start in benchmarks.json, tests/tools/arrival_order.py).
    void clientRequestTooltipShowsArrival()
    {
        m_view.reset(); // its window would take the mouse
        const LoadResult loaded = loadInputs({PhaselineTest::dataPath(QStringLiteral("guidellm/benchmarks.json"))});
        QVERIFY(loaded.loadedAnything());
        BreakdownView view(&m_selection);
        view.resize(900, 500);
        view.setTable(PhaselineTest::snapshotOf(loaded.table));
        view.waitForModel();
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const int row = rowWithId(loaded.table, QStringLiteral("7f6f8a5d-f89d-46d2-9153-3913ee22109d"));
        QVERIFY(row >= 0);
        QCOMPARE(view.model().orderIndexOf(row), 1); // second to arrive
        QTest::mouseMove(&view, view.barCenter(view.model().orderIndexOf(row)));
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QStringLiteral("Arrival: +0.212569 s after the first request")),
                 qPrintable(QToolTip::text()));
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
        const QColor color = layerColor(model, layer);
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
        QCOMPARE(layerColor(model, layer), picked);
        QCOMPARE(QSettings().value(QStringLiteral("phaseColors/ctx_processing")).toString(), picked.name());
        QImage image = renderToImage(*m_view, m_view->size());
        QVERIFY(imageContainsColor(image, picked.rgb()));
        QVERIFY(!imageContainsColor(image, catalogColor.rgb()));

        colors.resetCustom(QStringLiteral("ctx_processing"));
        QCOMPARE(layerColor(model, layer), catalogColor);
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
        // The shuffled copy (shuffledDisaggSample): arrival stamps increase with the original ids
        // 1001, 1003, 1005, renamed to 1019, 1017, 1015; the file starts with 1009.
        QTest::newRow("arrival") << int(BreakdownModel::Order::Arrival)
                                 << QStringList{QStringLiteral("1019"), QStringLiteral("1017"), QStringLiteral("1015")};
        QTest::newRow("id") << int(BreakdownModel::Order::Id)
                            << QStringList{QStringLiteral("1001"), QStringLiteral("1003"), QStringLiteral("1005")};
    }

    // File order, arrival order and id order all differ in the shuffled copy, and the view
    // comes from another order each time: a setOrder that did nothing would fail either row.
    void orderingOrdersBars()
    {
        QFETCH(int, order);
        QFETCH(QStringList, firstIds);
        QTemporaryDir dir;
        const LoadResult shuffled = loadInputs({shuffledDisaggSample(QDir(dir.path()))});
        QVERIFY2(!shuffled.hasErrors(), qPrintable(PhaselineTest::describeIssues(shuffled)));
        QCOMPARE(shuffled.table.id(0), QStringLiteral("1009"));
        BreakdownView view(&m_selection);
        view.setTable(PhaselineTest::snapshotOf(shuffled.table), true);
        view.setOrder(order == int(BreakdownModel::Order::Id) ? BreakdownModel::Order::Total : BreakdownModel::Order::Id);
        view.setOrder(BreakdownModel::Order(order));
        const std::vector<int> &ordered = view.model().orderedRows();
        for (int i = 0; i < firstIds.size(); ++i)
            QCOMPARE(shuffled.table.id(ordered[size_t(i)]), firstIds[i]);
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
        const QString path = PhaselineTest::writeSyntheticArray(QDir(dir.path()), 5000);
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
        const LoadResult many = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), 5000, 20)});
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

    // On screen the aggregated stacks are pixels written into a cached image; exports draw them
    // as rectangles. Both must give the same picture, pixel for pixel, at either pixel ratio.
    void aggregatedColumnPixelsMatchRectangles_data()
    {
        QTest::addColumn<int>("slowEvery");
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("pixelRatio");
        for (int ratio : {1, 2}) {
            for (const char *state : {"whole", "zoomed", "log", "p99"}) {
                QTest::addRow("%s, ratio %d", state, ratio) << 20 << QString::fromLatin1(state) << ratio;
                QTest::addRow("%s, no slow requests, ratio %d", state, ratio) << 0 << QString::fromLatin1(state) << ratio;
            }
        }
    }

    void aggregatedColumnPixelsMatchRectangles()
    {
        QFETCH(int, slowEvery);
        QFETCH(QString, state);
        QFETCH(int, pixelRatio);
        QTemporaryDir dir;
        const LoadResult many = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), 7000, slowEvery)});
        RequestSelection selection; // empty: the export leaves selections out
        BreakdownView view(&selection);
        view.resize(700, 420);
        view.setTable(PhaselineTest::snapshotOf(many.table));
        view.waitForModel();
        if (state == QLatin1String("zoomed"))
            view.setViewRange(1234.5, 2100);
        view.setLogScale(state == QLatin1String("log"));
        view.setScaleIncludesP99(state == QLatin1String("p99"));
        QVERIFY(view.isAggregated());

        auto draw = [&](bool forExport) {
            QImage image(view.size() * pixelRatio, QImage::Format_ARGB32_Premultiplied);
            image.setDevicePixelRatio(pixelRatio);
            QPainter painter(&image);
            view.render(painter, view.rect(), forExport);
            return image;
        };
        const int builds = view.columnImageBuildCount();
        const QImage pixels = draw(false);
        QCOMPARE(view.columnImageBuildCount(), builds + 1); // the stacks did come from the image
        const QImage rectangles = draw(true);
        int differing = 0;
        for (int y = 0; y < pixels.height(); ++y) {
            for (int x = 0; x < pixels.width(); ++x)
                differing += pixels.pixel(x, y) != rectangles.pixel(x, y);
        }
        QCOMPARE(differing, 0);
    }

    // The image is redrawn only when what it shows changes: never for hover or selection repaints.
    void columnImageRebuiltOnlyWhenColumnsChange_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<bool>("rebuilt");
        QTest::newRow("hover") << QStringLiteral("hover") << false;
        QTest::newRow("selection") << QStringLiteral("selection") << false;
        QTest::newRow("log scale") << QStringLiteral("log") << true;
        QTest::newRow("axis fits p99") << QStringLiteral("p99") << true;
        QTest::newRow("pan") << QStringLiteral("pan") << true;
        QTest::newRow("resize") << QStringLiteral("resize") << true;
        QTest::newRow("layer hidden") << QStringLiteral("layer") << true;
    }

    void columnImageRebuiltOnlyWhenColumnsChange()
    {
        QFETCH(QString, change);
        QFETCH(bool, rebuilt);
        QTemporaryDir dir;
        const LoadResult many = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), 5000, 20)});
        RequestSelection selection;
        BreakdownView view(&selection);
        view.resize(600, 400);
        view.setTable(PhaselineTest::snapshotOf(many.table));
        view.waitForModel();
        QVERIFY(view.isAggregated());
        (void)view.grab();
        const int builds = view.columnImageBuildCount();
        QVERIFY(builds > 0);
        (void)view.grab(); // an unchanged repaint
        QCOMPARE(view.columnImageBuildCount(), builds);

        const QPoint middle = view.plotRect().center();
        if (change == QLatin1String("hover")) {
            QMouseEvent move(QEvent::MouseMove, middle, view.mapToGlobal(middle), Qt::NoButton, Qt::NoButton,
                             Qt::NoModifier);
            QApplication::sendEvent(&view, &move);
        } else if (change == QLatin1String("selection")) {
            selection.setRows({1, 2, 3, 2500});
        } else if (change == QLatin1String("log")) {
            view.setLogScale(true);
        } else if (change == QLatin1String("p99")) {
            view.setScaleIncludesP99(true);
        } else if (change == QLatin1String("pan")) {
            view.setViewRange(100, 4000);
        } else if (change == QLatin1String("resize")) {
            view.resize(640, 400);
        } else {
            view.setLayerShown(0, false);
        }
        QVERIFY(view.isAggregated());
        (void)view.grab();
        QCOMPARE(view.columnImageBuildCount(), rebuilt ? builds + 1 : builds);
    }

    // Fewer requests than pixel columns, yet bars under 2 px: one column each, not an aggregate.
    void thinBarsAreNotCalledAggregated()
    {
        QTemporaryDir dir;
        const LoadResult some = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), 400)});
        BreakdownView view(&m_selection);
        view.resize(600, 400);
        view.setTable(PhaselineTest::snapshotOf(some.table));
        QVERIFY(view.isAggregated());
        QVERIFY2(!view.headerText().contains(QStringLiteral("aggregated")), qPrintable(view.headerText()));
        QVERIFY2(view.headerText().contains(QStringLiteral("one pixel column per request")), qPrintable(view.headerText()));
    }

    // Tooltips, the legend and the header say what was measured and how the bars are ordered:
    // a client file's decode is the client's (first to last token received), and "arrival" only
    // where requests have arrival times.
    void labelsSayWhatMeasured_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("layer");
        QTest::addColumn<QStringList>("tooltip");
        QTest::addColumn<QString>("legend");
        QTest::addColumn<QString>("order");
        QTest::newRow("vLLM bench without start_times (client)")
            << QStringLiteral("vllm/serving_meta-llama-Llama-3.3-70B-Instruct_tp4_pp2_sharegpt_qps_04.json")
            << QStringLiteral("client_ttft")
            << QStringList{QStringLiteral("Client Time to First Token <font color='#808080'>(client)</font>"),
                           QStringLiteral("Decode: "),
                           QStringLiteral("(client: first token received → last token received)"),
                           QStringLiteral("End to End: "), QStringLiteral("(client: request sent → last token received)")}
            << QStringLiteral("Measured here: client: request sent → first token received (clock: no wall clock")
            << QStringLiteral("ordered by file order (no arrival times)");
        QTest::newRow("vLLM bench with start_times (client)")
            << QStringLiteral("vllm/openai-4.0qps-Llama-3.1-8B-Instruct-20251122-224021.json")
            << QStringLiteral("client_ttft")
            << QStringList{QStringLiteral("(client: request sent → last token received)")}
            << QStringLiteral("Measured here: client: request sent → first token received (clock: vLLM bench client "
                              "monotonic clock")
            << QStringLiteral("ordered by arrival ·"); // client send times (start_times)
        QTest::newRow("TensorRT-LLM disaggregated (servers)")
            << kDisaggSample << QStringLiteral("ctx_queue")
            << QStringList{QStringLiteral("Context Queue <font color='#808080'>(context server)</font>"),
                           QStringLiteral("(generation server: first token produced → last token produced)")}
            << QStringLiteral("Measured here: context server: request enqueued in the executor → first scheduled")
            << QStringLiteral("ordered by arrival ·");
        QTest::newRow("durations-only CSV") << QStringLiteral("csv/durations_only_ms.csv") << QStringLiteral("queue")
                                           << QStringList{QStringLiteral("Queue <font color='#808080'>(server)</font>")}
                                           << QStringLiteral("Measured here: engine: request queued → first scheduled")
                                           << QStringLiteral("ordered by file order (no arrival times)");
    }
    void labelsSayWhatMeasured()
    {
        QFETCH(QString, path);
        QFETCH(QString, layer);
        QFETCH(QStringList, tooltip);
        QFETCH(QString, legend);
        QFETCH(QString, order);
        const LoadResult loaded = loadInputs({PhaselineTest::dataPath(path)});
        BreakdownView view(&m_selection);
        view.resize(1280, 600);
        view.setTable(PhaselineTest::snapshotOf(loaded.table));
        view.setViewRange(0, 10);
        QVERIFY2(view.headerText().contains(order), qPrintable(view.headerText()));
        const int row = view.model().orderedRows().front();
        const QString tip = view.toolTipAt(view.barCenter(0));
        QVERIFY(tip.startsWith(QStringLiteral("<b>Request ") + loaded.table.id(row)));
        for (const QString &expected : tooltip)
            QVERIFY2(tip.contains(expected), qPrintable(expected + QStringLiteral(" not in: ") + tip));
        const QString legendTip = view.toolTipAt(view.legendItemRect(layerNamed(view.model(), layer)).center());
        QVERIFY2(legendTip.contains(legend), qPrintable(legendTip));
        saveWithToolTip(view, 0, QString::fromLatin1(QTest::currentDataTag()));
    }

    // With few bars each carries its request id below it (text pixels under every bar's centre,
    // also at the edges where the old centred caption never reached); ids megabytes long are
    // elided, in the labels and the tooltip alike.
    void fewBarsShowTheirIds_data()
    {
        QTest::addColumn<int>("idLength");
        QTest::newRow("short ids: horizontal") << 3;
        QTest::newRow("2 MB ids: rotated, elided") << 2 * 1024 * 1024;
    }
    void fewBarsShowTheirIds()
    {
        QFETCH(int, idLength);
        RequestTable table;
        table.setPhases(PhaseCatalog::common());
        const int sent = table.addStampColumn(QStringLiteral("client_sent"));
        const int firstToken = table.addStampColumn(QStringLiteral("client_first_token"));
        constexpr int kBars = 12;
        for (int i = 0; i < kBars; ++i) {
            const std::string id = std::to_string(i) + std::string(size_t(std::max(0, idLength - 2)), char('a' + i));
            const int row = table.appendRow(id, Role::Client);
            table.setStampSeconds(sent, row, 1000.0 + i);
            table.setStampSeconds(firstToken, row, 1000.1 + i + 0.01 * i);
        }
        BreakdownView view(&m_selection);
        view.resize(1280, 720);
        view.setTable(PhaselineTest::snapshotOf(table));
        QElapsedTimer timer;
        timer.start();
        const QImage image = renderToImage(view, view.size());
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(!view.headerText().isEmpty(), "header");
        const QRect plot = view.plotRect();
        const double barWidth = plot.width() / double(kBars);
        for (int i = 0; i < kBars; ++i) {
            const int centre = int(plot.left() + (i + 0.5) * barWidth);
            int ink = 0;
            for (int y = plot.bottom() + 3; y < image.height(); ++y) {
                for (int x = centre - 4; x <= centre + 4; ++x)
                    ink += qGray(image.pixel(x, y)) < 128;
            }
            QVERIFY2(ink > 0, qPrintable(QStringLiteral("no id under bar %1").arg(i)));
        }
        const QString tip = view.toolTipAt(view.barCenter(0));
        QVERIFY2(tip.size() < 4000, qPrintable(QString::number(tip.size())));
        if (idLength > 100)
            QVERIFY(tip.contains(QChar(0x2026)));
        QString path = qEnvironmentVariable("PHASELINE_SCREENSHOT_DIR");
        if (!path.isEmpty()) // for looking at it: PNG of the view with few bars
            image.save(path + QStringLiteral("/few-bars-%1.png").arg(idLength));
    }

    void largeTablesArePreparedOffTheUiThread()
    {
        QTemporaryDir dir;
        const LoadResult many = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), 25000)});
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
        const LoadResult many = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), kBackgroundRows + 100)});
        const LoadResult some = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), 400)});
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
        backgroundPool()->waitForDone();
        QCoreApplication::processEvents();
        // The old build finished and was dropped: the new table stays.
        QCOMPARE(view.model().requestCount(), 400);
        QCOMPARE(ready.count(), 2); // the placeholder while building, then the new table
    }

    // A live update of a large table is prepared on a worker like any other, but never blanks
    // the view: the older table stays shown (and its zoom, when zoomed in) until the new model
    // is adopted; the precomputed first-frame columns are those the view would compute.
    void updateKeepsTheShownTableUntilReady_data()
    {
        QTest::addColumn<bool>("zoomed");
        QTest::newRow("whole run") << false;
        QTest::newRow("zoomed in") << true;
    }

    void updateKeepsTheShownTableUntilReady()
    {
        QFETCH(bool, zoomed);
        QTemporaryDir dir;
        const int before = kBackgroundRows + 100, after = kBackgroundRows + 600;
        const LoadResult first = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), before)});
        const LoadResult grown = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), after)});
        BreakdownView view(&m_selection);
        view.resize(800, 400);
        view.setTable(PhaselineTest::snapshotOf(first.table));
        view.waitForModel();
        QCOMPARE(view.model().requestCount(), before);
        if (zoomed)
            view.setViewRange(1000, 300);
        const double start = view.viewStart(), count = view.viewCount();

        view.setTable(PhaselineTest::snapshotOf(grown.table), true);
        QVERIFY(!view.isPreparing());
        QVERIFY(view.isUpdating());
        QCOMPARE(view.model().requestCount(), before); // still the older table, not a blank view
        QCOMPARE(view.viewCount(), count);
        view.waitForModel();
        QVERIFY(!view.isUpdating());
        QCOMPARE(view.model().requestCount(), after);
        QCOMPARE(view.viewStart(), zoomed ? start : 0.0);
        QCOMPARE(view.viewCount(), zoomed ? count : double(after));

        // The columns adopted with the model are what aggregating on this thread gives: drawn
        // from them, then again after a zoom in and out has made the view aggregate anew.
        auto draw = [&view] {
            QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
            QPainter painter(&image);
            view.render(painter, view.rect(), true);
            return image;
        };
        const QImage adopted = draw();
        view.setViewRange(0, after / 2.0);
        (void)draw();
        if (zoomed)
            view.setViewRange(start, count);
        else
            view.resetZoom();
        QCOMPARE(draw(), adopted);
    }

    void zoomKeepsBarUnderCursor()
    {
        QTemporaryDir dir;
        const LoadResult many = loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), 2000)});
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
                QVERIFY2(imageContainsColor(image, layerColor(model, layer).rgb()), qPrintable(model.layerName(layer)));
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
            const QString fill = layerColor(model, layer).name();
            QVERIFY2(groupsByFill.value(fill) == 1,
                     qPrintable(QStringLiteral("%1: %2 groups").arg(model.layerName(layer)).arg(groupsByFill.value(fill))));
        }
        QVERIFY(QSvgRenderer(path).isValid());
    }
};

PHASELINE_GUI_TEST_MAIN(TestBreakdownView)
#include "tst_breakdownview.moc"
