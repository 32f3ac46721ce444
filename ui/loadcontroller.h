#pragma once

#include "core/jobtracker.h"
#include "load/loader.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace Phaseline {

// Runs loadInputs() on a worker thread, reports progress and can cancel. A load that was
// canceled before it finished delivers nothing (the previous data stays as it was); one that
// finished before the cancel reached it is delivered as usual.
class LoadController : public QObject
{
    Q_OBJECT
public:
    explicit LoadController(QObject *parent = nullptr);
    ~LoadController() override;

    void start(const QStringList &inputs);
    // Column mappings for CSV inputs (by header line), used by every later start().
    void setCsvMappings(const CsvMappings &mappings) { m_csvMappings = mappings; }
    // Asks the load to stop. A load that finished before it stopped is still delivered.
    void cancel();
    // Stops the load and drops it whatever it reached (another input replaces it): canceled()
    // follows at once when one was running.
    void abandon();
    bool isRunning() const { return m_job.isBusy(); }
    QStringList inputs() const { return m_inputs; }
    // The result of the last finished load (moved out).
    LoadResult takeResult();

Q_SIGNALS:
    void progress(qint64 bytesDone, qint64 bytesTotal);
    void finished();
    void canceled();

private:
    void onFinished(LoadResult result);

    std::shared_ptr<LoadControl> m_control;
    JobTracker<LoadResult> m_job;
    QTimer m_progressTimer;
    QStringList m_inputs;
    CsvMappings m_csvMappings;
    LoadResult m_result;
};

} // namespace Phaseline
