#include "live/httppoller.h"

#include "live/livesession.h"

#include <QNetworkReply>
#include <QNetworkRequest>

#include "formats/metricssession.h"

namespace Phaseline::Live {

namespace {

constexpr int kMaxRedirects = 5;
constexpr qint64 kReadBufferBytes = 256 << 10; // about 0.1 s of parsing: a stop or a deadline waits no longer

// RFC 9110 token characters: what a header name may be made of.
bool isTokenChar(QChar c)
{
    return c.unicode() < 128 && (c.isLetterOrNumber() || QStringLiteral("!#$%&'*+-.^_`|~").contains(c));
}

bool isControl(QChar c)
{
    return (c.unicode() < 0x20 && c != QLatin1Char('\t')) || c.unicode() == 0x7F;
}

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host() == b.host() && defaultPort(a) == defaultPort(b);
}

int httpStatus(const QNetworkReply *reply)
{
    const QVariant code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    return code.isValid() ? code.toInt() : 0;
}

QString shown(const QUrl &url)
{
    return url.toString(QUrl::RemoveUserInfo);
}

QString sizeText(qint64 bytes)
{
    return bytes % (1 << 20) == 0 ? QStringLiteral("%1 MiB").arg(bytes >> 20) : QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace

bool parseHeader(const QString &text, QPair<QByteArray, QByteArray> *header, QString *problem)
{
    auto reject = [problem](const QString &why) {
        if (problem)
            *problem = why;
        return false;
    };
    const int colon = text.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return reject(QStringLiteral("it is not 'Name: value'"));
    const QString name = text.left(colon).trimmed();
    if (name.isEmpty() || !std::all_of(name.begin(), name.end(), isTokenChar))
        return reject(QStringLiteral("the name '%1' is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)")
                          .arg(name.simplified()));
    const QString value = text.mid(colon + 1).trimmed();
    const auto control = std::find_if(value.begin(), value.end(), isControl);
    if (control != value.end())
        return reject(QStringLiteral("the value holds a control character (U+%1 at character %2), which could "
                                     "smuggle in another header")
                          .arg(control->unicode(), 4, 16, QLatin1Char('0'))
                          .arg(colon + 2 + (control - value.begin())));
    *header = {name.toLatin1(), value.toUtf8()};
    return true;
}

PerfMetricsPoller::PerfMetricsPoller(LiveSession *session, QObject *parent) : LiveSource(session, parent)
{
    m_next.setSingleShot(true);
    m_deadline.setSingleShot(true);
    connect(&m_next, &QTimer::timeout, this, [this] {
        m_redirects = 0;
        fetch(m_settings.url);
    });
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        cut(QStringLiteral("no complete answer within %1 s").arg(m_settings.timeoutMs / 1000.0));
    });
    connect(&m_network, &QNetworkAccessManager::finished, this, &PerfMetricsPoller::onFinished);
}

PerfMetricsPoller::~PerfMetricsPoller()
{
    // Receivers of statusChanged and the session may already be gone: tell no one.
    m_network.disconnect(this);
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

QString PerfMetricsPoller::serverName(const QUrl &url)
{
    return url.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment
                        | QUrl::StripTrailingSlash);
}

void PerfMetricsPoller::start(const PollSettings &settings)
{
    stop();
    m_settings = settings;
    m_status = SourceStatus();
    m_status.source = shown(settings.url);
    m_status.state = SourceStatus::Waiting;
    Q_EMIT statusChanged();
    m_redirects = 0;
    m_queryEnd = 0;
    QString problem;
    m_query = settings.prometheus.enabled ? prometheusRangeQuery(settings.prometheus.match, &problem) : QString();
    if (!problem.isEmpty()) {
        fail(problem);
        m_next.stop(); // a wrong selector stays wrong: no retry
        return;
    }
    fetch(m_settings.url);
}

QUrl PerfMetricsPoller::rangeUrl()
{
    const PrometheusQuery &prometheus = m_settings.prometheus;
    const qint64 step = prometheus.step();
    // On the step grid, so every answer evaluates at the same instants and repeated steps replace
    // each other; each later poll overlaps the last answered step (its interval's start).
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    m_pendingEnd = now / step * step;
    const qint64 start = m_queryEnd > 0 ? m_queryEnd - step : (now - prometheus.rangeSeconds) / step * step;
    QUrl url = m_settings.url;
    QString path = url.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/api/v1/query_range"));
    // Encoded by hand (no arg(): the percent escapes would be taken for its markers), so that a
    // '+' of a regex matcher does not reach Prometheus as a space.
    url.setQuery(QStringLiteral("query=") + QString::fromLatin1(QUrl::toPercentEncoding(m_query))
                 + QStringLiteral("&start=") + QString::number(start) + QStringLiteral("&end=")
                 + QString::number(std::max(m_pendingEnd, start + step)) + QStringLiteral("&step=") + QString::number(step));
    return url;
}

