#include "recordcommand.h"

#include "httppoller.h"
#include "livesession.h"

#include <QCoreApplication>
#include <QTimer>

namespace Phaseline {

int runRecordCommand(const CommandLine &command, QTextStream &err)
{
    Live::LiveSession session;
    QString error;
    if (!session.openSessionFile(command.recordPath, &error)) {
        err << "phaseline: " << error << '\n';
        return ExitInputError;
    }
    Live::PollSettings settings;
    settings.url = QUrl(command.inputs.first());
    settings.intervalMs = int(command.intervalSeconds * 1000);
    for (const QString &text : command.headers) {
        QPair<QByteArray, QByteArray> header;
        if (Live::parseHeader(text, &header))
            settings.headers << header;
    }
    Live::PerfMetricsPoller poller(&session);
    QString shownError;
    QObject::connect(&poller, &Live::LiveSource::statusChanged, [&] {
        const Live::SourceStatus &status = poller.status();
        if (status.lastError != shownError) {
            if (status.lastError.isEmpty())
                err << "phaseline: " << status.source << ": receiving again\n";
            else
                err << "phaseline: " << status.source << ": " << status.lastError << "; retrying in "
                    << status.retryInMs / 1000.0 << " s\n";
            err.flush();
            shownError = status.lastError;
        }
    });
    if (command.durationSeconds > 0)
        QTimer::singleShot(qint64(command.durationSeconds * 1000), QCoreApplication::instance(), &QCoreApplication::quit);
    poller.start(settings);
    QCoreApplication::exec();
    poller.stop();
    err << "phaseline: recorded " << session.recordsKept() << " record(s) to " << command.recordPath;
    if (session.duplicatesIgnored() > 0)
        err << " (" << session.duplicatesIgnored() << " duplicate deliveries ignored)";
    err << '\n';
    return ExitOk;
}

} // namespace Phaseline
