#pragma once

#include "live/livesource.h"
#include "live/recordsplitter.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <algorithm>

class QNetworkReply;

namespace Phaseline::Live {

// A Prometheus server as the source (prom+http://HOST:9090): its /api/v1/query_range over the
// phase histograms of vLLM and SGLang, from rangeSeconds ago, then the new steps at every poll.
struct PrometheusQuery
{
    bool enabled = false;
    QString match;          // label matchers, e.g. {job="vllm"}
    int rangeSeconds = 3600;
    int stepSeconds = 0;    // 0: range / 300, at least 1 s
    int step() const { return stepSeconds > 0 ? stepSeconds : std::max(1, (rangeSeconds + 299) / 300); }
};

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
    PrometheusQuery prometheus; // url is then the server's base URL
};

// Parses "Name: value" into a header pair. False, with the reason in `problem`, when there is no
// name, the name is not an HTTP token, or either holds a control character (CR LF would smuggle
// in another header).
bool parseHeader(const QString &text, QPair<QByteArray, QByteArray> *header, QString *problem = nullptr);

// Polls a TensorRT-LLM `/perf_metrics` endpoint (worker or disaggregated server), or, chosen by
// the response's content, a vLLM / SGLang `/metrics` endpoint (Prometheus text: each complete
// body is one scrape, kept with its time; a cut one is not kept), or a Prometheus server's range
// queries (settings.prometheus). Every GET
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
    void finishText(QNetworkReply *reply);
    void succeed();
    // The session's name of this source: the server, or "prom+<server> <match>".
    QString sourceName() const;
    // The range query for this poll (Prometheus server source).
    QUrl rangeUrl();
    // A whole text body (a scrape or a query answer) to the session; false with `problem` when refused.
    bool keepText(QString *problem);

    PollSettings m_settings;
    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_reply;
    QUrl m_replyUrl;     // the URL the response in flight comes from (after redirects)
    int m_redirects = 0; // followed for the current poll
    RecordStream m_stream;
    bool m_textBody = false; // the body is not a JSON array of records: kept whole (m_text)
    QByteArray m_text;
    QString m_query;          // PromQL of a Prometheus server source
    qint64 m_queryEnd = 0;    // end of the last answered range, s since the epoch
    qint64 m_pendingEnd = 0;  // end of the range in flight
    QString m_cutReason; // why the response in flight was aborted by us
    QTimer m_deadline;
    QTimer m_next;
};

} // namespace Phaseline::Live
