// phaseline_test_server: the /perf_metrics stand-in as a process, for the hostile cases.
//   phaseline_test_server --mode MODE [--records N] [--log FILE]
// Listens on 127.0.0.1 on a free port and prints the URL on stdout. normal: N records (default 55)
// for every request that finds the buffer drained. endless, drip, huge-length: the faults of
// PerfMetricsTestServer (drip: fresh records for every request too).
// invalid-record: record 2 holds invalid JSON in a field no importer reads. twins: one more record
// with the id and stamps of record 1 but other content. redirect: every answer is a 302 to a second server (another
// port) holding the records. --log gets one line per request header ("PORT> line") and
// "PORT> delivered N" after each answer, so a script can wait for events instead of sleeping.

#include "perfmetricstestserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

using Fault = PerfMetricsTestServer::Fault;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption modeOption(QStringLiteral("mode"), QStringLiteral("Server behaviour."), QStringLiteral("MODE"),
                                        QStringLiteral("normal"));
    const QCommandLineOption recordsOption(QStringLiteral("records"), QStringLiteral("Records waiting."),
                                           QStringLiteral("N"), QStringLiteral("55"));
    const QCommandLineOption logOption(QStringLiteral("log"), QStringLiteral("Request log."), QStringLiteral("FILE"));
    parser.addOptions({modeOption, recordsOption, logOption});
    parser.process(app);

    QFile log(parser.value(logOption));
    if (parser.isSet(logOption) && !log.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        return 1;
    auto logTo = [&log](PerfMetricsTestServer *server) {
        if (!log.isOpen())
            return;
        const QByteArray port = QByteArray::number(server->url().port());
        QObject::connect(server, &PerfMetricsTestServer::requestReceived, server, [&log, port](const QList<QByteArray> &lines) {
            for (const QByteArray &line : lines)
                log.write(port + "> " + line.trimmed() + '\n');
        });
        QObject::connect(server, &PerfMetricsTestServer::answered, server, [&log, port](qsizetype delivered) {
            log.write(port + "> delivered " + QByteArray::number(delivered) + '\n');
        });
    };

    QList<QByteArray> records;
    for (int id = 1; id <= parser.value(recordsOption).toInt(); ++id)
        records << PerfMetricsTestServer::makeRecord(id);
    const QString mode = parser.value(modeOption);
    if (mode == QLatin1String("invalid-record") && records.size() >= 2)
        records[1].insert(1, R"("junk": [1 2 3], )");
    if (mode == QLatin1String("twins") && !records.isEmpty())
        records << QByteArray(records.first()).insert(1, R"("note": "another request, same id and stamps", )");
    PerfMetricsTestServer server;
    PerfMetricsTestServer target;
    if (!server.listen() || !target.listen())
        return 1;
    logTo(&server);
    logTo(&target);
    if (mode == QLatin1String("redirect")) {
        target.addRecords(records);
        server.setRedirectTarget(target.url());
        server.setStandingFault(Fault::Redirect);
    } else {
        server.addRecords(records);
        if (mode == QLatin1String("endless"))
            server.setStandingFault(Fault::Endless);
        else if (mode == QLatin1String("drip"))
            server.setStandingFault(Fault::Drip, 1000);
        else if (mode == QLatin1String("huge-length"))
            server.setStandingFault(Fault::HugeLength, 1000);
        else if (!QStringList{QStringLiteral("normal"), QStringLiteral("invalid-record"), QStringLiteral("twins")}.contains(mode))
            return 2;
    }
    if (mode == QLatin1String("drip") || mode == QLatin1String("normal")) {
        // Every request finds fresh records: each one drips, each recording gets its own.
        QObject::connect(&server, &PerfMetricsTestServer::requestReceived, &server, [&server, &records] {
            if (server.waiting() > 0)
                return;
            for (QByteArray &record : records) {
                const int id = QJsonDocument::fromJson(record)[QLatin1String("request_id")].toInt();
                record = PerfMetricsTestServer::makeRecord(id + 100000);
            }
            server.addRecords(records);
        });
    }
    QTextStream(stdout) << server.url().toString() << Qt::endl;
    return app.exec();
}
