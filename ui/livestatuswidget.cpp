#include "livestatuswidget.h"

#include "livecontroller.h"
#include "live/livesession.h"
#include "live/livesource.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>

namespace Phaseline {

LiveStatusWidget::LiveStatusWidget(LiveController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller), m_dot(new QLabel), m_text(new QLabel), m_pause(new QToolButton),
      m_stop(new QToolButton)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_text->setObjectName(QStringLiteral("liveStatusText"));
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the views; records keep arriving and are kept"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop fetching; everything received stays loaded"));
    layout->addWidget(m_dot);
    layout->addWidget(m_text);
    layout->addWidget(m_pause);
    layout->addWidget(m_stop);
    connect(m_pause, &QToolButton::toggled, controller, &LiveController::setPaused);
    connect(m_stop, &QToolButton::clicked, controller, &LiveController::stop);
    connect(controller, &LiveController::statusChanged, this, &LiveStatusWidget::refresh);
    refresh();
}

QString LiveStatusWidget::text() const
{
    return m_text->text();
}

void LiveStatusWidget::refresh()
{
    const Live::LiveSource *source = m_controller->source();
    setVisible(source != nullptr);
    if (!source)
        return;
    const Live::SourceStatus &status = source->status();
    const Live::LiveSession *session = m_controller->session();
    const QLocale locale;
    QStringList parts{Live::stateName(status.state)};
    if (m_controller->isPaused())
        parts.first() += tr(" (views paused)");
    parts << (status.lastAttempt.isValid()
                  ? tr("last %1 %2").arg(m_controller->isPolling() ? tr("fetch") : tr("scan"),
                                         status.lastAttempt.toString(QStringLiteral("HH:mm:ss")))
                  : tr("waiting"));
    parts << tr("%1 records").arg(locale.toString(session->recordsKept()));
    if (session->duplicatesIgnored() > 0)
        parts << tr("%1 duplicates ignored").arg(locale.toString(session->duplicatesIgnored()));
    parts << tr("%n error(s)", nullptr, int(status.errors));
    if (!session->writeError().isEmpty())
        parts << session->writeError(); // records still arrive and show, but are no longer saved
    if (!status.lastError.isEmpty())
        parts << status.lastError + (status.retryInMs >= 0 ? tr(", retry in %1 s").arg(status.retryInMs / 1000.0) : QString());
    m_text->setText(parts.join(QStringLiteral(" · ")));

    QColor colour(0x9E, 0x9E, 0x9E); // stopped
    if (!session->writeError().isEmpty())
        colour = QColor(0xD6, 0x27, 0x28);
    else if (status.state == Live::SourceStatus::Receiving)
        colour = status.lastError.isEmpty() ? QColor(0x2C, 0xA0, 0x2C) : QColor(0xFF, 0x7F, 0x0E);
    else if (status.state == Live::SourceStatus::Retrying)
        colour = QColor(0xD6, 0x27, 0x28);
    else if (status.state == Live::SourceStatus::Waiting)
        colour = QColor(0xFF, 0x7F, 0x0E);
    m_dot->setText(QStringLiteral("<span style=\"color:%1\">●</span>").arg(colour.name()));

    QStringList tip{status.source};
    if (!status.detail.isEmpty())
        tip << status.detail;
    tip << tr("%1 record(s) received, %2 rejected").arg(status.recordsReceived).arg(session->recordsRejected());
    if (!m_controller->sessionFilePath().isEmpty())
        tip << tr("Session file: %1").arg(m_controller->sessionFilePath());
    if (!status.lastError.isEmpty())
        tip << tr("Problem: %1").arg(status.lastError);
    setToolTip(tip.join(QLatin1Char('\n')));
    const bool running = status.state != Live::SourceStatus::Stopped;
    m_pause->setEnabled(running);
    m_stop->setEnabled(running);
    {
        const QSignalBlocker blocker(m_pause);
        m_pause->setChecked(m_controller->isPaused());
    }
}

} // namespace Phaseline
