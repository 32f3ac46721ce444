#include "loadcontroller.h"

namespace Phaseline {

LoadController::LoadController(QObject *parent)
    : QObject(parent), m_job([this](LoadResult result) { onFinished(std::move(result)); })
{
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_control)
            Q_EMIT progress(m_control->bytesDone(), m_control->bytesTotal());
    });
}

LoadController::~LoadController()
{
    cancel(); // the worker stops soon; nothing waits for it
}

void LoadController::start(const QStringList &inputs)
{
    // A load still running is superseded: told to stop, its result dropped (JobTracker).
    cancel();
    m_inputs = inputs;
    m_control = std::make_shared<LoadControl>();
    m_control->csvMappings = m_csvMappings;
    m_job.start([inputs, control = m_control](const JobToken &) { return loadInputs(inputs, control.get()); });
    m_progressTimer.start();
}

void LoadController::cancel()
{
    if (m_control)
        m_control->cancel();
}

void LoadController::abandon()
{
    cancel();
    if (!m_job.isBusy())
        return;
    m_job.discard();
    m_progressTimer.stop();
    Q_EMIT canceled();
}

LoadResult LoadController::takeResult()
{
    return std::move(m_result);
}

void LoadController::onFinished(LoadResult result)
{
    m_progressTimer.stop();
    if (result.canceled) {
        Q_EMIT canceled();
        return;
    }
    m_result = std::move(result);
    Q_EMIT finished();
}

} // namespace Phaseline
