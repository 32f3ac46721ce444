#include "recordcommand.h"

#include "live/directorytail.h"
#include "live/httppoller.h"
#include "live/livesession.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace Phaseline {

namespace {

int g_signalPipe[2] = {-1, -1};

void onStopSignal(int signal)
{
    const char number = char(signal);
    [[maybe_unused]] const ssize_t written = ::write(g_signalPipe[1], &number, 1);
}

// SIGINT and SIGTERM end the event loop instead of the process, so whatever was received is
// kept and summarised; the handlers only write to a pipe (all a signal handler may safely do).
class StopSignals
{
public:
    StopSignals()
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0)
            return;
        m_notifier = std::make_unique<QSocketNotifier>(g_signalPipe[0], QSocketNotifier::Read);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, [this] {
            char number = 0;
            if (::read(g_signalPipe[0], &number, 1) == 1)
                m_received = number == SIGINT ? QStringLiteral("SIGINT") : QStringLiteral("SIGTERM");
            QCoreApplication::quit();
        });
        struct sigaction action = {};
        action.sa_handler = onStopSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &action, &m_previousInt);
        ::sigaction(SIGTERM, &action, &m_previousTerm);
    }
    ~StopSignals()
    {
        if (!m_notifier)
            return;
        ::sigaction(SIGINT, &m_previousInt, nullptr);
        ::sigaction(SIGTERM, &m_previousTerm, nullptr);
        m_notifier.reset();
        ::close(g_signalPipe[0]);
        ::close(g_signalPipe[1]);
        g_signalPipe[0] = g_signalPipe[1] = -1;
    }
    const QString &received() const { return m_received; }

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
    struct sigaction m_previousInt = {};
    struct sigaction m_previousTerm = {};
    QString m_received;
};

} // namespace

int runRecordCommand(const CommandLine &command, QTextStream &err)
{
    Live::LiveSession session;
    QString error;
    if (!session.openSessionFile(command.recordPath, &error)) {
        err << "phaseline: " << error << '\n';
        return ExitOutputError;
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
    // A full disk ends the recording at once: what follows could not be kept anyway.
    QObject::connect(&session, &Live::LiveSession::writeFailed, QCoreApplication::instance(), &QCoreApplication::quit,
                     Qt::QueuedConnection);
    StopSignals stopSignals;
    if (command.durationSeconds > 0)
        QTimer::singleShot(qint64(command.durationSeconds * 1000), QCoreApplication::instance(), &QCoreApplication::quit);
    if (tail)
        tail->start(input);
    else
        static_cast<Live::PerfMetricsPoller *>(source.get())->start(pollSettings(command));
    QCoreApplication::exec();
    if (tail)
        tail->scan(); // what the files gained since the last notification
    source->stop(); // a response in flight is cut; its complete records are kept
    session.finishIngestNow(); // the deliveries still being checked on a worker
    report();
    if (!session.writeError().isEmpty())
        return ExitOutputError; // the issue above says what was written
    err << "phaseline: recorded " << session.recordsWritten() << " record(s) from " << source->status().source
        << " to " << command.recordPath;
    if (session.duplicatesIgnored() > 0)
        err << " (" << session.duplicatesIgnored() << " duplicate deliveries ignored)";
    if (session.recordsRejected() > 0)
        err << " (" << session.recordsRejected() << " invalid record(s) rejected)";
    if (!stopSignals.received().isEmpty())
        err << "; stopped by " << stopSignals.received();
    err << '\n';
    return ExitOk;
}

} // namespace Phaseline
