#include "httppoller.h"

#include "livesession.h"
#include "recordsplitter.h"

#include <QNetworkReply>
#include <QNetworkRequest>

namespace Phaseline::Live {

bool parseHeader(const QString &text, QPair<QByteArray, QByteArray> *header)
{
    const int colon = text.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    const QString name = text.left(colon).trimmed();
    if (name.isEmpty() || name.contains(QLatin1Char(' ')))
        return false;
    *header = {name.toLatin1(), text.mid(colon + 1).trimmed().toUtf8()};
    return true;
}

PerfMetricsPoller::PerfMetricsPoller(LiveSession *session, QObject *parent) : LiveSource(session, parent)
{
    m_next.setSingleShot(true);
    connect(&m_next, &QTimer::timeout, this, &PerfMetricsPoller::fetch);
    connect(&m_network, &QNetworkAccessManager::finished, this, &PerfMetricsPoller::onFinished);
}

PerfMetricsPoller::~PerfMetricsPoller()
{
    stop();
}

QString PerfMetricsPoller::serverName() const
{
    return m_settings.url.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment
                                   | QUrl::StripTrailingSlash);
}

void PerfMetricsPoller::start(const PollSettings &settings)
{
    stop();
    m_settings = settings;
    m_status = SourceStatus();
    m_status.source = settings.url.toString(QUrl::RemoveUserInfo);
    m_status.state = SourceStatus::Waiting;
    Q_EMIT statusChanged();
    fetch();
}

void PerfMetricsPoller::stop()
{
    m_next.stop();
    if (m_reply) {
        // A response already on its way was drained from the server: keep what arrived.
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        m_session->addRecords(splitRecordArray(reply->readAll()).records, serverName());
        reply->abort(); // onFinished sees it is no longer the current reply
    }
    if (m_status.state != SourceStatus::Stopped) {
        m_status.state = SourceStatus::Stopped;
        m_status.retryInMs = -1;
        Q_EMIT statusChanged();
    }
}

void PerfMetricsPoller::fetch()
{
    QNetworkRequest request(m_settings.url);
    request.setTransferTimeout(m_settings.timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    for (const auto &[name, value] : m_settings.headers)
        request.setRawHeader(name, value);
    m_status.lastAttempt = QDateTime::currentDateTime();
    ++m_status.attempts;
    m_reply = m_network.get(request);
}

void PerfMetricsPoller::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return; // stopped: stop() kept what had arrived
    m_reply = nullptr;
    const QVariant httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int code = httpStatus.isValid() ? httpStatus.toInt() : 0;
    if (code >= 400) {
        QString problem = QStringLiteral("HTTP %1 %2")
                              .arg(code)
                              .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
        if (code == 404)
            problem += QStringLiteral(" (TensorRT-LLM after mid-2026 has no /perf_metrics: watch its "
                                      "perf_metrics_output_dir instead)");
        fail(problem);
        return;
    }

    // Whatever arrived was drained from the server: keep every complete record, even of a
    // response that was cut off or timed out.
    const QByteArray data = reply->isOpen() ? reply->readAll() : QByteArray(); // closed after a timeout
    const SplitBody body = splitRecordArray(data);
    m_status.recordsReceived += body.records.size();
    m_session->addRecords(body.records, serverName());

    QString problem;
    if (reply->error() != QNetworkReply::NoError) {
        problem = reply->error() == QNetworkReply::OperationCanceledError
                      ? QStringLiteral("no complete answer within %1 s").arg(m_settings.timeoutMs / 1000.0)
                      : reply->errorString();
    } else if (!body.problem.isEmpty()) {
        problem = QStringLiteral("malformed response at byte %1: %2").arg(body.problemOffset).arg(body.problem);
    }
    if (!body.problem.isEmpty() && !data.trimmed().isEmpty()) {
        m_session->addIssue(LoadIssue{LoadIssue::Warning, m_status.source, -1, body.problemOffset,
                                      QStringLiteral("damaged response: %1; the %2 complete record(s) before that "
                                                     "point were kept, anything after it was drained by the server "
                                                     "and is lost")
                                          .arg(body.problem)
                                          .arg(body.records.size())});
    }
    if (!problem.isEmpty()) {
        fail(problem);
        return;
    }
    m_status.state = SourceStatus::Receiving;
    m_status.lastSuccess = m_status.lastAttempt;
    m_status.consecutiveErrors = 0;
    m_status.lastError.clear();
    m_status.retryInMs = -1;
    Q_EMIT statusChanged();
    m_next.start(m_settings.intervalMs);
}

void PerfMetricsPoller::fail(const QString &problem)
{
    ++m_status.errors;
    ++m_status.consecutiveErrors;
    m_status.lastError = problem;
    m_status.state = SourceStatus::Retrying;
    const int doublings = std::min(m_status.consecutiveErrors - 1, 20);
    m_status.retryInMs = int(std::min<qint64>(m_settings.maxBackoffMs, qint64(m_settings.intervalMs) << doublings));
    Q_EMIT statusChanged();
    m_next.start(m_status.retryInMs);
}

} // namespace Phaseline::Live
