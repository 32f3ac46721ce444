// Timeline view: zoom keeps the time under the cursor, hover finds the request drawn at a
// computed position, selection by click and by time range, step detail with its clock
// correction in the tooltip, rendering (exact and rasterised) and the clock it names.

#include "guitestmain.h"
#include "requestselection.h"
#include "testutils.h"
#include "timelineview.h"

#include <QBuffer>
#include <QPainter>
#include <QSvgGenerator>
#include <QXmlStreamReader>
#include <QWheelEvent>
#include <QSignalSpy>
#include <QTest>

using namespace Phaseline;
using namespace PhaselineTest;

namespace {

const QSize kSize(1200, 700);

QImage renderToImage(const TimelineView &view)
{
    QImage image(kSize, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    view.render(painter, QRect(QPoint(0, 0), kSize), true);
    return image;
}

int pixelsOfColor(const QImage &image, quint32 argb)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x)
            count += (line[x] & 0xFFFFFF) == (argb & 0xFFFFFF);
    }
    return count;
}

// Every text the view paints, one a line: rendered through QSvgGenerator, which keeps text as text.
QString paintedText(const TimelineView &view)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(kSize);
    generator.setViewBox(QRect(QPoint(0, 0), kSize));
    {
        QPainter painter(&generator);
        view.render(painter, QRect(QPoint(0, 0), kSize), true);
    }
    QXmlStreamReader xml(buffer.data());
    QStringList texts;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements);
    }
    return texts.join(QLatin1Char('\n'));
}

} // namespace

class TestTimelineView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void zoomKeepsTimeUnderCursor_data();
    void zoomKeepsTimeUnderCursor();
    void hoverFindsRequestAtComputedPosition();
    void clickAndRangeSelect();
    void stepDetailNamesClockCorrection();
    void rendersPhasesExactAndRasterised();
    void titleNamesTheClock();
    void largeTablesAreLaidOutOffTheUiThread();
    void tallerLanesScroll();
};

void TestTimelineView::zoomKeepsTimeUnderCursor_data()
{
    QTest::addColumn<double>("factor");
    QTest::addColumn<int>("x");
    QTest::newRow("in at left") << 0.5 << 250;
    QTest::newRow("in at centre") << 0.8 << 700;
    QTest::newRow("in a lot at right") << 0.01 << 1100;
    QTest::newRow("out at centre") << 1.25 << 700;
}

