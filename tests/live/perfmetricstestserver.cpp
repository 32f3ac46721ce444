#include "perfmetricstestserver.h"

#include <QPointer>

#include <memory>
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

void PerfMetricsTestServer::setStandingFault(Fault fault, int delayMs)
{
    m_standingFault = {fault, delayMs};
}

QByteArray PerfMetricsTestServer::makeRecord(int requestId)
{
    const double arrival = 1000.0 + requestId * 0.01;
    return QStringLiteral(R"({"request_id": %1, "perf_metrics": {"timing_metrics": {"arrival_time": %2, )"
                          R"("first_scheduled_time": %3, "first_token_time": %4, "last_token_time": %5}}})")
        .arg(requestId)
        .arg(arrival, 0, 'f', 6)
        .arg(arrival + 0.001, 0, 'f', 6)
        .arg(arrival + 0.05, 0, 'f', 6)
        .arg(arrival + 0.5, 0, 'f', 6)
        .toUtf8();
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
            Q_EMIT requestReceived(m_requestHeaders.last());
            request->clear();
            QPair<Fault, int> fault = m_standingFault;
            if (!m_faults.empty()) {
                fault = m_faults.front();
                m_faults.pop_front();
            }
            if (fault.first == Fault::Slow) {
                QPointer<QTcpSocket> guarded(socket);
                QTimer::singleShot(fault.second, this, [this, guarded] {
                    if (guarded && guarded->state() == QAbstractSocket::ConnectedState)
                        answer(guarded, Fault::None, 0);
                });
                return;
            }
            answer(socket, fault.first, fault.second);
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

void PerfMetricsTestServer::answer(QTcpSocket *socket, Fault fault, int delayMs)
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
    case Fault::Endless:
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[");
        streamEndlessly(socket);
        return;
    case Fault::Drip:
    case Fault::HugeLength: {
        body = drain(&records);
        const QByteArray firstTwo = '[' + QList<QByteArray>(records.mid(0, 2)).join(", ");
        const QByteArray length = fault == Fault::HugeLength ? QByteArray("2147483648") : QByteArray::number(body.size());
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + length
                      + "\r\nConnection: close\r\n\r\n" + firstTwo);
        m_delivered += records.mid(0, 2);
        Q_EMIT answered(qMin(records.size(), 2));
        drip(socket, body.mid(firstTwo.size()), delayMs > 0 ? delayMs : 200);
        return;
    }
    case Fault::Redirect:
        socket->write("HTTP/1.1 302 Found\r\nLocation: " + m_redirectTarget.toEncoded()
                      + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
        return;
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
    Q_EMIT answered(records.size());
}

void PerfMetricsTestServer::streamEndlessly(QTcpSocket *socket)
{
    // Tops the socket up whenever the client has taken most of what was written.
    auto topUp = [this, socket] {
        while (socket->state() == QAbstractSocket::ConnectedState && socket->bytesToWrite() < (1 << 16))
            socket->write(makeRecord(++m_generatedId) + ", ");
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, topUp);
    topUp();
}

void PerfMetricsTestServer::drip(QTcpSocket *socket, const QByteArray &rest, int delayMs)
{
    auto *timer = new QTimer(socket);
    auto offset = std::make_shared<qsizetype>(0);
    connect(timer, &QTimer::timeout, socket, [socket, rest, offset] {
        if (*offset < rest.size())
            socket->write(rest.mid((*offset)++, 1));
    });
    timer->start(delayMs);
}
