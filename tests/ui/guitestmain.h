#pragma once

// Test main for widget tests: headless by default (offscreen platform, which renders
// fonts and delivers synthetic mouse moves), pinned to scale 1 and 96 dpi so pixel
// positions and image sizes are the same on every machine.

#include <QApplication>
#include <QTest>

#define PHASELINE_GUI_TEST_MAIN(TestObject)                                                                      \
    int main(int argc, char *argv[])                                                                           \
    {                                                                                                          \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                                                    \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                                           \
        qputenv("QT_SCALE_FACTOR", "1");                                                                       \
        QApplication::setAttribute(Qt::AA_Use96Dpi);                                                           \
        QApplication app(argc, argv);                                                                          \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                               \
        TestObject test;                                                                                       \
        QTEST_SET_MAIN_SOURCE_PATH                                                                             \
        return QTest::qExec(&test, argc, argv);                                                                \
    }
