#pragma once

#include "core/phasecatalog.h"

#include <QColor>
#include <QHash>
#include <QObject>

class QMenu;

namespace Phaseline {

// The colour a phase is drawn in by every view: the catalogue's, unless the user picked another
// from a legend's context menu. Choices are kept per phase name in QSettings (phaseColors/<name>),
// so they hold for every file and every later session.
class PhaseColors : public QObject
{
    Q_OBJECT
public:
    static PhaseColors &instance();

    QColor color(const QString &phaseName, quint32 catalogArgb) const;
    QColor color(const PhaseDefinition &phase) const { return color(phase.name, phase.color); }
    bool isCustom(const QString &phaseName) const { return m_custom.contains(phaseName); }
    void setCustom(const QString &phaseName, const QColor &color);
    void resetCustom(const QString &phaseName);

    // "Change colour of <title>…" and, once changed, "Reset colour"; the picker opens over `parent`.
    void addMenuActions(QMenu *menu, const QString &phaseName, const QString &title, quint32 catalogArgb,
                        QWidget *parent);

Q_SIGNALS:
    void changed();

private:
    PhaseColors();
    QHash<QString, QColor> m_custom;
};

} // namespace Phaseline
