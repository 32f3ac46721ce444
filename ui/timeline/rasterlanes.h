#pragma once

#include <QtGlobal>

class QImage;

namespace Phaseline {

struct TimelineFrame;

// Draws the visible lanes into `image` (the lanes' size times `devicePixelRatio`; reused between
// frames): per pixel the phase covering most of it, blended by coverage where lanes share pixel
// rows. Parts narrower than a few pixels take their longest phase's colour; runs of parts within
// one pixel column are folded. Large views split the lanes over two threads.
void rasteriseLanes(const TimelineFrame &frame, qreal devicePixelRatio, QImage &image);

} // namespace Phaseline
