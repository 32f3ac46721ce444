#pragma once

#include <cmath>

namespace Phaseline {

// The smallest of 1, 2, 2.5 or 5 times a power of ten that is not below `value`: axis tops,
// tick intervals and histogram bin widths that give round labels. 1 for a value that is not
// positive (an empty axis).
inline double niceCeiling(double value)
{
    if (!(value > 0) || !std::isfinite(value))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double factor : {1.0, 2.0, 2.5, 5.0}) {
        // The tolerance keeps 0.3 / 0.1 * 0.1-style rounding noise from skipping a step.
        if (value <= factor * magnitude * (1 + 1e-9))
            return factor * magnitude;
    }
    return 10 * magnitude;
}

} // namespace Phaseline
