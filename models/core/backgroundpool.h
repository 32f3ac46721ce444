#pragma once

#include <QThread>
#include <QThreadPool>

namespace Phaseline {

// Long background work (jobs, a load's parallel parsing) runs on this pool, never on
// QThreadPool::globalInstance(): Qt's raster engine splits large fills over the global pool
// and the GUI thread waits for them, so a global pool busy with a layout or a load would
// hold up every paint for as long as that work runs (seconds at a million requests).
inline QThreadPool *backgroundPool()
{
    static QThreadPool pool;
    static const bool sized = [] {
        pool.setMaxThreadCount(QThread::idealThreadCount());
        return true;
    }();
    (void)sized;
    return &pool;
}

} // namespace Phaseline
