#include "recordcommand.h"

#include "directorytail.h"
#include "httppoller.h"
#include "livesession.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTimer>

#include <memory>

namespace Phaseline {

int runRecordCommand(const CommandLine &command, QTextStream &err)
{
    Live::LiveSession session;
    QString error;
    if (!session.openSessionFile(command.recordPath, &error)) {
        err << "phaseline: " << error << '\n';
        return ExitInputError;
    }
    const QString input = command.inputs.first();
    std::unique_ptr<Live::LiveSource> source;
    Live::DirectoryTail *tail = nullptr;
    if (QFileInfo(input).isDir()) {
        source = std::make_unique<Live::DirectoryTail>(&session);
        tail = static_cast<Live::DirectoryTail *>(source.get());
    } else {
        source = std::make_unique<Live::PerfMetricsPoller>(&session);
    }
    QString shownError;
    qsizetype shownIssues = 0;
    auto report = [&] {
        for (; shownIssues < session.issues().size(); ++shownIssues)
            err << "phaseline: " << session.issues()[shownIssues].toString() << '\n';
        const Live::SourceStatus &status = source->status();
        if (status.lastError != shownError) {
            if (status.lastError.isEmpty())
                err << "phaseline: " << status.source << ": receiving again\n";
            else if (status.retryInMs >= 0)
                err << "phaseline: " << status.source << ": " << status.lastError << "; retrying in "
                    << status.retryInMs / 1000.0 << " s\n";
            else
                err << "phaseline: " << status.source << ": " << status.lastError << '\n';
            shownError = status.lastError;
        }
        err.flush();
    };
    QObject::connect(source.get(), &Live::LiveSource::statusChanged, report);
    if (command.durationSeconds > 0)
        QTimer::singleShot(qint64(command.durationSeconds * 1000), QCoreApplication::instance(), &QCoreApplication::quit);
    if (tail) {
        tail->start(input);
    } else {
        Live::PollSettings settings;
        settings.url = QUrl(input);
        settings.intervalMs = int(command.intervalSeconds * 1000);
        for (const QString &text : command.headers) {
            QPair<QByteArray, QByteArray> header;
            if (Live::parseHeader(text, &header))
                settings.headers << header;
        }
        static_cast<Live::PerfMetricsPoller *>(source.get())->start(settings);
    }
    QCoreApplication::exec();
    if (tail)
        tail->scan(); // what the files gained since the last notification
    source->stop();
    report();
    err << "phaseline: recorded " << session.recordsKept() << " record(s) to " << command.recordPath;
    if (session.duplicatesIgnored() > 0)
        err << " (" << session.duplicatesIgnored() << " duplicate deliveries ignored)";
    err << '\n';
    return ExitOk;
}

} // namespace Phaseline
