#include "timelineframe.h"

#include "analysis/axisstep.h"

#include <cmath>

namespace Phaseline {

double timelineTickStep(double secondsPerPixel, double minPixels)
{
    return niceCeiling(secondsPerPixel * minPixels);
}

QString formatTimelineTick(double seconds, double step)
{
    double scale = 1;
    QString unit = QStringLiteral("s");
    if (step < 1e-3) {
        scale = 1e6;
        unit = QStringLiteral("µs");
    } else if (step < 1) {
        scale = 1e3;
        unit = QStringLiteral("ms");
    }
    // As many decimals as the step has: 0.25 ms steps get two, 2.5 s steps one.
    int decimals = 0;
    for (double scaled = step * scale; decimals < 6 && std::abs(scaled - std::round(scaled)) > 1e-6 * scaled; scaled *= 10)
        ++decimals;
    return QString::number(seconds * scale, 'f', decimals) + QLatin1Char(' ') + unit;
}

} // namespace Phaseline