QString PerfMetricsPoller::sourceName() const
{
    if (!m_settings.prometheus.enabled)
        return shown(m_settings.url);
    const QString base = QStringLiteral("prom+") + shown(m_settings.url);
    return m_settings.prometheus.match.isEmpty() ? base : base + QLatin1Char(' ') + m_settings.prometheus.match;
}

bool PerfMetricsPoller::keepText(QString *problem)
{
    const qint64 time = m_status.lastAttempt.toMSecsSinceEpoch();
    ++m_status.recordsReceived;
    if (!m_settings.prometheus.enabled)
        return m_session->addScrape(m_text, time, sourceName(), problem);
    if (!m_session->addQueryRange(m_text, time, sourceName(), m_query, problem))
        return false;
    m_queryEnd = m_pendingEnd;
    return true;
}

void PerfMetricsPoller::stop()
{
    m_next.stop();
    m_deadline.stop();
    if (m_reply) {
        // A response already on its way was drained from the server: keep what arrived.
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        readBody(reply);
        reply->abort(); // onFinished sees it is no longer the current reply
    }
    if (m_status.state != SourceStatus::Stopped) {
        m_status.state = SourceStatus::Stopped;
        m_status.retryInMs = -1;
        Q_EMIT statusChanged();
    }
}

void PerfMetricsPoller::fetch(const QUrl &given)
{
    const QUrl url = m_settings.prometheus.enabled && m_redirects == 0 ? rangeUrl() : given;
    QNetworkRequest request(url);
    // Redirects are ours to check: credentials must not follow one to another origin.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // JSON (perf_metrics, Prometheus's API) or Prometheus text (/metrics, never OpenMetrics).
    request.setRawHeader("Accept", "application/json, text/plain;version=0.0.4;q=0.9, */*;q=0.1");
    if (sameOrigin(url, m_settings.url)) {
        for (const auto &[name, value] : m_settings.headers)
            request.setRawHeader(name, value);
    }
    m_status.lastAttempt = QDateTime::currentDateTime();
    ++m_status.attempts;
    m_replyUrl = url;
    m_stream = RecordStream();
    m_textBody = m_settings.prometheus.enabled;
    m_text.clear();
    m_cutReason.clear();
    m_reply = m_network.get(request);
    // Back-pressure: the network thread stops reading when this much waits for us, so a fast
    // endless body neither piles up in memory nor floods the event loop ahead of a stop.
    m_reply->setReadBufferSize(kReadBufferBytes);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
        const QVariant length = m_reply ? m_reply->header(QNetworkRequest::ContentLengthHeader) : QVariant();
        if (length.isValid() && length.toLongLong() > m_settings.maxResponseBytes && httpStatus(m_reply) < 300)
            cut(QStringLiteral("the response announces %1 bytes, more than the limit of %2")
                    .arg(length.toLongLong())
                    .arg(sizeText(m_settings.maxResponseBytes)));
    });
    connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        if (!m_reply)
            return;
        if (!readBody(m_reply))
            cut(overLimitProblem());
        else if (!m_stream.problem().isEmpty())
            m_reply->abort(); // damaged: the rest holds no records we could find; onFinished says why
    });
    m_deadline.start(m_settings.timeoutMs);
}

QString PerfMetricsPoller::overLimitProblem() const
{
    return QStringLiteral("the response is larger than the limit of %1; cut there")
        .arg(sizeText(m_settings.maxResponseBytes));
}

bool PerfMetricsPoller::readBody(QNetworkReply *reply)
{
    const int code = httpStatus(reply);
    if (code < 200 || code >= 300) {
        reply->skip(reply->bytesAvailable()); // an error page or a redirect: not records
        return true;
    }
    if (!m_textBody && m_stream.bytesSeen() == 0) {
        // Chosen by content: a /perf_metrics answer is a JSON array, a /metrics one is text.
        const QByteArray head = reply->peek(256).trimmed();
        if (head.isEmpty())
            return true; // only blanks so far: decided when more arrives
        m_textBody = head.front() != '[' && head.front() != '{';
    }
    if (m_textBody) {
        m_text += reply->read(m_settings.maxResponseBytes - m_text.size());
        return reply->bytesAvailable() == 0;
    }
    const QByteArray bytes = reply->read(m_settings.maxResponseBytes - m_stream.bytesSeen());
    QList<QByteArray> records;
    m_stream.feed(bytes, &records);
    if (!records.isEmpty()) {
        m_status.recordsReceived += records.size();
        m_session->queueRecords(std::move(records), serverName(m_replyUrl));
    }
    return reply->bytesAvailable() == 0;
}

