#include "perfmetricstestserver.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

PerfMetricsTestServer::PerfMetricsTestServer(QObject *parent) : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &PerfMetricsTestServer::onConnection);
}

bool PerfMetricsTestServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl PerfMetricsTestServer::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/perf_metrics").arg(m_server.serverPort()));
}

void PerfMetricsTestServer::addRecords(const QList<QByteArray> &records)
{
    m_buffer.insert(m_buffer.end(), records.begin(), records.end());
}

void PerfMetricsTestServer::queueFault(Fault fault, int delayMs)
{
    m_faults.emplace_back(fault, delayMs);
}

void PerfMetricsTestServer::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto request = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, request] {
            *request += socket->readAll();
            const int end = request->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            m_requestHeaders.append(request->left(end).split('\n'));
            request->clear();
            QPair<Fault, int> fault{Fault::None, 0};
            if (!m_faults.empty()) {
                fault = m_faults.front();
                m_faults.pop_front();
            }
            if (fault.first == Fault::Slow) {
                QPointer<QTcpSocket> guarded(socket);
                QTimer::singleShot(fault.second, this, [this, guarded] {
                    if (guarded && guarded->state() == QAbstractSocket::ConnectedState)
                        answer(guarded, Fault::None);
                });
                return;
            }
            answer(socket, fault.first);
        });
    }
}

QByteArray PerfMetricsTestServer::drain(QList<QByteArray> *records)
{
    records->clear();
    for (const QByteArray &record : m_buffer)
        records->append(record);
    m_buffer.clear();
    return '[' + records->join(", ") + ']';
}

void PerfMetricsTestServer::answer(QTcpSocket *socket, Fault fault)
{
    QByteArray status = "200 OK";
    QByteArray body;
    QList<QByteArray> records;
    switch (fault) {
    case Fault::None:
    case Fault::Slow:
    case Fault::DropMidBody:
        body = drain(&records);
        m_previousBody = body;
        m_previousRecords = records;
        break;
    case Fault::ServerError:
        status = "500 Internal Server Error";
        body = "Internal Server Error";
        break;
    case Fault::Malformed:
        body = "<html>upstream timed out</html>";
        break;
    case Fault::EmptyList:
        body = "[]";
        break;
    case Fault::Repeat:
        body = m_previousBody.isEmpty() ? QByteArray("[]") : m_previousBody;
        records = m_previousRecords;
        break;
    }
    const QByteArray head = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
    if (fault == Fault::DropMidBody) {
        // Half the body, then the connection drops: only records entirely inside it arrived.
        const QByteArray sent = body.left(body.size() / 2);
        qsizetype offset = 1; // after '['
        for (const QByteArray &record : records) {
            if (offset + record.size() > sent.size())
                break;
            m_delivered.append(record);
            offset += record.size() + 2; // ", "
        }
        socket->write(head + sent);
        socket->disconnectFromHost(); // after the half body: shorter than Content-Length
        return;
    }
    m_delivered += records;
    socket->write(head + body);
    socket->disconnectFromHost();
}
