#pragma once

#include <QWidget>

class QLabel;
class QToolButton;

namespace Phaseline {

class LiveController;

// Status-bar indicator of the live source: state (colour dot), last fetch, records received,
// errors, the current problem; Pause/Resume and Stop buttons.
class LiveStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit LiveStatusWidget(LiveController *controller, QWidget *parent = nullptr);

    QString text() const;
    void refresh();

private:
    LiveController *m_controller;
    QLabel *m_dot;
    QLabel *m_text;
    QToolButton *m_pause;
    QToolButton *m_stop;
};

} // namespace Phaseline
