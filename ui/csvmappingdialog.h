#pragma once

#include "formats/csvcolumnmapping.h"

#include <QDialog>
#include <QVector>

class QCheckBox;
class QComboBox;
class QTableWidget;

namespace Phaseline {

struct CsvPreview;

// Asks what each column of a CSV file holds when the importer could not recognise it: a
// preview of the first rows with a "holds" and a "unit" chooser above every column.
class CsvMappingDialog : public QDialog
{
    Q_OBJECT
public:
    CsvMappingDialog(const QString &fileName, const CsvPreview &preview, const CsvColumnMapping &initial,
                     QWidget *parent = nullptr);

    CsvColumnMapping mapping() const;
    QComboBox *holdsChooser(int column) const { return m_holds.value(column); }
    QComboBox *unitChooser(int column) const { return m_units.value(column); }
    QCheckBox *relativeChoice() const { return m_relative; }

    // Mappings the user chose before, by header line (QSettings).
    static CsvMappings rememberedMappings();
    static void remember(const QString &headerLine, const CsvColumnMapping &mapping);

private:
    void updateAcceptable();

    QStringList m_header;
    QTableWidget *m_preview;
    QVector<QComboBox *> m_holds;
    QVector<QComboBox *> m_units;
    QCheckBox *m_relative;
    class QPushButton *m_ok;
};

} // namespace Phaseline
