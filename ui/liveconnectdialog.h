#pragma once

#include "live/httppoller.h"

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace Phaseline {

// File ▸ Connect: URL of a /perf_metrics endpoint, poll interval, timeout, extra headers.
class LiveConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LiveConnectDialog(QWidget *parent = nullptr);

    // The settings as entered; false (with the reason shown in the dialog) when invalid.
    bool settings(Live::PollSettings *settings, QString *error) const;

    void accept() override;

private:
    QLineEdit *m_url;
    QDoubleSpinBox *m_interval;
    QDoubleSpinBox *m_timeout;
    QPlainTextEdit *m_headers;
    QLabel *m_error;
};

} // namespace Phaseline
