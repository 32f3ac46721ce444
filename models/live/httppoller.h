#pragma once

#include "livesource.h"
#include "recordsplitter.h"

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
    static constexpr qint64 kDefaultMaxResponseBytes = 64ll << 20;

    QUrl url;
    int intervalMs = 1000;
    int timeoutMs = 10000; // for the whole response, however steadily its bytes come
    int maxBackoffMs = 30000;
    qint64 maxResponseBytes = kDefaultMaxResponseBytes; // a longer body is cut there
    // Off: a redirect to another scheme, host or port is reported, not followed. On: followed,
    // but the extra headers (credentials) are never sent to another origin.
    bool followCrossOriginRedirects = false;
    QList<QPair<QByteArray, QByteArray>> headers; // extra request headers, e.g. Authorization
};

// Parses "Name: value" into a header pair. False, with the reason in `problem`, when there is no
// name, the name is not an HTTP token, or either holds a control character (CR LF would smuggle
// in another header).
bool parseHeader(const QString &text, QPair<QByteArray, QByteArray> *header, QString *problem = nullptr);

// Polls a TensorRT-LLM `/perf_metrics` endpoint (worker or disaggregated server). Every GET
// drains the server's buffer, so each record is handed to the session as soon as its last byte
// arrives, even in a response that is later cut off. A response is cut at maxResponseBytes and
// at timeoutMs. Failures back off exponentially (from the interval up to maxBackoffMs) and
// retry; one request is in flight at a time. Records are labelled with the origin that answered.
class PerfMetricsPoller : public LiveSource
{
    Q_OBJECT
public:
    explicit PerfMetricsPoller(LiveSession *session, QObject *parent = nullptr);
    // Aborts a response in flight silently: no signals, the session is not touched.
    ~PerfMetricsPoller() override;

    void start(const PollSettings &settings);
    void stop() override;
    const PollSettings &settings() const { return m_settings; }
    // Name under which the records of `url` are parsed ("http://host:port"): the server label.
    static QString serverName(const QUrl &url);

private:
    void fetch(const QUrl &url);
    // Feeds what has arrived to the record stream (records go to the session at once); false
    // when the body goes past maxResponseBytes.
    bool readBody(QNetworkReply *reply);
    QString overLimitProblem() const;
    void onFinished(QNetworkReply *reply);
    // Ends the response in flight with `problem` (a cut, a refused redirect).
    void cut(const QString &problem);
    void fail(const QString &problem);

    PollSettings m_settings;
    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_reply;
    QUrl m_replyUrl;     // the URL the response in flight comes from (after redirects)
    int m_redirects = 0; // followed for the current poll
    RecordStream m_stream;
    QString m_cutReason; // why the response in flight was aborted by us
    QTimer m_deadline;
    QTimer m_next;
};

} // namespace Phaseline::Live
