#include "phasecolors.h"

#include <QColorDialog>
#include <QMenu>
#include <QSettings>

namespace Phaseline {

namespace {
const QString kSettingsGroup = QStringLiteral("phaseColors");
}

PhaseColors &PhaseColors::instance()
{
    static PhaseColors colors;
    return colors;
}

PhaseColors::PhaseColors()
{
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    for (const QString &name : settings.childKeys()) {
        const QColor color(settings.value(name).toString());
        if (color.isValid())
            m_custom.insert(name, color);
    }
}

QColor PhaseColors::color(const QString &phaseName, quint32 catalogArgb) const
{
    const auto custom = m_custom.constFind(phaseName);
    return custom != m_custom.cend() ? *custom : QColor::fromRgba(catalogArgb);
}

void PhaseColors::setCustom(const QString &phaseName, const QColor &color)
{
    m_custom.insert(phaseName, color);
    QSettings().setValue(kSettingsGroup + QLatin1Char('/') + phaseName, color.name());
    Q_EMIT changed();
}

void PhaseColors::resetCustom(const QString &phaseName)
{
    if (m_custom.remove(phaseName) == 0)
        return;
    QSettings().remove(kSettingsGroup + QLatin1Char('/') + phaseName);
    Q_EMIT changed();
}

void PhaseColors::addMenuActions(QMenu *menu, const QString &phaseName, const QString &title, quint32 catalogArgb,
                                 QWidget *parent)
{
    menu->addAction(tr("Change Colour of %1…").arg(title), parent, [this, phaseName, title, catalogArgb, parent] {
        const QColor picked = QColorDialog::getColor(color(phaseName, catalogArgb), parent,
                                                     tr("Colour of %1").arg(title));
        if (picked.isValid())
            setCustom(phaseName, picked);
    });
    if (isCustom(phaseName))
        menu->addAction(tr("Reset Colour of %1").arg(title), parent, [this, phaseName] { resetCustom(phaseName); });
}

} // namespace Phaseline
