#include "live/livesource.h"

namespace Phaseline::Live {

QString stateName(SourceStatus::State state)
{
    switch (state) {
    case SourceStatus::Stopped: return QStringLiteral("stopped");
    case SourceStatus::Waiting: return QStringLiteral("connecting");
    case SourceStatus::Receiving: return QStringLiteral("connected");
    case SourceStatus::Retrying: return QStringLiteral("retrying");
    }
    return QString();
}

} // namespace Phaseline::Live