void TestTimelineView::zoomKeepsTimeUnderCursor()
{
    QFETCH(double, factor);
    QFETCH(int, x);
    const LoadResult &loaded = loadOnce(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"));
    RequestSelection selection;
    TimelineView view(&selection);
    view.resize(kSize);
    view.setTable(PhaselineTest::snapshotOf(loaded.table));
    // Start zoomed in, so zooming out is not clamped by the run's extent.
    view.zoomAt(0.25, 600);
    const double before = view.timeAtX(x);
    const double span = view.viewEnd() - view.viewStart();
    view.zoomAt(factor, x);
    QVERIFY2(std::abs(view.timeAtX(x) - before) < span * 1e-9,
             qPrintable(QStringLiteral("%1 -> %2").arg(before, 0, 'g', 17).arg(view.timeAtX(x), 0, 'g', 17)));
    QVERIFY(std::abs((view.viewEnd() - view.viewStart()) - span * factor) < span * 1e-9);
}

void TestTimelineView::hoverFindsRequestAtComputedPosition()
{
    const LoadResult &loaded = loadOnce(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"));
    RequestSelection selection;
    TimelineView view(&selection);
    view.resize(kSize);
    view.setTable(PhaselineTest::snapshotOf(loaded.table));
    const TimelineLayout &layout = view.layout();
    QVERIFY(layout.partCount() > 0);
    for (int part = 0; part < layout.partCount(); ++part) {
        const QPoint center = view.partCenter(part);
        QCOMPARE(view.partAt(center), part);
        const QString id = loaded.table.id(layout.partRow(part));
        QVERIFY2(view.toolTipAt(center).contains(QStringLiteral("Request %1").arg(id)), qPrintable(view.toolTipAt(center)));
    }
    QCOMPARE(view.partAt(QPoint(5, 5)), -1); // the title line
}

void TestTimelineView::clickAndRangeSelect()
{
    const LoadResult &loaded = loadOnce(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"));
    RequestSelection selection;
    TimelineView view(&selection);
    view.resize(kSize);
    view.setTable(PhaselineTest::snapshotOf(loaded.table));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const int part = 0;
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, view.partCenter(part));
    QCOMPARE(selection.rows(), std::vector<int>{view.layout().partRow(part)});

    // Ctrl+drag across the whole plot selects every request shown.
    const QPoint from(200, view.partCenter(part).y());
    const QPoint to(kSize.width() - 20, from.y());
    QTest::mousePress(&view, Qt::LeftButton, Qt::ControlModifier, from);
    QTest::mouseMove(&view, QPoint(600, from.y()));
    QTest::mouseMove(&view, to);
    QTest::mouseRelease(&view, Qt::LeftButton, Qt::ControlModifier, to);
    QCOMPARE(int(selection.rows().size()), view.layout().rowsShown());

    // Z fits the view to the selection: one request, its parts on every server.
    selection.selectOnly(view.layout().partRow(part));
    QTest::keyClick(&view, Qt::Key_Z);
    const auto [begin, end] = view.layout().partsOfRow(view.layout().partRow(part));
    for (const quint32 *p = begin; p != end; ++p) {
        QVERIFY(view.viewStart() < view.layout().partStart(int(*p)));
        QVERIFY(view.viewEnd() > view.layout().partEnd(int(*p)));
    }
    QVERIFY(view.viewEnd() - view.viewStart() < view.layout().runEnd() - view.layout().runStart());
}

void TestTimelineView::stepDetailNamesClockCorrection()
{
    const LoadResult &loaded = loadOnce(QStringLiteral("trtllm/endpoint_C_disagg_time_breakdown_metrics_clock_offsets.json"));
    RequestSelection selection;
    TimelineView view(&selection);
    view.resize(kSize);
    view.setTable(PhaselineTest::snapshotOf(loaded.table));
    const TimelineLayout &layout = view.layout();
    // The first generation part, zoomed so it fills the view: its steps are drawn under it.
    int part = -1;
    for (int p = 0; p < layout.partCount() && part < 0; ++p) {
        if (layout.partSide(p) == TimelineSide::Generation)
            part = p;
    }
    QVERIFY(part >= 0);
    const int row = layout.partRow(part);
    // Generation step 1 of this request, on the request clock after the +9.971 s correction.
    const StepTable &steps = loaded.table.steps();
    size_t step = steps.size();
    for (size_t s = 0; s < steps.size(); ++s) {
        if (steps.request[s] == quint32(row) && steps.kind[s] == StepTable::GenerationStep && steps.iteration[s] == 1)
            step = s;
    }
    QVERIFY(step < steps.size());
    const double corrected = (steps.forwardStart[step] + steps.forwardEnd[step]) / 2 - 9.971;
    view.setViewRange(corrected - 0.004, corrected + 0.004);
    const QPoint center = view.partCenter(part);
    const QPoint onStep(int(std::lround(view.xOfTime(corrected))), center.y() + 4);
    const QString tip = view.toolTipAt(onStep);
    QVERIFY2(tip.contains(QLatin1String("Generation step 1")), qPrintable(tip));
    QVERIFY2(tip.contains(QLatin1String("Step stamps shifted by -9.97")), qPrintable(tip));
    QVERIFY2(tip.contains(QLatin1String("gen-node")), qPrintable(tip));
}

void TestTimelineView::rendersPhasesExactAndRasterised()
{
    const LoadResult &loaded = loadOnce(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"));
    RequestSelection selection;
    TimelineView view(&selection);
    view.resize(kSize);
    view.setTable(PhaselineTest::snapshotOf(loaded.table));
    const PhaseCatalog &catalog = loaded.table.phases();
    const quint32 decode = catalog.at(catalog.indexOf(QStringLiteral("decode"))).color;
    const quint32 prefill = catalog.at(catalog.indexOf(QStringLiteral("ctx_processing"))).color;
    const QImage exact = renderToImage(view);
    QVERIFY(pixelsOfColor(exact, decode) > 1000);
    QVERIFY(pixelsOfColor(exact, prefill) > 50);

    // Many requests (one lane per request, more lanes than fit): rasterised, same colours.
    LoadResult many = loadInputs({dataPath(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"))});
    for (int copy = 0; copy < 9; ++copy) {
        LoadResult again = loadInputs({dataPath(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"))});
        many.table.appendTable(std::move(again.table));
    }
    view.setTable(PhaselineTest::snapshotOf(many.table));
    view.setPacking(TimelineLayout::Packing::OnePerRequest);
    const QImage raster = renderToImage(view);
    QVERIFY(pixelsOfColor(raster, decode) > 1000);
}

// Two runs on two clocks: the title names the one shown, and follows a change of clock.
void TestTimelineView::titleNamesTheClock()
{
    const LoadResult &loaded = loadOnce(QStringLiteral(
        "trtllm/endpoint_B_disagg_wrapper.json+trtllm/endpoint_A_agg_2025-09_no_server_stamps.json"));
    const auto domains = TimelineLayout::clockDomains(loaded.table);
    QCOMPARE(int(domains.size()), 2);
    RequestSelection selection;
    TimelineView view(&selection);
    view.resize(kSize);
    view.setTable(PhaselineTest::snapshotOf(loaded.table), true);
    // The second clock first: the view starts on the first, so a setClock that did nothing fails.
    for (const size_t shown : {size_t(1), size_t(0)}) {
        view.setClock(domains[shown].first);
        const QString title = QStringLiteral("Clock: %1 · ").arg(domains[shown].first);
        QTRY_VERIFY2(paintedText(view).contains(title), qPrintable(paintedText(view)));
        QVERIFY(!paintedText(view).contains(QStringLiteral("Clock: %1 ").arg(domains[1 - shown].first)));
    }
}

void TestTimelineView::largeTablesAreLaidOutOffTheUiThread()
{
    LoadResult many = loadInputs({dataPath(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"))});
    const RequestTable copy = many.table;
    while (many.table.size() <= 20000)
        many.table.appendTable(RequestTable(copy));
    RequestSelection selection;
    TimelineView view(&selection);
    view.resize(kSize);
    view.setTable(PhaselineTest::snapshotOf(many.table));
    QVERIFY(view.isLayingOut()); // hidden: laid out when first shown (or when asked)
    QCOMPARE(view.layout().partCount(), 0);
    QSignalSpy ready(&view, &TimelineView::layoutReady);
    view.show(); // starts the worker; the result arrives through the event loop
    QVERIFY(view.isLayingOut());
    QCOMPARE(view.layout().partCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isLayingOut(), 20000);
    QCOMPARE(ready.count(), 1);
    QCOMPARE(view.layout().rowsShown() + view.layout().rowsWithoutStamps(), many.table.size());
}

void TestTimelineView::tallerLanesScroll()
{
    const LoadResult &loaded = loadOnce(QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json"));
    RequestSelection selection;
    TimelineView view(&selection);
    view.resize(kSize);
    view.setTable(PhaselineTest::snapshotOf(loaded.table));
    view.setPacking(TimelineLayout::Packing::OnePerRequest);
    const int part = 0;
    const QPoint at = view.partCenter(part);
    QCOMPARE(view.partAt(at), part);

    // Shift+wheel: taller lanes; the request under the cursor stays under it.
    for (int notch = 0; notch < 6; ++notch) {
        QWheelEvent wheel(at, view.mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::ShiftModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
    }
    QCOMPARE(view.partAt(at), part);
    QVERIFY(std::abs(view.partCenter(part).y() - at.y()) <= 20);

    // Now the lanes overflow: the last lane is below the view until the lanes scroll.
    int last = -1;
    for (int p = 0; p < view.layout().partCount(); ++p) {
        if (last < 0 || view.layout().partLane(p) > view.layout().partLane(last))
            last = p;
    }
    QVERIFY(view.partCenter(last).y() > view.height());
    for (int page = 0; page < 10; ++page)
        QTest::keyClick(&view, Qt::Key_PageDown);
    QVERIFY(view.partCenter(last).y() < view.height());
    QCOMPARE(view.partAt(view.partCenter(last)), last);
    QTest::keyClick(&view, Qt::Key_Home); // back to every lane in view
    QCOMPARE(view.partAt(view.partCenter(last)), last);
    QVERIFY(view.partCenter(last).y() < view.height());
}

PHASELINE_GUI_TEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
