#pragma once

namespace Phaseline {

// The smallest 1, 2, 2.5 or 5 × 10^n at or above `value` (1 for nothing positive): the top of
// a value axis whose five steps read as round numbers.
double niceCeiling(double value);

} // namespace Phaseline
