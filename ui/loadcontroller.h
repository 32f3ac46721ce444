#pragma once

#include "loader.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

namespace Phaseline {

// Runs loadInputs() on a worker thread (QtConcurrent), reports progress and can cancel.
// A canceled load delivers nothing: the previous data stays as it was.
class LoadController : public QObject
{
    Q_OBJECT
public:
    explicit LoadController(QObject *parent = nullptr);
    ~LoadController() override;

    void start(const QStringList &inputs);
    // Column mappings for CSV inputs (by header line), used by every later start().
    void setCsvMappings(const CsvMappings &mappings) { m_csvMappings = mappings; }
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }
    QStringList inputs() const { return m_inputs; }
    // The result of the last finished load (moved out).
    LoadResult takeResult();

Q_SIGNALS:
    void progress(qint64 bytesDone, qint64 bytesTotal);
    void finished();
    void canceled();

private:
    void onFinished();

    std::shared_ptr<LoadControl> m_control;
    QFutureWatcher<LoadResult> m_watcher;
    QTimer m_progressTimer;
    QStringList m_inputs;
    CsvMappings m_csvMappings;
    LoadResult m_result;
};

} // namespace Phaseline
