#pragma once

#include "livesource.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkReply;

namespace Phaseline::Live {

struct PollSettings
{
    QUrl url;
    int intervalMs = 1000;
    int timeoutMs = 10000;
    int maxBackoffMs = 30000;
    QList<QPair<QByteArray, QByteArray>> headers; // extra request headers, e.g. Authorization
};

// Parses "Name: value" into a header pair; false when there is no name.
bool parseHeader(const QString &text, QPair<QByteArray, QByteArray> *header);

// Polls a TensorRT-LLM `/perf_metrics` endpoint (worker or disaggregated server). Every GET
// drains the server's buffer, so whatever arrives is handed to the session at once, even the
// complete records of a response that was cut off. Failures back off exponentially (from the
// interval up to maxBackoffMs) and retry; one request is in flight at a time.
class PerfMetricsPoller : public LiveSource
{
    Q_OBJECT
public:
    explicit PerfMetricsPoller(LiveSession *session, QObject *parent = nullptr);
    ~PerfMetricsPoller() override;

    void start(const PollSettings &settings);
    void stop() override;
    const PollSettings &settings() const { return m_settings; }
    // Name under which the records are parsed ("http://host:port"): becomes the server label.
    QString serverName() const;

private:
    void fetch();
    void onFinished(QNetworkReply *reply);
    void fail(const QString &problem);

    PollSettings m_settings;
    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_next;
};

} // namespace Phaseline::Live