void PerfMetricsPoller::cut(const QString &problem)
{
    if (!m_reply)
        return;
    m_cutReason = problem;
    m_reply->abort(); // finishes it: onFinished reports the cut
}

void PerfMetricsPoller::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return; // stopped: stop() kept what had arrived
    m_reply = nullptr;
    m_deadline.stop();
    const int code = httpStatus(reply);
    if (m_cutReason.isEmpty() && code >= 300 && code < 400) {
        const QUrl location = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
        const QUrl target = m_replyUrl.resolved(location);
        if (location.isEmpty())
            fail(QStringLiteral("HTTP %1 from %2 without a Location to go to").arg(code).arg(shown(m_replyUrl)));
        else if (target.scheme() != QLatin1String("http") && target.scheme() != QLatin1String("https"))
            fail(QStringLiteral("HTTP %1: redirected to %2, which is not http or https: not followed").arg(code).arg(shown(target)));
        else if (++m_redirects > kMaxRedirects)
            fail(QStringLiteral("more than %1 redirects (the last to %2): not followed").arg(kMaxRedirects).arg(shown(target)));
        else if (!sameOrigin(target, m_settings.url) && !m_settings.followCrossOriginRedirects)
            fail(QStringLiteral("HTTP %1: redirected to %2, another origin: not followed (the extra headers, "
                                "which may hold credentials, are never sent to another origin)")
                     .arg(code)
                     .arg(shown(target)));
        else
            fetch(target);
        return;
    }
    if (m_cutReason.isEmpty() && code >= 400) {
        QString problem = QStringLiteral("HTTP %1 %2")
                              .arg(code)
                              .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
        if (m_replyUrl != m_settings.url)
            problem += QStringLiteral(" from %1").arg(shown(m_replyUrl));
        if (code == 404)
            problem += QStringLiteral(" (TensorRT-LLM after mid-2026 has no /perf_metrics: watch its "
                                      "perf_metrics_output_dir instead)");
        fail(problem);
        return;
    }

    if (m_textBody) {
        finishText(reply);
        return;
    }
    // Whatever arrived was drained from the server: every complete record was kept as it came.
    if (m_cutReason.isEmpty() && reply->isOpen() && !readBody(reply))
        m_cutReason = overLimitProblem();
    QString problem = m_cutReason;
    if (problem.isEmpty()) {
        const bool damaged = !m_stream.problem().isEmpty(); // we aborted it for that
        m_stream.finish();
        if (!damaged && reply->error() != QNetworkReply::NoError)
            problem = reply->errorString();
        else if (!m_stream.problem().isEmpty())
            problem = QStringLiteral("malformed response at byte %1: %2").arg(m_stream.problemOffset()).arg(m_stream.problem());
    }
    if (!problem.isEmpty() && m_stream.bytesSeen() > 0) {
        const QString what = m_cutReason.isEmpty() ? QStringLiteral("damaged response: %1").arg(m_stream.problem())
                                                   : QStringLiteral("response cut: %1").arg(m_cutReason);
        m_session->addIssue(LoadIssue{LoadIssue::Warning, shown(m_replyUrl), -1,
                                      m_cutReason.isEmpty() ? m_stream.problemOffset() : m_stream.bytesSeen(),
                                      QStringLiteral("%1; the %2 complete record(s) before that point were kept, "
                                                     "anything after it was drained by the server and is lost")
                                          .arg(what)
                                          .arg(m_stream.recordCount())});
    }
    if (!problem.isEmpty()) {
        fail(problem);
        return;
    }
    succeed();
}

void PerfMetricsPoller::finishText(QNetworkReply *reply)
{
    if (m_cutReason.isEmpty() && reply->isOpen() && !readBody(reply))
        m_cutReason = overLimitProblem();
    QString problem = m_cutReason;
    if (problem.isEmpty() && reply->error() != QNetworkReply::NoError)
        problem = reply->errorString();
    if (!problem.isEmpty() && !m_text.isEmpty())
        m_session->addIssue(LoadIssue{LoadIssue::Warning, shown(m_replyUrl), -1, m_text.size(),
                                      QStringLiteral("response cut after %1 bytes: %2; an incomplete scrape is not kept "
                                                     "(its counters would be partial), the next one is taken whole")
                                          .arg(m_text.size())
                                          .arg(problem)});
    if (problem.isEmpty() && !keepText(&problem))
        problem = QStringLiteral("malformed response: %1").arg(problem);
    m_text.clear();
    if (!problem.isEmpty()) {
        fail(problem);
        return;
    }
    succeed();
}

void PerfMetricsPoller::succeed()
{
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
