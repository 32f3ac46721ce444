// ZoomControl: the nesting trace ⊇ visible ⊇ selection holds after every change, zooming keeps
// the anchor where it was in the window, and each signal fires once per real change.

#include "zoomcontrol.h"

#include <QSignalSpy>
#include <QTest>

using namespace Phaseline;

class TestZoomControl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void visibleRangeIsClamped_data()
    {
        QTest::addColumn<double>("traceStart");
        QTest::addColumn<double>("traceEnd");
        QTest::addColumn<double>("minimumSpan");
        QTest::addColumn<double>("start");
        QTest::addColumn<double>("end");
        QTest::addColumn<double>("expectedStart");
        QTest::addColumn<double>("expectedEnd");
        QTest::newRow("inside") << 0.0 << 100.0 << 1.0 << 20.0 << 30.0 << 20.0 << 30.0;
        QTest::newRow("left of the trace: slides right") << 0.0 << 100.0 << 1.0 << -15.0 << 5.0 << 0.0 << 20.0;
        QTest::newRow("right of the trace: slides left") << 0.0 << 100.0 << 1.0 << 95.0 << 115.0 << 80.0 << 100.0;
        QTest::newRow("wider than the trace: the trace") << 10.0 << 50.0 << 1.0 << -100.0 << 300.0 << 10.0 << 50.0;
        QTest::newRow("narrower than the minimum: widened from the start") << 0.0 << 100.0 << 4.0 << 50.0 << 51.0
                                                                           << 50.0 << 54.0;
        QTest::newRow("minimum at the end: slides left") << 0.0 << 100.0 << 4.0 << 99.0 << 99.5 << 96.0 << 100.0;
        QTest::newRow("trace narrower than the minimum: whole trace") << 0.0 << 3.0 << 5.0 << 1.0 << 2.0 << 0.0 << 3.0;
        QTest::newRow("reversed range: minimum span") << 0.0 << 100.0 << 2.0 << 40.0 << 30.0 << 40.0 << 42.0;
        QTest::newRow("negative axis") << -2e-3 << 1.5 << 1e-6 << -1.0 << -0.5 << -2e-3 << 0.498;
    }

    void visibleRangeIsClamped()
    {
        QFETCH(double, traceStart);
        QFETCH(double, traceEnd);
        QFETCH(double, minimumSpan);
        QFETCH(double, start);
        QFETCH(double, end);
        QFETCH(double, expectedStart);
        QFETCH(double, expectedEnd);
        ZoomControl zoom;
        zoom.setMinimumSpan(minimumSpan);
        zoom.setTrace(traceStart, traceEnd);
        QCOMPARE(zoom.visibleStart(), traceStart);
        QCOMPARE(zoom.visibleEnd(), traceEnd);
        zoom.setVisibleRange(start, end);
        QCOMPARE(zoom.visibleStart(), expectedStart);
        QCOMPARE(zoom.visibleEnd(), expectedEnd);
        QVERIFY(zoom.visibleStart() >= zoom.traceStart());
        QVERIFY(zoom.visibleEnd() <= zoom.traceEnd());
    }

    void zoomKeepsTheAnchor_data()
    {
        QTest::addColumn<double>("start");
        QTest::addColumn<double>("end");
        QTest::addColumn<double>("anchor");
        QTest::addColumn<double>("factor");
        QTest::addColumn<double>("expectedStart");
        QTest::addColumn<double>("expectedEnd");
        // Trace [0, 1000], minimum span 1.
        QTest::newRow("in about the middle") << 0.0 << 1000.0 << 500.0 << 0.5 << 250.0 << 750.0;
        QTest::newRow("in about the left edge") << 0.0 << 1000.0 << 0.0 << 0.1 << 0.0 << 100.0;
        QTest::newRow("in about a quarter") << 100.0 << 300.0 << 150.0 << 0.5 << 125.0 << 225.0;
        QTest::newRow("out about a quarter") << 100.0 << 300.0 << 150.0 << 2.0 << 50.0 << 450.0;
        QTest::newRow("out past the trace: clamped") << 0.0 << 800.0 << 700.0 << 2.0 << 0.0 << 1000.0;
        QTest::newRow("in below the minimum: anchor kept at the minimum") << 100.0 << 104.0 << 102.0 << 0.01 << 101.5
                                                                         << 102.5;
    }

    void zoomKeepsTheAnchor()
    {
        QFETCH(double, start);
        QFETCH(double, end);
        QFETCH(double, anchor);
        QFETCH(double, factor);
        QFETCH(double, expectedStart);
        QFETCH(double, expectedEnd);
        ZoomControl zoom;
        zoom.setMinimumSpan(1);
        zoom.setTrace(0, 1000);
        zoom.setVisibleRange(start, end);
        zoom.zoomAbout(anchor, factor);
        QCOMPARE(zoom.visibleStart(), expectedStart);
        QCOMPARE(zoom.visibleEnd(), expectedEnd);
    }

    void selectionStaysInsideVisible_data()
    {
        QTest::addColumn<double>("selectionStart");
        QTest::addColumn<double>("selectionEnd");
        QTest::addColumn<double>("visibleStart");
        QTest::addColumn<double>("visibleEnd");
        QTest::addColumn<bool>("kept");
        QTest::addColumn<double>("expectedStart");
        QTest::addColumn<double>("expectedEnd");
        // Selected in the visible [0, 100] of a trace [0, 1000], then the visible range moves.
        QTest::newRow("still inside") << 20.0 << 40.0 << 10.0 << 60.0 << true << 20.0 << 40.0;
        QTest::newRow("cut at the left") << 20.0 << 40.0 << 30.0 << 130.0 << true << 30.0 << 40.0;
        QTest::newRow("cut at the right") << 20.0 << 40.0 << 0.0 << 25.0 << true << 20.0 << 25.0;
        QTest::newRow("scrolled out: dropped") << 20.0 << 40.0 << 500.0 << 600.0 << false << 0.0 << 0.0;
        QTest::newRow("given reversed") << 40.0 << 20.0 << 0.0 << 100.0 << true << 20.0 << 40.0;
    }

    void selectionStaysInsideVisible()
    {
        QFETCH(double, selectionStart);
        QFETCH(double, selectionEnd);
        QFETCH(double, visibleStart);
        QFETCH(double, visibleEnd);
        QFETCH(bool, kept);
        QFETCH(double, expectedStart);
        QFETCH(double, expectedEnd);
        ZoomControl zoom;
        zoom.setMinimumSpan(1);
        zoom.setTrace(0, 1000);
        zoom.setVisibleRange(0, 100);
        zoom.setSelection(selectionStart, selectionEnd);
        QVERIFY(zoom.hasSelection());
        zoom.setVisibleRange(visibleStart, visibleEnd);
        QCOMPARE(zoom.hasSelection(), kept);
        if (kept) {
            QCOMPARE(zoom.selectionStart(), expectedStart);
            QCOMPARE(zoom.selectionEnd(), expectedEnd);
            QVERIFY(zoom.selectionStart() >= zoom.visibleStart() && zoom.selectionEnd() <= zoom.visibleEnd());
        }
    }

    void selectionOutsideVisibleIsClamped()
    {
        ZoomControl zoom;
        zoom.setTrace(0, 1000);
        zoom.setVisibleRange(100, 200);
        zoom.setSelection(50, 150);
        QCOMPARE(zoom.selectionStart(), 100.0);
        QCOMPARE(zoom.selectionEnd(), 150.0);
        zoom.setSelection(300, 400);
        QVERIFY(!zoom.hasSelection());
    }

    // Each operation, from a trace [0, 1000] showing [100, 200] with [120, 150] selected:
    // how many times each signal fires.
    void signalsFireOncePerChange_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<int>("traceSignals");
        QTest::addColumn<int>("visibleSignals");
        QTest::addColumn<int>("selectionSignals");
        QTest::newRow("same visible range") << "same" << 0 << 0 << 0;
        QTest::newRow("pan inside the selection's reach") << "pan 5" << 0 << 1 << 0;
        QTest::newRow("pan cutting the selection") << "pan 40" << 0 << 1 << 1;
        QTest::newRow("pan against the trace start") << "pan -500" << 0 << 1 << 1;
        QTest::newRow("zoom in") << "zoom 0.5" << 0 << 1 << 0;
        QTest::newRow("new trace") << "trace" << 1 << 1 << 1;
        QTest::newRow("same trace, zoomed: shows it whole") << "same trace" << 0 << 1 << 0;
        QTest::newRow("whole trace") << "whole" << 0 << 1 << 0;
        QTest::newRow("same selection") << "select same" << 0 << 0 << 0;
        QTest::newRow("new selection") << "select" << 0 << 0 << 1;
        QTest::newRow("clear selection") << "clear" << 0 << 0 << 1;
    }

    void signalsFireOncePerChange()
    {
        QFETCH(QString, operation);
        QFETCH(int, traceSignals);
        QFETCH(int, visibleSignals);
        QFETCH(int, selectionSignals);
        ZoomControl zoom;
        zoom.setMinimumSpan(1);
        zoom.setTrace(0, 1000);
        zoom.setVisibleRange(100, 200);
        zoom.setSelection(120, 150);
        QSignalSpy trace(&zoom, &ZoomControl::traceChanged);
        QSignalSpy visible(&zoom, &ZoomControl::visibleRangeChanged);
        QSignalSpy selection(&zoom, &ZoomControl::selectionChanged);
        const QStringList words = operation.split(QLatin1Char(' '));
        if (operation == QLatin1String("same"))
            zoom.setVisibleRange(100, 200);
        else if (words[0] == QLatin1String("pan"))
            zoom.panBy(words[1].toDouble());
        else if (words[0] == QLatin1String("zoom"))
            zoom.zoomAbout(135, words[1].toDouble()); // to [117.5, 167.5]: the selection stays whole
        else if (operation == QLatin1String("trace"))
            zoom.setTrace(0, 2000);
        else if (operation == QLatin1String("same trace"))
            zoom.setTrace(0, 1000);
        else if (operation == QLatin1String("whole"))
            zoom.showWholeTrace();
        else if (operation == QLatin1String("select same"))
            zoom.setSelection(150, 120);
        else if (operation == QLatin1String("select"))
            zoom.setSelection(110, 190);
        else if (operation == QLatin1String("clear"))
            zoom.clearSelection();
        else
            QFAIL("unknown operation");
        QCOMPARE(trace.count(), traceSignals);
        QCOMPARE(visible.count(), visibleSignals);
        QCOMPARE(selection.count(), selectionSignals);
    }
};

QTEST_GUILESS_MAIN(TestZoomControl)
#include "tst_zoomcontrol.moc"
