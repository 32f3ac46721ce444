#include "loadcontroller.h"

#include <QtConcurrent/QtConcurrentRun>

namespace Phaseline {

LoadController::LoadController(QObject *parent) : QObject(parent)
{
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_control)
            Q_EMIT progress(m_control->bytesProcessed.load(), m_control->bytesTotal.load());
    });
    connect(&m_watcher, &QFutureWatcher<LoadResult>::finished, this, &LoadController::onFinished);
}

LoadController::~LoadController()
{
    cancel();
    m_watcher.waitForFinished();
}

void LoadController::start(const QStringList &inputs)
{
    cancel();
    m_watcher.waitForFinished(); // a canceled load stops within a few milliseconds
    m_inputs = inputs;
    m_control = std::make_shared<LoadControl>();
    m_control->csvMappings = m_csvMappings;
    std::shared_ptr<LoadControl> control = m_control;
    m_watcher.setFuture(QtConcurrent::run([inputs, control] { return loadInputs(inputs, control.get()); }));
    m_progressTimer.start();
}

void LoadController::cancel()
{
    if (m_control)
        m_control->canceled.store(true);
}

LoadResult LoadController::takeResult()
{
    return std::move(m_result);
}

void LoadController::onFinished()
{
    m_progressTimer.stop();
    const bool wasCanceled = m_control && m_control->canceled.load();
    if (wasCanceled || m_watcher.future().isCanceled()) {
        Q_EMIT canceled();
        return;
    }
    m_result = m_watcher.result();
    Q_EMIT finished();
}

} // namespace Phaseline
