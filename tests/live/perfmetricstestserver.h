#pragma once

// A stand-in for a TensorRT-LLM server's GET /perf_metrics, on 127.0.0.1 only: it holds a
// buffer of records and drains it on every answer, like the real endpoint (docs/trtllm.md §3).
// Faults can be queued for the next requests, one per request.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpServer>
#include <QUrl>

#include <deque>

class PerfMetricsTestServer : public QObject
{
    Q_OBJECT
public:
    enum class Fault {
        None,
        Slow,        // answers after `delayMs`; drains when it answers (nothing if the client gave up)
        ServerError, // HTTP 500, nothing drained
        DropMidBody, // drains, sends half of the body, closes the connection
        Malformed,   // HTTP 200 with a body that is not JSON, nothing drained
        EmptyList,   // "[]" although records are waiting (the known failure mode), nothing drained
        Repeat,      // sends the previous answer again (a duplicate delivery)
        Endless,     // a body that never ends: new records as fast as the client takes them
        Drip,        // drains, sends the first two records at once, then one byte every `delayMs`
        HugeLength,  // announces a 2 GiB body, then drips like Drip
        Redirect,    // 302 to redirectTarget(), nothing drained
    };

    explicit PerfMetricsTestServer(QObject *parent = nullptr);

    bool listen();
    QUrl url() const;

    void addRecords(const QList<QByteArray> &records);
    void queueFault(Fault fault, int delayMs = 0);
    // The fault of every request once the queue is empty (None by default).
    void setStandingFault(Fault fault, int delayMs = 0);
    void setRedirectTarget(const QUrl &target) { m_redirectTarget = target; }
    // A small valid TensorRT-LLM record with this request id.
    static QByteArray makeRecord(int requestId);

    // Records whose bytes were completely written to a client, in order (duplicates included).
    const QList<QByteArray> &delivered() const { return m_delivered; }
    qsizetype waiting() const { return qsizetype(m_buffer.size()); }
    int requestCount() const { return int(m_requestHeaders.size()); }
    // Raw header lines of each request received.
    const QList<QList<QByteArray>> &requestHeaders() const { return m_requestHeaders; }

Q_SIGNALS:
    void requestReceived(const QList<QByteArray> &headerLines);
    void answered(qsizetype recordsDelivered);

private:
    void onConnection();
    // `delayMs`: the pace of Drip and HugeLength.
    void answer(QTcpSocket *socket, Fault fault, int delayMs);
    QByteArray drain(QList<QByteArray> *records);
    void streamEndlessly(QTcpSocket *socket);
    void drip(QTcpSocket *socket, const QByteArray &rest, int delayMs);

    QTcpServer m_server;
    std::deque<QByteArray> m_buffer;
    std::deque<QPair<Fault, int>> m_faults;
    QPair<Fault, int> m_standingFault{Fault::None, 0};
    QUrl m_redirectTarget;
    int m_generatedId = 1000000;
    QByteArray m_previousBody;
    QList<QByteArray> m_previousRecords;
    QList<QByteArray> m_delivered;
    QList<QList<QByteArray>> m_requestHeaders;
};
