// The CSV column-mapping dialog: what it proposes, what it returns, what it remembers, and
// the window asking for a mapping when a CSV's columns were not recognised, then loading
// with the answer.

#include "guitestmain.h"
#include "testutils.h"

#include "formats/csvimporter.h"
#include "csvmappingdialog.h"
#include "core/csvreader.h"
#include "mainwindow.h"
#include "statisticspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QPushButton>
#include <QDialogButtonBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace Phaseline;

namespace {

const QByteArray kUnrecognised = "who,when,how long\nx,5,7\ny,6,8\n";

CsvPreview previewOf(const QByteArray &csv)
{
    return readCsvPreview(std::string_view(csv.constData(), size_t(csv.size())), 10);
}

void choose(QComboBox *combo, const QString &text)
{
    const int index = combo->findText(text);
    QVERIFY2(index >= 0, qPrintable(text));
    combo->setCurrentIndex(index);
}

QPushButton *okButton(QDialog *dialog)
{
    return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

} // namespace

class TestCsvMappingDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PhaselineTest"));
        QSettings().remove(QStringLiteral("csvColumnMappings"));
    }

    void previewAndChoice_data()
    {
        QTest::addColumn<bool>("relative");
        QTest::newRow("absolute stamps") << false;
        QTest::newRow("relative stamps") << true;
    }
    void previewAndChoice()
    {
        QFETCH(bool, relative);
        const CsvPreview preview = previewOf(kUnrecognised);
        CsvMappingDialog dialog(QStringLiteral("odd.csv"), preview, CsvImporter::recognise(preview));
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("csvPreview"));
        QVERIFY(table);
        QCOMPARE(table->columnCount(), 3);
        QCOMPARE(table->rowCount(), 2 + 2); // two choosers, two data rows
        QCOMPARE(table->item(3, 2)->text(), QStringLiteral("8"));
        QVERIFY(!okButton(&dialog)->isEnabled()); // no timing column yet

        choose(dialog.holdsChooser(0), QStringLiteral("Request id"));
        choose(dialog.holdsChooser(1), QStringLiteral("Time stamp: server_received"));
        QVERIFY(okButton(&dialog)->isEnabled());
        choose(dialog.holdsChooser(2), QStringLiteral("Duration: e2e"));
        choose(dialog.unitChooser(2), QStringLiteral("ms"));
        dialog.relativeChoice()->setChecked(relative);

        const CsvColumnMapping mapping = dialog.mapping();
        QCOMPARE(mapping.absoluteStamps, !relative);
        QCOMPARE(mapping.columns.size(), 3);
        QCOMPARE(mapping.columns[0].kind, CsvColumnMapping::Kind::Id);
        QCOMPARE(mapping.columns[1].kind, CsvColumnMapping::Kind::Stamp);
        QCOMPARE(mapping.columns[1].target, QStringLiteral("server_received"));
        QCOMPARE(mapping.columns[2].kind, CsvColumnMapping::Kind::Duration);
        QCOMPARE(mapping.columns[2].target, QStringLiteral("e2e"));
        QCOMPARE(mapping.columns[2].unit, CsvColumnMapping::Unit::Milliseconds);
        // A number column keeps the header's name.
        choose(dialog.holdsChooser(2), QStringLiteral("Number (attribute)"));
        QCOMPARE(dialog.mapping().columns[2].target, QStringLiteral("how long"));

        // A proposed mapping comes back as it was given.
        CsvMappingDialog again(QStringLiteral("odd.csv"), preview, mapping);
        QCOMPARE(again.mapping().toText(), mapping.toText());
    }

    void remembersByHeader()
    {
        CsvColumnMapping mapping;
        mapping.columns = {{CsvColumnMapping::Kind::Id, QString(), CsvColumnMapping::Unit::Seconds},
                           {CsvColumnMapping::Kind::Stamp, QStringLiteral("client_sent"), CsvColumnMapping::Unit::Seconds}};
        CsvMappingDialog::remember(QStringLiteral("a,b"), mapping);
        const CsvMappings remembered = CsvMappingDialog::rememberedMappings();
        QVERIFY(remembered.contains(QStringLiteral("a,b")));
        QCOMPARE(remembered.value(QStringLiteral("a,b")).toText(), mapping.toText());
    }

    // The window asks, remembers the answer under the header line and loads with it.
    void windowAsksAndReloads()
    {
        QTemporaryDir dir;
        const QString path = PhaselineTest::writeFile(dir.path(), QStringLiteral("odd.csv"), kUnrecognised);
        MainWindow window;
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.open({path});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 0);
        CsvMappingDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<CsvMappingDialog *>(QStringLiteral("csvMappingDialog"))));
        choose(dialog->holdsChooser(0), QStringLiteral("Request id"));
        choose(dialog->holdsChooser(1), QStringLiteral("Time stamp: server_received"));
        choose(dialog->holdsChooser(2), QStringLiteral("Duration: e2e"));
        choose(dialog->unitChooser(2), QStringLiteral("ms"));
        okButton(dialog)->click();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 2);
        QCOMPARE(window.statisticsPanel()->report().requests, qint64(2));
        QVERIFY(CsvMappingDialog::rememberedMappings().contains(QStringLiteral("who,when,how long")));

        // The next open of a file with that header needs no question.
        window.open({path});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.table().size(), 2);
        QCoreApplication::processEvents();
        QVERIFY(!window.findChild<CsvMappingDialog *>(QStringLiteral("csvMappingDialog")));
    }
};

PHASELINE_GUI_TEST_MAIN(TestCsvMappingDialog)
#include "tst_csvmappingdialog.moc"
