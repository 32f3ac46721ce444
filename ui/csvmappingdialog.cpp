#include "csvmappingdialog.h"

#include "formats/csvimporter.h"
#include "core/csvreader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Phaseline {

namespace {

using Kind = CsvColumnMapping::Kind;
using Unit = CsvColumnMapping::Unit;

const QString kSettingsKey = QStringLiteral("csvColumnMappings");
constexpr int kPreviewRows = 10;
// Rows of the preview table above the data: the two choosers.
constexpr int kChooserRows = 2;

// A chooser entry's data: "kind:target" (the column's own name for attributes and labels).
QString entryData(Kind kind, const QString &target = QString())
{
    return CsvColumnMapping::kindName(kind) + QLatin1Char(':') + target;
}

void fillHoldsChooser(QComboBox *combo)
{
    combo->addItem(QObject::tr("(ignore)"), entryData(Kind::Ignore));
    combo->addItem(QObject::tr("Request id"), entryData(Kind::Id));
    combo->addItem(QObject::tr("Role"), entryData(Kind::Role));
    combo->addItem(QObject::tr("Number (attribute)"), entryData(Kind::Attribute));
    combo->addItem(QObject::tr("Text (label)"), entryData(Kind::Label));
    combo->addItem(QObject::tr("Status (ok / error)"), entryData(Kind::Label, QStringLiteral("status")));
    for (const QString &stamp : CsvImporter::stampNames())
        combo->addItem(QObject::tr("Time stamp: %1").arg(stamp), entryData(Kind::Stamp, stamp));
    for (const QString &phase : CsvImporter::durationNames())
        combo->addItem(QObject::tr("Duration: %1").arg(phase), entryData(Kind::Duration, phase));
}

} // namespace

CsvMappingDialog::CsvMappingDialog(const QString &fileName, const CsvPreview &preview,
                                   const CsvColumnMapping &initial, QWidget *parent)
    : QDialog(parent), m_header(preview.header), m_preview(new QTableWidget), m_relative(new QCheckBox)
{
    setWindowTitle(tr("CSV columns – %1").arg(fileName));
    auto *intro = new QLabel(tr("Phaseline did not recognise the columns of %1. Say what each column holds: at least "
                                "one time stamp or duration. Stamps and durations of a request are placed on the "
                                "common phase model; durations alone start every request at 0.")
                                 .arg(fileName));
    intro->setWordWrap(true);

    m_preview->setObjectName(QStringLiteral("csvPreview"));
    m_preview->setColumnCount(preview.header.size());
    m_preview->setHorizontalHeaderLabels(preview.header);
    const int rows = std::min(int(preview.rows.size()), kPreviewRows);
    m_preview->setRowCount(kChooserRows + rows);
    m_preview->setVerticalHeaderLabels([rows] {
        QStringList labels{tr("holds"), tr("unit")};
        for (int row = 0; row < rows; ++row)
            labels << QString::number(row + 1);
        return labels;
    }());
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int column = 0; column < preview.header.size(); ++column) {
        auto *holds = new QComboBox;
        fillHoldsChooser(holds);
        auto *unit = new QComboBox;
        for (Unit u : {Unit::Seconds, Unit::Milliseconds, Unit::Microseconds, Unit::Nanoseconds})
            unit->addItem(CsvColumnMapping::unitName(u), int(u));
        if (column < initial.columns.size()) {
            const CsvColumnMapping::Column &chosen = initial.columns[column];
            const bool ownName = chosen.kind == Kind::Attribute
                || (chosen.kind == Kind::Label && chosen.target != QLatin1String("status"));
            const int index = holds->findData(entryData(chosen.kind, ownName ? QString() : chosen.target));
            holds->setCurrentIndex(std::max(0, index));
            unit->setCurrentIndex(unit->findData(int(chosen.unit)));
        }
        m_preview->setCellWidget(0, column, holds);
        m_preview->setCellWidget(1, column, unit);
        m_holds << holds;
        m_units << unit;
        connect(holds, &QComboBox::currentIndexChanged, this, &CsvMappingDialog::updateAcceptable);
        for (int row = 0; row < rows; ++row) {
            const QStringList &fields = preview.rows[row];
            m_preview->setItem(kChooserRows + row, column,
                               new QTableWidgetItem(column < fields.size() ? fields[column] : QString()));
        }
    }
    m_preview->resizeColumnsToContents();

    m_relative->setText(tr("Time stamps are relative to each request's own start (no common clock)"));
    m_relative->setChecked(!initial.absoluteStamps);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Load with this mapping"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_relative);
    layout->addWidget(buttons);
    resize(900, 420);
    updateAcceptable();
}

CsvColumnMapping CsvMappingDialog::mapping() const
{
    CsvColumnMapping mapping;
    mapping.absoluteStamps = !m_relative->isChecked();
    for (int column = 0; column < m_holds.size(); ++column) {
        const QString data = m_holds[column]->currentData().toString();
        const int colon = data.indexOf(QLatin1Char(':'));
        CsvColumnMapping::Column chosen;
        const QString kind = data.left(colon);
        for (Kind k : {Kind::Ignore, Kind::Id, Kind::Role, Kind::Stamp, Kind::Duration, Kind::Attribute, Kind::Label}) {
            if (CsvColumnMapping::kindName(k) == kind)
                chosen.kind = k;
        }
        chosen.target = data.mid(colon + 1);
        if (chosen.target.isEmpty() && (chosen.kind == Kind::Attribute || chosen.kind == Kind::Label))
            chosen.target = m_header.value(column).trimmed();
        chosen.unit = Unit(m_units[column]->currentData().toInt());
        mapping.columns << chosen;
    }
    return mapping;
}

void CsvMappingDialog::updateAcceptable()
{
    m_ok->setEnabled(mapping().hasTiming());
}

CsvMappings CsvMappingDialog::rememberedMappings()
{
    CsvMappings mappings;
    const QVariantMap stored = QSettings().value(kSettingsKey).toMap();
    for (auto it = stored.begin(); it != stored.end(); ++it) {
        CsvColumnMapping mapping;
        if (CsvColumnMapping::fromText(it.value().toString(), &mapping))
            mappings.insert(it.key(), mapping);
    }
    return mappings;
}

void CsvMappingDialog::remember(const QString &headerLine, const CsvColumnMapping &mapping)
{
    QSettings settings;
    QVariantMap stored = settings.value(kSettingsKey).toMap();
    stored.insert(headerLine, mapping.toText());
    settings.setValue(kSettingsKey, stored);
}

} // namespace Phaseline
