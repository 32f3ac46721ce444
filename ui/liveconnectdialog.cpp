#include "liveconnectdialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>

namespace Phaseline {

LiveConnectDialog::LiveConnectDialog(QWidget *parent)
    : QDialog(parent), m_url(new QLineEdit), m_interval(new QDoubleSpinBox), m_timeout(new QDoubleSpinBox),
      m_headers(new QPlainTextEdit), m_error(new QLabel)
{
    setWindowTitle(tr("Connect to a perf-metrics endpoint"));
    const QSettings settings;
    m_url->setText(settings.value(QStringLiteral("live/url"), QStringLiteral("http://127.0.0.1:8000/perf_metrics")).toString());
    m_url->setToolTip(tr("A TensorRT-LLM worker or disaggregated server's /perf_metrics (http or https)"));
    m_interval->setRange(0.1, 3600);
    m_interval->setDecimals(1);
    m_interval->setSuffix(tr(" s"));
    m_interval->setValue(settings.value(QStringLiteral("live/interval"), 1.0).toDouble());
    m_timeout->setRange(1, 600);
    m_timeout->setDecimals(0);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(10);
    m_headers->setPlaceholderText(tr("One per line, e.g. Authorization: Bearer TOKEN"));
    m_headers->setMaximumHeight(80);
    m_error->setStyleSheet(QStringLiteral("color: #D62728"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText); // it quotes what the user typed
    m_error->hide();

    auto *form = new QFormLayout(this);
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("Poll every:"), m_interval);
    form->addRow(tr("Timeout:"), m_timeout);
    form->addRow(tr("Extra headers:"), m_headers);
    form->addRow(new QLabel(tr("Every fetch drains the server's buffer: do not poll the same server from two places. "
                               "Every record is kept in a session file you can save.")));
    form->addRow(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &LiveConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    resize(520, sizeHint().height());
}

bool LiveConnectDialog::settings(Live::PollSettings *settings, QString *error) const
{
    settings->url = QUrl::fromUserInput(m_url->text().trimmed());
    if (!settings->url.isValid() || (settings->url.scheme() != QLatin1String("http") && settings->url.scheme() != QLatin1String("https"))) {
        *error = tr("The URL must start with http:// or https://");
        return false;
    }
    settings->intervalMs = int(m_interval->value() * 1000);
    settings->timeoutMs = int(m_timeout->value() * 1000);
    settings->headers.clear();
    const QStringList lines = m_headers->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        QPair<QByteArray, QByteArray> header;
        if (line.trimmed().isEmpty())
            continue;
        QString problem;
        if (!Live::parseHeader(line, &header, &problem)) {
            *error = tr("Header line '%1' is refused: %2").arg(line.trimmed().left(80), problem);
            return false;
        }
        settings->headers << header;
    }
    return true;
}

void LiveConnectDialog::accept()
{
    Live::PollSettings parsed;
    QString error;
    if (!settings(&parsed, &error)) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    QSettings stored;
    stored.setValue(QStringLiteral("live/url"), m_url->text().trimmed());
    stored.setValue(QStringLiteral("live/interval"), m_interval->value());
    QDialog::accept();
}

} // namespace Phaseline
